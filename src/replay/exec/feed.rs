//! The source of a run: the planned ranges of the source topic from the
//! checkpoint on, read ahead in batches on a thread of its own, or the records
//! of a `dlq export` file.

use std::collections::BTreeMap;

use sha2::{Digest, Sha256};

use crate::error::{Error, Result};
use crate::kafka::{Kafka, OffsetRange};
use crate::replay::dlq_bridge::read_export_file;
use crate::replay::plan::Plan;
use crate::replay::record::SourceRecord;
use crate::replay::selection::Source;

/// What the source yields during a run.
pub(super) enum Feed {
    Topic(SourceReader),
    File {
        records: std::vec::IntoIter<SourceRecord>,
    },
}

/// Records per batch handed from the reading thread to the replay loop.
const BATCH: usize = 256;

/// A batch of records read ahead; `len` of `records` are filled.
#[derive(Default)]
struct Batch {
    records: Vec<SourceRecord>,
    len: usize,
}

/// The source topic read on a thread of its own, in batches, while the replay
/// loop judges and produces: reading (polling librdkafka and copying each record)
/// was about a third of the loop's time. Batches and their records' buffers go
/// back to the reader to be refilled, so nothing is allocated per record and
/// each buffer is freed by the thread that allocated it. Dropping the reader
/// stops the thread at its next batch.
pub(super) struct SourceReader {
    full: std::sync::mpsc::Receiver<Result<Batch>>,
    empty: std::sync::mpsc::SyncSender<Batch>,
    current: Batch,
    at: usize,
    done: bool,
}

impl SourceReader {
    fn spawn(mut stream: crate::kafka::RecordStream, topic: String) -> SourceReader {
        let (full_tx, full) = std::sync::mpsc::sync_channel::<Result<Batch>>(4);
        let (empty, empty_rx) = std::sync::mpsc::sync_channel::<Batch>(8);
        std::thread::spawn(move || loop {
            let mut batch = empty_rx.try_recv().unwrap_or_default();
            batch.len = 0;
            let mut end = false;
            while batch.len < BATCH {
                match stream.next_record() {
                    Ok(Some(m)) => {
                        if batch.records.len() == batch.len {
                            batch.records.push(SourceRecord::default());
                        }
                        batch.records[batch.len].fill_from_message(&topic, &m);
                        batch.len += 1;
                    }
                    Ok(None) => {
                        end = true;
                        break;
                    }
                    Err(e) => {
                        let _ = full_tx.send(Err(e));
                        return;
                    }
                }
            }
            // An empty batch means the end; a closed channel, that the loop is gone.
            if full_tx.send(Ok(batch)).is_err() || end {
                if end {
                    let _ = full_tx.send(Ok(Batch::default()));
                }
                return;
            }
        });
        SourceReader {
            full,
            empty,
            current: Batch::default(),
            at: 0,
            done: false,
        }
    }

    fn next_into(&mut self, rec: &mut SourceRecord) -> Result<bool> {
        while self.at >= self.current.len {
            if self.done {
                return Ok(false);
            }
            let next = match self.full.recv() {
                Ok(Ok(b)) => b,
                Ok(Err(e)) => {
                    self.done = true;
                    return Err(e);
                }
                Err(_) => {
                    // Gone without the end marker: it panicked. Not a complete read.
                    self.done = true;
                    return Err(Error::broker(
                        "the thread reading the source stopped unexpectedly",
                        Some("resume the replay; nothing is sent twice".into()),
                    ));
                }
            };
            let used = std::mem::replace(&mut self.current, next);
            // The reader may be gone or have enough spares: then the batch is dropped.
            let _ = self.empty.try_send(used);
            self.at = 0;
            if self.current.len == 0 {
                self.done = true;
                return Ok(false);
            }
        }
        // Swap, not copy: `rec`'s old buffers go back into the batch for reuse.
        std::mem::swap(rec, &mut self.current.records[self.at]);
        self.at += 1;
        Ok(true)
    }
}

impl Feed {
    /// Overwrite `rec` with the next record (reusing its buffers); false at the end.
    pub(super) fn next_into(&mut self, rec: &mut SourceRecord) -> Result<bool> {
        match self {
            Feed::Topic(reader) => reader.next_into(rec),
            Feed::File { records } => match records.next() {
                Some(r) => {
                    *rec = r;
                    Ok(true)
                }
                None => Ok(false),
            },
        }
    }
}

pub(super) fn open_feed(
    kafka: &Kafka,
    plan: &Plan,
    checkpoint: &BTreeMap<i32, i64>,
) -> Result<Feed> {
    match &plan.selection.source {
        Source::Topic { topic } => {
            let ranges: Vec<OffsetRange> = plan
                .ranges
                .iter()
                .map(|r| OffsetRange {
                    partition: r.partition,
                    start: checkpoint
                        .get(&r.partition)
                        .copied()
                        .unwrap_or(r.start)
                        .max(r.start),
                    end: r.end,
                })
                .filter(|r| !r.is_empty())
                .collect();
            if !ranges.is_empty() {
                let consumer = kafka.consumer(None)?;
                let ids: Vec<i32> = ranges.iter().map(|r| r.partition).collect();
                for w in kafka.watermarks(&consumer, topic, &ids)? {
                    let r = ranges
                        .iter()
                        .find(|r| r.partition == w.partition)
                        .expect("asked for");
                    if w.low > r.start {
                        return Err(Error::usage_hint(
                            format!(
                                "records {topic}[{}] {}..{} the plan needs were deleted (the log now starts at {})",
                                w.partition, r.start, r.end, w.low
                            ),
                            "re-plan: retention removed part of the planned range",
                        ));
                    }
                }
            }
            Ok(Feed::Topic(SourceReader::spawn(
                kafka.stream(topic, &ranges)?,
                topic.clone(),
            )))
        }
        Source::File { path } => {
            let bytes = std::fs::read(path).map_err(|e| Error::file("read", path, e))?;
            let sha = hex::encode(Sha256::digest(&bytes));
            if plan.source_file_sha256.as_deref().is_some_and(|s| s != sha) {
                return Err(Error::usage_hint(
                    format!("{} changed since the plan was made", path.display()),
                    "re-plan with the current file",
                ));
            }
            let next = checkpoint.get(&0).copied().unwrap_or(0);
            let records: Vec<SourceRecord> = read_export_file(path)?
                .into_iter()
                .filter(|r| r.offset >= next)
                .collect();
            Ok(Feed::File {
                records: records.into_iter(),
            })
        }
    }
}
