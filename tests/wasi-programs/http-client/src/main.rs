//! A wasi:http/outgoing-handler client against the server at $WEFT_HTTP_URL: a GET, a
//! POST with a body, a 300 KB POST echoed back, a Latin-1 header value round trip,
//! header errors, and a refused connection at $WEFT_HTTP_REFUSED_URL.
use std::io::{Read, Write};

use wasi::http::outgoing_handler::{self, ErrorCode};
use wasi::http::types::{
    Fields, HeaderError, IncomingResponse, Method, OutgoingBody, OutgoingRequest, Scheme,
};

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

fn request(
    method: Method,
    url: &str,
    headers: &[(&str, &[u8])],
    body: Option<&[u8]>,
) -> Result<Reply, ErrorCode> {
    let fields = Fields::new();
    for (n, v) in headers {
        fields
            .append(&n.to_string(), &v.to_vec())
            .expect("valid header");
    }
    let req = OutgoingRequest::new(fields);
    let (scheme, authority, path) = split(url);
    req.set_method(&method).unwrap();
    req.set_scheme(Some(&scheme)).unwrap();
    req.set_authority(Some(&authority)).unwrap();
    req.set_path_with_query(Some(&path)).unwrap();
    let out_body = req.body().expect("body once");
    let future = outgoing_handler::handle(req, None)?;
    if let Some(bytes) = body {
        let mut stream = out_body.write().expect("write once");
        // Several writes, so a streamed request body arrives in pieces.
        for chunk in bytes.chunks(64 * 1024) {
            stream.write_all(chunk).expect("write body");
        }
        stream.flush().expect("flush body");
    }
    OutgoingBody::finish(out_body, None)?;
    future.subscribe().block();
    let response: IncomingResponse = future
        .get()
        .expect("ready after block")
        .expect("first get")?;
    let status = response.status();
    let headers = response.headers().entries();
    let incoming = response.consume().expect("consume once");
    let mut body = Vec::new();
    {
        let mut stream = incoming.stream().expect("stream once");
        stream.read_to_end(&mut body).expect("read body");
    }
    let trailers = wasi::http::types::IncomingBody::finish(incoming);
    trailers.subscribe().block();
    let _ = trailers.get();
    Ok(Reply {
        status,
        headers,
        body,
    })
}

fn main() {
    let base = std::env::var("WEFT_HTTP_URL").expect("WEFT_HTTP_URL");

    let r = request(
        Method::Get,
        &format!("{base}/get?x=1"),
        &[("x-test", b"weft")],
        None,
    )
    .expect("GET");
    println!("GET status {}", r.status);
    println!("GET x-server: {}", r.header("x-server"));
    println!("GET body: {}", String::from_utf8_lossy(&r.body));

    let r = request(
        Method::Post,
        &format!("{base}/echo"),
        &[("content-type", b"text/plain")],
        Some(b"hello from the guest"),
    )
    .expect("POST");
    println!("POST status {}", r.status);
    println!("POST content-type: {}", r.header("content-type"));
    println!("POST body: {}", String::from_utf8_lossy(&r.body));

    let big: Vec<u8> = (0..300_000u32).map(|i| (i * 7 % 251) as u8).collect();
    let r = request(Method::Put, &format!("{base}/echo"), &[], Some(&big)).expect("PUT");
    println!(
        "PUT status {}: {} bytes echoed, equal: {}",
        r.status,
        r.body.len(),
        r.body == big
    );

    let r = request(
        Method::Get,
        &format!("{base}/latin1"),
        &[("x-echo", b"caf\xe9")],
        None,
    )
    .expect("latin1");
    let v = r
        .headers
        .iter()
        .find(|(n, _)| n == "x-echo")
        .map(|(_, v)| v.clone());
    println!("latin-1 header echoed: {:?}", v);

    let r = request(
        Method::Other("PURGE".into()),
        &format!("{base}/method"),
        &[],
        None,
    )
    .expect("PURGE");
    println!(
        "PURGE status {}: {}",
        r.status,
        String::from_utf8_lossy(&r.body)
    );

    let r = request(Method::Get, &format!("{base}/missing"), &[], None).expect("404");
    println!("missing status {}", r.status);

    let forbidden = Fields::from_list(&[("Connection".into(), b"close".to_vec())]);
    println!(
        "forbidden header: {}",
        matches!(forbidden, Err(HeaderError::Forbidden))
    );
    let bad = Fields::new().append(&"bad name".to_string(), &b"x".to_vec());
    println!(
        "bad header name: {}",
        matches!(bad, Err(HeaderError::InvalidSyntax))
    );
    let bad = Fields::new().append(&"x-ok".to_string(), &b"a\r\nb".to_vec());
    println!(
        "bad header value: {}",
        matches!(bad, Err(HeaderError::InvalidSyntax))
    );
    let req = OutgoingRequest::new(Fields::new());
    let immutable = req.headers().set(&"x-a".to_string(), &[b"1".to_vec()]);
    println!(
        "request headers immutable: {}",
        matches!(immutable, Err(HeaderError::Immutable))
    );

    if let Ok(refused) = std::env::var("WEFT_HTTP_REFUSED_URL") {
        match request(Method::Get, &refused, &[], None) {
            Ok(r) => println!("refused: got status {}", r.status),
            Err(e) => println!("refused: {e:?}"),
        }
    }
}
