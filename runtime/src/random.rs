//! Randomness for idempotency tokens and retry jitter, without a crate of its own: the
//! operating system's CSPRNG through `getrandom` (the version rustls' `ring` already
//! uses), and std's randomly keyed hasher should the OS refuse.

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};

/// Fills `bytes` with random bytes.
pub(crate) fn fill(bytes: &mut [u8]) {
    if getrandom::getrandom(bytes).is_err() {
        for chunk in bytes.chunks_mut(8) {
            let word = fallback_u64().to_le_bytes();
            chunk.copy_from_slice(&word[..chunk.len()]);
        }
    }
}

/// A random UUIDv4 in its text form.
pub(crate) fn uuid_v4() -> String {
    let mut bytes = [0u8; 16];
    fill(&mut bytes);
    uuid_v4_text(bytes)
}

/// RFC 9562 version 4: the version nibble is 4, the variant bits are `10`.
pub(crate) fn uuid_v4_text(bytes: [u8; 16]) -> String {
    let text = uuid_v4_ascii(bytes);
    // Hex digits and hyphens: always UTF-8.
    std::str::from_utf8(&text)
        .map(str::to_owned)
        .unwrap_or_default()
}

/// The 36 characters of the UUID, written into a buffer (no growing string).
fn uuid_v4_ascii(mut bytes: [u8; 16]) -> [u8; 36] {
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut text = [b'-'; 36];
    let mut at = 0;
    for (i, byte) in bytes.iter().enumerate() {
        if matches!(i, 4 | 6 | 8 | 10) {
            at += 1; // the hyphen already there
        }
        text[at] = HEX[usize::from(byte >> 4)];
        text[at + 1] = HEX[usize::from(byte & 0x0f)];
        at += 2;
    }
    text
}

/// A uniformly random number in `[0, 1)`.
pub(crate) fn unit() -> f64 {
    let mut bytes = [0u8; 8];
    fill(&mut bytes);
    // The top 53 bits: every f64 in [0, 1) this can give is equally likely.
    (u64::from_le_bytes(bytes) >> 11) as f64 / (1u64 << 53) as f64
}

/// Unpredictable enough for uniqueness: std seeds each thread's hasher keys from the OS
/// and changes them for every `RandomState`; a counter keeps calls apart.
fn fallback_u64() -> u64 {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let mut hasher = RandomState::new().build_hasher();
    hasher.write_u64(COUNTER.fetch_add(1, Ordering::Relaxed));
    hasher.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unit_stays_in_range_and_varies() {
        let values: Vec<f64> = (0..1000).map(|_| unit()).collect();
        assert!(values.iter().all(|v| (0.0..1.0).contains(v)));
        let mean = values.iter().sum::<f64>() / values.len() as f64;
        assert!((0.4..0.6).contains(&mean), "mean {mean}");
    }

    #[test]
    fn the_fallback_differs_between_calls() {
        let values: std::collections::BTreeSet<u64> = (0..1000).map(|_| fallback_u64()).collect();
        assert_eq!(values.len(), 1000);
    }
}
