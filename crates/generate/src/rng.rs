//! SplitMix64 and string hashing: the generator's only sources of randomness.
//!
//! We carry our own ten-line PRNG instead of depending on `rand` because a
//! seed must produce byte-identical output forever: sample files, snapshot
//! tests and benchmark inputs are named by their seed, and `rand` is free to
//! change its algorithms and its value-to-range mappings between versions.
//! SplitMix64 (Steele, Lea and Flood, 2014) is tiny, fast and statistically
//! good enough for synthetic logs; every mapping below is ours to keep fixed.
//! Nothing here uses floating-point functions such as `ln`, whose last bit
//! may differ between platforms.

/// A seeded SplitMix64 generator.
#[derive(Debug, Clone)]
pub struct SplitMix64 {
    state: u64,
}

impl SplitMix64 {
    /// A generator whose whole future output is fixed by `seed`.
    pub fn new(seed: u64) -> Self {
        Self { state: seed }
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        mix(self.state)
    }

    /// Uniform in `0..n` by the multiply-high mapping; `0` when `n == 0`.
    pub fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u64
    }

    /// Uniform in `lo..=hi` (`lo` when `hi < lo`).
    pub fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.below(hi.saturating_sub(lo).saturating_add(1))
    }

    /// True with probability `p` (53 bits of resolution).
    pub fn chance(&mut self, p: f64) -> bool {
        let unit = (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
        unit < p
    }

    /// One element of a non-empty slice.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
}

pub use logs_core::hash::{hash_bytes, mix};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_first_outputs_never_change() {
        // Reference values of SplitMix64 for seed 1234567.
        let mut rng = SplitMix64::new(1_234_567);
        assert_eq!(rng.next_u64(), 6_457_827_717_110_365_317);
        assert_eq!(rng.next_u64(), 3_203_168_211_198_807_973);
    }

    #[test]
    fn below_and_range_stay_in_bounds() {
        let mut rng = SplitMix64::new(7);
        for _ in 0..10_000 {
            assert!(rng.below(10) < 10);
            let r = rng.range(5, 9);
            assert!((5..=9).contains(&r));
        }
        assert_eq!(rng.below(0), 0);
    }

    #[test]
    fn hash_is_stable() {
        assert_eq!(hash_bytes(b"abc"), hash_bytes(b"abc"));
        assert_ne!(hash_bytes(b"abc"), hash_bytes(b"abd"));
    }
}
