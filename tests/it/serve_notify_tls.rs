//! `logs serve --notify https://…`: the notice goes over TLS to a local
//! receiver (Python's `http.server` behind `ssl`, with a certificate for
//! 127.0.0.1 that `openssl` signs with a test CA) when `--notify-ca`
//! trusts that CA, and is refused, with a loud line, when nothing does.
//! Every wait is a bounded loop.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use crate::common::Dir;
use crate::serve::{Server, ndjson, sample_lines};

/// Accepts one POST over TLS, writes its body to `out`, answers 200.
const RECEIVER: &str = r#"
import http.server, ssl, sys
class H(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("content-length", 0)))
        with open(sys.argv[3], "wb") as f:
            f.write(body)
        self.send_response(200)
        self.send_header("content-length", "0")
        self.end_headers()
    def log_message(self, *args):
        pass
server = http.server.HTTPServer(("127.0.0.1", 0), H)
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain(sys.argv[1], sys.argv[2])
server.socket = ctx.wrap_socket(server.socket, server_side=True)
server.timeout = 60
print(server.server_address[1], flush=True)
while True:
    server.handle_request()
"#;

/// A test CA and a server certificate it signed for 127.0.0.1:
/// (CA certificate, server certificate, server key), as PEM files.
fn certificates(dir: &Path) -> (String, String, String) {
    let p = |name: &str| dir.join(name).to_string_lossy().into_owned();
    let (ca, ca_key, csr, cert, key, ext) = (
        p("ca.pem"),
        p("ca.key"),
        p("server.csr"),
        p("server.pem"),
        p("server.key"),
        p("server.ext"),
    );
    std::fs::write(
        &ext,
        "subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n",
    )
    .expect("write");
    let ec = [
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:P-256",
        "-nodes",
    ];
    let steps: [Vec<&str>; 3] = [
        [
            &["req", "-x509"],
            &ec[..],
            &["-days", "2", "-subj", "/CN=logs test CA"],
        ]
        .concat()
        .into_iter()
        .chain(["-keyout", &ca_key, "-out", &ca])
        .collect(),
        [
            &["req"],
            &ec[..],
            &["-subj", "/CN=127.0.0.1", "-keyout", &key, "-out", &csr],
        ]
        .concat(),
        vec![
            "x509",
            "-req",
            "-in",
            &csr,
            "-CA",
            &ca,
            "-CAkey",
            &ca_key,
            "-CAcreateserial",
            "-days",
            "2",
            "-extfile",
            &ext,
            "-out",
            &cert,
        ],
    ];
    for args in steps {
        let made = Command::new("openssl")
            .args(&args)
            .current_dir(dir)
            .output()
            .expect("openssl (Debian package openssl) runs");
        assert!(
            made.status.success(),
            "{}",
            String::from_utf8_lossy(&made.stderr)
        );
    }
    (ca, cert, key)
}

struct Receiver {
    child: Child,
    port: u16,
}

impl Drop for Receiver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn receiver(cert: &str, key: &str, out: &Path) -> Receiver {
    let mut child = Command::new("python3")
        .arg("-c")
        .arg(RECEIVER)
        .args([cert, key])
        .arg(out)
        .stdout(Stdio::piped())
        .spawn()
        .expect("python3 runs");
    let mut line = String::new();
    let stdout = child.stdout.take().expect("stdout");
    BufReader::new(stdout).read_line(&mut line).expect("port");
    let port = line.trim().parse().expect("the receiver prints its port");
    Receiver { child, port }
}

/// Waits (bounded) until `done` holds of the server's log so far.
fn wait_for(server: &Server, done: impl Fn(&str) -> bool) {
    for _ in 0..300 {
        let log = server.log.lock().map(|l| l.clone()).unwrap_or_default();
        if done(&log) {
            return;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn an_https_webhook_gets_the_notice_when_its_certificate_is_trusted() {
    let tmp = Dir::new();
    let (ca, cert, key) = certificates(tmp.path());
    let out = tmp.path().join("notice.json");
    let rx = receiver(&cert, &key, &out);
    let url = format!("https://127.0.0.1:{}/services/T0/B0/XXXX", rx.port);
    let data = tmp.path().join("drain");
    let server = Server::start(
        &data,
        &[
            "--notify",
            &url,
            "--notify-ca",
            &ca,
            "--notify-backoff-ms",
            "50",
        ],
    );
    assert_eq!(server.post(ndjson(&sample_lines()).as_bytes(), &[]).0, 200);
    // The receiver writes the notice before it answers, and the server
    // logs "notified" once answered: waiting for the file alone raced with
    // that line.
    wait_for(&server, |log| {
        log.contains("notified ") || log.contains("notice dropped")
    });
    let log = server.log.lock().expect("log").clone();
    let body = std::fs::read(&out).unwrap_or_else(|_| panic!("no notice arrived:\n{log}"));
    let notice: serde_json::Value = serde_json::from_slice(&body).expect("JSON notice");
    assert_eq!(notice["decision"], "rollback", "{notice}");
    assert!(
        notice["text"]
            .as_str()
            .is_some_and(|t| t.starts_with("ROLLBACK NOW")),
        "{notice}"
    );
    assert!(log.contains("notified https://127.0.0.1:"), "{log}");
}

#[test]
fn an_untrusted_https_certificate_is_refused_and_said_so() {
    let tmp = Dir::new();
    let (_ca, cert, key) = certificates(tmp.path());
    let out = tmp.path().join("notice.json");
    let rx = receiver(&cert, &key, &out);
    let url = format!("https://127.0.0.1:{}/hook", rx.port);
    let data = tmp.path().join("drain");
    let server = Server::start(&data, &["--notify", &url, "--notify-backoff-ms", "20"]);
    assert_eq!(server.post(ndjson(&sample_lines()).as_bytes(), &[]).0, 200);
    wait_for(&server, |log| {
        out.exists() || log.contains("notice dropped")
    });
    let log = server.log.lock().expect("log").clone();
    assert!(
        !out.exists(),
        "a notice went to an untrusted server:\n{log}"
    );
    assert!(log.contains("TLS:") && log.contains("certificate"), "{log}");
    assert!(
        log.contains("ERROR: notifying") && log.contains("notice dropped"),
        "{log}"
    );
}
