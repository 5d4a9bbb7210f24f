//! Live input for `logs rollback --follow`: NDJSON lines read as they arrive
//! (`vercel logs --follow --json | logs rollback - --follow`), decoded and
//! reduced to observations in a shared state the command re-evaluates.

use std::io::BufRead;
use std::sync::{Arc, Mutex};

use super::input::Observation;
use super::observe::observe;
use crate::check::inventory::InventoryAcc;
use crate::input::{Framing, Item, TopState, frame};
use crate::record::decode_json;
use crate::signatures::SignatureSet;

/// What the feed has read so far.
#[derive(Debug, Default, Clone)]
pub struct FeedState {
    pub observations: Vec<Observation>,
    /// The deployments seen with their URL hosts (to resolve `--deployment
    /// host` and name what the feed holds), environments and times.
    pub inventory: InventoryAcc,
    pub records: u64,
    pub malformed: u64,
    /// The input ended (or failed).
    pub done: bool,
    pub error: Option<String>,
}

/// Reads lines until the input ends, appending observations to `state`.
/// Meant to run on its own thread; lines are handled whole, so a record is
/// never seen half-written.
pub fn feed_lines(
    mut reader: impl BufRead,
    signatures: Arc<SignatureSet>,
    state: Arc<Mutex<FeedState>>,
) {
    let mut line = Vec::new();
    let mut hits = Vec::new();
    loop {
        line.clear();
        let result = reader.read_until(b'\n', &mut line);
        let mut batch = Vec::new();
        let mut seen = InventoryAcc::default();
        let (mut records, mut malformed) = (0, 0);
        if let Ok(n) = result {
            let eof = n == 0 || line.last() != Some(&b'\n');
            frame(
                &line,
                0,
                TopState::Outside,
                usize::MAX,
                Framing::Lines,
                eof,
                &mut |item| match item {
                    Item::Record { start, end, .. } => match decode_json(&line[start..end]) {
                        Ok(rec) => {
                            records += 1;
                            seen.add(&rec);
                            hits.clear();
                            signatures.match_record(&rec, &mut hits);
                            batch.extend(observe(&rec, &hits, &signatures));
                        }
                        Err(_) => malformed += 1,
                    },
                    Item::Malformed { .. } => malformed += 1,
                },
            );
        }
        let Ok(mut st) = state.lock() else { return };
        st.observations.append(&mut batch);
        st.inventory.merge(seen);
        st.records += records;
        st.malformed += malformed;
        match result {
            Ok(0) => {
                st.done = true;
                return;
            }
            Err(e) => {
                st.error = Some(e.to_string());
                st.done = true;
                return;
            }
            Ok(_) => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::signatures::load_catalog;

    #[test]
    fn feeds_observations_and_counts_bad_lines() {
        let sigs = Arc::new(SignatureSet::new(load_catalog(true, &[]).unwrap()).unwrap());
        let state = Arc::new(Mutex::new(FeedState::default()));
        let input = "{\"timestamp\":1768813460100,\"deploymentId\":\"dpl_A\",\"statusCode\":500,\"message\":\"Task timed out after 300 seconds\"}\nnot json\n[{\"timestamp\":1768813460200}]";
        feed_lines(input.as_bytes(), sigs, state.clone());
        let st = state.lock().unwrap();
        assert!(st.done);
        assert_eq!((st.records, st.malformed, st.observations.len()), (2, 1, 2));
        assert_eq!(st.inventory.finish().resolve("dpl_A"), Some("dpl_A"));
        assert_eq!(
            st.observations[0].signatures[0].0,
            "vercel-function-timeout"
        );
    }
}
