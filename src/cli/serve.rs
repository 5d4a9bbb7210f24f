//! `logs serve`: the Vercel log drain receiver. Flags and the secret →
//! [`logs_serve::Config`]; the rollback policy and catalog as `logs
//! rollback` loads them → a live judge ([`crate::rollback::Live`]) over
//! the stored records ([`super::serve_judge`]), answered on `GET /status`
//! as `logs.rollback/v1` and on `GET /` as a page.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, bail};
use clap::Args;

use super::common::CatalogArgs;
use super::rollback::{check_policy_signatures, load_policy};
use super::serve_judge::{Canary, LiveJudge};
use super::{Context, EXIT_CLEAN, inputs};
use crate::rollback::{Live, ObservationAnalysis, Pass, RollbackInput, RollbackPolicy, Share};
use crate::scan::Feed;
use crate::signatures::SignatureSet;

/// The environment variable holding the drain secret.
pub const SECRET_ENV: &str = "LOGS_DRAIN_SECRET";

pub const SERVE_ABOUT: &str = "\
Receive a Vercel log drain: verify each POST's x-vercel-signature (HMAC-SHA1 \
of the body with the drain secret), store every record in \
DIR/YYYY-MM-DD/HH.ndjson (UTC hour of receipt, one record per line, synced \
to disk before the 200), and judge the canary live with the rollback policy \
(GET /status gives the logs.rollback/v1 JSON that `logs rollback` gives on \
the stored files).

The secret comes from LOGS_DRAIN_SECRET or --secret-file, never from a flag \
(flags show in `ps`). Serve plain HTTP on loopback behind a reverse proxy \
that terminates TLS.";

pub const SERVE_HELP: &str = "\
Examples:
  LOGS_DRAIN_SECRET=… logs serve --dir /var/lib/logs --canary dpl_NEW --verify 8c1f…
  logs serve --listen 127.0.0.1:9000 --dir drain --secret-file /run/secrets/drain --canary auto \\
    --notify https://hooks.slack.com/services/T0/B0/XXXX --retain-days 30
  logs check /var/lib/logs/2026-12-*/*

Answers: 200 stored (or already stored: duplicates by record id are stored \
once), 403 missing or wrong signature, 413 body too large (on the wire or \
after gzip), 400 truncated gzip or a malformed record (the whole batch is \
refused and nothing of it stored), 500 the disk refused the write (Vercel \
retries). GET /healthz: 200. GET /status: the rollback judgement. GET /: \
a page with the decision, the rules, records per minute and the latest \
signatures. Closed hours are gzipped (HH.ndjson.gz); the other commands \
read them as they are.";

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on (port 0 picks a free port, printed on stderr).
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,
    /// Directory of the stored records (created if missing).
    #[arg(long, value_name = "DIR")]
    pub dir: PathBuf,
    /// File holding the drain secret [default: the LOGS_DRAIN_SECRET
    /// environment variable].
    #[arg(long, value_name = "FILE")]
    pub secret_file: Option<PathBuf>,
    /// The value Vercel shows when adding the drain, sent back in the
    /// x-vercel-verify header of every answer.
    #[arg(
        long,
        value_name = "VALUE",
        env = "LOGS_DRAIN_VERIFY",
        hide_env_values = true
    )]
    pub verify: Option<String>,
    /// The canary deployment judged on /status: its id (dpl_…) or URL
    /// host, or `auto`: the newest production deployment seen (the one
    /// whose first record received has the latest timestamp), judged
    /// against the production deployment before it unless --baseline is
    /// given.
    #[arg(long, value_name = "ID|auto")]
    pub canary: String,
    /// The baseline deployment [default: every other deployment stored;
    /// with --canary auto, the production deployment before the canary].
    #[arg(long, value_name = "ID")]
    pub baseline: Option<String>,
    /// Rollback policy (TOML) laid over the built-in one, as `logs rollback
    /// --policy` [default: [rollback] in logs.toml].
    #[arg(long, value_name = "FILE")]
    pub policy: Option<PathBuf>,
    #[command(flatten)]
    pub catalog: CatalogArgs,
    /// Largest request body on the wire, in bytes.
    #[arg(long, value_name = "BYTES", default_value_t = 16 << 20)]
    pub max_body: u64,
    /// Largest body after gzip decoding, in bytes.
    #[arg(long, value_name = "BYTES", default_value_t = 64 << 20)]
    pub max_decoded: u64,
    /// How many recent record ids are remembered to store retries once.
    #[arg(long, value_name = "N", default_value_t = 100_000)]
    pub dedupe_window: usize,
    /// Connections served at once.
    #[arg(long, value_name = "N", default_value_t = 256)]
    pub max_connections: usize,
    /// On each change of decision, POST a Slack-compatible webhook body
    /// (decision, failing rules, runbook threshold) here: https:// (a Slack
    /// incoming webhook) or http://.
    #[arg(long, value_name = "URL")]
    pub notify: Option<String>,
    /// Extra root certificates (PEM) to trust for an https --notify URL,
    /// beside the Mozilla roots: an internal CA.
    #[arg(long, value_name = "FILE", requires = "notify")]
    pub notify_ca: Option<std::path::PathBuf>,
    /// Pause after the first failed notification (doubled after each).
    #[arg(long, value_name = "MS", default_value_t = 1000)]
    pub notify_backoff_ms: u64,
    /// The server's own log lines on stderr: text (`logs serve: …`) or
    /// json (one object per line: time, level, message).
    #[arg(long, value_name = "FORMAT", default_value = "text")]
    pub log_format: ServeLogFormat,
    /// Delete closed hours older than this many days.
    #[arg(long, value_name = "DAYS")]
    pub retain_days: Option<u32>,
    /// Delete the oldest closed hours while the directory holds more.
    #[arg(long, value_name = "BYTES")]
    pub retain_bytes: Option<u64>,
}

/// The drain secret: the file's text (one trailing newline dropped), else
/// the environment variable.
fn secret(file: Option<&Path>) -> anyhow::Result<Vec<u8>> {
    let secret = match file {
        Some(path) => {
            let mut bytes = crate::input::read_side_file(path)
                .with_context(|| format!("{}: cannot read the drain secret", path.display()))?;
            while bytes.last().is_some_and(|b| matches!(b, b'\n' | b'\r')) {
                bytes.pop();
            }
            bytes
        }
        None => match std::env::var_os(SECRET_ENV) {
            Some(v) => v.into_encoded_bytes(),
            None => bail!(
                "no drain secret: set {SECRET_ENV} or pass --secret-file FILE (the secret Vercel shows for the drain)"
            ),
        },
    };
    if secret.is_empty() {
        bail!("the drain secret is empty ({SECRET_ENV} or --secret-file)");
    }
    Ok(secret)
}

pub fn run(args: ServeArgs, ctx: &Context) -> anyhow::Result<i32> {
    let secret = secret(args.secret_file.as_deref())?;
    let (policy, _) = load_policy(args.policy.as_deref(), ctx)?;
    let signatures = inputs::catalog(&args.catalog, &ctx.config, &[])?;
    check_policy_signatures(&policy, &signatures)?;
    let auto = args.canary.eq_ignore_ascii_case("auto");
    let canary = if auto {
        Canary::Auto {
            baseline: args
                .baseline
                .as_deref()
                .map(|b| crate::record::deployment_name(b).to_string()),
        }
    } else {
        Canary::Given
    };
    logs_serve::log::set_format(match args.log_format {
        ServeLogFormat::Text => logs_serve::log::LogFormat::Text,
        ServeLogFormat::Json => logs_serve::log::LogFormat::Json,
    });
    let notify = match &args.notify {
        Some(url) => Some(logs_serve::Notify::parse(
            url,
            std::time::Duration::from_millis(args.notify_backoff_ms),
            args.notify_ca.as_deref(),
        )?),
        None => None,
    };
    let base = RollbackInput {
        canary: crate::record::deployment_name(&args.canary).to_string(),
        baseline: args
            .baseline
            .as_deref()
            .map(|b| crate::record::deployment_name(b).to_string()),
        ..RollbackInput::default()
    };
    // The judge lives as long as the server, i.e. the process.
    let signatures: &'static SignatureSet = Box::leak(Box::new(signatures));
    let policy: &'static RollbackPolicy = Box::leak(Box::new(policy));
    let make: logs_serve::MakeJudge = Box::new(move || {
        let analysis: &'static ObservationAnalysis<'static> =
            Box::leak(Box::new(ObservationAnalysis {
                signatures,
                deploy_time_ms: base.deploy_time_ms,
                now_ms: base.now_ms,
                samples_of: None,
                share: Share::whole(),
                pass: Pass::First,
                // The live page lists the latest signature lines.
                keep_lines: true,
            }));
        let feed = Feed::new("<drain>", signatures, analysis, None, false);
        Box::new(LiveJudge::new(Live::new(feed, base, policy), canary))
    });
    let config = logs_serve::Config {
        listen: args.listen,
        dir: args.dir,
        secret,
        verify: args.verify,
        max_body: args.max_body,
        max_decoded: args.max_decoded,
        dedupe_window: args.dedupe_window,
        max_connections: args.max_connections,
        notify,
        retention: logs_serve::Retention {
            days: args.retain_days,
            bytes: args.retain_bytes,
        },
    };
    logs_serve::run(config, make)?;
    Ok(EXIT_CLEAN)
}

/// `--log-format` of `logs serve`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ServeLogFormat {
    Text,
    Json,
}
