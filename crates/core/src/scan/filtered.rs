//! [`Filtered`]: any analysis, fed only the records a [`RecordFilter`]
//! admits (how `logs templates` takes the same record filters as `check`).

use super::{Analysis, Location};
use crate::record::{Record, RecordFilter};
use crate::signatures::Hit;

/// `inner`, seeing only the records `filter` admits.
pub struct Filtered<'a, A> {
    pub filter: &'a RecordFilter,
    pub inner: &'a A,
}

impl<A: Analysis> Analysis for Filtered<'_, A> {
    type Partial = A::Partial;

    fn partial(&self) -> A::Partial {
        self.inner.partial()
    }

    fn decode_all(&self) -> bool {
        self.inner.decode_all()
    }

    fn record(&self, partial: &mut A::Partial, rec: &Record<'_>, hits: &[Hit], at: Location) {
        if self.filter.admits(rec) {
            self.inner.record(partial, rec, hits, at);
        }
    }

    fn merge(&self, into: &mut A::Partial, later: A::Partial) {
        self.inner.merge(into, later);
    }
}
