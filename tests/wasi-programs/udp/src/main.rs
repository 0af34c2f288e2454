//! UDP (wasi:sockets/udp through std::net): a round trip with the peer at
//! WEFT_UDP_PEER (it answers each datagram upper-cased), unconnected and connected.
use std::net::UdpSocket;

fn main() {
    let peer = std::env::var("WEFT_UDP_PEER").expect("WEFT_UDP_PEER");
    let sock = UdpSocket::bind("127.0.0.1:0").expect("bind");
    let local = sock.local_addr().expect("local_addr");
    println!("bound to {} (port nonzero: {})", local.ip(), local.port() != 0);
    sock.send_to(b"ping", &peer).expect("send_to");
    let mut buf = [0u8; 1500];
    let (n, from) = sock.recv_from(&mut buf).expect("recv_from");
    println!("reply {:?} from the peer: {}", String::from_utf8_lossy(&buf[..n]), from.to_string() == peer);
    sock.connect(&peer).expect("connect");
    println!("peer_addr matches: {}", sock.peer_addr().map(|a| a.to_string() == peer).unwrap_or(false));
    sock.send(b"connected ping").expect("send");
    let n = sock.recv(&mut buf).expect("recv");
    println!("connected reply {:?}", String::from_utf8_lossy(&buf[..n]));
    let big = vec![0u8; 70_000];
    println!("too large fails: {}", sock.send(&big).is_err());
    // A socket bound implicitly by its first send_to.
    let other = UdpSocket::bind("0.0.0.0:0").expect("bind any");
    other.send_to(b"implicit", &peer).expect("send_to");
    let (n, _) = other.recv_from(&mut buf).expect("recv_from");
    println!("second socket reply {:?}", String::from_utf8_lossy(&buf[..n]));
    println!("udp ok");
}
