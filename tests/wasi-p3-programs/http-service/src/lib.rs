//! A `wasi:http/service` (exports `wasi:http/handler@0.3.x`): answers each request with
//! `<path>: <BODY IN UPPER CASE>`, streaming the response body from a spawned task,
//! with a `x-method` header naming the request's method.
use wasip3::http::types::{ErrorCode, Fields, Method, Request, Response};
use wasip3::{wit_future, wit_stream};

struct Service;

impl wasip3::exports::http::handler::Guest for Service {
    async fn handle(req: Request) -> Result<Response, ErrorCode> {
        let path = req.get_path_with_query().unwrap_or_default();
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
        let text = format!("{path}: {}", String::from_utf8_lossy(&bytes).to_uppercase());
        wasip3::spawn_local(async move {
            tx.write_all(text.into_bytes()).await;
            drop(tx);
            drop(trailers_tx.write(Ok(None)).await);
        });
        Ok(resp)
    }
}

wasip3::http::service::export!(Service);
