//! Loopback addresses for tests: one where nothing answers (connectivity errors), one
//! free for a child process to listen on, and the socket helpers that hold a port.

use std::time::{Duration, Instant};

/// A loopback address nobody listens on, reserved for as long as the value lives: the
/// socket is bound but never listens, so connections are refused, and no parallel
/// test's listener (or outgoing connection) can be handed the same port meanwhile.
pub struct DeadAddress {
    _socket: socket2::Socket,
    address: String,
}

impl std::ops::Deref for DeadAddress {
    type Target = str;
    fn deref(&self) -> &str {
        &self.address
    }
}

impl std::fmt::Display for DeadAddress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.address)
    }
}

pub fn dead_address() -> DeadAddress {
    let socket = bound_socket("127.0.0.1:0".parse().unwrap()).expect("bind a loopback port");
    let address = socket
        .local_addr()
        .unwrap()
        .as_socket()
        .unwrap()
        .to_string();
    DeadAddress {
        _socket: socket,
        address,
    }
}

/// A loopback address that was free a moment ago, for a child process to listen on.
pub fn free_address() -> String {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = l.local_addr().unwrap();
    drop(l);
    addr.to_string()
}

/// A TCP socket bound (SO_REUSEADDR, like librdkafka's mock listeners) but not listening.
pub(super) fn bound_socket(addr: std::net::SocketAddr) -> std::io::Result<socket2::Socket> {
    let socket = socket2::Socket::new(socket2::Domain::IPV4, socket2::Type::STREAM, None)?;
    socket.set_reuse_address(true)?;
    socket.bind(&addr.into())?;
    Ok(socket)
}

/// [`bound_socket`], retried every `step` until it succeeds or `limit` has passed.
pub(super) fn bind_within(
    addr: std::net::SocketAddr,
    limit: Duration,
    step: Duration,
) -> std::io::Result<socket2::Socket> {
    let deadline = Instant::now() + limit;
    loop {
        match bound_socket(addr) {
            Err(_) if Instant::now() < deadline => std::thread::sleep(step),
            result => return result,
        }
    }
}
