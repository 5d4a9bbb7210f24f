//! Command-line flags as the user typed them (clap). Nothing below the
//! command layer sees these types: each command resolves them into its
//! library configuration once.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::report::OutputFormat;
use crate::signatures::Severity;

pub const EXIT_CODES: &str = "\
Exit codes:
  0  clean: nothing at or above --fail-on (rollback: proceed)
  1  findings at or above --fail-on (rollback: roll back)
  2  error: bad arguments, unreadable or truncated input, invalid catalog
  3  rollback only: hold, keep watching";

#[derive(Debug, Parser)]
#[command(
    name = "logs",
    version,
    about = "Find incidents in Vercel logs",
    long_about = "Find incidents in Vercel logs.\n\n\
        Reads any Vercel export (log drain NDJSON or batches, dashboard JSON or CSV, \
        `vercel logs --json` of either CLI era; gzip or plain; files or - for stdin), \
        matches the known error signatures, and answers the on-call questions: did this \
        deploy bring known errors (check), should the canary be rolled back (rollback), \
        what is failing this week (audit).",
    after_long_help = EXIT_CODES,
    propagate_version = true
)]
pub struct Cli {
    /// When to colour output: auto (a terminal, and NO_COLOR unset), always, never.
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Gate CI on known error signatures: exit 1 when any is found.
    #[command(
        long_about = "Scan exports for the known error signatures and exit non-zero when one at or above \
            --fail-on is found. Use it as the post-deploy gate (\"logs:check must return 0\").",
        after_long_help = "Examples:\n  \
            logs check export.json\n  \
            vercel logs https://my-app.vercel.app --json | logs check -\n  \
            logs check drain-*.ndjson.gz --since 2026-01-19T08:00:00Z --format markdown >> \"$GITHUB_STEP_SUMMARY\"\n  \
            logs check export.csv --ignore node-deprecation-warning --fail-on high\n\n\
            Exit codes:\n  0  nothing at or above --fail-on\n  1  findings at or above --fail-on\n  \
            2  error: bad arguments, unreadable or truncated input, invalid catalog, or --strict with malformed records"
    )]
    Check(Box<CheckArgs>),
    /// Decide a canary: roll back, hold, or proceed, with the evidence.
    #[command(
        long_about = "Evaluate the rollback rules (seed runbooks: >3 unique Server Action 500s in the first \
            10 minutes, error and auth-failure rates against the baseline, p95 latency SLO, DB \
            connectivity, new critical signatures, minimum observation) for the canary deployment \
            against the other deployments in the input, and print the decision first.",
        after_long_help = "Examples:\n  \
            logs rollback export.json --deployment dpl_NEW\n  \
            logs rollback export.json --deployment dpl_NEW --baseline dpl_OLD --format json\n  \
            vercel logs --follow --json | logs rollback - --deployment dpl_NEW --follow\n\n\
            Exit codes:\n  0  proceed to the next stage\n  1  roll back now\n  2  error\n  3  hold: keep watching"
    )]
    Rollback(Box<RollbackArgs>),
    /// List the signature catalog, or test its examples.
    #[command(subcommand)]
    Signatures(SignaturesCommand),
    /// Write a realistic synthetic export (deterministic for a seed), for
    /// trying the tool, demos and benchmarks.
    #[command(after_long_help = "Examples:\n  \
        logs generate --shape drain-ndjson --size 512MB -o bench.ndjson\n  \
        logs generate --shape dashboard-json --records 5000 | logs check -")]
    Generate(GenerateArgs),
    /// The weekly error audit: signature trends per period, new and resolved,
    /// unknown errors grouped with suggested signatures.
    #[command(
        long_about = super::audit::AUDIT_ABOUT,
        after_long_help = super::audit::AUDIT_HELP
    )]
    Audit(Box<super::audit::AuditArgs>),
    /// Group messages into templates and count them (exports or plain text).
    #[command(
        long_about = super::templates::TEMPLATES_ABOUT,
        after_long_help = super::templates::TEMPLATES_HELP
    )]
    Templates(Box<super::templates::TemplatesArgs>),
}

#[derive(Debug, Args)]
pub struct GenerateArgs {
    /// Export shape: drain-ndjson, drain-batches, dashboard-json,
    /// dashboard-csv, cli-json, cli-legacy-json.
    #[arg(long, default_value = "drain-ndjson", value_name = "SHAPE")]
    pub shape: String,
    /// Approximate output size before compression (e.g. 512MB, 2GB, 64KiB);
    /// overrides --records.
    #[arg(long, value_name = "SIZE")]
    pub size: Option<String>,
    /// Number of log lines.
    #[arg(long, default_value_t = 10_000, value_name = "N")]
    pub records: u64,
    /// Seed: the same seed gives the same bytes.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Signature hits per thousand lines.
    #[arg(long, default_value_t = 3.0, value_name = "N")]
    pub hits_per_thousand: f64,
    /// Gzip the output (several members when --gzip-member is set).
    #[arg(long)]
    pub gzip: bool,
    /// Start a new gzip member every SIZE of uncompressed output.
    #[arg(long, value_name = "SIZE")]
    pub gzip_member: Option<String>,
    /// CRLF line ends.
    #[arg(long)]
    pub crlf: bool,
    /// Start with a UTF-8 byte order mark.
    #[arg(long)]
    pub bom: bool,
    /// Write to this file instead of stdout.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<std::path::PathBuf>,
}

/// Flags shared by every command that reads exports.
#[derive(Debug, Args)]
pub struct InputArgs {
    /// Export files to read (any shape, gzip or plain); `-` reads stdin. With
    /// none, stdin is read when it is not a terminal.
    #[arg(value_name = "PATH")]
    pub paths: Vec<String>,
    /// Force the input format instead of detecting it: ndjson (also JSON
    /// arrays, one or many per line), json-document (pretty-printed), csv.
    #[arg(long, value_name = "FORMAT")]
    pub input_format: Option<String>,
    /// Worker threads [default: all cores].
    #[arg(short = 'j', long, value_name = "N")]
    pub threads: Option<usize>,
    /// More signatures: a TOML file or a folder of them (repeatable).
    #[arg(long, value_name = "PATH")]
    pub signatures: Vec<PathBuf>,
    /// Use only the --signatures catalogs, not the built-in one.
    #[arg(long)]
    pub no_builtin: bool,
    /// Treat malformed records as an error (exit 2) and parse every record in
    /// full, not only the candidates.
    #[arg(long)]
    pub strict: bool,
    /// Show a progress bar on stderr: auto (when stderr is a terminal), never.
    #[arg(long, value_enum, default_value_t = ProgressChoice::Auto, value_name = "WHEN")]
    pub progress: ProgressChoice,
    /// Chunk size in bytes for parallel scanning (tuning and tests).
    #[arg(long, hide = true, value_name = "BYTES")]
    pub chunk_size: Option<usize>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ProgressChoice {
    Auto,
    Never,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// Only records at or after this time (RFC 3339, e.g. 2026-01-19T08:00:00Z).
    #[arg(long, value_name = "TIME")]
    pub since: Option<String>,
    /// Only records before this time (RFC 3339).
    #[arg(long, value_name = "TIME")]
    pub until: Option<String>,
    /// Only records of this deployment (id `dpl_…` or its URL host).
    #[arg(long, value_name = "ID")]
    pub deployment: Option<String>,
    /// Only records of this environment (production, preview).
    #[arg(long, value_name = "ENV")]
    pub environment: Option<String>,
    /// Skip a signature (repeatable); see `logs signatures list`.
    #[arg(long, value_name = "ID")]
    pub ignore: Vec<String>,
    /// Fail (exit 1) on findings at or above this severity; info-level
    /// signatures never fail with the default.
    #[arg(long, value_enum, default_value_t = SeverityArg::Low, value_name = "SEVERITY")]
    pub fail_on: SeverityArg,
    /// Output format (junit: a JUnit XML test report, one test case per
    /// signature and per input).
    #[arg(long, value_enum, default_value_t = OutputFormat::Table)]
    pub format: OutputFormat,
}

#[derive(Debug, Args)]
pub struct RollbackArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// The canary deployment (id `dpl_…` or its URL host).
    #[arg(long, value_name = "ID")]
    pub deployment: String,
    /// The baseline deployment [default: every other deployment in the input].
    #[arg(long, value_name = "ID")]
    pub baseline: Option<String>,
    /// Deploy time (RFC 3339) [default: the canary's first record].
    #[arg(long, value_name = "TIME")]
    pub deploy_time: Option<String>,
    /// Evaluation time (RFC 3339) [default: the last record in the input].
    #[arg(long, value_name = "TIME")]
    pub now: Option<String>,
    /// Rollback policy (TOML) overriding the built-in one; see
    /// `src/rollback/default_policy.toml` for every key.
    #[arg(long, value_name = "FILE")]
    pub policy: Option<PathBuf>,
    /// Read NDJSON from stdin as it arrives, re-evaluate every --interval,
    /// exit as soon as the decision is rollback, or proceed.
    #[arg(long)]
    pub follow: bool,
    /// Seconds between evaluations with --follow.
    #[arg(long, default_value_t = 5.0, value_name = "SECONDS")]
    pub interval: f64,
    /// Output format (table, json or markdown).
    #[arg(long, value_enum, default_value_t = OutputFormat::Table)]
    pub format: OutputFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SeverityArg {
    Info,
    Low,
    Medium,
    High,
    Critical,
}

impl From<SeverityArg> for Severity {
    fn from(s: SeverityArg) -> Severity {
        match s {
            SeverityArg::Info => Severity::Info,
            SeverityArg::Low => Severity::Low,
            SeverityArg::Medium => Severity::Medium,
            SeverityArg::High => Severity::High,
            SeverityArg::Critical => Severity::Critical,
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum SignaturesCommand {
    /// Print the catalog: id, severity, field, title.
    List {
        /// More signatures: a TOML file or a folder of them (repeatable).
        #[arg(long, value_name = "PATH")]
        signatures: Vec<PathBuf>,
        /// Output format (table or json).
        #[arg(long, value_enum, default_value_t = OutputFormat::Table)]
        format: OutputFormat,
    },
    /// Check every signature's examples (must-match and must-not-match) and
    /// the catalog's validity. Exit 1 if an example fails, 2 if invalid.
    Test {
        /// A catalog file or folder to test instead of the built-in one.
        #[arg(value_name = "PATH")]
        path: Option<PathBuf>,
    },
}
