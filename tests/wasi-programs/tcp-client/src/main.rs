//! A TCP client (wasi:sockets/tcp through std::net): connects to the echo server at
//! WEFT_ECHO_ADDR, sends a line and 100000 more bytes, shuts its write side and reads
//! everything back; then connects to WEFT_REFUSED_ADDR, where nothing listens.
use std::io::{Read, Write};
use std::net::{Shutdown, TcpStream};

fn main() {
    let addr = std::env::var("WEFT_ECHO_ADDR").expect("WEFT_ECHO_ADDR");
    let mut s = TcpStream::connect(&addr).expect("connect");
    println!("connected");
    println!("peer matches: {}", s.peer_addr().expect("peer_addr").to_string() == addr);
    let local = s.local_addr().expect("local_addr");
    println!("local: {} (port nonzero: {})", local.ip(), local.port() != 0);
    let mut sent = b"hello over tcp\n".to_vec();
    s.write_all(&sent).expect("write line");
    let big: Vec<u8> = (0..100_000u32).map(|i| (i % 251) as u8).collect();
    s.write_all(&big).expect("write big");
    sent.extend_from_slice(&big);
    s.flush().expect("flush");
    s.shutdown(Shutdown::Write).expect("shutdown");
    let mut back = Vec::new();
    s.read_to_end(&mut back).expect("read_to_end");
    println!("echoed {} bytes, equal: {}", back.len(), back == sent);
    println!("first line: {:?}", String::from_utf8_lossy(&back[..15]));
    drop(s);
    let refused = std::env::var("WEFT_REFUSED_ADDR").expect("WEFT_REFUSED_ADDR");
    match TcpStream::connect(&refused) {
        Ok(_) => println!("refused: connected?!"),
        Err(e) => println!("refused: {:?}", e.kind()),
    }
    println!("tcp client ok");
}
