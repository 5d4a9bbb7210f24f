//! Grouping accuracy of the template miner on the Loghub 2k samples.
//!
//! `cargo bench --bench loghub_accuracy -- <folder> [--explain | --sweep]`
//! (the folder is `../shared/loghub`; its data never enters this
//! repository) reads every
//! `*_2k.log_structured.csv` in the folder, mines its `Content` column with
//! `MinerConfig::default()` and scores the grouping against `EventId` with
//! grouping accuracy (GA: a line is correct iff its predicted group holds
//! exactly the lines of its true group). It prints one row per dataset next
//! to Drain's published GA, then the mean.
//!
//! `--explain` also lists, per dataset, the true events that were split or
//! merged (error analysis). `--sweep` prints mean and worst GA over a grid
//! of configurations around the default, to show how sensitive the default
//! is; the table itself always uses the default.
//!
//! Exit status: 0 if the mean reaches 0.95 and no dataset is below Drain,
//! 1 otherwise, 2 on an input error. Without a folder (a plain `cargo
//! bench`) it says so and exits 0.

use std::collections::HashMap;
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

/// One labelled sample: messages and their true event ids.
struct Dataset {
    name: String,
    messages: Vec<String>,
    truth: Vec<String>,
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(folder) = args.iter().find(|a| !a.starts_with("--")) else {
        eprintln!(
            "loghub_accuracy: skipped; usage: cargo bench --bench loghub_accuracy -- <loghub folder> [--explain | --sweep]"
        );
        return ExitCode::SUCCESS;
    };
    let flag = |f: &str| args.iter().any(|a| a == f);
    let mut out = String::new();
    let result = load(Path::new(folder)).map(|sets| {
        if flag("--sweep") {
            sweep(&sets, &mut out);
        }
        table(&sets, flag("--explain"), &mut out)
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

fn load(folder: &Path) -> Result<Vec<Dataset>, Box<dyn Error>> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(folder)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.to_string_lossy().ends_with("_2k.log_structured.csv"))
        .collect();
    files.sort();
    if files.is_empty() {
        return Err(format!("no *_2k.log_structured.csv in {}", folder.display()).into());
    }
    files.iter().map(|f| read_dataset(f)).collect()
}

fn read_dataset(path: &Path) -> Result<Dataset, Box<dyn Error>> {
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
    Ok(Dataset {
        name,
        messages,
        truth,
    })
}

/// Prints the per-dataset table for the default configuration; true if
/// the targets are met.
fn table(sets: &[Dataset], explain: bool, out: &mut String) -> bool {
    outln!(
        out,
        "{:<10} {:>6} {:>6}  {:>9}",
        "dataset",
        "GA",
        "Drain",
        "found/true"
    );
    let mut ok = true;
    let mut sum = 0.0;
    for set in sets {
        let miner = mine(set, MinerConfig::default());
        let (ga, wrong) = score(set, &miner);
        if explain {
            print_wrong(set, &miner, &wrong, out);
        }
        sum += ga;
        let drain = DRAIN.iter().find(|(n, _)| *n == set.name).map(|&(_, g)| g);
        let drain_txt = drain.map_or("-".to_string(), |d| format!("{d:.3}"));
        let below = drain.is_some_and(|d| ga + 1e-9 < d);
        ok &= !below;
        let mark = if below { "  BELOW DRAIN" } else { "" };
        let truth = set
            .truth
            .iter()
            .collect::<std::collections::HashSet<_>>()
            .len();
        outln!(
            out,
            "{:<10} {ga:>6.3} {drain_txt:>6}  {:>4}/{truth:<4}{mark}",
            set.name,
            miner.len()
        );
    }
    let mean = sum / sets.len() as f64;
    outln!(out, "{:<10} {mean:>6.3} {:>6.3}", "mean", 0.921);
    ok && mean >= 0.95
}

/// Mean and worst GA over a grid of configurations.
fn sweep(sets: &[Dataset], out: &mut String) {
    outln!(out, "threshold max_words   mean  worst");
    for threshold in [0.4, 0.5, 0.6, 0.7, 0.8] {
        for max_words in [2, 3, 4, 5, 6, 8] {
            let config = MinerConfig {
                similarity_threshold: threshold,
                max_words,
                ..MinerConfig::default()
            };
            let gas: Vec<f64> = sets.iter().map(|s| score(s, &mine(s, config)).0).collect();
            let mean = gas.iter().sum::<f64>() / gas.len() as f64;
            let worst = gas.iter().copied().fold(1.0, f64::min);
            outln!(
                out,
                "{threshold:>9} {max_words:>9} {mean:>6.3} {worst:>6.3}"
            );
        }
    }
}

fn mine(set: &Dataset, config: MinerConfig) -> TemplateMiner {
    let mut miner = TemplateMiner::new(config);
    for (i, msg) in set.messages.iter().enumerate() {
        miner.add(i as u64 + 1, msg);
    }
    miner
}

/// GA of the miner's final output (each template's line list), and the
/// true events it got wrong with the predicted group of each line.
fn score<'d>(set: &'d Dataset, miner: &TemplateMiner) -> (f64, Vec<(&'d str, Vec<usize>)>) {
    let mut predicted = vec![u32::MAX; set.truth.len()];
    let mut size: HashMap<u32, usize> = HashMap::new();
    for t in miner.templates() {
        size.insert(t.id.0, t.lines.len());
        for l in t.lines {
            predicted[l as usize - 1] = t.id.0;
        }
    }
    let mut events: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, t) in set.truth.iter().enumerate() {
        events.entry(t.as_str()).or_default().push(i);
    }
    let mut correct = 0;
    let mut wrong = Vec::new();
    for (event, lines) in events {
        let p = predicted[lines[0]];
        if lines.iter().all(|&l| predicted[l] == p) && size.get(&p) == Some(&lines.len()) {
            correct += lines.len();
        } else {
            let groups = lines.iter().map(|&l| predicted[l] as usize).collect();
            wrong.push((event, groups));
        }
    }
    (correct as f64 / set.truth.len().max(1) as f64, wrong)
}

fn print_wrong(
    set: &Dataset,
    miner: &TemplateMiner,
    wrong: &[(&str, Vec<usize>)],
    out: &mut String,
) {
    let templates = miner.templates();
    let by_id: HashMap<u32, _> = templates.iter().map(|t| (t.id.0, t)).collect();
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
        for g in distinct.iter().take(4) {
            let Some(t) = by_id.get(&(*g as u32)) else {
                continue;
            };
            let example = t
                .lines
                .first()
                .map_or("", |&l| set.messages[l as usize - 1].as_str());
            outln!(
                out,
                "   [{} in group] {:?}\n      e.g. {example:?}",
                t.count,
                t.template
            );
        }
    }
}
