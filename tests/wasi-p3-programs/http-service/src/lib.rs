//! A `wasi:http/service` (exports `wasi:http/handler@0.3.x`): answers each request with
//! `<path>: <BODY IN UPPER CASE>`, streaming the response body from a spawned task,
//! with a `x-method` header naming the request's method. `/count` answers `count <n>`:
//! how many `/count` requests this instance has served (1 in a fresh instance).
//! `/trap` traps in `handle`; `/trap-in-body` answers 200 and traps in the task that
//! streams the body, after its first chunk (the host must replace the instance: it is
//! poisoned).
use std::sync::atomic::{AtomicU32, Ordering};

use wasip3::http::types::{ErrorCode, Fields, Method, Request, Response};
use wasip3::{wit_future, wit_stream};

struct Service;

/// The `/count` requests this instance has served.
static COUNT: AtomicU32 = AtomicU32::new(0);

impl wasip3::exports::http::handler::Guest for Service {
    async fn handle(req: Request) -> Result<Response, ErrorCode> {
        let path = req.get_path_with_query().unwrap_or_default();
        if path == "/trap" {
            panic!("a trap in handle, as /trap asks");
        }
        let method = match req.get_method() {
            Method::Other(m) => m,
            m => format!("{m:?}"),
        };
        let (_, res_rx) = wit_future::new(|| Ok(()));
        let (body, _trailers) = Request::consume_body(req, res_rx);
        let bytes = body.collect().await;
        if bytes == b"fail" {
            return Err(ErrorCode::HttpRequestDenied);
        }
        let headers = Fields::from_list(&[
            ("content-type".to_string(), b"text/plain".to_vec()),
            ("x-method".to_string(), method.into_bytes()),
        ])
        .expect("headers");
        let (mut tx, rx) = wit_stream::new();
        let (trailers_tx, trailers_rx) = wit_future::new(|| Ok(None));
        let (resp, _sent) = Response::new(headers, Some(rx), trailers_rx);
        let text = if path == "/count" {
            format!("count {}", COUNT.fetch_add(1, Ordering::Relaxed) + 1)
        } else {
            format!("{path}: {}", String::from_utf8_lossy(&bytes).to_uppercase())
        };
        let trap_in_body = path == "/trap-in-body";
        wasip3::spawn_local(async move {
            tx.write_all(text.into_bytes()).await;
            if trap_in_body {
                panic!("a trap while streaming the body, as /trap-in-body asks");
            }
            drop(tx);
            drop(trailers_tx.write(Ok(None)).await);
        });
        Ok(resp)
    }
}

wasip3::http::service::export!(Service);
