//! `logs templates`: flags → mine exports (scan engine) or text lines →
//! report → exit code.

use anyhow::Context;
use clap::Args;

use super::args::ProgressChoice;
use super::{EXIT_CLEAN, EXIT_ERROR, emit, inputs};
use crate::report::style::Style;
use crate::report::templates::TemplatesFormat;
use crate::signatures::SignatureSet;
use crate::templates::{self, MinerConfig};

pub const TEMPLATES_ABOUT: &str = "\
Group messages into templates (`Failed to sync <*> after <*>`) and count them. \
Reads the message of every record of any Vercel export, or plain text with \
--input-format text (one message per line). Values (numbers, ids, UUIDs, \
emails, IPs, paths, quoted values, request ids, digests) become <*>; a \
multi-line message (an error with its stack) is grouped by its first \
meaningful line.";

pub const TEMPLATES_HELP: &str = "\
Examples:
  logs templates export.json
  logs templates --input-format text app.log --format json | jq '.templates[:5]'
  vercel logs https://my-app.vercel.app --json | logs templates -

JSON (logs.templates/v1): {\"schema\", \"messages\", \"inputs\", \"templates\": [{\"id\", \
\"template\", \"count\", \"lines\"}]}; ids number templates in order of first \
appearance, lines are 1-based (running on across several inputs), templates \
come most frequent first.

Exit codes:
  0  ok
  2  error: bad arguments, unreadable or truncated input";

#[derive(Debug, Args)]
pub struct TemplatesArgs {
    /// Files to read (exports of any shape, or text with --input-format
    /// text; gzip or plain); `-` reads stdin. With none, stdin is read when
    /// it is not a terminal.
    #[arg(value_name = "PATH")]
    pub paths: Vec<String>,
    /// Force the input format instead of detecting it: text (one message per
    /// line), ndjson, json-document, csv.
    #[arg(long, value_name = "FORMAT")]
    pub input_format: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = TemplatesFormat::Table)]
    pub format: TemplatesFormat,
    /// Worker threads for exports [default: all cores]; text is mined on one.
    #[arg(short = 'j', long, value_name = "N")]
    pub threads: Option<usize>,
    /// Show a progress bar on stderr: auto (when stderr is a terminal), never.
    #[arg(long, value_enum, default_value_t = ProgressChoice::Auto, value_name = "WHEN")]
    pub progress: ProgressChoice,
    /// Chunk size in bytes for parallel scanning (tuning and tests).
    #[arg(long, hide = true, value_name = "BYTES")]
    pub chunk_size: Option<usize>,
}

pub fn run(args: TemplatesArgs, style: Style) -> anyhow::Result<i32> {
    let specs = inputs::specs_of(&args.paths)?;
    let mut settings = inputs::engine_settings(args.threads, args.chunk_size, args.progress)?;
    let config = MinerConfig::default();
    let report = match args.input_format.as_deref() {
        Some("text") => {
            let report = templates::mine_text(&specs, config);
            for e in report.inputs.iter().filter_map(|i| i.error.as_deref()) {
                eprintln!("logs: error: {e}");
            }
            report
        }
        format => {
            settings.format = format
                .map(|f| {
                    inputs::input_format(f)
                        .context("`logs templates` also reads --input-format text")
                })
                .transpose()?;
            // Every message is wanted: no signatures to look for.
            let none = SignatureSet::new(Vec::new())?;
            let outcome =
                crate::scan::scan(&specs, &none, &templates::TemplatesAnalysis, &settings);
            inputs::warn_inputs(&outcome.inputs);
            templates::from_scan(&outcome, config)
        }
    };
    emit(|out| crate::report::templates::write(&report, args.format, style, out))?;
    Ok(if report.input_errors() {
        EXIT_ERROR
    } else {
        EXIT_CLEAN
    })
}
