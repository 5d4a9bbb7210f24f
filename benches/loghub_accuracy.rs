//! Grouping accuracy of the template miner on the Loghub 2k samples.
//!
//! ```text
//! cargo bench --bench loghub_accuracy -- <folder> [--corrected <folder>]
//!     [--explain] [--sweep] [--loo] [--shuffles N]
//! ```
//!
//! `<folder>` holds `*_2k.log_structured.csv` files with the original
//! Loghub labels (`../shared/loghub`); `--corrected` a folder of the same
//! files with logparser's corrected labels (`loghub_2k_corrected`; see
//! `benches/loghub_corrected.sh`). Neither enters this repository. For
//! each file the `Content` column is mined with `MinerConfig::default()`
//! and scored against `EventId` with grouping accuracy (GA: a line is
//! correct iff its predicted group holds exactly the lines of its true
//! group). One row per dataset: GA on the original labels, on the
//! corrected labels, Drain's published GA, templates found / true.
//!
//! These eight sets are the ones the miner was developed on, so the table
//! is a figure on tuning data. `--loo` gives the honest one for the choice
//! of configuration: for each set, the configuration with the best mean GA
//! on the *other seven* (over the `--sweep` grid) scores the held-out set.
//! `--shuffles N` mines each set in N random line orders and reports the
//! range of GA (it must be a single value: grouping does not depend on
//! order). `--explain` lists the true events split or merged.
//!
//! Exit status: 0 when every set reaches Drain's figure on the original
//! labels, 1 otherwise, 2 on an input error. Without a folder (a plain
//! `cargo bench`) it says so and exits 0.

use std::collections::{HashMap, HashSet};
use std::error::Error;
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use logs::templates::{MinerConfig, TemplateMiner};

/// Appends a line to a `String` (output is written once at the end, so a
/// closed pipe ends the program quietly instead of panicking).
macro_rules! outln {
    ($out:expr, $($arg:tt)*) => {
        let _ = writeln!($out, $($arg)*);
    };
}

/// Drain's published GA (Zhu et al., ICSE-SEIP 2019) on the same samples.
const DRAIN: &[(&str, f64)] = &[
    ("HDFS", 0.998),
    ("Hadoop", 0.948),
    ("Spark", 0.920),
    ("Zookeeper", 0.967),
    ("BGL", 0.963),
    ("Apache", 1.000),
    ("OpenSSH", 0.788),
    ("HealthApp", 0.780),
];

/// One labelled sample: messages and their true event ids under each label
/// set.
struct Dataset {
    name: String,
    messages: Vec<String>,
    truth: Vec<String>,
    corrected: Option<Vec<String>>,
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let value = |f: &str| {
        args.iter()
            .position(|a| a == f)
            .and_then(|i| args.get(i + 1))
    };
    let corrected = value("--corrected");
    let config = match value("--config").map(|c| parse_config(c)).transpose() {
        Ok(c) => c.unwrap_or_default(),
        Err(e) => {
            eprintln!("loghub_accuracy: --config: {e}");
            return ExitCode::from(2);
        }
    };
    let shuffles: usize = value("--shuffles")
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    let skip: HashSet<&String> = [corrected, value("--shuffles"), value("--config")]
        .into_iter()
        .flatten()
        .collect();
    let Some(folder) = args
        .iter()
        .find(|a| !a.starts_with("--") && !skip.contains(a))
    else {
        eprintln!(
            "loghub_accuracy: skipped; usage: cargo bench --bench loghub_accuracy -- <loghub folder> [--corrected <folder>] [--explain] [--sweep] [--loo] [--shuffles N]"
        );
        return ExitCode::SUCCESS;
    };
    let flag = |f: &str| args.iter().any(|a| a == f);
    let mut out = String::new();
    let result = load(Path::new(folder), corrected.map(Path::new)).map(|sets| {
        let ok = table(&sets, config, flag("--explain"), &mut out);
        if flag("--sweep") || flag("--loo") {
            let grid = grid();
            let scores: Vec<Vec<f64>> = grid
                .iter()
                .map(|c| {
                    sets.iter()
                        .map(|s| score(s, &mine(s, *c), false).0)
                        .collect()
                })
                .collect();
            if flag("--sweep") {
                sweep(&grid, &scores, &mut out);
            }
            if flag("--loo") {
                leave_one_out(&sets, &grid, &scores, &mut out);
            }
        }
        if shuffles > 0 {
            shuffled(&sets, shuffles, &mut out);
        }
        ok
    });
    let _ = std::io::stdout().write_all(out.as_bytes());
    match result {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(e) => {
            eprintln!("loghub_accuracy: {e}");
            ExitCode::from(2)
        }
    }
}

fn csv_files(folder: &Path) -> Result<Vec<PathBuf>, Box<dyn Error>> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(folder)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.to_string_lossy().ends_with("_2k.log_structured.csv"))
        .collect();
    files.sort();
    if files.is_empty() {
        return Err(format!("no *_2k.log_structured.csv in {}", folder.display()).into());
    }
    Ok(files)
}

fn load(folder: &Path, corrected: Option<&Path>) -> Result<Vec<Dataset>, Box<dyn Error>> {
    let mut sets = Vec::new();
    for f in csv_files(folder)? {
        let (name, messages, truth) = read_dataset(&f)?;
        let corrected = match corrected {
            None => None,
            Some(dir) => {
                let file = dir.join(f.file_name().unwrap_or_default());
                let (_, their_messages, labels) = read_dataset(&file)?;
                if their_messages.len() != messages.len() {
                    return Err(format!("{}: not the same lines", file.display()).into());
                }
                Some(labels)
            }
        };
        sets.push(Dataset {
            name,
            messages,
            truth,
            corrected,
        });
    }
    Ok(sets)
}

type Labelled = (String, Vec<String>, Vec<String>);

fn read_dataset(path: &Path) -> Result<Labelled, Box<dyn Error>> {
    let file_name = path.file_name().map(|n| n.to_string_lossy().into_owned());
    let name = file_name
        .unwrap_or_default()
        .replace("_2k.log_structured.csv", "");
    let mut reader = csv::Reader::from_path(path)?;
    let headers = reader.headers()?.clone();
    let col = |h: &str| {
        headers
            .iter()
            .position(|x| x == h)
            .ok_or(format!("{name}: no {h} column"))
    };
    let (content, event) = (col("Content")?, col("EventId")?);
    let (mut messages, mut truth) = (Vec::new(), Vec::new());
    for rec in reader.records() {
        let rec = rec?;
        messages.push(rec.get(content).unwrap_or_default().to_string());
        truth.push(rec.get(event).unwrap_or_default().to_string());
    }
    Ok((name, messages, truth))
}

/// The per-dataset table for the default configuration; true if no set is
/// below Drain on the original labels.
fn table(sets: &[Dataset], config: MinerConfig, explain: bool, out: &mut String) -> bool {
    outln!(
        out,
        "{:<10} {:>8} {:>9} {:>6}  {:>9}",
        "dataset",
        "GA orig",
        "GA corr",
        "Drain",
        "found/true"
    );
    let mut ok = true;
    let (mut sum, mut sum_corr, mut drain_sum) = (0.0, 0.0, 0.0);
    for set in sets {
        let templates = mine(set, config);
        let (ga, wrong) = score(set, &templates, false);
        let corr = set
            .corrected
            .as_ref()
            .map(|_| score(set, &templates, true).0);
        if explain {
            print_wrong(set, config, &templates, &wrong, out);
        }
        sum += ga;
        sum_corr += corr.unwrap_or(0.0);
        let drain = DRAIN.iter().find(|(n, _)| *n == set.name).map(|&(_, g)| g);
        drain_sum += drain.unwrap_or(0.0);
        let drain_txt = drain.map_or("-".to_string(), |d| format!("{d:.3}"));
        let corr_txt = corr.map_or("-".to_string(), |c| format!("{c:.3}"));
        let below = drain.is_some_and(|d| ga + 1e-9 < d);
        ok &= !below;
        let mark = if below { "  BELOW DRAIN" } else { "" };
        let truth = set.truth.iter().collect::<HashSet<_>>().len();
        outln!(
            out,
            "{:<10} {ga:>8.3} {corr_txt:>9} {drain_txt:>6}  {:>4}/{truth:<4}{mark}",
            set.name,
            templates.len()
        );
    }
    let n = sets.len() as f64;
    let corr_mean = if sets.iter().all(|s| s.corrected.is_some()) {
        format!("{:.3}", sum_corr / n)
    } else {
        "-".to_string()
    };
    outln!(
        out,
        "{:<10} {:>8.3} {corr_mean:>9} {:>6.3}",
        "mean",
        sum / n,
        drain_sum / n
    );
    ok
}

/// `--config threshold=0.6,open_min=4,…`: the default with some settings
/// changed (for exploring; the table is otherwise the default's).
fn parse_config(spec: &str) -> Result<MinerConfig, String> {
    let mut c = MinerConfig::default();
    for kv in spec.split(',') {
        let (k, v) = kv.split_once('=').ok_or(format!("{kv}: want key=value"))?;
        let bad = |e: &dyn std::fmt::Display| format!("{kv}: {e}");
        match k {
            "threshold" => c.similarity_threshold = v.parse().map_err(|e| bad(&e))?,
            "open_min" => c.open_min_values = v.parse().map_err(|e| bad(&e))?,
            "open_share" => c.open_share = v.parse().map_err(|e| bad(&e))?,
            "closed_max" => c.closed_max = v.parse().map_err(|e| bad(&e))?,
            _ => return Err(format!("{k}: unknown setting")),
        }
    }
    Ok(c)
}

/// Configurations around the default.
fn grid() -> Vec<MinerConfig> {
    let mut grid = Vec::new();
    for similarity_threshold in [0.4, 0.5, 0.6, 0.7, 0.8] {
        for open_min_values in [2, 3, 4, 6] {
            for open_share in [0.3, 0.5, 0.7, 1.01] {
                for closed_max in [8, 16, 32] {
                    grid.push(MinerConfig {
                        similarity_threshold,
                        open_min_values,
                        open_share,
                        closed_max,
                    });
                }
            }
        }
    }
    grid
}

fn describe(c: &MinerConfig) -> String {
    format!(
        "threshold {} open_min {} open_share {} closed_max {}",
        c.similarity_threshold, c.open_min_values, c.open_share, c.closed_max
    )
}

/// Mean and worst GA of every configuration of the grid, best first.
fn sweep(grid: &[MinerConfig], scores: &[Vec<f64>], out: &mut String) {
    let mut rows: Vec<(f64, f64, &MinerConfig)> = grid
        .iter()
        .zip(scores)
        .map(|(c, s)| {
            let mean = s.iter().sum::<f64>() / s.len() as f64;
            (mean, s.iter().copied().fold(1.0, f64::min), c)
        })
        .collect();
    rows.sort_by(|a, b| b.0.total_cmp(&a.0).then(b.1.total_cmp(&a.1)));
    outln!(out, "\nsweep ({} configurations), best first:", rows.len());
    outln!(out, "  mean  worst  configuration");
    let default = MinerConfig::default();
    for (i, (mean, worst, c)) in rows.iter().enumerate() {
        if i < 15 || **c == default {
            let mark = if **c == default { "  (default)" } else { "" };
            outln!(out, "{mean:>6.3} {worst:>6.3}  {}{mark}", describe(c));
        }
    }
}

/// Leave one set out: the configurations best on the other sets score it.
/// Several usually tie on the other sets; the held-out GA is then given
/// as the worst and best over the tied ones (no tie-break that knows the
/// held-out set), and the means of both.
fn leave_one_out(sets: &[Dataset], grid: &[MinerConfig], scores: &[Vec<f64>], out: &mut String) {
    outln!(
        out,
        "\nleave-one-out (configurations best on the other sets, original labels):"
    );
    outln!(
        out,
        "{:<10} {:>6} {:>6}  tied  e.g.",
        "held out",
        "worst",
        "best"
    );
    let (mut lo_sum, mut hi_sum) = (0.0, 0.0);
    for (held, set) in sets.iter().enumerate() {
        let mean_without = |s: &Vec<f64>| {
            s.iter()
                .enumerate()
                .filter(|&(i, _)| i != held)
                .map(|(_, g)| g)
                .sum::<f64>()
        };
        let top = scores.iter().map(mean_without).fold(f64::MIN, f64::max);
        let tied: Vec<usize> = (0..grid.len())
            .filter(|&c| mean_without(&scores[c]) >= top - 1e-9)
            .collect();
        let held_ga = |c: &usize| scores[*c][held];
        let lo = tied.iter().map(held_ga).fold(1.0, f64::min);
        let hi = tied.iter().map(held_ga).fold(0.0, f64::max);
        lo_sum += lo;
        hi_sum += hi;
        outln!(
            out,
            "{:<10} {lo:>6.3} {hi:>6.3}  {:>4}  {}",
            set.name,
            tied.len(),
            describe(&grid[tied[0]])
        );
    }
    let n = sets.len() as f64;
    outln!(
        out,
        "{:<10} {:>6.3} {:>6.3}",
        "mean",
        lo_sum / n,
        hi_sum / n
    );
}

/// GA over `n` shuffles of each set's lines.
fn shuffled(sets: &[Dataset], n: usize, out: &mut String) {
    outln!(out, "\nGA over {n} random line orders (min–max):");
    let mut state = 0x9e37_79b9_7f4a_7c15u64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    for set in sets {
        let (mut lo, mut hi) = (1.0f64, 0.0f64);
        for _ in 0..n {
            let mut order: Vec<usize> = (0..set.messages.len()).collect();
            for i in (1..order.len()).rev() {
                order.swap(i, (next() % (i as u64 + 1)) as usize);
            }
            let mut miner = TemplateMiner::new(MinerConfig::default());
            for &i in &order {
                miner.add(i as u64 + 1, &set.messages[i]);
            }
            let ga = score(set, &templates_of(&miner), false).0;
            lo = lo.min(ga);
            hi = hi.max(ga);
        }
        outln!(out, "{:<10} {lo:.3}–{hi:.3}", set.name);
    }
}

/// Each template's 1-based line numbers.
type Lines = Vec<Vec<u64>>;

fn templates_of(miner: &TemplateMiner) -> Lines {
    miner.templates().into_iter().map(|t| t.lines).collect()
}

fn mine(set: &Dataset, config: MinerConfig) -> Lines {
    let mut miner = TemplateMiner::new(config);
    for (i, msg) in set.messages.iter().enumerate() {
        miner.add(i as u64 + 1, msg);
    }
    templates_of(&miner)
}

/// GA of a grouping (on the corrected labels if `corrected`), and the true
/// events it got wrong with the predicted group of each of their lines.
fn score<'d>(
    set: &'d Dataset,
    templates: &Lines,
    corrected: bool,
) -> (f64, Vec<(&'d str, Vec<usize>)>) {
    let truth = match (&set.corrected, corrected) {
        (Some(c), true) => c,
        _ => &set.truth,
    };
    let mut predicted = vec![usize::MAX; truth.len()];
    for (t, lines) in templates.iter().enumerate() {
        for &l in lines {
            predicted[l as usize - 1] = t;
        }
    }
    let mut events: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, t) in truth.iter().enumerate() {
        events.entry(t.as_str()).or_default().push(i);
    }
    let mut correct = 0;
    let mut wrong = Vec::new();
    for (event, lines) in events {
        let p = predicted[lines[0]];
        let size = templates.get(p).map_or(0, Vec::len);
        if lines.iter().all(|&l| predicted[l] == p) && size == lines.len() {
            correct += lines.len();
        } else {
            wrong.push((event, lines.iter().map(|&l| predicted[l]).collect()));
        }
    }
    wrong.sort();
    (correct as f64 / truth.len().max(1) as f64, wrong)
}

fn print_wrong(
    set: &Dataset,
    config: MinerConfig,
    templates: &Lines,
    wrong: &[(&str, Vec<usize>)],
    out: &mut String,
) {
    let miner = {
        let mut m = TemplateMiner::new(config);
        for (i, msg) in set.messages.iter().enumerate() {
            m.add(i as u64 + 1, msg);
        }
        m
    };
    let texts: Vec<String> = miner.templates().into_iter().map(|t| t.template).collect();
    outln!(out, "== {}: {} events wrong", set.name, wrong.len());
    for (event, groups) in wrong {
        let mut distinct = groups.clone();
        distinct.sort_unstable();
        distinct.dedup();
        outln!(
            out,
            "{event} ({} lines) -> {} groups",
            groups.len(),
            distinct.len()
        );
        for &g in distinct.iter().take(4) {
            let Some(lines) = templates.get(g) else {
                continue;
            };
            let example = lines
                .first()
                .map_or("", |&l| set.messages[l as usize - 1].as_str());
            outln!(
                out,
                "   [{} in group] {:?}\n      e.g. {example:?}",
                lines.len(),
                texts.get(g).map_or("", String::as_str)
            );
        }
    }
}
