//! Parallel scanning of a memory-mapped input.
//!
//! Line-framed JSON is cut at newlines near every `chunk_size` bytes. A line
//! longer than a chunk (the dashboard's one-line export) is cut at guessed
//! element boundaries (`},{`); each guess is then checked: the chunk before it
//! must end exactly there, between array elements. A wrong guess (the bytes
//! were inside a string) is rescanned from where the previous chunk really
//! ended, so the result never depends on the guess, nor on the thread count.

use rayon::prelude::*;

use crate::input::{
    Damage, FrameEnd, Framing, InputError, InputFormat, TopState, guess_element_start,
};
use crate::signatures::SignatureSet;

use super::chunk::{ChunkOut, JsonSpan, json_chunk, undecodable_head};
use super::csv_chunk::csv_chunk;
use super::prepare::{Cut, HEAD, Prepared, prepare};
use super::tally::Tally;
use super::{Analysis, ChunkContext, InputSummary, Progress, ScanSettings};

/// One planned chunk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Plan {
    start: usize,
    stop: usize,
    /// State assumed at `start` (a guess when `InArray`).
    top: TopState,
}

fn plan_lines(bytes: &[u8], from: usize, target: usize) -> Vec<Plan> {
    let mut plans = Vec::new();
    let mut start = from;
    let mut top = TopState::Outside;
    let mut nominal = from + target;
    while start < bytes.len() {
        if nominal >= bytes.len() {
            plans.push(Plan {
                start,
                stop: bytes.len(),
                top,
            });
            break;
        }
        let window = &bytes[nominal..(nominal + target).min(bytes.len())];
        if let Some(i) = memchr::memchr(b'\n', window) {
            let stop = nominal + i + 1;
            plans.push(Plan { start, stop, top });
            (start, top, nominal) = (stop, TopState::Outside, stop + target);
        } else if let Some(g) = guess_element_start(bytes, nominal, nominal + target) {
            plans.push(Plan {
                start,
                stop: g,
                top,
            });
            (start, top, nominal) = (g, TopState::InArray, g + target);
        } else {
            nominal += target;
        }
    }
    plans
}

/// Scans a whole mapped input.
/// `release` gives back the pages of a range once it is scanned (a mapped
/// file's, read again only when a guessed boundary was wrong).
#[allow(clippy::too_many_arguments)]
pub(crate) fn scan_mapped<A: Analysis>(
    input: u32,
    name: &str,
    bytes: &[u8],
    release: &(dyn Fn(usize, usize) + Sync),
    signatures: &SignatureSet,
    analysis: &A,
    settings: &ScanSettings,
    progress: &Progress,
) -> (InputSummary, A::Partial, Vec<u64>) {
    let start = match prepare(name, bytes, true, settings.format) {
        Prepared::Ready(start) => start,
        Prepared::Failed(e) => return failed(e, analysis),
        Prepared::NeedMore => unreachable!("the whole input is there"),
    };
    let head = &bytes[start.skip..bytes.len().min(start.skip + HEAD)];
    let garbage = start
        .cut
        .framing()
        .is_some_and(|f| undecodable_head(head, f));
    let ctx = ChunkContext {
        input,
        signatures,
        analysis,
        decode_all: analysis.decode_all() || settings.validate_all || garbage,
        probe_all: analysis.probe_all(),
        decode_before: (start.skip + HEAD) as u64,
        csv: start.csv.clone(),
        progress,
    };
    let format = start.format;
    let mut folded = Folder::new(analysis);
    match (start.cut, &start.csv) {
        (Cut::Json(framing), _) => json_chunks(
            &ctx,
            bytes,
            start.skip,
            start.lead,
            framing,
            settings.chunk_size,
            release,
            &mut folded,
        ),
        (Cut::Csv, Some(cols)) => {
            let out = csv_chunk(&ctx, cols, &bytes[start.skip..], start.skip as u64, 0, true);
            folded.add(start.lead, out);
        }
        (Cut::Csv, None) => {}
    }
    let (summary, partial, bases) = folded.finish(format, None);
    (
        InputSummary {
            bytes: bytes.len() as u64,
            export: start.export,
            ..summary
        },
        partial,
        bases,
    )
}

/// Scans the JSON records from `body` on; `lead` lines come before it (a
/// copied-logs header). Each chunk is folded into `folded` in input order as
/// soon as the chunks before it are: a chunk's state is freed while the
/// scan goes on, rather than every chunk's being held until the end. Each
/// chunk's pages are given back (`release`) as soon as it is scanned.
#[allow(clippy::too_many_arguments)]
fn json_chunks<A: Analysis>(
    ctx: &ChunkContext<'_, A>,
    bytes: &[u8],
    body: usize,
    lead: u64,
    framing: Framing,
    target: usize,
    release: &(dyn Fn(usize, usize) + Sync),
    folded: &mut Folder<'_, A>,
) {
    let plans = match framing {
        Framing::Lines => plan_lines(bytes, body, target.clamp(1, 1 << 30)),
        Framing::Document => vec![Plan {
            start: body,
            stop: bytes.len(),
            top: TopState::Outside,
        }],
    };
    let span = |i: usize, start: usize, top: TopState, stop: usize| JsonSpan {
        chunk: i as u32,
        base: 0,
        start,
        top,
        stop,
        framing,
        eof: true,
    };
    let (done, arrived) = std::sync::mpsc::channel::<(usize, ChunkOut<A::Partial>)>();
    std::thread::scope(|scope| {
        // Folds on a thread of its own, in input order; the pool's threads
        // only scan.
        scope.spawn(|| {
            let mut waiting = std::collections::BTreeMap::new();
            let mut prev: Option<FrameEnd> = None;
            for (i, out) in arrived {
                waiting.insert(i, out);
                while let Some(out) = waiting.remove(&folded.chunks()) {
                    let k = folded.chunks();
                    let out = match prev {
                        Some(p) => checked(ctx, bytes, &plans, k, p, out, &span),
                        None => out,
                    };
                    prev = Some(out.end);
                    folded.add(if k == 0 { lead } else { 0 }, out);
                }
            }
        });
        plans
            .par_iter()
            .enumerate()
            // One chunk per task, so either thread can take any chunk: no idle tail.
            .with_max_len(1)
            .for_each_with(done, |done, (i, p)| {
                // The folding thread only stops early if it panicked, and
                // the scope reports that.
                let out = json_chunk(ctx, bytes, span(i, p.start, p.top, p.stop));
                release(p.start, p.stop);
                let _ = done.send((i, out));
            });
    });
}

/// Chunk `k`'s output, checked against where the chunk before it ended
/// (`prev`): a guessed boundary that was wrong is scanned again from there.
fn checked<A: Analysis>(
    ctx: &ChunkContext<'_, A>,
    bytes: &[u8],
    plans: &[Plan],
    k: usize,
    prev: FrameEnd,
    out: ChunkOut<A::Partial>,
    span: &impl Fn(usize, usize, TopState, usize) -> JsonSpan,
) -> ChunkOut<A::Partial> {
    let plan = plans[k];
    if prev.pos == plan.start && prev.top == Some(plan.top) {
        return out;
    }
    if prev.pos >= plan.stop {
        // The previous chunk's last record covered this whole chunk. It
        // keeps where framing stands, and counts nothing: the previous chunk
        // counted those lines and arrays already.
        let mut empty = ChunkOut::empty(ctx.analysis.partial());
        empty.end = FrameEnd {
            pos: prev.pos,
            top: prev.top,
            ..FrameEnd::default()
        };
        return empty;
    }
    let top = prev.top.unwrap_or(TopState::Outside);
    json_chunk(ctx, bytes, span(k, prev.pos, top, plan.stop))
}

/// Chunk outputs folded, in input order, into an input's summary, partial
/// and line bases.
pub(crate) struct Folder<'a, A: Analysis> {
    analysis: &'a A,
    partial: A::Partial,
    tally: Tally,
    chunks: usize,
}

impl<'a, A: Analysis> Folder<'a, A> {
    pub(crate) fn new(analysis: &'a A) -> Self {
        Folder {
            analysis,
            partial: analysis.partial(),
            tally: Tally::default(),
            chunks: 0,
        }
    }

    /// Folds the next chunk; `lead`: lines before its first record that it
    /// does not count (the CSV header).
    pub(crate) fn add(&mut self, lead: u64, out: ChunkOut<A::Partial>) {
        let partial = self.tally.add(lead, out);
        super::take_or_merge(self.analysis, &mut self.partial, self.chunks == 0, partial);
        self.chunks += 1;
    }

    /// Chunks folded so far.
    fn chunks(&self) -> usize {
        self.chunks
    }

    pub(crate) fn finish(
        self,
        format: InputFormat,
        damage: Option<Damage>,
    ) -> (InputSummary, A::Partial, Vec<u64>) {
        let (summary, bases) = self.tally.finish(format, damage);
        (summary, self.partial, bases)
    }
}

/// Folds chunk outputs (in order) into the input's summary, partial and line
/// bases. Each chunk carries the number of lines that precede its first
/// record and are not counted in it (the CSV header).
pub(crate) fn summarise<A: Analysis>(
    analysis: &A,
    format: InputFormat,
    outs: Vec<(u64, ChunkOut<A::Partial>)>,
    damage: Option<Damage>,
) -> (InputSummary, A::Partial, Vec<u64>) {
    let mut folded = Folder::new(analysis);
    for (lead, out) in outs {
        folded.add(lead, out);
    }
    folded.finish(format, damage)
}

fn failed<A: Analysis>(e: InputError, analysis: &A) -> (InputSummary, A::Partial, Vec<u64>) {
    let summary = InputSummary {
        error: Some(std::sync::Arc::new(e)),
        ..Default::default()
    };
    (summary, analysis.partial(), Vec::new())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plans_cut_at_newlines_and_guess_inside_long_lines() {
        let ndjson = b"{\"a\":1}\n{\"a\":2}\n{\"a\":3}\n";
        let p = plan_lines(ndjson, 0, 5);
        assert_eq!(
            p.iter().map(|p| (p.start, p.stop)).collect::<Vec<_>>(),
            [(0, 8), (8, 16), (16, 24)]
        );
        let one_line = b"[{\"a\":1},{\"a\":2},{\"a\":3}]";
        let p = plan_lines(one_line, 0, 5);
        assert_eq!(
            p[1],
            Plan {
                start: 9,
                stop: 17,
                top: TopState::InArray
            }
        );
    }
}
