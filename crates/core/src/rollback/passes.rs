//! Judging an input read in passes: the first pass gathers everything the
//! rules read and the requests of its [`Share`]; when those did not fit the
//! budget, each later pass folds the requests of a share left over, counts
//! them and lets them go ([`Counts`]). The report is the one a single pass
//! gives.

use super::gathered::{Gathered, Pass};
use super::policy::RollbackPolicy;
use super::report::RollbackReport;
use super::rules::Counts;
use super::scope::{Frame, Sides};
use super::share::Share;
use super::{evaluate_counted, evaluate_gathered};

/// Judges `sides.canary` in `first`, the first pass over an input, reading
/// the later passes it needs with `read`. Returns the report and how many
/// passes were read in all.
pub fn evaluate_in_passes<E>(
    mut first: Gathered,
    sides: Sides<'_>,
    policy: &RollbackPolicy,
    mut read: impl FnMut(Share, Pass) -> Result<Gathered, E>,
) -> Result<(RollbackReport, u32), E> {
    first.narrow();
    let frame = Frame::of(&first, sides);
    let (report, passes) = match frame {
        // Without a deploy time the rules count nothing.
        Some(frame) if !first.left_over().is_empty() => {
            let mut counts = Counts::of(&first, sides, frame, policy);
            first.drop_requests();
            let mut pending = first.left_over();
            let mut passes = 1;
            while let Some(share) = pending.pop() {
                let deploy_ms = frame.deploy_ms;
                let mut later = read(share, Pass::Later { deploy_ms })?;
                later.narrow();
                counts.merge(Counts::of(&later, sides, frame, policy));
                if passes == 1 {
                    first.settle(&later);
                }
                pending.extend(later.left_over());
                passes += 1;
            }
            let report = evaluate_counted(&first, sides, policy, Some((frame, counts)));
            (report, passes)
        }
        _ => (evaluate_gathered(&first, sides, policy), 1),
    };
    // The process ends soon: freeing every request one by one would take
    // longer than the rules.
    std::mem::forget(first);
    Ok((report, passes))
}
