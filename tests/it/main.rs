//! The integration tests, in one test binary (as ripgrep does: one link,
//! not one per file). Each module runs the real `logs` binary, or the
//! library, on real-shaped inputs; `common` holds the shared helpers.

mod access;
mod action;
mod adversarial;
mod architecture;
mod audit_outputs;
mod audit_stubs;
mod audit_weeks;
mod catalog_errors;
mod check_behaviour;
mod check_inputs;
mod check_junit;
mod chunking;
mod common;
mod config;
mod fuzz;
mod gate;
mod npm;
mod readme;
mod real_payloads;
mod real_texts;
mod redaction;
mod redaction_outputs;
mod rollback;
mod rollback_statistics;
mod samples;
mod serve;
mod serve_live;
mod serve_logs;
mod serve_notify_tls;
mod serve_storage;
mod snapshots;
mod sql;
mod sql_rollback;
mod templates_cli;
mod templates_real;
