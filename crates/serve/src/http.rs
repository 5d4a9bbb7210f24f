//! The HTTP side (hyper 1 on tokio): routes, limits, the signature check
//! and graceful shutdown. Answers: POST → 200 stored, 403 signature
//! missing or wrong, 413 too large (on the wire or decoded), 400 bad
//! gzip or a malformed record, 408 body too slow, 415 unknown encoding,
//! 500 storing failed; GET /healthz → 200; GET /status → the judgement;
//! GET / → the page.

use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use http_body_util::{BodyExt, Full, Limited};
use hyper::body::{Bytes, Incoming};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use tokio::net::TcpListener;
use tokio::sync::{Semaphore, mpsc, oneshot};

use crate::batch::{self, BatchError};
use crate::judging::Judging;
use crate::writer::Job;
use crate::{Config, ServeError};

/// Time a client has to send its headers, then its body.
const HEADER_TIMEOUT: Duration = Duration::from_secs(30);
const BODY_TIMEOUT: Duration = Duration::from_secs(60);
/// Time in-flight requests get after a shutdown signal.
const DRAIN_TIMEOUT: Duration = Duration::from_secs(30);

struct State {
    config: Config,
    jobs: mpsc::Sender<Job>,
}

type Reply = Response<Full<Bytes>>;

pub async fn serve(config: Config, jobs: mpsc::Sender<Job>) -> Result<(), ServeError> {
    let addr = config.listen;
    let listener = TcpListener::bind(addr)
        .await
        .map_err(|source| ServeError::Listen { addr, source })?;
    let local = listener
        .local_addr()
        .map_err(|source| ServeError::Listen { addr, source })?;
    crate::log_info!(
        "listening on http://{local}, storing in {}",
        config.dir.display()
    );
    let limit = Arc::new(Semaphore::new(config.max_connections.max(1)));
    let state = Arc::new(State { config, jobs });
    let graceful = GracefulShutdown::new();
    let shutdown = shutdown_signal();
    tokio::pin!(shutdown);
    loop {
        let permit = tokio::select! {
            p = limit.clone().acquire_owned() => p,
            () = &mut shutdown => break,
        };
        let Ok(permit) = permit else { break };
        let stream = tokio::select! {
            a = listener.accept() => a,
            () = &mut shutdown => break,
        };
        let stream = match stream {
            Ok((s, _)) => s,
            Err(e) => {
                crate::log_warn!("accept failed: {e}");
                continue;
            }
        };
        let state = state.clone();
        let conn = http1::Builder::new()
            .timer(TokioTimer::new())
            .header_read_timeout(HEADER_TIMEOUT)
            .serve_connection(
                TokioIo::new(stream),
                service_fn(move |req| {
                    let state = state.clone();
                    async move { Ok::<_, Infallible>(handle(&state, req).await) }
                }),
            );
        let conn = graceful.watch(conn);
        tokio::spawn(async move {
            let _ = conn.await;
            drop(permit);
        });
    }
    drop(listener);
    crate::log_info!("shutting down, finishing the requests in flight");
    tokio::select! {
        () = graceful.shutdown() => {}
        () = tokio::time::sleep(DRAIN_TIMEOUT) => {
            crate::log_warn!("requests still in flight after {DRAIN_TIMEOUT:?}, stopping");
        }
    }
    Ok(())
}

async fn shutdown_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => tokio::select! {
                _ = term.recv() => {}
                _ = tokio::signal::ctrl_c() => {}
            },
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

fn reply(state: &State, status: StatusCode, kind: &str, body: impl Into<Bytes>) -> Reply {
    let mut builder = Response::builder()
        .status(status)
        .header("content-type", kind);
    if let Some(v) = &state.config.verify {
        builder = builder.header("x-vercel-verify", v.as_str());
    }
    builder
        .body(Full::new(body.into()))
        .unwrap_or_else(|_| Response::new(Full::new(Bytes::new())))
}

fn text(state: &State, status: StatusCode, msg: &str) -> Reply {
    if status.is_client_error() || status.is_server_error() {
        crate::log_warn!("{} {}", status.as_u16(), msg);
    }
    reply(
        state,
        status,
        "text/plain; charset=utf-8",
        format!("{msg}\n"),
    )
}

async fn handle(state: &State, req: Request<Incoming>) -> Reply {
    match (req.method(), req.uri().path()) {
        (&Method::GET, "/healthz") => text(state, StatusCode::OK, "ok"),
        (&Method::GET, "/status") => {
            ask(state, |r| Job::Ask(Judging::Status(r)), "application/json").await
        }
        (&Method::POST, _) => drain(state, req).await,
        (&Method::GET | &Method::HEAD, "/") => {
            ask(
                state,
                |r| Job::Ask(Judging::Page(r)),
                "text/html; charset=utf-8",
            )
            .await
        }
        _ => text(state, StatusCode::NOT_FOUND, "not found"),
    }
}

/// A question for the writer (the judge lives there).
async fn ask(state: &State, job: fn(oneshot::Sender<Vec<u8>>) -> Job, kind: &str) -> Reply {
    let (tx, rx) = oneshot::channel();
    if state.jobs.send(job(tx)).await.is_err() {
        return text(state, StatusCode::SERVICE_UNAVAILABLE, "shutting down");
    }
    match rx.await {
        Ok(body) => reply(state, StatusCode::OK, kind, body),
        Err(_) => text(state, StatusCode::SERVICE_UNAVAILABLE, "shutting down"),
    }
}

async fn drain(state: &State, req: Request<Incoming>) -> Reply {
    let cfg = &state.config;
    let Some(signature) = req
        .headers()
        .get("x-vercel-signature")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
    else {
        return text(state, StatusCode::FORBIDDEN, "missing x-vercel-signature");
    };
    let declared = req
        .headers()
        .get("content-length")
        .and_then(|v| v.to_str().ok()?.parse::<u64>().ok());
    if declared.is_some_and(|n| n > cfg.max_body) {
        return text(state, StatusCode::PAYLOAD_TOO_LARGE, "body too large");
    }
    let encoding = req
        .headers()
        .get("content-encoding")
        .and_then(|v| v.to_str().ok())
        .map(|v| v.trim().to_ascii_lowercase());
    let collect = Limited::new(req.into_body(), cfg.max_body as usize).collect();
    let body = match tokio::time::timeout(BODY_TIMEOUT, collect).await {
        Err(_) => return text(state, StatusCode::REQUEST_TIMEOUT, "body too slow"),
        Ok(Err(e)) if e.is::<http_body_util::LengthLimitError>() => {
            return text(state, StatusCode::PAYLOAD_TOO_LARGE, "body too large");
        }
        Ok(Err(e)) => return text(state, StatusCode::BAD_REQUEST, &format!("body: {e}")),
        Ok(Ok(b)) => b.to_bytes(),
    };
    if !crate::verify::signature_ok(&cfg.secret, &body, &signature) {
        return text(state, StatusCode::FORBIDDEN, "wrong x-vercel-signature");
    }
    let decoded = match encoding.as_deref() {
        None | Some("" | "identity") => {
            if body.len() as u64 > cfg.max_decoded {
                return text(state, StatusCode::PAYLOAD_TOO_LARGE, "body too large");
            }
            body.to_vec()
        }
        Some("gzip" | "x-gzip") => {
            let max = cfg.max_decoded;
            match tokio::task::spawn_blocking(move || batch::gunzip(&body, max)).await {
                Ok(Ok(d)) => d,
                Ok(Err(e)) => return refused(state, &e),
                Err(e) => return text(state, StatusCode::INTERNAL_SERVER_ERROR, &e.to_string()),
            }
        }
        Some(other) => {
            let msg = format!("content-encoding {other:?} not supported (gzip or none)");
            return text(state, StatusCode::UNSUPPORTED_MEDIA_TYPE, &msg);
        }
    };
    let records = match tokio::task::spawn_blocking(move || batch::split(&decoded)).await {
        Ok(Ok(r)) => r,
        Ok(Err(e)) => return refused(state, &e),
        Err(e) => return text(state, StatusCode::INTERNAL_SERVER_ERROR, &e.to_string()),
    };
    let (tx, rx) = oneshot::channel();
    let job = Job::Store { records, reply: tx };
    if state.jobs.send(job).await.is_err() {
        return text(state, StatusCode::SERVICE_UNAVAILABLE, "shutting down");
    }
    match rx.await {
        Ok(Ok(s)) => reply(
            state,
            StatusCode::OK,
            "application/json",
            format!(
                "{{\"stored\":{},\"duplicates\":{}}}\n",
                s.written, s.duplicates
            ),
        ),
        Ok(Err(e)) => text(
            state,
            StatusCode::INTERNAL_SERVER_ERROR,
            &format!("storing failed: {e}"),
        ),
        Err(_) => text(state, StatusCode::SERVICE_UNAVAILABLE, "shutting down"),
    }
}

fn refused(state: &State, e: &BatchError) -> Reply {
    let status = match e {
        BatchError::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
        _ => StatusCode::BAD_REQUEST,
    };
    text(state, status, &format!("nothing stored: {e}"))
}
