//! Records taken from librdkafka a batch at a time, through `rdkafka::bindings`.
//!
//! Why raw: rdkafka 0.39 hands out one record per `poll`, and each poll reads the
//! clock, wraps the record in a heap-allocated event and takes the queue lock
//! twice. At a million records that was a sixth of a scan's CPU time.
//! `rd_kafka_consume_batch_queue` takes hundreds of records per call instead.
//!
//! How: before the partitions are assigned, each one's fetch queue is forwarded to
//! a private queue ([`Batches`]), so that queue holds only records and per-partition
//! consumer errors (end of partition, offset out of range) of the partitions we
//! read. librdkafka's own events (logs, client errors) stay on the consumer's main
//! queue, which the owner still polls through rdkafka so they reach the client
//! context as before.
//!
//! Safety rules kept throughout (as in [`super::admin_ffi`]):
//! - every message taken is destroyed exactly once (its slot is nulled): when the
//!   next one is taken, or when [`Batches`] drops;
//! - the private queue must be destroyed while the consumer it was made from is
//!   alive. The types enforce it: [`Batches`] holds an `Arc` of that consumer, so
//!   the consumer cannot drop first, and its own `Drop` destroys the queue before
//!   its fields (that `Arc` among them) are dropped;
//! - a [`Record`] borrows the batch it came from, so it cannot outlive its message,
//!   and the batch cannot be refilled while a record is alive.
#![allow(unsafe_code)]

use std::ffi::{c_int, CStr, CString};
use std::marker::PhantomData;
use std::ptr;
use std::sync::Arc;
use std::time::Duration;

use rdkafka::bindings as rd;
use rdkafka::consumer::Consumer;
use rdkafka::message::{Header, Headers, Message, Timestamp};
use rdkafka::types::RDKafkaErrorCode;

use super::ClosingConsumer;

/// Messages asked for per call: enough that the cost of a call vanishes per
/// record (not tuned further).
const BATCH: usize = 512;

/// A private queue fed by the fetch queues of chosen partitions, and the batch
/// of messages last taken from it.
pub struct Batches {
    queue: *mut rd::rd_kafka_queue_t,
    taken: Vec<*mut rd::rd_kafka_message_t>,
    at: usize,
    /// The consumer the queue belongs to, kept alive until the queue is destroyed.
    consumer: Arc<ClosingConsumer>,
}

// SAFETY: the queue handle and messages are only used through `&mut self`, and
// librdkafka's queue and message APIs may be called from any thread; the
// consumer is `Send + Sync` itself.
unsafe impl Send for Batches {}

/// What [`Batches::take`] found.
pub enum Taken {
    /// A record: [`Batches::record`] reads it until the next `take`.
    Record {
        at: usize,
        partition: i32,
        offset: i64,
    },
    /// A consumer error for one partition (librdkafka reports the end of a
    /// partition this way too).
    Error {
        partition: i32,
        code: RDKafkaErrorCode,
    },
    /// Nothing arrived within the wait.
    Idle,
}

impl Batches {
    /// Route the records of `partitions` of `topic` to a new private queue. Call it
    /// before assigning them: librdkafka then keeps the route when it starts
    /// fetching (it never overrides a forward the application set). A partition
    /// routed before (to an earlier `Batches` of the same consumer) is routed
    /// here instead.
    pub fn route(
        consumer: Arc<ClosingConsumer>,
        topic: &str,
        partitions: &[i32],
    ) -> Option<Batches> {
        let rk = consumer.client().native_ptr();
        let name = CString::new(topic).ok()?;
        // SAFETY: rk is a live consumer handle; the Arc keeps it so.
        let queue = unsafe { rd::rd_kafka_queue_new(rk) };
        if queue.is_null() {
            return None;
        }
        let batches = Batches {
            queue,
            taken: Vec::with_capacity(BATCH),
            at: 0,
            consumer,
        };
        for &p in partitions {
            // SAFETY: rk is live, name is NUL-terminated; the partition handle is a
            // reference we release right after forwarding (the forward keeps its own).
            unsafe {
                let pq = rd::rd_kafka_queue_get_partition(rk, name.as_ptr(), p);
                if pq.is_null() {
                    return None;
                }
                rd::rd_kafka_queue_forward(pq, queue);
                rd::rd_kafka_queue_destroy(pq);
            }
        }
        Some(batches)
    }

    /// The consumer whose partitions this queue holds (to assign, pause and
    /// serve its own queue).
    pub fn consumer(&self) -> &ClosingConsumer {
        &self.consumer
    }

    /// The next message, waiting up to `wait` for a new batch when this one is
    /// used up. (An index rather than a borrowed record, so a caller may loop past
    /// errors and records it skips before it borrows the one it returns.)
    pub fn take(&mut self, wait: Duration) -> Taken {
        // The message handed out last is done with: destroy it now rather than
        // with its batch, so its memory (parsed headers included) is freed before
        // the next is parsed and is reused at once by the allocator. Freeing a
        // whole batch at a time made every allocation take malloc's slow path.
        if self.at > 0 {
            self.destroy(self.at - 1);
        }
        if self.at >= self.taken.len() {
            self.refill(wait);
            if self.taken.is_empty() {
                return Taken::Idle;
            }
        }
        let at = self.at;
        self.at += 1;
        // SAFETY: the message was returned by librdkafka and is destroyed only by a
        // later `take` or by drop, both of which need `&mut self`.
        let m = unsafe { &*self.taken[at] };
        if m.err != rd::rd_kafka_resp_err_t::RD_KAFKA_RESP_ERR_NO_ERROR {
            return Taken::Error {
                partition: m.partition,
                code: m.err.into(),
            };
        }
        Taken::Record {
            at,
            partition: m.partition,
            offset: m.offset,
        }
    }

    /// The record `take` reported at `at`, valid until the next `take`.
    pub fn record(&self, at: usize) -> Record<'_> {
        let ptr = self.taken[at];
        // Only the message taken last is handed out, and it is still alive.
        assert!(
            !ptr.is_null(),
            "record {at} of the batch was already released"
        );
        Record {
            ptr,
            _batch: PhantomData,
        }
    }

    fn refill(&mut self, wait: Duration) {
        self.release();
        let ms = c_int::try_from(wait.as_millis()).unwrap_or(c_int::MAX);
        // SAFETY: the queue is live; `taken` has room for BATCH pointers, and
        // librdkafka writes at most that many and returns how many it wrote.
        let n = unsafe {
            rd::rd_kafka_consume_batch_queue(self.queue, ms, self.taken.as_mut_ptr(), BATCH)
        };
        // SAFETY: the first n slots were written just now (n is -1 on error).
        unsafe { self.taken.set_len(usize::try_from(n).unwrap_or(0)) };
    }

    /// Destroy message `i` of the current batch, once.
    fn destroy(&mut self, i: usize) {
        let m = std::mem::replace(&mut self.taken[i], ptr::null_mut());
        if !m.is_null() {
            // SAFETY: a live message from librdkafka, nulled above so it is destroyed
            // once; no Record borrows it (`&mut self`).
            unsafe { rd::rd_kafka_message_destroy(m) };
        }
    }

    /// Destroy what is left of the current batch.
    fn release(&mut self) {
        for i in 0..self.taken.len() {
            self.destroy(i);
        }
        self.taken.clear();
        self.at = 0;
    }
}

impl Drop for Batches {
    fn drop(&mut self) {
        self.release();
        // SAFETY: the queue was created by us and is destroyed once, while the
        // consumer is still alive: `self.consumer` is dropped only after this
        // returns (see the module docs). Records fetched after this are dropped by
        // librdkafka, as for any disabled queue.
        unsafe { rd::rd_kafka_queue_destroy(self.queue) };
    }
}

/// One record of a batch, read in place.
pub struct Record<'a> {
    ptr: *const rd::rd_kafka_message_t,
    _batch: PhantomData<&'a Batches>,
}

impl Record<'_> {
    fn raw(&self) -> &rd::rd_kafka_message_t {
        // SAFETY: the message lives as long as the batch this record borrows.
        unsafe { &*self.ptr }
    }
}

fn slice<'a>(ptr: *const std::ffi::c_void, len: usize) -> Option<&'a [u8]> {
    if ptr.is_null() {
        None
    } else {
        // SAFETY: librdkafka guarantees `len` readable bytes at a non-null pointer.
        Some(unsafe { std::slice::from_raw_parts(ptr.cast::<u8>(), len) })
    }
}

impl<'a> Message for Record<'a> {
    type Headers = RecordHeaders;

    fn key(&self) -> Option<&[u8]> {
        let m = self.raw();
        slice(m.key, m.key_len)
    }

    fn payload(&self) -> Option<&[u8]> {
        let m = self.raw();
        slice(m.payload, m.len)
    }

    unsafe fn payload_mut(&mut self) -> Option<&mut [u8]> {
        // Records are read, never changed in place.
        None
    }

    fn topic(&self) -> &str {
        // SAFETY: rkt is the message's live topic handle; its name is NUL-terminated.
        unsafe {
            let name = rd::rd_kafka_topic_name(self.raw().rkt);
            if name.is_null() {
                return "";
            }
            CStr::from_ptr(name).to_str().unwrap_or("")
        }
    }

    fn partition(&self) -> i32 {
        self.raw().partition
    }

    fn offset(&self) -> i64 {
        self.raw().offset
    }

    fn timestamp(&self) -> Timestamp {
        let mut kind = rd::rd_kafka_timestamp_type_t::RD_KAFKA_TIMESTAMP_NOT_AVAILABLE;
        // SAFETY: the message is live; librdkafka writes the type through the pointer.
        let ts = unsafe { rd::rd_kafka_message_timestamp(self.ptr, &mut kind) };
        if ts == -1 {
            return Timestamp::NotAvailable;
        }
        match kind {
            rd::rd_kafka_timestamp_type_t::RD_KAFKA_TIMESTAMP_CREATE_TIME => {
                Timestamp::CreateTime(ts)
            }
            rd::rd_kafka_timestamp_type_t::RD_KAFKA_TIMESTAMP_LOG_APPEND_TIME => {
                Timestamp::LogAppendTime(ts)
            }
            rd::rd_kafka_timestamp_type_t::RD_KAFKA_TIMESTAMP_NOT_AVAILABLE => {
                Timestamp::NotAvailable
            }
        }
    }

    fn headers(&self) -> Option<&RecordHeaders> {
        let mut hdrs: *mut rd::rd_kafka_headers_t = ptr::null_mut();
        // SAFETY: the message is live; librdkafka parses its headers once and keeps
        // them with the message, so the list lives as long as the record.
        let err = unsafe { rd::rd_kafka_message_headers(self.ptr, &mut hdrs) };
        if err != rd::rd_kafka_resp_err_t::RD_KAFKA_RESP_ERR_NO_ERROR || hdrs.is_null() {
            return None;
        }
        // SAFETY: RecordHeaders is a zero-sized stand-in for the librdkafka list: a
        // reference to it is the list's address and is only read back as such.
        Some(unsafe { &*(hdrs as *const RecordHeaders) })
    }
}

/// How [`RecordHeaders::try_get`] starts its panic message for a header name
/// that is not UTF-8 (the `Headers` trait has no way to return that case).
pub const NON_UTF8_HEADER_NAME: &str = "kafka header name is not UTF-8";

/// The headers of a [`Record`], read in place from librdkafka's list.
pub struct RecordHeaders {
    _opaque: [u8; 0],
}

impl RecordHeaders {
    fn raw(&self) -> *const rd::rd_kafka_headers_t {
        (self as *const RecordHeaders).cast()
    }
}

impl Headers for RecordHeaders {
    fn count(&self) -> usize {
        // SAFETY: see `Record::headers`.
        unsafe { rd::rd_kafka_header_cnt(self.raw()) }
    }

    /// Panics on a header name that is not UTF-8, as rdkafka's own headers do:
    /// callers that read untrusted records catch that and count the header.
    fn try_get(&self, idx: usize) -> Option<Header<'_, &[u8]>> {
        let mut name = ptr::null();
        let mut value = ptr::null();
        let mut size = 0usize;
        // SAFETY: see `Record::headers`; librdkafka writes the three out-pointers.
        let err = unsafe {
            rd::rd_kafka_header_get_all(self.raw(), idx, &mut name, &mut value, &mut size)
        };
        if err != rd::rd_kafka_resp_err_t::RD_KAFKA_RESP_ERR_NO_ERROR {
            return None;
        }
        // SAFETY: header names are NUL-terminated and live with the list.
        let key = match unsafe { CStr::from_ptr(name) }.to_str() {
            Ok(k) => k,
            Err(e) => panic!("{NON_UTF8_HEADER_NAME}: {e}"),
        };
        Some(Header {
            key,
            value: slice(value, size),
        })
    }
}
