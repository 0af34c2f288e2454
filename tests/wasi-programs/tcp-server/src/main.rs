//! A TCP server (wasi:sockets/tcp through std::net): listens on 127.0.0.1, prints its
//! port, accepts one connection, reads until the peer's FIN and answers upper-cased.
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};

fn main() {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let local = listener.local_addr().expect("local_addr");
    println!("listening on 127.0.0.1:{}", local.port());
    match TcpListener::bind(local) {
        Ok(_) => println!("same port: bound?!"),
        Err(e) => println!("same port: {:?}", e.kind()),
    }
    println!("not connected: {:?}", TcpStream::connect("127.0.0.1:0").map(|_| ()).map_err(|e| e.kind()));
    let (mut conn, peer) = listener.accept().expect("accept");
    println!("accepted from {}", peer.ip());
    println!("local port matches: {}", conn.local_addr().expect("local_addr").port() == local.port());
    let mut got = Vec::new();
    conn.read_to_end(&mut got).expect("read");
    println!("received {} bytes: {:?}", got.len(), String::from_utf8_lossy(&got));
    conn.write_all(&got.to_ascii_uppercase()).expect("write");
    drop(conn);
    println!("tcp server ok");
}
