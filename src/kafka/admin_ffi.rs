//! The admin calls rdkafka 0.39's safe API lacks, made directly on librdkafka 2.12
//! through `rdkafka::bindings`: `rd_kafka_ListConsumerGroupOffsets` (committed
//! offsets), `rd_kafka_ListConsumerGroups` (ListGroups, with state) and
//! `rd_kafka_DescribeConsumerGroups` (state, members) for lag, and
//! `rd_kafka_DescribeTopics` (the operations this client may perform on a topic) for
//! the replay's check that its destination is writable, and
//! `rd_kafka_AlterConsumerGroupOffsets` (OffsetCommit as an admin, outside the
//! group) for `replay rewind`. Callers use the safe methods on [`Kafka`] at the end
//! of this file.
//!
//! Why raw: rdkafka 0.39's safe API does not cover them. Its `AdminClient`
//! (`src/admin.rs`) wraps topic, partition, record, config and group deletion
//! calls only, none of these three. What remains is the consumer API:
//! `Consumer::committed_offsets` asks for the consumer's own `group.id`, so
//! committed offsets of 1,000 groups would take 1,000 clients; and
//! `fetch_group_list` is librdkafka's legacy `rd_kafka_list_groups`, which lists
//! and then describes every group on every broker in one blocking call. Here
//! librdkafka accepts one group per ListConsumerGroupOffsets request, so we
//! pipeline: every request is enqueued on one client with its own index as the
//! event opaque, up to `max_in_flight` at once, and results are collected from one
//! private queue.
//!
//! Safety rules kept throughout (mirroring rdkafka's own `src/admin.rs`):
//! - every librdkafka object we create is owned by an RAII guard and destroyed on
//!   every path (queue, options, topic-partition lists, request objects, events);
//! - librdkafka copies request arguments and options when a call is made, so our
//!   guards may drop right after it;
//! - result strings and arrays belong to their event: they are copied into owned
//!   Rust values before the event is destroyed;
//! - the opaque is an index, never a pointer, so a late or stray event cannot make
//!   us dereference anything; events for unknown indexes are dropped;
//! - the client (`&Client`) outlives every call: the borrow spans the whole function,
//!   and a request still in flight when we give up only holds a librdkafka
//!   reference on the queue, which librdkafka releases itself.
#![allow(unsafe_code)]

use std::ffi::{c_char, c_int, c_void, CStr, CString};
use std::ptr;
use std::time::{Duration, Instant};

use rdkafka::bindings as rd;
use rdkafka::client::{Client, ClientContext};
use rdkafka::consumer::Consumer;
use rdkafka::types::RDKafkaErrorCode;

use super::{ClosingConsumer, Kafka};
use crate::error::Error;

/// An error librdkafka reported for a request, a group, or a partition.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AdminError {
    code: RDKafkaErrorCode,
    pub message: String,
}

impl AdminError {
    /// The broker lacks the API or this version of it (librdkafka's mock
    /// cluster and some proxies have no ListGroups or DescribeGroups).
    pub fn is_unsupported(&self) -> bool {
        matches!(
            self.code,
            RDKafkaErrorCode::UnsupportedVersion
                | RDKafkaErrorCode::UnsupportedFeature
                | RDKafkaErrorCode::InvalidRequest
        )
    }

    /// The group coordinator refused an offset commit from outside the group
    /// because the group has members (or is rebalancing): what a real broker
    /// answers AlterConsumerGroupOffsets for a group that is not empty.
    pub fn is_group_active(&self) -> bool {
        matches!(
            self.code,
            RDKafkaErrorCode::NonEmptyGroup
                | RDKafkaErrorCode::UnknownMemberId
                | RDKafkaErrorCode::RebalanceInProgress
                | RDKafkaErrorCode::IllegalGeneration
                | RDKafkaErrorCode::StaleMemberEpoch
                | RDKafkaErrorCode::FencedMemberEpoch
        )
    }

    /// The broker dropped the connection instead of answering (Tansu does so for
    /// DescribeGroups, which it lacks).
    pub fn is_dropped_connection(&self) -> bool {
        self.code == RDKafkaErrorCode::BrokerTransportFailure
    }

    /// The coordinator does not know the group (DescribeGroups on Kafka 4;
    /// Tansu's answer too).
    pub fn is_unknown_group(&self) -> bool {
        self.code == RDKafkaErrorCode::GroupIdNotFound
    }

    fn new(code: RDKafkaErrorCode, message: impl Into<String>) -> Self {
        AdminError {
            code,
            message: message.into(),
        }
    }
}

impl std::fmt::Display for AdminError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.message.is_empty() {
            write!(f, "{}", self.code)
        } else {
            write!(f, "{}", self.message)
        }
    }
}

/// Which committed offsets to ask one group for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OffsetsQuery {
    pub group: String,
    /// `None`: every partition the group committed (real brokers only; the
    /// librdkafka mock cluster answers nothing unless partitions are named).
    pub partitions: Option<Vec<(String, i32)>>,
}

/// A committed offset as the coordinator reported it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Committed {
    pub topic: String,
    pub partition: i32,
    /// `None`: the group has no committed offset here.
    pub offset: Option<i64>,
    pub error: Option<AdminError>,
}

/// A group from ListGroups.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ListedGroup {
    pub group: String,
    /// `None` when the broker reported the state as unknown.
    pub state: Option<String>,
}

/// The answer to ListGroups: the groups found and the brokers that failed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ListedGroups {
    pub groups: Vec<ListedGroup>,
    pub errors: Vec<AdminError>,
}

/// Each group's description, or why it could not be described.
pub type Described = Vec<(String, Result<Description, AdminError>)>;

/// State and member count of one group from DescribeGroups.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Description {
    pub state: Option<String>,
    pub members: u32,
}

impl Description {
    /// Kafka describes a group it does not know as `Dead`.
    pub fn is_dead(&self) -> bool {
        self.state.as_deref() == Some("Dead")
    }
}

// ---------------------------------------------------------------------------
// RAII guards

struct Queue(*mut rd::rd_kafka_queue_t);

impl Drop for Queue {
    fn drop(&mut self) {
        // SAFETY: created by rd_kafka_queue_new, destroyed exactly once here.
        unsafe { rd::rd_kafka_queue_destroy(self.0) }
    }
}

struct Options(*mut rd::rd_kafka_AdminOptions_t);

impl Options {
    fn new(
        rk: *mut rd::rd_kafka_t,
        op: rd::rd_kafka_admin_op_t,
        timeout: Duration,
        opaque: usize,
    ) -> Result<Self, AdminError> {
        // SAFETY: rk is a live client handle (see the module doc).
        let p = unsafe { rd::rd_kafka_AdminOptions_new(rk, op) };
        if p.is_null() {
            return Err(AdminError::new(
                RDKafkaErrorCode::InvalidArgument,
                "cannot create admin options",
            ));
        }
        let opts = Options(p);
        let ms = c_int::try_from(timeout.as_millis()).unwrap_or(c_int::MAX);
        let mut errstr = [0 as c_char; 256];
        // SAFETY: opts.0 is valid; errstr is a writable buffer of the given size.
        let err = unsafe {
            rd::rd_kafka_AdminOptions_set_request_timeout(
                opts.0,
                ms,
                errstr.as_mut_ptr(),
                errstr.len(),
            )
        };
        if err != rd::rd_kafka_resp_err_t::RD_KAFKA_RESP_ERR_NO_ERROR {
            // SAFETY: librdkafka NUL-terminates errstr within its size.
            let msg = unsafe { CStr::from_ptr(errstr.as_ptr()) }
                .to_string_lossy()
                .into_owned();
            return Err(AdminError::new(err.into(), msg));
        }
        // SAFETY: the opaque is an integer tag, never dereferenced by anyone.
        unsafe { rd::rd_kafka_AdminOptions_set_opaque(opts.0, opaque as *mut c_void) };
        Ok(opts)
    }
}

impl Drop for Options {
    fn drop(&mut self) {
        // SAFETY: created by rd_kafka_AdminOptions_new; librdkafka copied it on use.
        unsafe { rd::rd_kafka_AdminOptions_destroy(self.0) }
    }
}

struct PartitionList(*mut rd::rd_kafka_topic_partition_list_t);

impl Drop for PartitionList {
    fn drop(&mut self) {
        // SAFETY: created by rd_kafka_topic_partition_list_new, destroyed once.
        unsafe { rd::rd_kafka_topic_partition_list_destroy(self.0) }
    }
}

struct OffsetsRequest(*mut rd::rd_kafka_ListConsumerGroupOffsets_t);

impl Drop for OffsetsRequest {
    fn drop(&mut self) {
        // SAFETY: created by rd_kafka_ListConsumerGroupOffsets_new; the call copied it.
        unsafe { rd::rd_kafka_ListConsumerGroupOffsets_destroy(self.0) }
    }
}

struct Event(*mut rd::rd_kafka_event_t);

impl Drop for Event {
    fn drop(&mut self) {
        // SAFETY: returned by rd_kafka_queue_poll, owned by us, destroyed once.
        unsafe { rd::rd_kafka_event_destroy(self.0) }
    }
}

impl Event {
    fn kind(&self) -> rd::rd_kafka_event_type_t {
        // SAFETY: self.0 is a live event.
        unsafe { rd::rd_kafka_event_type(self.0) }
    }

    fn opaque(&self) -> usize {
        // SAFETY: self.0 is a live event; the opaque is our integer tag.
        unsafe { rd::rd_kafka_event_opaque(self.0) as usize }
    }

    /// The request-level error, if any.
    fn error(&self) -> Option<AdminError> {
        // SAFETY: self.0 is a live event; the string lives as long as the event.
        unsafe {
            let err = rd::rd_kafka_event_error(self.0);
            if err == rd::rd_kafka_resp_err_t::RD_KAFKA_RESP_ERR_NO_ERROR {
                return None;
            }
            let msg = cstr(rd::rd_kafka_event_error_string(self.0)).unwrap_or_default();
            Some(AdminError::new(err.into(), msg))
        }
    }
}

/// Copy a C string librdkafka owns; `None` for NULL.
///
/// # Safety
/// `p` is NULL or a valid NUL-terminated string alive for the call.
unsafe fn cstr(p: *const c_char) -> Option<String> {
    if p.is_null() {
        None
    } else {
        Some(CStr::from_ptr(p).to_string_lossy().into_owned())
    }
}

/// Copy an `rd_kafka_error_t` librdkafka owns; `None` for NULL.
///
/// # Safety
/// `e` is NULL or a valid error object alive for the call.
unsafe fn admin_error(e: *const rd::rd_kafka_error_t) -> Option<AdminError> {
    if e.is_null() {
        return None;
    }
    let code = rd::rd_kafka_error_code(e);
    let msg = cstr(rd::rd_kafka_error_string(e)).unwrap_or_default();
    Some(AdminError::new(code.into(), msg))
}

fn c_string(s: &str, what: &str) -> Result<CString, AdminError> {
    CString::new(s).map_err(|_| {
        AdminError::new(
            RDKafkaErrorCode::InvalidArgument,
            format!("{what} '{s}' contains a NUL byte"),
        )
    })
}

// ---------------------------------------------------------------------------
// The pipelining driver

/// Issue `n` requests with at most `max_in_flight` outstanding on one private
/// queue, and collect each result by its index. `issue(i, queue, opaque)` makes the
/// librdkafka call for request `i`; `parse` reads a result event before it is
/// destroyed. Gives up when no result arrives for `timeout` plus a grace period
/// (each request also carries `timeout` as its own request timeout).
fn drive<T>(
    rk: *mut rd::rd_kafka_t,
    n: usize,
    max_in_flight: usize,
    expected_event: c_int,
    timeout: Duration,
    mut issue: impl FnMut(usize, *mut rd::rd_kafka_queue_t, usize) -> Result<(), AdminError>,
    mut parse: impl FnMut(&Event) -> T,
) -> Result<Vec<T>, AdminError> {
    let mut results: Vec<Option<T>> = (0..n).map(|_| None).collect();
    if n == 0 {
        return Ok(Vec::new());
    }
    // SAFETY: rk is a live client handle for the whole call.
    let q = unsafe { rd::rd_kafka_queue_new(rk) };
    if q.is_null() {
        return Err(AdminError::new(
            RDKafkaErrorCode::Fail,
            "cannot create a librdkafka queue",
        ));
    }
    let queue = Queue(q);
    let stall_limit = timeout + Duration::from_secs(5);
    let (mut next, mut in_flight, mut done) = (0usize, 0usize, 0usize);
    let mut last_progress = Instant::now();
    while done < n {
        while in_flight < max_in_flight.max(1) && next < n {
            // Opaque 0 would read as NULL; tag with index + 1.
            issue(next, queue.0, next + 1)?;
            next += 1;
            in_flight += 1;
        }
        // SAFETY: queue.0 is live; a non-NULL event is ours to destroy (Event guard).
        let ev = unsafe { rd::rd_kafka_queue_poll(queue.0, 100) };
        if ev.is_null() {
            if last_progress.elapsed() > stall_limit {
                return Err(AdminError::new(
                    RDKafkaErrorCode::OperationTimedOut,
                    format!(
                        "{} of {n} requests got no answer within {}",
                        n - done,
                        humantime::format_duration(stall_limit)
                    ),
                ));
            }
            continue;
        }
        let ev = Event(ev);
        if ev.kind() != expected_event {
            continue;
        }
        let tag = ev.opaque();
        let Some(slot) = tag.checked_sub(1).and_then(|i| results.get_mut(i)) else {
            continue;
        };
        if slot.is_some() {
            continue;
        }
        *slot = Some(parse(&ev));
        in_flight -= 1;
        done += 1;
        last_progress = Instant::now();
    }
    Ok(results
        .into_iter()
        .map(|r| r.expect("every slot filled"))
        .collect())
}

// ---------------------------------------------------------------------------
// ListConsumerGroupOffsets

/// Committed offsets of many groups through one client: one OffsetFetch request per
/// group, `max_in_flight` at a time. The outer error is a failure of the whole
/// batch; each group carries its own result.
fn list_group_offsets<C: ClientContext>(
    client: &Client<C>,
    queries: &[OffsetsQuery],
    max_in_flight: usize,
    timeout: Duration,
) -> Result<Vec<Result<Vec<Committed>, AdminError>>, AdminError> {
    // Convert every name up front: a NUL byte is a usage problem, found before any I/O.
    let mut prepared = Vec::with_capacity(queries.len());
    for q in queries {
        let group = c_string(&q.group, "group")?;
        let parts = match &q.partitions {
            None => None,
            Some(ps) => Some(
                ps.iter()
                    .map(|(t, p)| Ok((c_string(t, "topic")?, *p)))
                    .collect::<Result<Vec<_>, AdminError>>()?,
            ),
        };
        prepared.push((group, parts));
    }
    let rk = client.native_ptr();
    drive(
        rk,
        prepared.len(),
        max_in_flight,
        rd::RD_KAFKA_EVENT_LISTCONSUMERGROUPOFFSETS_RESULT,
        timeout,
        |i, queue, opaque| {
            let (group, parts) = &prepared[i];
            let list = match parts {
                // librdkafka rejects an empty list; an empty selection never gets here.
                Some(ps) if !ps.is_empty() => {
                    let cap = c_int::try_from(ps.len()).unwrap_or(c_int::MAX);
                    // SAFETY: plain constructor; the guard destroys it.
                    let l = PartitionList(unsafe { rd::rd_kafka_topic_partition_list_new(cap) });
                    for (t, p) in ps {
                        // SAFETY: l.0 is live; t is NUL-terminated; the list copies it.
                        unsafe { rd::rd_kafka_topic_partition_list_add(l.0, t.as_ptr(), *p) };
                    }
                    Some(l)
                }
                _ => None,
            };
            let list_ptr = list.as_ref().map_or(ptr::null(), |l| l.0 as *const _);
            // SAFETY: group is NUL-terminated; list_ptr is NULL or live; both are copied.
            let req = OffsetsRequest(unsafe {
                rd::rd_kafka_ListConsumerGroupOffsets_new(group.as_ptr(), list_ptr)
            });
            let opts = Options::new(
                rk,
                rd::rd_kafka_admin_op_t::RD_KAFKA_ADMIN_OP_LISTCONSUMERGROUPOFFSETS,
                timeout,
                opaque,
            )?;
            let mut reqs = [req.0];
            // SAFETY: rk, opts and queue are live; librdkafka copies the request and
            // options before returning, so the guards may drop afterwards.
            unsafe {
                rd::rd_kafka_ListConsumerGroupOffsets(rk, reqs.as_mut_ptr(), 1, opts.0, queue)
            };
            Ok(())
        },
        parse_offsets,
    )
}

fn parse_offsets(ev: &Event) -> Result<Vec<Committed>, AdminError> {
    if let Some(e) = ev.error() {
        return Err(e);
    }
    // SAFETY: ev is a live LISTCONSUMERGROUPOFFSETS_RESULT event; everything read here
    // belongs to it and is copied before it is destroyed.
    unsafe {
        let res = rd::rd_kafka_event_ListConsumerGroupOffsets_result(ev.0);
        if res.is_null() {
            return Err(AdminError::new(
                RDKafkaErrorCode::Fail,
                "not a ListConsumerGroupOffsets result",
            ));
        }
        let mut cnt = 0usize;
        let groups = rd::rd_kafka_ListConsumerGroupOffsets_result_groups(res, &mut cnt);
        if groups.is_null() || cnt == 0 {
            return Ok(Vec::new());
        }
        group_partitions(*groups)
    }
}

/// The partitions of one group result, with their offsets and errors.
///
/// # Safety
/// `g` is a live group result belonging to an event alive for the call.
unsafe fn group_partitions(
    g: *const rd::rd_kafka_group_result_t,
) -> Result<Vec<Committed>, AdminError> {
    if let Some(e) = admin_error(rd::rd_kafka_group_result_error(g)) {
        return Err(e);
    }
    let parts = rd::rd_kafka_group_result_partitions(g);
    if parts.is_null() {
        return Ok(Vec::new());
    }
    let list = &*parts;
    let elems: &[rd::rd_kafka_topic_partition_t] = if list.cnt <= 0 || list.elems.is_null() {
        &[]
    } else {
        std::slice::from_raw_parts(list.elems, list.cnt as usize)
    };
    Ok(elems
        .iter()
        .map(|e| {
            let error = (e.err != rd::rd_kafka_resp_err_t::RD_KAFKA_RESP_ERR_NO_ERROR).then(|| {
                let code: RDKafkaErrorCode = e.err.into();
                AdminError::new(code, code.to_string())
            });
            Committed {
                topic: cstr(e.topic).unwrap_or_default(),
                partition: e.partition,
                offset: (e.offset >= 0).then_some(e.offset),
                error,
            }
        })
        .collect())
}

// ---------------------------------------------------------------------------
// ListConsumerGroups

/// Every consumer group on the cluster (ListGroups to every broker), with state.
fn list_groups<C: ClientContext>(
    client: &Client<C>,
    timeout: Duration,
) -> Result<ListedGroups, AdminError> {
    let rk = client.native_ptr();
    let mut out = drive(
        rk,
        1,
        1,
        rd::RD_KAFKA_EVENT_LISTCONSUMERGROUPS_RESULT,
        timeout,
        |_, queue, opaque| {
            let opts = Options::new(
                rk,
                rd::rd_kafka_admin_op_t::RD_KAFKA_ADMIN_OP_LISTCONSUMERGROUPS,
                timeout,
                opaque,
            )?;
            // SAFETY: rk, opts and queue are live; options are copied.
            unsafe { rd::rd_kafka_ListConsumerGroups(rk, opts.0, queue) };
            Ok(())
        },
        parse_listing,
    )?;
    out.pop().expect("one request, one result")
}

fn parse_listing(ev: &Event) -> Result<ListedGroups, AdminError> {
    if let Some(e) = ev.error() {
        return Err(e);
    }
    // SAFETY: ev is a live LISTCONSUMERGROUPS_RESULT event; its arrays and strings are
    // copied before it is destroyed.
    unsafe {
        let res = rd::rd_kafka_event_ListConsumerGroups_result(ev.0);
        if res.is_null() {
            return Err(AdminError::new(
                RDKafkaErrorCode::Fail,
                "not a ListConsumerGroups result",
            ));
        }
        let mut out = ListedGroups::default();
        let mut cnt = 0usize;
        let valid = rd::rd_kafka_ListConsumerGroups_result_valid(res, &mut cnt);
        if !valid.is_null() {
            for &g in std::slice::from_raw_parts(valid, cnt) {
                let Some(name) = cstr(rd::rd_kafka_ConsumerGroupListing_group_id(g)) else {
                    continue;
                };
                let state = rd::rd_kafka_ConsumerGroupListing_state(g);
                out.groups.push(ListedGroup {
                    group: name,
                    state: state_name(state),
                });
            }
        }
        let mut ecnt = 0usize;
        let errors = rd::rd_kafka_ListConsumerGroups_result_errors(res, &mut ecnt);
        if !errors.is_null() {
            for &e in std::slice::from_raw_parts(errors, ecnt) {
                out.errors.extend(admin_error(e));
            }
        }
        Ok(out)
    }
}

fn state_name(state: rd::rd_kafka_consumer_group_state_t) -> Option<String> {
    if state == rd::rd_kafka_consumer_group_state_t::RD_KAFKA_CONSUMER_GROUP_STATE_UNKNOWN {
        return None;
    }
    // SAFETY: returns a static string for any state value.
    unsafe { cstr(rd::rd_kafka_consumer_group_state_name(state)) }
}

// ---------------------------------------------------------------------------
// DescribeConsumerGroups

/// State and member count of each group, `chunk` groups per request, pipelined.
fn describe_groups<C: ClientContext>(
    client: &Client<C>,
    groups: &[String],
    chunk: usize,
    timeout: Duration,
) -> Result<Described, AdminError> {
    let names: Vec<CString> = groups
        .iter()
        .map(|g| c_string(g, "group"))
        .collect::<Result<_, _>>()?;
    let chunks: Vec<&[CString]> = names.chunks(chunk.max(1)).collect();
    let rk = client.native_ptr();
    let per_chunk = drive(
        rk,
        chunks.len(),
        8,
        rd::RD_KAFKA_EVENT_DESCRIBECONSUMERGROUPS_RESULT,
        timeout,
        |i, queue, opaque| {
            let mut ptrs: Vec<*const c_char> = chunks[i].iter().map(|c| c.as_ptr()).collect();
            let opts = Options::new(
                rk,
                rd::rd_kafka_admin_op_t::RD_KAFKA_ADMIN_OP_DESCRIBECONSUMERGROUPS,
                timeout,
                opaque,
            )?;
            // SAFETY: the names outlive the call and are copied by librdkafka, as are
            // the options; rk and queue are live.
            unsafe {
                rd::rd_kafka_DescribeConsumerGroups(
                    rk,
                    ptrs.as_mut_ptr(),
                    ptrs.len(),
                    opts.0,
                    queue,
                )
            };
            Ok(())
        },
        parse_descriptions,
    )?;
    let mut out = Vec::with_capacity(groups.len());
    for (chunk_names, result) in chunks.iter().zip(per_chunk) {
        match result {
            Ok(found) => out.extend(found),
            // A failed request fails each of its groups, so callers still see every group.
            Err(e) => out.extend(
                chunk_names
                    .iter()
                    .map(|n| (n.to_string_lossy().into_owned(), Err(e.clone()))),
            ),
        }
    }
    Ok(out)
}

fn parse_descriptions(ev: &Event) -> Result<Described, AdminError> {
    if let Some(e) = ev.error() {
        return Err(e);
    }
    // SAFETY: ev is a live DESCRIBECONSUMERGROUPS_RESULT event; everything is copied
    // before it is destroyed.
    unsafe {
        let res = rd::rd_kafka_event_DescribeConsumerGroups_result(ev.0);
        if res.is_null() {
            return Err(AdminError::new(
                RDKafkaErrorCode::Fail,
                "not a DescribeConsumerGroups result",
            ));
        }
        let mut cnt = 0usize;
        let descs = rd::rd_kafka_DescribeConsumerGroups_result_groups(res, &mut cnt);
        if descs.is_null() {
            return Ok(Vec::new());
        }
        Ok(std::slice::from_raw_parts(descs, cnt)
            .iter()
            .map(|&d| {
                let name =
                    cstr(rd::rd_kafka_ConsumerGroupDescription_group_id(d)).unwrap_or_default();
                let result = match admin_error(rd::rd_kafka_ConsumerGroupDescription_error(d)) {
                    Some(e) => Err(e),
                    None => Ok(Description {
                        state: state_name(rd::rd_kafka_ConsumerGroupDescription_state(d)),
                        members: u32::try_from(rd::rd_kafka_ConsumerGroupDescription_member_count(
                            d,
                        ))
                        .unwrap_or(u32::MAX),
                    }),
                };
                (name, result)
            })
            .collect())
    }
}

// ---------------------------------------------------------------------------
// DescribeTopics (authorised operations)

struct TopicCollection(*mut rd::rd_kafka_TopicCollection_t);

impl Drop for TopicCollection {
    fn drop(&mut self) {
        // SAFETY: created by rd_kafka_TopicCollection_of_topic_names, destroyed once;
        // the call copied it.
        unsafe { rd::rd_kafka_TopicCollection_destroy(self.0) }
    }
}

/// The ACL operations (librdkafka's `rd_kafka_AclOperation_t` values, e.g. 4 for
/// WRITE) this client may perform on `topic`, from DescribeTopics with authorised
/// operations (KIP-430); `None` when the broker does not report them.
fn topic_operations<C: ClientContext>(
    client: &Client<C>,
    topic: &str,
    timeout: Duration,
) -> Result<Option<Vec<i32>>, AdminError> {
    let name = c_string(topic, "topic")?;
    let rk = client.native_ptr();
    let mut results = drive(
        rk,
        1,
        1,
        rd::RD_KAFKA_EVENT_DESCRIBETOPICS_RESULT,
        timeout,
        |_, queue, opaque| {
            let mut ptrs = [name.as_ptr()];
            // SAFETY: the name outlives the call; librdkafka copies it.
            let topics = TopicCollection(unsafe {
                rd::rd_kafka_TopicCollection_of_topic_names(ptrs.as_mut_ptr(), ptrs.len())
            });
            let opts = Options::new(
                rk,
                rd::rd_kafka_admin_op_t::RD_KAFKA_ADMIN_OP_DESCRIBETOPICS,
                timeout,
                opaque,
            )?;
            // SAFETY: opts.0 is valid; a returned error is ours to destroy.
            unsafe {
                let err = rd::rd_kafka_AdminOptions_set_include_authorized_operations(opts.0, 1);
                if let Some(e) = admin_error(err) {
                    rd::rd_kafka_error_destroy(err);
                    return Err(e);
                }
                rd::rd_kafka_DescribeTopics(rk, topics.0, opts.0, queue);
            }
            Ok(())
        },
        parse_topic_operations,
    )?;
    results.pop().expect("one result")
}

fn parse_topic_operations(ev: &Event) -> Result<Option<Vec<i32>>, AdminError> {
    if let Some(e) = ev.error() {
        return Err(e);
    }
    // SAFETY: ev is a live DESCRIBETOPICS_RESULT event; everything is copied before it
    // is destroyed. The operations are read as plain integers, not as the Rust enum,
    // so a value this binding does not know cannot be misread.
    unsafe {
        let res = rd::rd_kafka_event_DescribeTopics_result(ev.0);
        if res.is_null() {
            return Err(AdminError::new(
                RDKafkaErrorCode::Fail,
                "not a DescribeTopics result",
            ));
        }
        let mut cnt = 0usize;
        let descs = rd::rd_kafka_DescribeTopics_result_topics(res, &mut cnt);
        if descs.is_null() || cnt == 0 {
            return Ok(None);
        }
        let d = *descs;
        if let Some(e) = admin_error(rd::rd_kafka_TopicDescription_error(d)) {
            return Err(e);
        }
        let mut n = 0usize;
        let ops = rd::rd_kafka_TopicDescription_authorized_operations(d, &mut n);
        if ops.is_null() {
            return Ok(None);
        }
        Ok(Some(
            std::slice::from_raw_parts(ops.cast::<c_int>(), n).to_vec(),
        ))
    }
}

// ---------------------------------------------------------------------------
// AlterConsumerGroupOffsets

struct AlterRequest(*mut rd::rd_kafka_AlterConsumerGroupOffsets_t);

impl Drop for AlterRequest {
    fn drop(&mut self) {
        // SAFETY: created by rd_kafka_AlterConsumerGroupOffsets_new; the call copied it.
        unsafe { rd::rd_kafka_AlterConsumerGroupOffsets_destroy(self.0) }
    }
}

/// Commit `offsets` (topic, partition, offset) for `group` from outside it: one
/// OffsetCommit to the group's coordinator. The outer error fails the request;
/// each partition carries the coordinator's answer.
fn alter_group_offsets<C: ClientContext>(
    client: &Client<C>,
    group: &str,
    offsets: &[(String, i32, i64)],
    timeout: Duration,
) -> Result<Vec<Committed>, AdminError> {
    let group = c_string(group, "group")?;
    let parts = offsets
        .iter()
        .map(|(t, p, o)| Ok((c_string(t, "topic")?, *p, *o)))
        .collect::<Result<Vec<_>, AdminError>>()?;
    let rk = client.native_ptr();
    let mut results = drive(
        rk,
        1,
        1,
        rd::RD_KAFKA_EVENT_ALTERCONSUMERGROUPOFFSETS_RESULT,
        timeout,
        |_, queue, opaque| {
            let cap = c_int::try_from(parts.len()).unwrap_or(c_int::MAX);
            // SAFETY: plain constructor; the guard destroys it.
            let list = PartitionList(unsafe { rd::rd_kafka_topic_partition_list_new(cap) });
            for (t, p, o) in &parts {
                // SAFETY: list.0 is live; t is NUL-terminated and copied; the returned
                // element belongs to the list and is written before the list is used.
                unsafe {
                    let e = rd::rd_kafka_topic_partition_list_add(list.0, t.as_ptr(), *p);
                    (*e).offset = *o;
                }
            }
            // SAFETY: group is NUL-terminated; the list is live; both are copied.
            let req = AlterRequest(unsafe {
                rd::rd_kafka_AlterConsumerGroupOffsets_new(group.as_ptr(), list.0)
            });
            let opts = Options::new(
                rk,
                rd::rd_kafka_admin_op_t::RD_KAFKA_ADMIN_OP_ALTERCONSUMERGROUPOFFSETS,
                timeout,
                opaque,
            )?;
            let mut reqs = [req.0];
            // SAFETY: rk, opts and queue are live; librdkafka copies the request and
            // options before returning, so the guards may drop afterwards.
            unsafe {
                rd::rd_kafka_AlterConsumerGroupOffsets(rk, reqs.as_mut_ptr(), 1, opts.0, queue)
            };
            Ok(())
        },
        parse_altered,
    )?;
    results.pop().expect("one request, one result")
}

fn parse_altered(ev: &Event) -> Result<Vec<Committed>, AdminError> {
    if let Some(e) = ev.error() {
        return Err(e);
    }
    // SAFETY: ev is a live ALTERCONSUMERGROUPOFFSETS_RESULT event; everything read
    // here belongs to it and is copied before it is destroyed.
    unsafe {
        let res = rd::rd_kafka_event_AlterConsumerGroupOffsets_result(ev.0);
        if res.is_null() {
            return Err(AdminError::new(
                RDKafkaErrorCode::Fail,
                "not an AlterConsumerGroupOffsets result",
            ));
        }
        let mut cnt = 0usize;
        let groups = rd::rd_kafka_AlterConsumerGroupOffsets_result_groups(res, &mut cnt);
        if groups.is_null() || cnt == 0 {
            return Ok(Vec::new());
        }
        group_partitions(*groups)
    }
}

// ---------------------------------------------------------------------------
// The safe surface

impl Kafka {
    /// Committed offsets of many groups through one client (from
    /// [`Kafka::admin_client`]): one OffsetFetch request per group, at most
    /// `max_in_flight` at a time. The outer error fails the whole batch; each
    /// group carries its own result, in the order of `queries`.
    pub fn committed_offsets(
        &self,
        client: &ClosingConsumer,
        queries: &[OffsetsQuery],
        max_in_flight: usize,
    ) -> Result<Vec<Result<Vec<Committed>, AdminError>>, AdminError> {
        list_group_offsets(client.client(), queries, max_in_flight, self.timeout())
    }

    /// Every consumer group on the cluster (ListGroups to every broker), with
    /// its state, and the brokers that failed to answer.
    pub fn list_groups(&self, client: &ClosingConsumer) -> Result<ListedGroups, AdminError> {
        list_groups(client.client(), self.timeout())
    }

    /// State and member count of each group, `chunk` groups per
    /// DescribeGroups request, pipelined.
    pub fn describe_groups(
        &self,
        client: &ClosingConsumer,
        groups: &[String],
        chunk: usize,
    ) -> Result<Described, AdminError> {
        describe_groups(client.client(), groups, chunk, self.timeout())
    }

    /// The ACL operations (librdkafka's `rd_kafka_AclOperation_t` values, e.g. 4 for
    /// WRITE) this client may perform on `topic`; `None` when the broker does not
    /// report them.
    pub fn topic_operations(
        &self,
        client: &ClosingConsumer,
        topic: &str,
    ) -> Result<Option<Vec<i32>>, AdminError> {
        topic_operations(client.client(), topic, self.timeout())
    }

    /// Whether this client may write to `topic` (WRITE or ALL among its authorised
    /// operations); `None` when the broker does not say or the question failed.
    pub fn may_write(&self, client: &ClosingConsumer, topic: &str) -> Option<bool> {
        // librdkafka's RD_KAFKA_ACL_OPERATION_ALL and _WRITE.
        const ALL: i32 = 2;
        const WRITE: i32 = 4;
        match self.topic_operations(client, topic) {
            Ok(Some(ops)) => Some(ops.contains(&WRITE) || ops.contains(&ALL)),
            _ => None,
        }
    }

    /// Commit `offsets` (topic, partition, offset) for `group` from outside the
    /// group (AlterConsumerGroupOffsets, an OffsetCommit without a member id):
    /// a real coordinator accepts it only while the group has no members. Each
    /// partition carries its own answer ([`AdminError::is_group_active`] for a
    /// group that is not empty).
    pub fn alter_group_offsets(
        &self,
        client: &ClosingConsumer,
        group: &str,
        offsets: &[(String, i32, i64)],
    ) -> Result<Vec<Committed>, AdminError> {
        alter_group_offsets(client.client(), group, offsets, self.timeout())
    }

    /// Map an admin error to a typed error with a hint, as [`Kafka::classify`].
    pub fn classify_admin(
        &self,
        e: &AdminError,
        op: super::Op,
        what: &str,
        client: &ClosingConsumer,
    ) -> Error {
        self.classify_code(e.code, op, &format!("{what} ({e})"), client.context())
    }
}
