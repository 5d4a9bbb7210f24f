//! `--notify URL`: each change of decision is POSTed as JSON (a
//! Slack-compatible incoming-webhook body, built by the caller) from a task
//! of its own, so ingestion never waits on it. The writer hands notices
//! over a bounded queue without blocking (a full queue drops the notice
//! with a loud line). Each notice gets [`ATTEMPTS`] tries, each under
//! [`ATTEMPT_TIMEOUT`], with doubling pauses from the configured first
//! backoff; a 2xx ends it. Notices are sent in order.
//!
//! `https://` (Slack's `hooks.slack.com`) goes over rustls, checked
//! against the Mozilla root certificates (`webpki-roots`) plus any given by
//! `--notify-ca FILE` (an internal CA); `http://` goes as it is.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper::{Request, Uri};
use hyper_util::rt::TokioIo;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpStream;
use tokio::sync::mpsc;
use tokio_rustls::TlsConnector;
use tokio_rustls::rustls::pki_types::pem::PemObject;
use tokio_rustls::rustls::pki_types::{CertificateDer, ServerName};
use tokio_rustls::rustls::{self, ClientConfig, RootCertStore};

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
    /// For `https://`.
    tls: Option<Arc<ClientConfig>>,
}

/// Why a `--notify` URL is refused.
#[derive(Debug, thiserror::Error)]
pub enum NotifyUrlError {
    #[error("--notify {0:?} is not a URL: {1}")]
    Parse(String, String),
    #[error("--notify {0:?}: the URL must start with https:// or http:// and name a host")]
    Scheme(String),
    #[error("--notify-ca {0}: {1}")]
    Ca(String, String),
}

impl Notify {
    /// Parses `url` (https or http), with the first backoff and, for
    /// https, extra root certificates from the PEM file `ca`.
    pub fn parse(
        url: &str,
        backoff: Duration,
        ca: Option<&Path>,
    ) -> Result<Notify, NotifyUrlError> {
        let uri: Uri = url.parse().map_err(|e: hyper::http::uri::InvalidUri| {
            NotifyUrlError::Parse(url.into(), e.to_string())
        })?;
        let https = match uri.scheme_str() {
            Some("https") => true,
            Some("http") => false,
            _ => return Err(NotifyUrlError::Scheme(url.into())),
        };
        if uri.host().is_none() {
            return Err(NotifyUrlError::Scheme(url.into()));
        }
        let tls = if https { Some(connector(ca)?) } else { None };
        Ok(Notify {
            url: uri,
            backoff,
            tls,
        })
    }
}

/// rustls with the Mozilla roots and those of `ca`.
fn connector(ca: Option<&Path>) -> Result<Arc<ClientConfig>, NotifyUrlError> {
    let mut roots = RootCertStore {
        roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
    };
    if let Some(path) = ca {
        let ca_err = |e: String| NotifyUrlError::Ca(path.display().to_string(), e);
        let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(path)
            .map_err(|e| ca_err(e.to_string()))?
            .collect::<Result<_, _>>()
            .map_err(|e| ca_err(e.to_string()))?;
        if certs.is_empty() {
            return Err(ca_err("holds no PEM certificate".into()));
        }
        for cert in certs {
            roots.add(cert).map_err(|e| ca_err(e.to_string()))?;
        }
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| NotifyUrlError::Ca("(TLS)".into(), e.to_string()))?
        .with_root_certificates(roots)
        .with_no_client_auth();
    Ok(Arc::new(config))
}

/// Sends every notice received until the sender is gone.
pub async fn run(notify: Notify, mut rx: mpsc::Receiver<Vec<u8>>) {
    while let Some(body) = rx.recv().await {
        let body = Bytes::from(body);
        let mut pause = notify.backoff;
        for attempt in 1..=ATTEMPTS {
            let sent = tokio::time::timeout(ATTEMPT_TIMEOUT, post(&notify, body.clone())).await;
            let why = match sent {
                Ok(Ok(status)) if (200..300).contains(&status) => {
                    crate::log_info!("notified {} of the new decision", notify.url);
                    break;
                }
                Ok(Ok(status)) => format!("answered {status}"),
                Ok(Err(e)) => e,
                Err(_) => format!("no answer within {ATTEMPT_TIMEOUT:?}"),
            };
            if attempt == ATTEMPTS {
                crate::log_error!(
                    "notifying {} failed {ATTEMPTS} times ({why}); notice dropped",
                    notify.url
                );
            } else {
                crate::log_warn!(
                    "notifying {} failed ({why}); try {} in {pause:?}",
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
async fn post(notify: &Notify, body: Bytes) -> Result<u16, String> {
    let url = &notify.url;
    let host = url.host().unwrap_or("localhost");
    // `[::1]` in a URL is `::1` to connect to and to check.
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    let port = url
        .port_u16()
        .unwrap_or(if notify.tls.is_some() { 443 } else { 80 });
    let stream = TcpStream::connect((bare, port))
        .await
        .map_err(|e| format!("cannot connect: {e}"))?;
    match &notify.tls {
        Some(tls) => {
            let name = ServerName::try_from(bare.to_string()).map_err(|e| e.to_string())?;
            let stream = TlsConnector::from(Arc::clone(tls))
                .connect(name, stream)
                .await
                .map_err(|e| format!("TLS: {e}"))?;
            send(stream, url, body).await
        }
        None => send(stream, url, body).await,
    }
}

/// The request over an open connection.
async fn send<S>(stream: S, url: &Uri, body: Bytes) -> Result<u16, String>
where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let host = url.host().unwrap_or("localhost");
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
