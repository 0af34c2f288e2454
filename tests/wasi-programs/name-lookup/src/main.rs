//! Name lookup (wasi:sockets/ip-name-lookup through std::net's getaddrinfo).
use std::net::ToSocketAddrs;

fn main() {
    let addrs: Vec<_> = ("localhost", 8080).to_socket_addrs().expect("lookup localhost").collect();
    println!(
        "localhost: some addresses: {}, all loopback: {}, port kept: {}",
        !addrs.is_empty(),
        addrs.iter().all(|a| a.ip().is_loopback()),
        addrs.iter().all(|a| a.port() == 8080)
    );
    let literal: Vec<_> = "127.0.0.1:80".to_socket_addrs().expect("literal").collect();
    println!("literal: {:?}", literal);
    println!("unknown name fails: {}", ("no-such-host.invalid", 80).to_socket_addrs().is_err());
    println!("name lookup ok");
}
