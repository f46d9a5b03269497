//! The fault injector on the wire: an HTTP client between gradual's SDK clients and the
//! emulator that, as the plan says, answers a call with the protocol's throttling error, a 500
//! or a 503, fails it with a timeout or a reset connection before it reaches the emulator, or
//! lets the emulator apply it and loses the answer.

use super::{FaultKind, FaultPlan, Operation, Protocol};
use aws_sdk_lambda::primitives::SdkBody;
use aws_smithy_runtime_api::client::http::{
    HttpClient, HttpConnector, HttpConnectorFuture, HttpConnectorSettings, SharedHttpClient,
    SharedHttpConnector,
};
use aws_smithy_runtime_api::client::orchestrator::{HttpRequest, HttpResponse};
use aws_smithy_runtime_api::client::result::ConnectorError;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_runtime_api::http::StatusCode;
use std::sync::Arc;

/// Wraps the emulator's HTTP client.
#[derive(Clone)]
pub struct FaultyHttpClient {
    pub inner: SharedHttpClient,
    pub plan: Arc<FaultPlan>,
}

impl std::fmt::Debug for FaultyHttpClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("FaultyHttpClient")
    }
}

impl HttpClient for FaultyHttpClient {
    fn http_connector(
        &self,
        settings: &HttpConnectorSettings,
        components: &RuntimeComponents,
    ) -> SharedHttpConnector {
        SharedHttpConnector::new(FaultyConnector {
            inner: self.inner.http_connector(settings, components),
            plan: Arc::clone(&self.plan),
        })
    }
}

struct FaultyConnector {
    inner: SharedHttpConnector,
    plan: Arc<FaultPlan>,
}

impl std::fmt::Debug for FaultyConnector {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("FaultyConnector")
    }
}

impl HttpConnector for FaultyConnector {
    fn call(&self, request: HttpRequest) -> HttpConnectorFuture {
        let operation = Operation::of(&request);
        let Some(kind) = self.plan.on_call(&operation) else {
            return self.inner.call(request);
        };
        let injected = |what: &str| format!("{what} ({kind} injected on {operation})");
        match kind {
            FaultKind::Timeout => HttpConnectorFuture::ready(Err(ConnectorError::timeout(
                injected("the call timed out").into(),
            ))),
            FaultKind::Reset => HttpConnectorFuture::ready(Err(ConnectorError::io(
                injected("connection reset by peer").into(),
            ))),
            FaultKind::LostResponse => {
                let inner = self.inner.clone();
                let lost = injected("the connection dropped before the answer arrived");
                HttpConnectorFuture::new(async move {
                    // The emulator applies the request; its answer never reaches the caller.
                    let _ = inner.call(request).await;
                    Err(ConnectorError::io(lost.into()))
                })
            }
            FaultKind::Throttle | FaultKind::InternalError | FaultKind::Unavailable => {
                HttpConnectorFuture::ready(Ok(error_response(kind, operation.protocol())))
            }
        }
    }
}

/// The error the service answers, in the shape its protocol gives errors.
fn error_response(kind: FaultKind, protocol: Protocol) -> HttpResponse {
    let (status, code, message) = match (kind, protocol) {
        (FaultKind::Throttle, Protocol::RestJson) => {
            (429, "TooManyRequestsException", "Rate exceeded")
        }
        (FaultKind::Throttle, Protocol::AwsJson) => (400, "ThrottlingException", "Rate exceeded"),
        (FaultKind::Throttle, Protocol::AwsQuery) => (400, "Throttling", "Rate exceeded"),
        (FaultKind::Unavailable, _) => (503, "ServiceUnavailable", "Service unavailable"),
        _ => (500, "InternalFailure", "Internal error"),
    };
    let body = match protocol {
        Protocol::AwsJson => format!(r#"{{"__type":"{code}","message":"{message}"}}"#),
        Protocol::RestJson => format!(r#"{{"Type":"Service","message":"{message}"}}"#),
        Protocol::AwsQuery => format!(
            "<ErrorResponse><Error><Type>Sender</Type><Code>{code}</Code>\
             <Message>{message}</Message></Error><RequestId>injected</RequestId></ErrorResponse>"
        ),
    };
    let mut response = HttpResponse::new(
        StatusCode::try_from(status).expect("a valid status"),
        SdkBody::from(body),
    );
    let content_type = match protocol {
        Protocol::AwsJson => "application/x-amz-json-1.0",
        Protocol::RestJson => "application/json",
        Protocol::AwsQuery => "text/xml",
    };
    response.headers_mut().insert("content-type", content_type);
    if protocol == Protocol::RestJson {
        response.headers_mut().insert("x-amzn-errortype", code);
    }
    response
}
