//! The producer partitioners `--partitioner` names, reproduced bit for bit so a
//! plan can say which partition a key lives in (and read only that one) and so a
//! replay places keyed records where the original producer would have.
//!
//! - `murmur2`: the Java client's default, `Utils.toPositive(Utils.murmur2(key)) %
//!   numPartitions` (librdkafka's `murmur2` and `murmur2_random` agree).
//! - `crc32`: librdkafka's `consistent` partitioner, `crc32(key) % numPartitions`
//!   (also what `consistent_random` does for non-empty keys).

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Partitioner {
    Murmur2,
    Crc32,
}

impl Partitioner {
    pub fn name(self) -> &'static str {
        match self {
            Partitioner::Murmur2 => "murmur2",
            Partitioner::Crc32 => "crc32",
        }
    }

    /// The partition a key goes to on a topic with `partitions` partitions.
    pub fn partition(self, key: &[u8], partitions: usize) -> i32 {
        let n = partitions.max(1) as u64;
        let h = match self {
            Partitioner::Murmur2 => u64::from(to_positive(murmur2(key))),
            Partitioner::Crc32 => u64::from(crc32fast::hash(key)),
        };
        (h % n) as i32
    }
}

/// Java's `Utils.toPositive`: clear the sign bit (not `abs`, which overflows).
fn to_positive(h: i32) -> u32 {
    (h & 0x7fff_ffff) as u32
}

/// Kafka's murmur2 (`org.apache.kafka.common.utils.Utils.murmur2`), seed 0x9747b28c.
pub fn murmur2(data: &[u8]) -> i32 {
    const M: u32 = 0x5bd1_e995;
    const R: u32 = 24;
    let len = data.len();
    let mut h: u32 = 0x9747_b28c ^ (len as u32);
    let mut chunks = data.chunks_exact(4);
    for c in &mut chunks {
        let mut k = u32::from_le_bytes([c[0], c[1], c[2], c[3]]);
        k = k.wrapping_mul(M);
        k ^= k >> R;
        k = k.wrapping_mul(M);
        h = h.wrapping_mul(M);
        h ^= k;
    }
    let rest = chunks.remainder();
    if rest.len() >= 3 {
        h ^= u32::from(rest[2]) << 16;
    }
    if rest.len() >= 2 {
        h ^= u32::from(rest[1]) << 8;
    }
    if !rest.is_empty() {
        h ^= u32::from(rest[0]);
        h = h.wrapping_mul(M);
    }
    h ^= h >> 13;
    h = h.wrapping_mul(M);
    h ^= h >> 15;
    h as i32
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Vectors from Kafka's `UtilsTest.testMurmur2`.
    #[test]
    fn murmur2_matches_the_java_client() {
        let cases: &[(&[u8], i32)] = &[
            (b"21", -973_932_308),
            (b"foobar", -790_332_482),
            (b"a-little-bit-long-string", -985_981_536),
            (b"a-little-bit-longer-string", -1_486_304_829),
            (
                b"lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8",
                -58_897_971,
            ),
            (b"abc", 479_470_107),
        ];
        for (key, want) in cases {
            assert_eq!(murmur2(key), *want, "{}", String::from_utf8_lossy(key));
        }
    }

    #[test]
    fn partitions_follow_the_clients() {
        // toPositive(-973932308) = 1173551340; 1173551340 % 10 = 0, % 7 = 3.
        assert_eq!(Partitioner::Murmur2.partition(b"21", 10), 0);
        assert_eq!(
            Partitioner::Murmur2.partition(b"21", 7),
            (1_173_551_340u64 % 7) as i32
        );
        // crc32("123456789") is the classic check value 0xCBF43926.
        assert_eq!(
            Partitioner::Crc32.partition(b"123456789", 1000),
            (0xCBF4_3926u64 % 1000) as i32
        );
        for p in [1usize, 3, 12] {
            for k in [&b""[..], b"x", b"order-42"] {
                assert!((Partitioner::Murmur2.partition(k, p) as usize) < p);
                assert!((Partitioner::Crc32.partition(k, p) as usize) < p);
            }
        }
    }
}
