//! [`Share`]: which requests a pass over the input folds, narrowed as the
//! memory it takes reaches a budget.
//!
//! A request's outcome depends on all its lines, and an export is not in
//! time order, so a request is folded until the input ends. To stay within
//! a budget on any input, `logs rollback` reads a large input in passes:
//! each folds the requests whose id hashes into its share, counts them
//! ([`super::Counts`]), and drops them. A pass starts with its whole share;
//! when what it folded reaches the budget, the share is halved (the half
//! whose next hash bit is 1 is left for a later pass, and its requests
//! folded so far are dropped). Every request is thus folded whole in
//! exactly one pass, whenever the halving happens, and the counts are the
//! same as those of a single pass. An input that fits is read once.

use std::hash::BuildHasher;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};

/// Halvings at most: a share is at least 2⁻³² of the requests.
const MAX_LEVEL: u32 = 32;

/// The requests one pass folds: those whose hash, in its lowest `level`
/// bits, equals `residue`.
#[derive(Debug, Clone)]
pub struct Share {
    state: Arc<State>,
    /// The bits the share started with.
    start_level: u32,
    residue: u64,
}

#[derive(Debug)]
struct State {
    /// Bits of the hash that now decide (`start_level` and up).
    level: AtomicU32,
    /// Bytes folded in this pass, roughly.
    bytes: AtomicU64,
    /// `u64::MAX`: no budget (a stream, read once).
    budget: u64,
    /// One seed for every pass of a run: a request falls into the same
    /// share each time.
    hasher: foldhash::fast::RandomState,
}

impl Default for Share {
    fn default() -> Self {
        Share::with_budget(u64::MAX)
    }
}

impl Share {
    /// Every request, for a first pass within `budget` bytes.
    pub fn with_budget(budget: u64) -> Self {
        Share {
            state: Arc::new(State {
                level: AtomicU32::new(0),
                bytes: AtomicU64::new(0),
                budget,
                hasher: foldhash::fast::RandomState::default(),
            }),
            start_level: 0,
            residue: 0,
        }
    }

    /// Every request, with no budget: an input read once (a stream).
    pub fn whole() -> Self {
        Share::default()
    }

    /// The bits of the hash that decide now.
    pub fn level(&self) -> u32 {
        self.state.level.load(Ordering::Relaxed)
    }

    /// Whether the share was halved in this pass.
    pub fn narrowed(&self) -> bool {
        self.level() > self.start_level
    }

    /// Whether the request of `id` (or, without one, the one-line request
    /// read at `at`) is in the share.
    pub fn holds(&self, id: Option<&[u8]>, at: u64) -> bool {
        let level = self.level();
        if level == 0 {
            return true;
        }
        let hash = match id {
            Some(id) => self.state.hasher.hash_one(id),
            None => self.state.hasher.hash_one(at),
        };
        hash & ((1u64 << level) - 1) == self.residue
    }

    /// Notes `bytes` more folded; halves the share when the budget is
    /// reached (about half of what was folded is then let go).
    pub fn charge(&self, bytes: u64) {
        let state = &self.state;
        let total = state.bytes.fetch_add(bytes, Ordering::Relaxed) + bytes;
        if total < state.budget {
            return;
        }
        let level = state.level.load(Ordering::Relaxed);
        if level < MAX_LEVEL
            && (state.level)
                .compare_exchange(level, level + 1, Ordering::Relaxed, Ordering::Relaxed)
                .is_ok()
        {
            state.bytes.store(total / 2, Ordering::Relaxed);
        }
    }

    /// The shares split off this one during its pass, each for a later
    /// pass with a fresh budget.
    pub fn left_over(&self) -> Vec<Share> {
        (self.start_level..self.level())
            .map(|bit| Share {
                state: Arc::new(State {
                    level: AtomicU32::new(bit + 1),
                    bytes: AtomicU64::new(0),
                    budget: self.state.budget,
                    hasher: self.state.hasher.clone(),
                }),
                start_level: bit + 1,
                residue: self.residue | (1 << bit),
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// However often shares are halved, every request falls in exactly
    /// one of the shares of all the passes.
    #[test]
    fn passes_share_every_request_once() {
        let ids: Vec<String> = (0..2_000).map(|i| format!("req-{i}")).collect();
        let root = Share::with_budget(100);
        let mut pending = vec![root.clone()];
        let mut held = vec![0u32; ids.len()];
        let mut passes = 0;
        while let Some(share) = pending.pop() {
            passes += 1;
            for id in &ids {
                // Charged as it goes: halves several times in the first
                // passes, less once the shares are small.
                if share.holds(Some(id.as_bytes()), 0) {
                    share.charge(if passes < 4 { 3 } else { 1 });
                }
            }
            for (i, id) in ids.iter().enumerate() {
                held[i] += u32::from(share.holds(Some(id.as_bytes()), 0));
            }
            pending.extend(share.left_over());
        }
        assert!(passes > 4, "{passes} passes");
        assert!(held.iter().all(|&n| n == 1), "{held:?}");
        assert!(!Share::whole().narrowed());
    }
}
