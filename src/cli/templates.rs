//! `logs templates`: flags → mine exports (scan engine) or text lines →
//! report → exit code.

use anyhow::{Context as _, bail};
use clap::Args;

use super::common::{FilterArgs, ReadArgs, named};
use super::{Context, EXIT_CLEAN, EXIT_ERROR, emit, inputs};
use crate::report::templates::TemplatesFormat;
use crate::scan::Filtered;
use crate::signatures::SignatureSet;
use crate::templates::{self, MinerConfig};

pub const TEMPLATES_ABOUT: &str = "\
Group messages into templates (`Failed to sync <*> after <*>`) and count them. \
Reads the message of every record of any Vercel export, or plain text with \
--input-format text (one message per line). Values (numbers, ids, UUIDs, \
emails, IPs, hosts, paths, request ids, digests) become <*>; a multi-line \
error (with its stack, `[cause]` and Prisma preamble) is grouped by the line \
that names the error, with its cause's code (`TypeError: fetch failed \
[cause: ECONNRESET]`). The grouping does not depend on line order or -j.";

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
  2  error: bad arguments, unreadable or truncated input, filters that leave none of
     the records read";

#[derive(Debug, Args)]
pub struct TemplatesArgs {
    #[command(flatten)]
    pub read: ReadArgs,
    #[command(flatten)]
    pub filter: FilterArgs,
    /// Output format [default: table, or [templates] format].
    #[arg(long, value_parser = named::<TemplatesFormat>())]
    pub format: Option<TemplatesFormat>,
}

pub fn run(args: TemplatesArgs, ctx: &Context) -> anyhow::Result<i32> {
    let specs = inputs::specs(&args.read)?;
    let config = MinerConfig::default();
    let format = args
        .format
        .or(ctx.config.file.templates.format)
        .unwrap_or(TemplatesFormat::Table);
    let filter = inputs::filter(&args.filter, None)?;
    let text = args.read.input_format.as_deref() == Some("text");
    let report = if text {
        if filter.is_set() {
            bail!(
                "--since, --until, --deployment and --environment need records: not with --input-format text"
            );
        }
        let threads = inputs::settings(&ReadArgs {
            input_format: None,
            ..args.read.clone()
        })?
        .threads;
        let report = templates::mine_text_threads(&specs, config, threads);
        for e in report.inputs.iter().filter_map(|i| i.error.as_deref()) {
            eprintln!("logs: error: {e}");
        }
        report
    } else {
        let settings = inputs::settings(&args.read)
            .context("`logs templates` also reads --input-format text")?;
        // Every message is wanted: no signatures to look for.
        let none = SignatureSet::new(Vec::new())?;
        let analysis = Filtered {
            filter: &filter,
            inner: &templates::TemplatesAnalysis,
        };
        let (outcome, tally) = crate::scan::scan(&specs, &none, &analysis, &settings).split();
        inputs::warn_inputs(&outcome.inputs);
        if let Some(e) = inputs::nothing_left(&filter, "group", outcome.records(), &tally) {
            return Err(e);
        }
        templates::from_scan(&outcome, config)
    };
    emit(|out| crate::report::templates::write(&report, format, ctx.style, out))?;
    Ok(if report.input_errors() {
        EXIT_ERROR
    } else {
        EXIT_CLEAN
    })
}
