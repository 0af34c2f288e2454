//! The `webidl` guest: uses Web APIs through `webidl:web` imports (made by `weft
//! webidl` from `idl/platform.idl`), which the transpiler binds to the platform's own
//! objects. Each export returns what it saw, as strings, for `test.mjs` to compare.

#![no_std]

extern crate alloc;

use guest_rt as _;

wit_bindgen::generate!({
    world: "webidl-guest",
    path: "wit",
    generate_all,
});

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec;
use alloc::vec::Vec;

use webidl::web::global_console as console;
use webidl::web::web::{
    AbortController, Any, Event, EventInit, EventTarget, HeadersInit, ReferrerPolicy, Request,
    RequestInfo, RequestInit, RequestMode, TextDecoder, TextEncoder, Url,
};

struct Component;

export!(Component);

fn any(v: &Any) -> String {
    match v {
        Any::Undefined => "undefined".into(),
        Any::Null => "null".into(),
        Any::Boolean(b) => format!("boolean {b}"),
        Any::Number(n) => format!("number {n}"),
        Any::Bigint(n) => format!("bigint {n}"),
        Any::String(s) => format!("string {s}"),
        Any::Object(_) => "object".into(),
    }
}

impl Guest for Component {
    fn url_demo(url: String) -> Vec<String> {
        let u = Url::new(&url, None);
        let mut seen = vec![u.href(), u.origin(), u.protocol(), u.hostname(), u.pathname()];
        u.set_pathname("/b/c");
        let params = u.search_params();
        params.append("q", "a b");
        params.append("q", "c");
        seen.push(u.href());
        seen.push(params.get("q").unwrap_or_else(|| "none".into()));
        seen.push(params.get("nope").unwrap_or_else(|| "none".into()));
        seen.push(params.get_all("q").join("|"));
        seen.push(params.size().to_string());
        seen.push(Url::can_parse("not a url", None).to_string());
        seen.push(Url::can_parse("/x", Some("https://example.org/")).to_string());
        seen.push(Url::parse("nope", None).map_or("none".into(), |u| u.href()));
        seen.push(u.to_json());
        seen
    }

    fn bytes_demo(text: String) -> (Vec<u8>, String) {
        let bytes = TextEncoder::new().encode(Some(&text));
        let back = TextDecoder::new(None, None).decode(Some(&bytes), None);
        (bytes, back)
    }

    fn request_demo(url: String, policy_empty: bool) -> Vec<String> {
        let init = RequestInit {
            method: Some("POST".into()),
            headers: Some(HeadersInit::SequenceOfSequenceOfByteString(vec![
                vec!["x-one".into(), "1".into()],
                vec!["x-two".into(), "2".into()],
            ])),
            referrer_policy: Some(if policy_empty { ReferrerPolicy::Empty } else { ReferrerPolicy::NoReferrer }),
            mode: Some(RequestMode::SameOrigin),
        };
        let r = Request::new(&RequestInfo::UsvString(url), Some(&init));
        let h = r.headers();
        h.append("x-three", "3");
        let copy = Request::new(&RequestInfo::Request(&r), None);
        vec![
            r.method(),
            r.url(),
            format!("{:?}", r.referrer_policy()),
            format!("{:?}", r.mode()),
            h.get("x-one").unwrap_or_else(|| "none".into()),
            h.get("x-three").unwrap_or_else(|| "none".into()),
            h.has("x-nope").to_string(),
            copy.method(),
            r.clone().url(),
        ]
    }

    fn events_demo() -> Vec<String> {
        let target = EventTarget::new();
        let e = Event::new("ping", Some(EventInit { bubbles: Some(true), cancelable: Some(true), composed: None }));
        let mut seen = vec![e.type_(), e.bubbles().to_string(), e.cancelable().to_string(), e.event_phase().to_string()];
        seen.push(e.target().map_or("no target".into(), |_| "a target".into()));
        // (`preventDefault` outside a dispatch: engines differ on what it does, so it is
        // called on an event that is not dispatched, and not observed.)
        Event::new("other", None).prevent_default();
        seen.push(target.dispatch_event(&e).to_string());
        seen.push(e.target().map_or("no target".into(), |_| "a target".into()));
        seen.push(format!("{} {}", Event::none(), Event::at_target()));
        seen.push(target.as_abort_signal().map_or("not a signal".into(), |_| "a signal".into()));
        let controller = AbortController::new();
        let signal = controller.signal();
        seen.push(signal.aborted().to_string());
        seen.push(any(&signal.reason()));
        controller.abort(Some(Any::String("stop".into())));
        seen.push(signal.aborted().to_string());
        seen.push(any(&signal.reason()));
        let as_target = signal.as_event_target();
        seen.push(as_target.as_abort_signal().map_or("not a signal".into(), |s| format!("a signal, aborted {}", s.aborted())));
        let other = AbortController::new();
        other.abort(None);
        seen.push(any(&other.signal().reason()));
        seen.push(any(&AbortController::new().signal().reason()));
        seen
    }

    fn log_demo(message: String) {
        console::log(vec![Any::String(message), Any::Number(42.0), Any::Boolean(true)]);
    }
}
