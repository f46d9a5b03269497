//! A stand-in for Lambda's Runtime API (the `2018-06-01` interface a custom runtime polls), so
//! that a function's release binary runs on this machine as Lambda runs it: the process asks for
//! the next event, handles it and posts the response or the error. [`RuntimeApi::invoke`] hands
//! it one event and waits for the answer.

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use serde_json::Value;
use std::collections::HashMap;
use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use tokio::net::TcpListener;
use tokio::sync::{mpsc, oneshot};

const PREFIX: &str = "/2018-06-01/runtime/";
/// How long an invocation may take before [`RuntimeApi::invoke`] gives up on it.
const INVOCATION_TIMEOUT: Duration = Duration::from_secs(30);

/// What the function answered to one event.
#[derive(Debug, Clone, PartialEq)]
pub enum Answer {
    Response(Value),
    /// The runtime's error document (`errorType`, `errorMessage`).
    Error(Value),
    /// The process reported an initialisation error, or did not answer in time.
    NoAnswer(String),
}

struct Shared {
    function_arn: String,
    queued: tokio::sync::Mutex<mpsc::Receiver<(String, Value)>>,
    waiting: Mutex<HashMap<String, oneshot::Sender<Answer>>>,
    init_error: Mutex<Option<String>>,
}

/// One function's Runtime API, on a free loopback port.
pub struct RuntimeApi {
    address: SocketAddr,
    shared: Arc<Shared>,
    queue: mpsc::Sender<(String, Value)>,
    next_id: AtomicU64,
}

impl RuntimeApi {
    /// Starts serving; events carry `function_arn` as the invoked function.
    pub async fn start(function_arn: &str) -> std::io::Result<RuntimeApi> {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let address = listener.local_addr()?;
        let (queue, queued) = mpsc::channel(16);
        let shared = Arc::new(Shared {
            function_arn: function_arn.to_owned(),
            queued: tokio::sync::Mutex::new(queued),
            waiting: Mutex::new(HashMap::new()),
            init_error: Mutex::new(None),
        });
        let serving = Arc::clone(&shared);
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let shared = Arc::clone(&serving);
                tokio::spawn(async move {
                    let service = service_fn(move |request| {
                        let shared = Arc::clone(&shared);
                        async move { Ok::<_, Infallible>(route(&shared, request).await) }
                    });
                    // A connection closing mid-request is the process going away: nothing to do.
                    let _ = http1::Builder::new()
                        .serve_connection(TokioIo::new(stream), service)
                        .await;
                });
            }
        });
        Ok(RuntimeApi {
            address,
            shared,
            queue,
            next_id: AtomicU64::new(1),
        })
    }

    /// `host:port`, the value of `AWS_LAMBDA_RUNTIME_API`.
    pub fn address(&self) -> String {
        self.address.to_string()
    }

    /// Hands `event` to the function and waits for its answer.
    pub async fn invoke(&self, event: Value) -> Answer {
        let id = format!(
            "{:08x}-0000-4000-8000-{:012x}",
            std::process::id(),
            self.next_id.fetch_add(1, Ordering::Relaxed)
        );
        let (answer, answered) = oneshot::channel();
        lock(&self.shared.waiting).insert(id.clone(), answer);
        if self.queue.send((id, event)).await.is_err() {
            return Answer::NoAnswer("the runtime API stopped".to_owned());
        }
        match tokio::time::timeout(INVOCATION_TIMEOUT, answered).await {
            Ok(Ok(answer)) => answer,
            _ => {
                Answer::NoAnswer(lock(&self.shared.init_error).clone().unwrap_or_else(|| {
                    format!("no answer within {} s", INVOCATION_TIMEOUT.as_secs())
                }))
            }
        }
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

async fn route(shared: &Shared, request: Request<Incoming>) -> Response<Full<Bytes>> {
    let method = request.method().clone();
    let path = request.uri().path().to_owned();
    let Some(rest) = path.strip_prefix(PREFIX) else {
        return status(StatusCode::NOT_FOUND);
    };
    match (method, rest.split('/').collect::<Vec<_>>().as_slice()) {
        (Method::GET, ["invocation", "next"]) => next(shared).await,
        (Method::POST, ["invocation", id, outcome @ ("response" | "error")]) => {
            let body = read_json(request).await;
            let answer = if *outcome == "response" {
                Answer::Response(body)
            } else {
                Answer::Error(body)
            };
            match lock(&shared.waiting).remove(*id) {
                Some(waiting) => {
                    let _ = waiting.send(answer);
                    status(StatusCode::ACCEPTED)
                }
                None => status(StatusCode::BAD_REQUEST),
            }
        }
        (Method::POST, ["init", "error"]) => {
            let body = read_json(request).await;
            *lock(&shared.init_error) = Some(format!("initialisation failed: {body}"));
            status(StatusCode::ACCEPTED)
        }
        _ => status(StatusCode::NOT_FOUND),
    }
}

/// The next queued event, waiting for one as Lambda's long poll does.
async fn next(shared: &Shared) -> Response<Full<Bytes>> {
    let Some((id, event)) = shared.queued.lock().await.recv().await else {
        return status(StatusCode::GONE);
    };
    let deadline = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default()
        .as_millis()
        + INVOCATION_TIMEOUT.as_millis();
    Response::builder()
        .status(StatusCode::OK)
        .header("content-type", "application/json")
        .header("lambda-runtime-aws-request-id", id)
        .header("lambda-runtime-deadline-ms", deadline.to_string())
        .header("lambda-runtime-invoked-function-arn", &shared.function_arn)
        .header(
            "lambda-runtime-trace-id",
            "Root=1-00000000-000000000000000000000000;Sampled=0",
        )
        .body(Full::new(Bytes::from(event.to_string())))
        .expect("a well-formed response")
}

async fn read_json(request: Request<Incoming>) -> Value {
    match request.into_body().collect().await {
        Ok(body) => serde_json::from_slice(&body.to_bytes()).unwrap_or(Value::Null),
        Err(_) => Value::Null,
    }
}

fn status(code: StatusCode) -> Response<Full<Bytes>> {
    Response::builder()
        .status(code)
        .body(Full::new(Bytes::new()))
        .expect("a well-formed response")
}
