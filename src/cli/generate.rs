//! `logs generate`: write a synthetic export with the library's generator.

use std::io::Write;

use anyhow::{Context, bail};

use clap::Args;

use super::EXIT_CLEAN;
use crate::generate::{Export, Workload, WriteOptions, write_workload};

/// Parses `512MB`, `2GB`, `64KiB`, `1000` (bytes).
pub fn parse_size(s: &str) -> anyhow::Result<u64> {
    let t = s.trim();
    let split = t
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(t.len());
    let (num, unit) = t.split_at(split);
    let n: f64 = num
        .parse()
        .with_context(|| format!("size {s:?} is not a number with a unit"))?;
    let mult: u64 = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "k" | "kb" => 1_000,
        "kib" => 1 << 10,
        "m" | "mb" => 1_000_000,
        "mib" => 1 << 20,
        "g" | "gb" => 1_000_000_000,
        "gib" => 1 << 30,
        other => bail!("size {s:?}: unknown unit {other:?} (use B, KB, MB, GB, KiB, MiB, GiB)"),
    };
    let bytes = n * mult as f64;
    if !bytes.is_finite() || bytes > 1e12 {
        bail!("size {s:?} is too large (at most 1TB)");
    }
    Ok(bytes as u64)
}

#[derive(Debug, Args)]
pub struct GenerateArgs {
    /// Export shape: drain-ndjson, drain-batches, dashboard-json,
    /// dashboard-csv, dashboard-copy, cli-json, cli-legacy-json.
    #[arg(long, default_value = "drain-ndjson", value_name = "SHAPE")]
    pub shape: String,
    /// Approximate output size before compression (e.g. 512MB, 2GB, 64KiB);
    /// overrides --records. At most 1TB.
    #[arg(long, value_name = "SIZE")]
    pub size: Option<String>,
    /// Number of log lines.
    #[arg(long, default_value_t = 10_000, value_name = "N")]
    pub records: u64,
    /// Seed: the same seed gives the same bytes.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Signature hits per thousand lines, 0 to 1000.
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

pub fn run(args: GenerateArgs) -> anyhow::Result<i32> {
    let shape = Export::from_name(&args.shape).with_context(|| {
        let names: Vec<&str> = Export::all().iter().map(|s| s.name()).collect();
        format!(
            "unknown --shape {:?}; expected one of {}",
            args.shape,
            names.join(", ")
        )
    })?;
    if !(0.0..=1000.0).contains(&args.hits_per_thousand) {
        bail!(
            "--hits-per-thousand {}: must be between 0 and 1000",
            args.hits_per_thousand
        );
    }
    let workload = Workload {
        seed: args.seed,
        records: args.records,
        target_bytes: args.size.as_deref().map(parse_size).transpose()?,
        signature_hits_per_thousand: args.hits_per_thousand,
        ..Workload::default()
    };
    let opts = WriteOptions {
        gzip: args.gzip,
        crlf: args.crlf,
        bom: args.bom,
        gzip_member_bytes: args.gzip_member.as_deref().map(parse_size).transpose()?,
        ..WriteOptions::default()
    };
    match &args.output {
        Some(path) => {
            let file = std::fs::File::create(path)
                .with_context(|| format!("{}: cannot create", path.display()))?;
            let mut out = std::io::BufWriter::with_capacity(1 << 20, file);
            write_workload(shape, &workload, &opts, &mut out)
                .with_context(|| format!("{}: write failed", path.display()))?;
            out.flush()?;
        }
        None => {
            let stdout = std::io::stdout();
            let mut out = std::io::BufWriter::with_capacity(1 << 20, stdout.lock());
            match write_workload(shape, &workload, &opts, &mut out).and_then(|_| out.flush()) {
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
                other => {
                    other.context("writing to stdout")?;
                }
            }
        }
    }
    Ok(EXIT_CLEAN)
}

#[cfg(test)]
mod tests {
    use super::parse_size;

    #[test]
    fn sizes() {
        assert_eq!(parse_size("512MB").unwrap(), 512_000_000);
        assert_eq!(parse_size("2GiB").unwrap(), 2 << 30);
        assert_eq!(parse_size("1000").unwrap(), 1000);
        assert!(parse_size("lots").is_err());
    }
}
