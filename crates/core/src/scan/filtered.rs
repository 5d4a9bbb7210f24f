//! [`Filtered`]: any analysis, fed only the records a [`RecordFilter`]
//! admits (how `logs audit` and `logs templates` take the same record
//! filters as `check`). When the filter is set it also counts the records
//! it admitted and notes what the input holds, so filters that leave
//! nothing are an error that says what was there, never an empty report.

use super::{Analysis, Location, ScanOutcome};
use crate::inventory::InventoryAcc;
use crate::record::{Record, RecordFilter};
use crate::signatures::Hit;

/// `inner`, seeing only the records `filter` admits.
pub struct Filtered<'a, A> {
    pub filter: &'a RecordFilter,
    pub inner: &'a A,
}

/// What the filter let through, and what the input holds (both kept only
/// when the filter is set).
#[derive(Debug, Default)]
pub struct FilterTally {
    pub admitted: u64,
    pub inventory: InventoryAcc,
}

impl<A: Analysis> Analysis for Filtered<'_, A> {
    type Partial = (A::Partial, FilterTally);

    fn partial(&self) -> Self::Partial {
        (self.inner.partial(), FilterTally::default())
    }

    fn decode_all(&self) -> bool {
        self.inner.decode_all() || self.filter.is_set()
    }

    fn record(&self, partial: &mut Self::Partial, rec: &Record<'_>, hits: &[Hit], at: Location) {
        if !self.filter.is_set() {
            return self.inner.record(&mut partial.0, rec, hits, at);
        }
        partial.1.inventory.add(rec);
        if self.filter.admits(rec) {
            partial.1.admitted += 1;
            self.inner.record(&mut partial.0, rec, hits, at);
        }
    }

    fn merge(&self, into: &mut Self::Partial, later: Self::Partial) {
        self.inner.merge(&mut into.0, later.0);
        into.1.admitted += later.1.admitted;
        into.1.inventory.merge(later.1.inventory);
    }
}

impl<P> ScanOutcome<(P, FilterTally)> {
    /// The inner analysis's outcome, and the filter's tally.
    pub fn split(self) -> (ScanOutcome<P>, FilterTally) {
        let ScanOutcome {
            inputs,
            partial: (inner, tally),
            line_bases,
        } = self;
        (
            ScanOutcome {
                inputs,
                partial: inner,
                line_bases,
            },
            tally,
        )
    }
}
