//! A UDP round trip over `wasi:sockets/types@0.3` with the echo peer named by
//! `WEFT_UDP_PEER` (`127.0.0.1:port`; it answers each datagram upper-cased): unbound
//! and unconnected errors, bind, `send` to an address, `receive` with the sender's
//! address, `connect`ed sends, a mismatched address, `disconnect`, an oversized
//! datagram, a second bind to a bound address, the local address of a socket bound to
//! 0.0.0.0 once connected.
use p3util::outln;
use wasip3::cli::environment;
use wasip3::sockets::types::{IpAddressFamily, IpSocketAddress, Ipv4SocketAddress, UdpSocket};

fn v4(s: &str) -> IpSocketAddress {
    let (ip, port) = s.rsplit_once(':').expect("ip:port");
    let o: Vec<u8> = ip.split('.').map(|p| p.parse().expect("octet")).collect();
    IpSocketAddress::Ipv4(Ipv4SocketAddress { port: port.parse().expect("port"), address: (o[0], o[1], o[2], o[3]) })
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
        let target = env.iter().find(|(k, _)| k == "WEFT_UDP_PEER").map(|(_, v)| v.clone()).expect("WEFT_UDP_PEER");
        let peer = || v4(&target);

        let sock = UdpSocket::create(IpAddressFamily::Ipv4).expect("create");
        outln!("receive unbound: {:?}", sock.receive().await.map(|_| ()));
        outln!("send without address: {:?}", sock.send(b"x".to_vec(), None).await);
        outln!("send to port 0: {:?}", sock.send(b"x".to_vec(), Some(v4("127.0.0.1:0"))).await);
        sock.bind(v4("127.0.0.1:0")).expect("bind");
        match sock.get_local_address().expect("local") {
            IpSocketAddress::Ipv4(a) => outln!("bound to {:?} (port nonzero: {})", a.address, a.port != 0),
            other => panic!("local address {other:?}"),
        }
        outln!("bind again: {:?}", sock.bind(v4("127.0.0.1:0")));
        let clash = UdpSocket::create(IpAddressFamily::Ipv4).expect("create");
        outln!("bind to a bound address: {:?}", clash.bind(sock.get_local_address().expect("local")));

        sock.send(b"ping".to_vec(), Some(peer())).await.expect("send");
        let (data, from) = sock.receive().await.expect("receive");
        outln!("reply {:?} from the peer: {}", String::from_utf8_lossy(&data), same(&from, &peer()));

        sock.connect(peer()).expect("connect");
        outln!("remote matches: {}", same(&sock.get_remote_address().expect("remote"), &peer()));
        sock.send(b"connected ping".to_vec(), None).await.expect("send connected");
        let (data, _) = sock.receive().await.expect("receive");
        outln!("connected reply {:?}", String::from_utf8_lossy(&data));
        outln!("other address while connected: {:?}", sock.send(b"x".to_vec(), Some(v4("127.0.0.1:9"))).await);
        sock.disconnect().expect("disconnect");
        outln!("remote after disconnect: {:?}", sock.get_remote_address().map(|_| ()));
        outln!("disconnect again: {:?}", sock.disconnect());
        outln!("too large: {:?}", sock.send(vec![0; 70000], Some(peer())).await);
        outln!("zero hop limit: {:?}", sock.set_unicast_hop_limit(0));

        // A socket that is never bound explicitly is bound by its first send.
        let implicit = UdpSocket::create(IpAddressFamily::Ipv4).expect("create");
        implicit.send(b"implicit".to_vec(), Some(peer())).await.expect("implicit send");
        let (data, _) = implicit.receive().await.expect("receive");
        outln!("implicit bind reply {:?}, has local address: {}", String::from_utf8_lossy(&data), implicit.get_local_address().is_ok());
        // Bound to 0.0.0.0, connected to the loopback peer: the local address is the
        // loopback interface's, as getsockname says after connect(2).
        let any = UdpSocket::create(IpAddressFamily::Ipv4).expect("create");
        any.bind(v4("0.0.0.0:0")).expect("bind any");
        any.connect(peer()).expect("connect");
        match any.get_local_address().expect("local") {
            IpSocketAddress::Ipv4(a) => outln!("connected from {:?}", a.address),
            other => panic!("local address {other:?}"),
        }
        outln!("udp ok");
        Ok(())
    }
}

wasip3::cli::command::export!(Run);
