//! The plain-text reader and the template miner (`logs templates
//! --input-format text`): any bytes give the same report on one thread and
//! on two, its JSON parses, its table holds no control character (JSON escapes
//! what it must), and no
//! template carries what redaction would remove.

use logs::input::InputSpec;
use logs::redact::redact;
use logs::report::style::Style;
use logs::report::templates::{TemplatesFormat, write};
use logs::templates::{MinerConfig, TemplatesReport, mine_text_threads};

use super::engine::{Target, fuzz};
use super::files::Files;
use super::seeds;

/// Real messages (`tests/real/templates`, `tests/real/texts.toml`) as
/// lines, and runs of the samples' messages.
fn text_seeds() -> Vec<Vec<u8>> {
    #[derive(serde::Deserialize)]
    struct Messages {
        message: Vec<Message>,
    }
    #[derive(serde::Deserialize)]
    struct Message {
        text: String,
    }
    let read = |rel: &str| String::from_utf8(seeds::read(rel)).expect("UTF-8");
    let messages: Messages =
        toml::from_str(&read("tests/real/templates/messages.toml")).expect("messages.toml");
    let mut out: Vec<Vec<u8>> = messages
        .message
        .chunks(6)
        .map(|c| {
            let texts: Vec<&str> = c.iter().map(|m| m.text.as_str()).collect();
            texts.join("\n").into_bytes()
        })
        .collect();
    let lines: Vec<String> = seeds::lines("samples/drain.ndjson", 37, 40)
        .iter()
        .filter_map(|l| serde_json::from_slice::<serde_json::Value>(l).ok())
        .filter_map(|v| v["message"].as_str().map(str::to_string))
        .collect();
    out.extend(lines.chunks(8).map(|c| c.join("\n").into_bytes()));
    out.push(
        b"login failed for jane.doe@example.com from 203.0.113.9 token=abc123def\nlogin failed for bob@example.org from 198.51.100.7 token=zzz999yyy\n"
            .to_vec(),
    );
    out
}

fn report(files: &Files, threads: usize) -> TemplatesReport {
    let spec = InputSpec::Path(files.plain().to_path_buf());
    mine_text_threads(&[spec], MinerConfig::default(), threads)
}

pub fn templates_text() {
    const DICT: &[&[u8]] = &[
        b"\n",
        b"\r\n",
        b" ",
        b"\t",
        b"Error: ",
        b"    at ",
        b"cause: ",
        b"code: 'ECONNREFUSED'",
        b"P2002",
        b"<*>",
        b"Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.c2lnbmF0dXJlXzEyMw",
        b"sk_live_4eC39HqLyjWDarjtT1zdp7dc",
        b"AKIAIOSFODNN7EXAMPLE",
        b"+44 20 7946 0958",
    ];
    let files = Files::new();
    fuzz(
        Target {
            name: "templates_text",
            seeds: text_seeds(),
            dict: DICT,
            max_len: 16 << 10,
            cases: 300,
        },
        |bytes| {
            std::fs::write(files.plain(), bytes).expect("write");
            let one = report(&files, 1);
            let two = report(&files, 2);
            let json = serde_json::to_value(&one).expect("JSON");
            assert_eq!(
                json,
                serde_json::to_value(&two).expect("JSON"),
                "-j1 and -j2 differ"
            );
            for t in &one.templates {
                assert_eq!(redact(&t.template), t.template, "an unredacted template");
            }
            for format in [TemplatesFormat::Json, TemplatesFormat::Table] {
                let mut out = Vec::new();
                write(&one, format, Style::PLAIN, &mut out).expect("write");
                let text = String::from_utf8(out).expect("UTF-8 output");
                if format == TemplatesFormat::Json {
                    let _: serde_json::Value = serde_json::from_str(&text).expect("JSON parses");
                } else {
                    assert!(
                        !text.chars().any(|c| c.is_control() && c != '\n'),
                        "the table holds a control character: {text:?}"
                    );
                }
            }
        },
    );
}
