//! `wasi:sockets/ip-name-lookup@0.3`: resolves `localhost` (must contain a loopback
//! address), IP literals (returned as they are), an empty and a malformed name
//! (`invalid-argument`) and a name under `.invalid` (an error; which one depends on
//! the resolver, so only stderr names it).
use p3util::{errln, outln};
use wasip3::sockets::ip_name_lookup::resolve_addresses;
use wasip3::sockets::types::IpAddress;

struct Run;

impl wasip3::exports::cli::run::Guest for Run {
    async fn run() -> Result<(), ()> {
        let local = resolve_addresses("localhost".to_string()).await.expect("localhost");
        let loopback = local.iter().any(|a| matches!(a, IpAddress::Ipv4((127, _, _, _)) | IpAddress::Ipv6((0, 0, 0, 0, 0, 0, 0, 1))));
        outln!("localhost: {} addresses, loopback: {}", if local.is_empty() { "no" } else { "some" }, loopback);
        outln!("127.0.0.1: {:?}", resolve_addresses("127.0.0.1".to_string()).await);
        outln!("::1: {:?}", resolve_addresses("::1".to_string()).await);
        outln!("empty: {:?}", resolve_addresses(String::new()).await);
        outln!("malformed: {:?}", resolve_addresses("not a name!".to_string()).await);
        let missing = resolve_addresses("no-such-host.invalid".to_string()).await;
        errln!("no-such-host.invalid: {missing:?}");
        outln!("unknown name fails: {}", missing.is_err());
        outln!("name lookup ok");
        Ok(())
    }
}

wasip3::cli::command::export!(Run);
