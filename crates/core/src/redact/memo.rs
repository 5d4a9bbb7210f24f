//! [`Memo`]: the redacted samples of fields that repeat across records (a
//! route, a user agent, a deployment), each redacted once.
//!
//! A scan gives each chunk its own memo, with no lock on the way of a
//! record. Behind them, one table shared by every memo of the process holds
//! what any of them redacted: a large export's chunks see the same few
//! texts, and redacting a user agent costs thousands of instructions. A
//! client address is new on almost every request and always becomes
//! `[ip]`: it is neither looked up nor kept.

use std::sync::{Arc, LazyLock, Mutex, PoisonError};

use super::{is_ipv4, sample};

/// [`sample`] with a memory of the texts it has seen: each distinct text is
/// redacted once, and kept once (shared). The memory holds at most
/// [`Memo::MAX_TEXTS`] short texts; others are redacted each time.
#[derive(Debug, Clone)]
pub struct Memo {
    max: usize,
    /// Texts come from the logs: a seeded hash, faster than SipHash and as
    /// hard to collide on purpose.
    seen: foldhash::HashMap<Box<str>, Arc<str>>,
    /// What every bare IPv4 address becomes, once one was seen.
    ip: Option<Arc<str>>,
}

/// The samples every memo made, by their length bound, then by text.
type Shared = foldhash::HashMap<usize, foldhash::HashMap<Box<str>, Arc<str>>>;

static SHARED: LazyLock<Mutex<Shared>> = LazyLock::new(Mutex::default);

impl Memo {
    /// Most texts remembered (by each memo, and by the shared table for
    /// each length bound).
    pub const MAX_TEXTS: usize = 4096;

    /// A memo of samples at most `max` characters long.
    pub fn new(max: usize) -> Self {
        Memo {
            max,
            seen: foldhash::HashMap::default(),
            ip: None,
        }
    }

    /// The same text as `sample(text, max)`.
    pub fn sample(&mut self, text: &str) -> Arc<str> {
        if let Some(done) = self.seen.get(text) {
            return done.clone();
        }
        if is_ipv4(text) {
            let max = self.max;
            return self
                .ip
                .get_or_insert_with(|| sample(text, max).into())
                .clone();
        }
        if text.len() > 4 * self.max {
            return sample(text, self.max).into();
        }
        let done = shared(text, self.max);
        if self.seen.len() < Self::MAX_TEXTS {
            self.seen.insert(text.into(), done.clone());
        }
        done
    }
}

/// `sample(text, max)` from the shared table, or made (outside the lock)
/// and added to it.
fn shared(text: &str, max: usize) -> Arc<str> {
    let lock = || SHARED.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some(done) = lock().get(&max).and_then(|texts| texts.get(text)) {
        return done.clone();
    }
    let done: Arc<str> = sample(text, max).into();
    let mut table = lock();
    let texts = table.entry(max).or_default();
    if texts.len() < Memo::MAX_TEXTS {
        texts.entry(text.into()).or_insert_with(|| done.clone());
    }
    done
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn memo_gives_what_sample_gives() {
        let mut memo = Memo::new(12);
        let texts = [
            "GET",
            "ip 203.0.113.7 x",
            "GET",
            "ip 203.0.113.7 x",
            "a long text of many words",
            "203.0.113.7",
            "198.51.100.23",
            "x".repeat(49).leak(),
        ];
        for s in texts {
            assert_eq!(*memo.sample(s), sample(s, 12), "{s}");
        }
        // Addresses and texts past four times the bound are not kept.
        assert_eq!(memo.seen.len(), 3);
        // A second memo finds them in the shared table, and a memo with
        // another bound does not mix its samples with these.
        let mut other = Memo::new(12);
        let mut shorter = Memo::new(4);
        for s in texts {
            assert_eq!(*other.sample(s), sample(s, 12), "{s}");
            assert_eq!(*shorter.sample(s), sample(s, 4), "{s}");
        }
        let table = SHARED.lock().unwrap();
        assert!(table[&12].contains_key("a long text of many words"));
        assert!(!table[&12].contains_key("203.0.113.7"));
    }
}
