//! Property: a chunked parallel scan equals a serial one, for any chunk size
//! and thread count, on every container (including the one-line dashboard
//! array, which is split at guessed element boundaries, and gzip streams).

use std::sync::OnceLock;

use logs::check::{self, CheckAnalysis, CheckConfig};
use logs::generate::{Export, Workload, WriteOptions, write_workload};
use logs::input::InputSpec;
use logs::scan::{ScanSettings, scan};
use logs::signatures::{SignatureSet, load_catalog};
use proptest::prelude::*;

struct Fixture {
    _dir: tempfile::TempDir,
    files: Vec<std::path::PathBuf>,
    signatures: SignatureSet,
}

fn fixture() -> &'static Fixture {
    static F: OnceLock<Fixture> = OnceLock::new();
    F.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let workload = Workload {
            seed: 9,
            records: 1500,
            signature_hits_per_thousand: 60.0,
            ..Workload::default()
        };
        let mut files = Vec::new();
        for (name, shape, gzip) in [
            ("a.ndjson", "drain-ndjson", false),
            ("b.json", "dashboard-json", false),
            ("c.json", "drain-batches", false),
            ("d.csv", "dashboard-csv", false),
            ("e.ndjson.gz", "drain-ndjson", true),
        ] {
            let mut buf = Vec::new();
            let opts = WriteOptions {
                gzip,
                batch_size: 7,
                ..WriteOptions::default()
            };
            write_workload(
                Export::from_name(shape).unwrap(),
                &workload,
                &opts,
                &mut buf,
            )
            .unwrap();
            let p = dir.path().join(name);
            std::fs::write(&p, buf).unwrap();
            files.push(p);
        }
        let signatures = SignatureSet::new(load_catalog(true, &[]).unwrap()).unwrap();
        Fixture {
            _dir: dir,
            files,
            signatures,
        }
    })
}

/// The check report as JSON, for comparison.
fn report(file: usize, threads: usize, chunk_size: usize) -> serde_json::Value {
    let f = fixture();
    let config = CheckConfig::default();
    let analysis = CheckAnalysis { config: &config };
    let settings = ScanSettings {
        threads,
        chunk_size,
        ..ScanSettings::default()
    };
    let specs = [InputSpec::Path(f.files[file].clone())];
    let outcome = scan(&specs, &f.signatures, &analysis, &settings);
    serde_json::to_value(check::build(&outcome, &f.signatures, &config)).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 32, ..ProptestConfig::default() })]

    #[test]
    fn chunked_parallel_scan_equals_serial(file in 0usize..5, threads in 1usize..4, chunk in 1usize..200_000) {
        let serial = report(file, 1, usize::MAX / 2);
        let parallel = report(file, threads, chunk);
        prop_assert_eq!(&parallel["findings"], &serial["findings"]);
        prop_assert_eq!(&parallel["records"], &serial["records"]);
        prop_assert_eq!(&parallel["malformed"], &serial["malformed"]);
        prop_assert!(serial["findings"].as_array().unwrap().len() >= 8);
    }
}
