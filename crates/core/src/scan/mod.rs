//! The scan engine: inputs → chunks → records → signature hits → an analysis.
//!
//! Each input is opened (memory-mapped, or streamed for gzip, pipes and
//! stdin), its format detected, and its bytes cut into chunks on record
//! boundaries. Chunks are framed, prefiltered, decoded and matched in
//! parallel on a rayon pool; each chunk feeds its own [`Analysis::Partial`],
//! and partials are merged in input order, so results are identical for any
//! number of threads.

mod chunk;
mod csv_chunk;
mod feed;
mod filtered;
mod mapped;
mod prepare;
mod progress;
mod stream;
mod tally;

use std::sync::Arc;

use crate::input::{Container, Damage, InputError, InputFormat, InputSpec};
use crate::record::{CsvColumns, Record, Shape};
use crate::signatures::{Hit, SignatureSet};

pub use feed::Feed;
pub use filtered::{FilterTally, Filtered};
pub use progress::{InputProgress, Progress, ProgressSink};

/// What an analysis does with records. Implementations never print.
pub trait Analysis: Sync {
    /// Per-chunk state, merged in input order.
    type Partial: Send;
    /// A fresh partial.
    fn partial(&self) -> Self::Partial;
    /// Whether every record must be decoded; otherwise only records whose
    /// bytes contain a signature anchor are.
    fn decode_all(&self) -> bool;
    /// Whether records without an anchor still need their time, deployment
    /// and environment (record filters, and what an input holds): they are
    /// then read with [`crate::record::decode_json_fields`], which skips
    /// every other field, and handed over with those fields only and no
    /// hits. Ignored when [`Analysis::decode_all`] is set.
    fn probe_all(&self) -> bool {
        false
    }
    /// One decoded record with its confirmed hits (possibly none).
    fn record(&self, partial: &mut Self::Partial, record: &Record<'_>, hits: &[Hit], at: Location);
    /// Folds `later` (the next chunk in input order) into `into`.
    fn merge(&self, into: &mut Self::Partial, later: Self::Partial);
}

/// Where a record was found. Resolve lines with [`ScanOutcome::line_of`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Location {
    /// Index of the input.
    pub input: u32,
    /// Index of the chunk within the input.
    pub chunk: u32,
    /// Newlines between the chunk start and the record.
    pub chunk_line: u64,
    /// Byte offset in the (decompressed) input.
    pub offset: u64,
}

impl Location {
    /// A number that orders records as they are read: by input, then
    /// offset (inputs up to 2⁴⁸ bytes; past the 65,535th input, the inputs
    /// share one number and order by offset).
    pub fn order(&self) -> u64 {
        (u64::from(self.input.min(0xFFFF)) << 48) | (self.offset & ((1 << 48) - 1))
    }
}

/// Engine settings.
#[derive(Clone)]
pub struct ScanSettings {
    /// Worker threads (`-j`); at least 1.
    pub threads: usize,
    /// Forced format (`--input-format`), else detected.
    pub format: Option<InputFormat>,
    /// Decode every record, whether or not it is a candidate (`--strict`
    /// validates the full JSON grammar of every record this way).
    pub validate_all: bool,
    /// Target chunk size in bytes.
    pub chunk_size: usize,
    /// Where progress goes (the caller decides: a bar on a terminal).
    pub progress: Option<Arc<dyn ProgressSink>>,
}

impl Default for ScanSettings {
    fn default() -> Self {
        ScanSettings {
            threads: std::thread::available_parallelism().map_or(1, |n| n.get()),
            format: None,
            validate_all: false,
            chunk_size: 4 << 20,
            progress: None,
        }
    }
}

/// A malformed record, for the report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MalformedSample {
    /// 1-based line.
    pub line: u64,
    /// Byte offset in the (decompressed) input.
    pub offset: u64,
    pub problem: String,
}

/// What happened to one input.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct InputSummary {
    pub name: String,
    pub container: Option<Container>,
    pub shape: Option<Shape>,
    pub gzip: bool,
    pub records: u64,
    pub malformed: u64,
    /// Records read after replacing invalid UTF-8 or lone surrogates with
    /// U+FFFD (a warning: they are matched, not dropped).
    pub repaired: u64,
    /// Bytes scanned (decompressed).
    pub bytes: u64,
    /// Newlines scanned: the input's line count when it ends with one.
    pub newlines: u64,
    /// The first few malformed records.
    pub malformed_samples: Vec<MalformedSample>,
    /// Damage that cut the input short (truncated gzip or array, a record
    /// over the maximum size).
    pub damage: Option<Damage>,
    /// The input could not be read at all.
    pub error: Option<Arc<InputError>>,
    /// What a copied-logs header said about the export.
    pub export: Option<crate::input::ExportHeader>,
}

/// Everything a scan produced.
pub struct ScanOutcome<P> {
    pub inputs: Vec<InputSummary>,
    pub partial: P,
    line_bases: Vec<Vec<u64>>,
}

impl<P> ScanOutcome<P> {
    /// The 1-based line of a location.
    pub fn line_of(&self, at: &Location) -> u64 {
        let base = self
            .line_bases
            .get(at.input as usize)
            .and_then(|b| b.get(at.chunk as usize))
            .copied()
            .unwrap_or(0);
        base + at.chunk_line + 1
    }

    /// Total records over all inputs.
    pub fn records(&self) -> u64 {
        self.inputs.iter().map(|i| i.records).sum()
    }

    /// Total malformed records over all inputs.
    pub fn malformed(&self) -> u64 {
        self.inputs.iter().map(|i| i.malformed).sum()
    }
}

/// How many malformed records each input reports in detail.
pub const MALFORMED_SAMPLES: usize = 5;

/// Shared, read-only context of one input's scan.
pub(crate) struct ChunkContext<'a, A: Analysis> {
    pub input: u32,
    pub signatures: &'a SignatureSet,
    pub analysis: &'a A,
    pub decode_all: bool,
    /// See [`Analysis::probe_all`].
    pub probe_all: bool,
    /// Records starting before this offset are decoded whatever they hold
    /// (to learn the shape, and to find out whether the input decodes at
    /// all): a rule of offsets, not of chunks, so that how an input is cut
    /// never changes what is decoded.
    pub decode_before: u64,
    pub csv: Option<Arc<CsvColumns>>,
    pub progress: &'a Progress,
}

/// The size from which a mapped input's prefilter is ordered for it
/// ([`SignatureSet::order_prefilter_for`]), and how much of its start is
/// looked at to do so.
const ORDER_PREFILTER_FROM: usize = 64 << 20;
const ORDER_SAMPLE: usize = 128 << 10;

/// Scans every input with `analysis`. Unreadable inputs are reported in
/// their summary and the scan goes on.
pub fn scan<A: Analysis>(
    specs: &[InputSpec],
    signatures: &SignatureSet,
    analysis: &A,
    settings: &ScanSettings,
) -> ScanOutcome<A::Partial> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(settings.threads.max(1))
        .thread_name(|i| format!("logs-scan-{i}"))
        .build();
    let mut outcome = ScanOutcome {
        inputs: Vec::new(),
        partial: analysis.partial(),
        line_bases: Vec::new(),
    };
    let pool = match pool {
        Ok(p) => p,
        Err(e) => {
            outcome.inputs = specs
                .iter()
                .map(|s| InputSummary {
                    name: s.display_name(),
                    error: Some(Arc::new(InputError::Internal {
                        path: s.display_name(),
                        what: format!("cannot start worker threads: {e}"),
                    })),
                    ..Default::default()
                })
                .collect();
            return outcome;
        }
    };
    for (i, spec) in specs.iter().enumerate() {
        let (summary, partial, bases) =
            pool.install(|| scan_one(i as u32, spec, signatures, analysis, settings));
        take_or_merge(analysis, &mut outcome.partial, i == 0, partial);
        outcome.inputs.push(summary);
        outcome.line_bases.push(bases);
    }
    outcome
}

/// Folds `later` into `into`; the `first` partial is taken as it is.
/// Merging into a new partial gives the same result but copies every entry
/// (a large input's partial holds thousands of requests), on one thread
/// while the others wait.
pub(crate) fn take_or_merge<A: Analysis>(
    analysis: &A,
    into: &mut A::Partial,
    first: bool,
    later: A::Partial,
) {
    if first {
        *into = later;
    } else {
        analysis.merge(into, later);
    }
}

fn scan_one<A: Analysis>(
    index: u32,
    spec: &InputSpec,
    signatures: &SignatureSet,
    analysis: &A,
    settings: &ScanSettings,
) -> (InputSummary, A::Partial, Vec<u64>) {
    let name = spec.display_name();
    let opened = match crate::input::open(spec) {
        Ok(o) => o,
        Err(e) => {
            let summary = InputSummary {
                name,
                error: Some(Arc::new(e)),
                ..Default::default()
            };
            return (summary, analysis.partial(), Vec::new());
        }
    };
    let gzip = opened.gzip;
    // Gzip sizes are compressed: a spinner instead of a bar for big ones.
    let size = opened
        .size
        .map(|s| if gzip && s >= 8 << 20 { u64::MAX } else { s });
    let progress = Progress::new(
        settings.progress.as_ref(),
        size.filter(|&s| s != u64::MAX),
        &name,
    );
    let (mut summary, partial, bases) = match opened.bytes {
        crate::input::InputBytes::Mapped(m) => {
            let bytes = m.bytes();
            // A large input's searcher is ordered for its bytes: a few
            // milliseconds that a smaller one would not win back.
            if bytes.len() >= ORDER_PREFILTER_FROM {
                signatures.order_prefilter_for(&bytes[..ORDER_SAMPLE]);
            }
            mapped::scan_mapped(
                index,
                &name,
                bytes,
                &|start, stop| m.release(start, stop),
                signatures,
                analysis,
                settings,
                &progress,
            )
        }
        crate::input::InputBytes::Stream(r) => {
            stream::scan_stream(index, &name, r, signatures, analysis, settings, &progress)
        }
    };
    progress.finish();
    summary.name = name;
    summary.gzip = gzip;
    (summary, partial, bases)
}
