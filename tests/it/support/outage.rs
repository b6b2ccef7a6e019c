//! Taking a mock broker down and bringing it back without librdkafka aborting the
//! test process when the freed port is reused.

use std::time::Duration;

use super::address::bind_within;
use super::Broker;

impl Broker {
    /// Take mock broker `id` down (see [`Outage`]); only for single-broker clusters,
    /// whose bootstrap address is that broker's listener.
    pub fn outage(&self, id: i32) -> Outage<'_> {
        let cluster = self.cluster().expect("outage needs the mock cluster");
        assert!(
            !self.bootstrap().contains(','),
            "outage() needs a single-broker mock cluster"
        );
        let port: std::net::SocketAddr = self.bootstrap().parse().expect("loopback address");
        cluster.broker_down(id).unwrap();
        // librdkafka closes the listener on its own thread: retry briefly until the
        // port can be taken.
        let placeholder = bind_within(port, Duration::from_secs(5), Duration::from_millis(5)).ok();
        Outage {
            broker: self,
            id,
            port,
            placeholder,
        }
    }
}

/// A mock broker taken down with [`Broker::outage`]; [`Outage::end`] brings it back.
///
/// librdkafka closes a downed mock broker's listener and binds the same port again on
/// "up", aborting the whole test process if that port was handed to someone else in
/// between (a parallel test's mock listener, an outgoing connection). So while the
/// broker is down its port is held by a bound, non-listening socket (connections are
/// still refused, as they would be by a dead broker), released just before "up".
pub struct Outage<'a> {
    broker: &'a Broker,
    id: i32,
    port: std::net::SocketAddr,
    placeholder: Option<socket2::Socket>,
}

impl Outage<'_> {
    pub fn end(mut self) {
        self.placeholder = None;
        // A listener other than ours cannot appear on the port while we held it, but
        // an outgoing connection that started before the broker went down might still
        // hold it: wait for it to go rather than let librdkafka abort.
        if let Err(e) = bind_within(
            self.port,
            Duration::from_secs(30),
            Duration::from_millis(50),
        ) {
            panic!("mock broker port {} stayed busy: {e}", self.port);
        }
        self.broker
            .cluster()
            .expect("outage on a mock cluster")
            .broker_up(self.id)
            .unwrap();
    }
}
