//! Ctrl-C and SIGTERM for long work (a replay, a DLQ scan): the one place that
//! installs the handlers, with one policy.
//!
//! - The first SIGINT or SIGTERM sets a [`Stop`] flag and wakes its waiters. The
//!   work stops at its next record and leaves a consistent result: a replay
//!   drains what is in flight (at most 10 s) and saves its checkpoint; a scan
//!   reports what it read as partial. The command then exits with 130.
//! - A second signal changes nothing. Tokio keeps its handler for the life of the
//!   process, so the default "die now" never comes back: a process cannot be
//!   killed by an impatient second Ctrl-C halfway through writing its checkpoint,
//!   and stopping is already bounded. SIGKILL still ends it at once; a replay
//!   killed that way is resumed from its last saved checkpoint, and nothing is
//!   sent twice.
//!
//! Handlers are installed on the Tokio runtime of the calling thread (a runtime
//! worker, the thread in `block_on`, or a `spawn_blocking` thread). Without a
//! runtime nothing is installed: the flag is never set and Ctrl-C keeps its
//! default meaning.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use tokio::sync::Notify;

/// Set once Ctrl-C or SIGTERM arrived; cheap to clone and to check per record.
#[derive(Clone, Default)]
pub struct Stop {
    flag: Arc<AtomicBool>,
    notify: Arc<Notify>,
}

/// One delivery of a signal (never, if its handler could not be installed).
#[cfg(unix)]
async fn recv(s: Option<&mut tokio::signal::unix::Signal>) {
    match s {
        Some(s) => {
            s.recv().await;
        }
        None => std::future::pending::<()>().await,
    }
}

impl Stop {
    /// Handlers are registered before this returns, so a signal arriving right
    /// after the first record is sent is already ours, not the default "die now".
    pub fn install() -> Self {
        let s = Stop::default();
        let Ok(runtime) = tokio::runtime::Handle::try_current() else {
            return s;
        };
        let c = s.clone();
        #[cfg(unix)]
        {
            use tokio::signal::unix::{signal, SignalKind};
            // `signal` needs the runtime's context, which a plain thread lacks.
            let _entered = runtime.enter();
            let mut int = signal(SignalKind::interrupt()).ok();
            let mut term = signal(SignalKind::terminate()).ok();
            runtime.spawn(async move {
                tokio::select! {
                    _ = recv(int.as_mut()) => {}
                    _ = recv(term.as_mut()) => {}
                }
                c.trigger();
            });
        }
        #[cfg(not(unix))]
        runtime.spawn(async move {
            if tokio::signal::ctrl_c().await.is_ok() {
                c.trigger();
            }
        });
        s
    }

    fn trigger(&self) {
        self.flag.store(true, Ordering::SeqCst);
        self.notify.notify_waiters();
    }

    pub fn stopped(&self) -> bool {
        self.flag.load(Ordering::SeqCst)
    }

    /// Resolves once stopped, at once if that already happened.
    pub async fn wait(&self) {
        let notified = self.notify.notified();
        tokio::pin!(notified);
        // Registered before the flag is read: a signal between the two still wakes us.
        notified.as_mut().enable();
        if self.stopped() {
            return;
        }
        notified.await;
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[test]
    fn a_wait_ends_on_a_stop_before_or_during_it() {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let s = Stop::default();
        assert!(!s.stopped());
        let during = s.clone();
        rt.block_on(async {
            tokio::spawn(async move {
                tokio::time::sleep(Duration::from_millis(20)).await;
                during.trigger();
            });
            tokio::time::timeout(Duration::from_secs(5), s.wait())
                .await
                .expect("woken by the stop");
        });
        assert!(s.stopped());
        // Already stopped: no wake-up is coming, and none is needed.
        rt.block_on(async {
            tokio::time::timeout(Duration::from_secs(5), s.wait())
                .await
                .expect("returns at once");
        });
    }
}
