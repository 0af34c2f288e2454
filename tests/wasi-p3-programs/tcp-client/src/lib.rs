//! A TCP client over `wasi:sockets/types@0.3`: connects to the echo server named by
//! `WEFT_ECHO_ADDR` (`127.0.0.1:port`), sends two chunks through `send`'s stream and
//! closes it (a FIN), reads the echo through `receive` until the peer's FIN, and
//! checks addresses, options and error codes (`invalid-state`, `connection-refused`,
//! `invalid-argument`). Prints a line per step; failures panic.
use p3util::outln;
use wasip3::cli::environment;
use wasip3::sockets::types::{IpAddressFamily, IpSocketAddress, Ipv4SocketAddress, TcpSocket};
use wasip3::wit_stream;

fn v4(s: &str) -> IpSocketAddress {
    let (ip, port) = s.rsplit_once(':').expect("ip:port");
    let o: Vec<u8> = ip.split('.').map(|p| p.parse().expect("octet")).collect();
    IpSocketAddress::Ipv4(Ipv4SocketAddress { port: port.parse().expect("port"), address: (o[0], o[1], o[2], o[3]) })
}

fn port_of(a: &IpSocketAddress) -> u16 {
    match a {
        IpSocketAddress::Ipv4(a) => a.port,
        IpSocketAddress::Ipv6(a) => a.port,
    }
}

fn same(a: &IpSocketAddress, b: &IpSocketAddress) -> bool {
    match (a, b) {
        (IpSocketAddress::Ipv4(a), IpSocketAddress::Ipv4(b)) => a.port == b.port && a.address == b.address,
        _ => false,
    }
}

struct Run;

impl wasip3::exports::cli::run::Guest for Run {
    async fn run() -> Result<(), ()> {
        let env = environment::get_environment();
        let target = env.iter().find(|(k, _)| k == "WEFT_ECHO_ADDR").map(|(_, v)| v.clone()).expect("WEFT_ECHO_ADDR");
        let echo = v4(&target);

        let sock = TcpSocket::create(IpAddressFamily::Ipv4).expect("create");
        outln!("local address before bind: {:?}", sock.get_local_address().map(|_| ()));
        outln!("family: {:?}, listening: {}", sock.get_address_family(), sock.get_is_listening());
        sock.connect(echo).await.expect("connect");
        outln!("connected");
        outln!("remote matches: {}", same(&sock.get_remote_address().expect("remote"), &v4(&target)));
        match sock.get_local_address().expect("local") {
            IpSocketAddress::Ipv4(a) => outln!("local: {:?} (port nonzero: {})", a.address, a.port != 0),
            other => panic!("local address {other:?}"),
        }
        outln!("connect again: {:?}", sock.connect(v4(&target)).await);
        sock.set_keep_alive_enabled(true).expect("keep-alive");
        outln!("keep-alive: {:?}", sock.get_keep_alive_enabled());
        outln!("zero hop limit: {:?}", sock.set_hop_limit(0));

        let (mut tx, rx) = wit_stream::new();
        let sent = sock.send(rx);
        let (data, received) = sock.receive();
        let writer = async move {
            assert!(tx.write_all(b"hello over tcp\n".to_vec()).await.is_empty());
            assert!(tx.write_all(b"second chunk\n".to_vec()).await.is_empty());
            drop(tx); // closes the sending half: a FIN
            sent.await
        };
        let reader = async move {
            let bytes = data.collect().await;
            (bytes, received.await)
        };
        let (sent, (bytes, received)) = futures::join!(writer, reader);
        outln!("echoed {} bytes: {:?}", bytes.len(), String::from_utf8(bytes).expect("utf-8"));
        outln!("send: {sent:?}, receive: {received:?}");
        let (again, again_done) = sock.receive();
        outln!("receive again: {} bytes, {:?}", again.collect().await.len(), again_done.await);
        drop(sock);

        // A port that was bound but never listened on refuses connections.
        let probe = TcpSocket::create(IpAddressFamily::Ipv4).expect("create");
        probe.bind(v4("127.0.0.1:0")).expect("bind");
        let port = port_of(&probe.get_local_address().expect("local"));
        drop(probe);
        let refused = TcpSocket::create(IpAddressFamily::Ipv4).expect("create");
        outln!("closed port: {:?}", refused.connect(v4(&format!("127.0.0.1:{port}"))).await);

        let v6 = TcpSocket::create(IpAddressFamily::Ipv6).expect("create ipv6");
        outln!("wrong family: {:?}", v6.connect(v4(&target)).await);
        let zero = TcpSocket::create(IpAddressFamily::Ipv4).expect("create");
        outln!("port 0: {:?}", zero.connect(v4("127.0.0.1:0")).await);
        let unbound = TcpSocket::create(IpAddressFamily::Ipv4).expect("create");
        let (_, not_connected) = unbound.receive();
        outln!("receive unconnected: {:?}", not_connected.await);
        outln!("tcp client ok");
        Ok(())
    }
}

wasip3::cli::command::export!(Run);
