//! A wasi:http/incoming-handler component (it also has an empty `main`, so it builds
//! as a command like the other programs): `GET /hello` answers 200 with a greeting,
//! `POST /echo` echoes the body and content-type, `/stream` writes its body in pieces
//! and sends a trailer, `GET /count` answers `count <n>`: how many `/count` requests
//! this instance has served (1 in a fresh instance), `/trap` traps before it answers,
//! anything else is 404.
use std::io::{Read, Write};
use std::sync::atomic::{AtomicU32, Ordering};

use wasi::http::types::{
    Fields, IncomingBody, IncomingRequest, Method, OutgoingBody, OutgoingResponse, ResponseOutparam,
};

wasi::http::proxy::export!(Proxy);

struct Proxy;

/// The `/count` requests this instance has served.
static COUNT: AtomicU32 = AtomicU32::new(0);

fn respond(
    out: ResponseOutparam,
    status: u16,
    headers: &[(&str, &[u8])],
    chunks: &[&[u8]],
    trailers: Option<Fields>,
) {
    let fields = Fields::new();
    for (n, v) in headers {
        fields
            .append(&n.to_string(), &v.to_vec())
            .expect("valid header");
    }
    let resp = OutgoingResponse::new(fields);
    resp.set_status_code(status).expect("valid status");
    let body = resp.body().expect("body once");
    ResponseOutparam::set(out, Ok(resp));
    {
        let mut stream = body.write().expect("write once");
        for chunk in chunks {
            stream.write_all(chunk).expect("write");
            stream.flush().expect("flush");
        }
    }
    OutgoingBody::finish(body, trailers).expect("finish");
}

impl wasi::exports::http::incoming_handler::Guest for Proxy {
    fn handle(request: IncomingRequest, out: ResponseOutparam) {
        let method = request.method();
        let path = request.path_with_query().unwrap_or_default();
        let headers = request.headers();
        let content_type = headers.get(&"content-type".to_string()).into_iter().next();
        let tag = headers.get(&"x-tag".to_string()).into_iter().next();
        drop(headers);
        let mut body = Vec::new();
        {
            let incoming = request.consume().expect("consume once");
            {
                let mut stream = incoming.stream().expect("stream once");
                stream.read_to_end(&mut body).expect("read request body");
            }
            let _ = IncomingBody::finish(incoming);
        }
        if path == "/trap" {
            panic!("a trap in handle, as /trap asks");
        }
        match (method, path.as_str()) {
            (Method::Get, "/hello") => respond(
                out,
                200,
                &[
                    ("content-type", b"text/plain; charset=utf-8"),
                    ("x-component", b"http-proxy"),
                ],
                &[b"hello from wasi:http\n"],
                None,
            ),
            (Method::Post, "/echo") => {
                let ct = content_type.unwrap_or_else(|| b"application/octet-stream".to_vec());
                let len = body.len().to_string();
                let mut h: Vec<(&str, &[u8])> =
                    vec![("content-type", &ct), ("x-body-length", len.as_bytes())];
                if let Some(t) = &tag {
                    h.push(("x-tag", t));
                }
                respond(out, 200, &h, &[&body], None)
            }
            (Method::Get, "/count") => {
                let text = format!("count {}", COUNT.fetch_add(1, Ordering::Relaxed) + 1);
                respond(out, 200, &[("content-type", b"text/plain")], &[text.as_bytes()], None)
            }
            (Method::Get, "/stream") => {
                let trailers = Fields::new();
                trailers
                    .append(&"x-trailer".to_string(), &b"done".to_vec())
                    .unwrap();
                respond(
                    out,
                    200,
                    &[("content-type", b"text/plain")],
                    &[b"one\n", b"two\n", b"three\n"],
                    Some(trailers),
                )
            }
            (_, p) => {
                let msg = format!("not found: {p}\n");
                respond(
                    out,
                    404,
                    &[("content-type", b"text/plain")],
                    &[msg.as_bytes()],
                    None,
                )
            }
        }
    }
}

fn main() {}
