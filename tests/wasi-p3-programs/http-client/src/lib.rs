//! A `wasi:http/client` (0.3) client against the server at $WEFT_HTTP_URL: a GET with a
//! request header, a POST with a body, a 300 KB PUT streamed in 64 KiB writes and echoed
//! back, a 404, a refused connection at $WEFT_HTTP_REFUSED_URL, and a `ws:` scheme
//! (wasmtime's error code). Each request is
//! made as wasmtime's P3 http test programs make theirs: the body written, the
//! trailers future written and `client.send` awaited concurrently, then the response's
//! body read to its end through `consume-body`.
use core::future::IntoFuture;
use p3util::outln;
use wasip3::cli::environment;
use wasip3::http::client;
use wasip3::http::types::{ErrorCode, Fields, Method, Request, Response, Scheme};
use wasip3::{wit_future, wit_stream};

struct Reply {
    status: u16,
    headers: Vec<(String, Vec<u8>)>,
    body: Vec<u8>,
}

impl Reply {
    fn header(&self, name: &str) -> String {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| String::from_utf8_lossy(v).into_owned())
            .unwrap_or_else(|| "<none>".into())
    }
}

/// Splits "http://host:port/path" into (scheme, authority, path-with-query).
fn split(url: &str) -> (Scheme, String, String) {
    let (scheme, rest) = url.split_once("://").expect("url has a scheme");
    let scheme = match scheme {
        "http" => Scheme::Http,
        "https" => Scheme::Https,
        other => Scheme::Other(other.into()),
    };
    let (authority, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, "/"),
    };
    (scheme, authority.into(), path.into())
}

async fn request(
    method: Method,
    url: &str,
    headers: &[(&str, &[u8])],
    body: Option<&[u8]>,
) -> Result<Reply, ErrorCode> {
    let list: Vec<(String, Vec<u8>)> = headers
        .iter()
        .map(|(n, v)| (n.to_string(), v.to_vec()))
        .collect();
    let fields = Fields::from_list(&list).expect("valid headers");
    let (writer, contents) = match body {
        Some(_) => {
            let (tx, rx) = wit_stream::new();
            (Some(tx), Some(rx))
        }
        None => (None, None),
    };
    let (trailers_tx, trailers_rx) = wit_future::new(|| Ok(None));
    let (req, transmitted) = Request::new(fields, contents, trailers_rx, None);
    let (scheme, authority, path) = split(url);
    req.set_method(&method).expect("method");
    req.set_scheme(Some(&scheme)).expect("scheme");
    req.set_authority(Some(&authority)).expect("authority");
    req.set_path_with_query(Some(&path)).expect("path");
    let (transmitted, (), reply) = futures::join!(
        transmitted.into_future(),
        async {
            if let (Some(mut tx), Some(bytes)) = (writer, body) {
                for chunk in bytes.chunks(64 * 1024) {
                    assert!(
                        tx.write_all(chunk.to_vec()).await.is_empty(),
                        "request body dropped"
                    );
                }
            }
            // The host may have dropped the future already (a failed request).
            let _ = trailers_tx.write(Ok(None)).await;
        },
        async {
            let response = client::send(req).await?;
            let status = response.get_status_code();
            let headers = response.get_headers().copy_all();
            let (_, done) = wit_future::new(|| Ok(()));
            let (body, trailers) = Response::consume_body(response, done);
            let body = body.collect().await;
            trailers.await?;
            Ok(Reply {
                status,
                headers,
                body,
            })
        },
    );
    let reply = reply?;
    transmitted?;
    Ok(reply)
}

struct Run;

impl wasip3::exports::cli::run::Guest for Run {
    async fn run() -> Result<(), ()> {
        let env = environment::get_environment();
        let var = |name: &str| {
            env.iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.clone())
                .expect(name)
        };
        let base = var("WEFT_HTTP_URL");

        let r = request(
            Method::Get,
            &format!("{base}/get?x=1"),
            &[("x-test", b"weft")],
            None,
        )
        .await
        .expect("GET");
        outln!("GET status {}", r.status);
        outln!("GET x-server: {}", r.header("x-server"));
        outln!("GET body: {}", String::from_utf8_lossy(&r.body));

        let r = request(
            Method::Post,
            &format!("{base}/echo"),
            &[("content-type", b"text/plain")],
            Some(b"hello from the guest"),
        )
        .await
        .expect("POST");
        outln!("POST status {}", r.status);
        outln!("POST content-type: {}", r.header("content-type"));
        outln!("POST body: {}", String::from_utf8_lossy(&r.body));

        let big: Vec<u8> = (0..300_000u32).map(|i| (i * 7 % 251) as u8).collect();
        let r = request(Method::Put, &format!("{base}/echo"), &[], Some(&big))
            .await
            .expect("PUT");
        outln!(
            "PUT status {}: {} bytes echoed, equal: {}",
            r.status,
            r.body.len(),
            r.body == big
        );

        let r = request(Method::Get, &format!("{base}/missing"), &[], None)
            .await
            .expect("missing");
        outln!("missing status {}", r.status);

        match request(Method::Get, &var("WEFT_HTTP_REFUSED_URL"), &[], None).await {
            Ok(r) => outln!("refused: status {}", r.status),
            Err(e) => outln!("refused: {e:?}"),
        }

        // Only http and https: another scheme is a protocol error, as in wasmtime.
        match request(Method::Get, "ws://localhost:3000/", &[], None).await {
            Ok(r) => outln!("ws scheme: status {}", r.status),
            Err(e) => outln!("ws scheme: {e:?}"),
        }
        Ok(())
    }
}

wasip3::cli::command::export!(Run);
