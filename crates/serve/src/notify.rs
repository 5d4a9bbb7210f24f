//! `--notify URL`: each change of decision is POSTed as JSON (a
//! Slack-compatible incoming-webhook body, built by the caller) from a task
//! of its own, so ingestion never waits on it. The writer hands notices
//! over a bounded queue without blocking (a full queue drops the notice
//! with a loud line). Each notice gets [`ATTEMPTS`] tries, each under
//! [`ATTEMPT_TIMEOUT`], with doubling pauses from the configured first
//! backoff; a 2xx ends it. Notices are sent in order.
//!
//! Plain `http://` only: TLS is not built in (as for serving). Slack's
//! `https://hooks.slack.com/…` is reached through a local forwarder, e.g.
//! the reverse proxy the README shows.

use std::time::Duration;

use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper::{Request, Uri};
use hyper_util::rt::TokioIo;
use tokio::net::TcpStream;
use tokio::sync::mpsc;

/// Tries per notice.
pub const ATTEMPTS: u32 = 5;
/// Time one try may take (connect, send, answer).
pub const ATTEMPT_TIMEOUT: Duration = Duration::from_secs(10);

/// Where and how notices go.
#[derive(Debug, Clone)]
pub struct Notify {
    pub url: Uri,
    /// The pause after the first failed try (doubled after each next one).
    pub backoff: Duration,
}

/// Why a `--notify` URL is refused.
#[derive(Debug, thiserror::Error)]
pub enum NotifyUrlError {
    #[error("--notify {0:?} is not a URL: {1}")]
    Parse(String, String),
    #[error(
        "--notify {0:?}: only http:// is supported (TLS is not built in); point it at a local forwarder to an https:// webhook"
    )]
    Scheme(String),
}

impl Notify {
    /// Parses `url` (http only), with the first backoff.
    pub fn parse(url: &str, backoff: Duration) -> Result<Notify, NotifyUrlError> {
        let uri: Uri = url.parse().map_err(|e: hyper::http::uri::InvalidUri| {
            NotifyUrlError::Parse(url.into(), e.to_string())
        })?;
        if uri.scheme_str() != Some("http") || uri.host().is_none() {
            return Err(NotifyUrlError::Scheme(url.into()));
        }
        Ok(Notify { url: uri, backoff })
    }
}

/// Sends every notice received until the sender is gone.
pub async fn run(notify: Notify, mut rx: mpsc::Receiver<Vec<u8>>) {
    while let Some(body) = rx.recv().await {
        let body = Bytes::from(body);
        let mut pause = notify.backoff;
        for attempt in 1..=ATTEMPTS {
            let sent = tokio::time::timeout(ATTEMPT_TIMEOUT, post(&notify.url, body.clone())).await;
            let why = match sent {
                Ok(Ok(status)) if (200..300).contains(&status) => {
                    eprintln!("logs serve: notified {} of the new decision", notify.url);
                    break;
                }
                Ok(Ok(status)) => format!("answered {status}"),
                Ok(Err(e)) => e,
                Err(_) => format!("no answer within {ATTEMPT_TIMEOUT:?}"),
            };
            if attempt == ATTEMPTS {
                eprintln!(
                    "logs serve: ERROR: notifying {} failed {ATTEMPTS} times ({why}); notice dropped",
                    notify.url
                );
            } else {
                eprintln!(
                    "logs serve: notifying {} failed ({why}); try {} in {pause:?}",
                    notify.url,
                    attempt + 1
                );
                tokio::time::sleep(pause).await;
                pause = pause.saturating_mul(2);
            }
        }
    }
}

/// One POST; the answer's status.
async fn post(url: &Uri, body: Bytes) -> Result<u16, String> {
    let host = url.host().unwrap_or("localhost");
    let port = url.port_u16().unwrap_or(80);
    let stream = TcpStream::connect((host, port))
        .await
        .map_err(|e| format!("cannot connect: {e}"))?;
    let (mut sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .map_err(|e| e.to_string())?;
    tokio::spawn(async move {
        let _ = conn.await;
    });
    let path = url.path_and_query().map_or("/", |p| p.as_str());
    let authority = url.authority().map_or(host, |a| a.as_str());
    let request = Request::post(path)
        .header("host", authority)
        .header("content-type", "application/json")
        .header(
            "user-agent",
            concat!("logs-serve/", env!("CARGO_PKG_VERSION")),
        )
        .body(Full::new(body))
        .map_err(|e| e.to_string())?;
    let answer = sender
        .send_request(request)
        .await
        .map_err(|e| e.to_string())?;
    let status = answer.status().as_u16();
    // Read the answer to its end (bounded by the attempt's timeout).
    let _ = answer.into_body().collect().await;
    Ok(status)
}
