//! A TCP server over `wasi:sockets/types@0.3`: binds 127.0.0.1:0, listens, prints
//! `listening on 127.0.0.1:<port>` (the runner connects there), accepts one connection
//! from the stream `listen` returns, reads until the client's FIN, sends the bytes
//! back upper-cased and closes. Also checks `invalid-state`, `address-in-use` (from
//! `bind`) and that dropping the stream of connections leaves the socket listening.
use p3util::outln;
use wasip3::sockets::types::{IpAddressFamily, IpSocketAddress, Ipv4SocketAddress, TcpSocket};
use wasip3::wit_stream;

fn v4(address: (u8, u8, u8, u8), port: u16) -> IpSocketAddress {
    IpSocketAddress::Ipv4(Ipv4SocketAddress { port, address })
}

struct Run;

impl wasip3::exports::cli::run::Guest for Run {
    async fn run() -> Result<(), ()> {
        let server = TcpSocket::create(IpAddressFamily::Ipv4).expect("create");
        server.bind(v4((127, 0, 0, 1), 0)).expect("bind");
        outln!("bind again: {:?}", server.bind(v4((127, 0, 0, 1), 0)));
        let mut incoming = server.listen().expect("listen");
        outln!("is listening: {}", server.get_is_listening());
        outln!("listen again: {:?}", server.listen().map(|_| ()));
        let port = match server.get_local_address().expect("local address") {
            IpSocketAddress::Ipv4(a) => a.port,
            other => panic!("local address {other:?}"),
        };
        outln!("listening on 127.0.0.1:{port}");

        // `bind` itself reports the address in use (not a later `listen`).
        let other = TcpSocket::create(IpAddressFamily::Ipv4).expect("create");
        outln!("same port: {:?}", other.bind(v4((127, 0, 0, 1), port)));

        let client = incoming.next().await.expect("a connection");
        match client.get_remote_address().expect("remote address") {
            IpSocketAddress::Ipv4(a) => outln!("accepted from {:?}", a.address),
            other => panic!("remote address {other:?}"),
        }
        outln!("accepted is listening: {}", client.get_is_listening());
        let (data, received) = client.receive();
        let bytes = data.collect().await;
        outln!("received {} bytes: {:?} ({:?})", bytes.len(), String::from_utf8_lossy(&bytes), received.await);
        let (mut tx, rx) = wit_stream::new();
        let sent = client.send(rx);
        assert!(tx.write_all(bytes.to_ascii_uppercase()).await.is_empty());
        drop(tx);
        outln!("sent: {:?}", sent.await);
        drop(client);
        drop(incoming);
        // Dropping the stream of connections stops accepting; the socket still listens.
        outln!("after dropping the stream: listening {}, has local address {}", server.get_is_listening(), server.get_local_address().is_ok());
        outln!("tcp server ok");
        Ok(())
    }
}

wasip3::cli::command::export!(Run);
