//! Fuzz targets, one per parser, on stable Rust and inside `cargo test`.
//!
//! Each target is a proptest property over mutants of seeds taken from
//! `samples/` and `tests/real/` (see `engine.rs` for the mutations and the
//! `LOGS_FUZZ_CASES` / `LOGS_FUZZ_SEED` knobs) and checks properties, not
//! only "no panic": decoded records never carry an implausible time,
//! redaction is a fixed point, framing resumed anywhere gives the same
//! records, a chunked, parallel or streamed scan gives the same report as a
//! serial one (and the text miner on two threads as on one), every output
//! format is well-formed, no template carries what redaction removes, a
//! loaded state carries an audit through and the state it saves loads
//! again.
//!
//! A longer run: `LOGS_FUZZ_CASES=100000 LOGS_FUZZ_SEED=random cargo test
//! --test it fuzz::`. Crashes found are fixed at their root and kept as
//! named tests in `regressions.rs`.

mod engine;
mod files;
mod records;
mod regressions;
mod seeds;
mod state;
mod text;
mod tomls;

#[test]
fn fuzz_record_json() {
    records::record_json();
}

#[test]
fn fuzz_json_frame() {
    records::json_frame();
}

#[test]
fn fuzz_csv_rows() {
    records::csv_rows();
}

#[test]
fn fuzz_detect_and_preamble() {
    records::detect_and_preamble();
}

#[test]
fn fuzz_scan_file() {
    files::scan_file();
}

#[test]
fn fuzz_gzip_members() {
    files::gzip_members();
}

#[test]
fn fuzz_templates_text() {
    text::templates_text();
}

#[test]
fn fuzz_catalog_toml() {
    tomls::catalog_toml();
}

#[test]
fn fuzz_policy_toml() {
    tomls::policy_toml();
}

#[test]
fn fuzz_config_toml() {
    tomls::config_toml();
}

#[test]
fn fuzz_audit_state() {
    state::audit_state();
}
