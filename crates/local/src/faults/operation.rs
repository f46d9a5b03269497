//! Which AWS operation an HTTP request of the SDK calls, read from the request itself: the
//! service from the SigV4 credential scope, the operation from the protocol (`X-Amz-Target`
//! for the JSON protocols, `Action=` for the query protocol, method and path for Lambda's REST
//! API).

use aws_smithy_runtime_api::client::orchestrator::HttpRequest;
use std::fmt;

/// An AWS operation, as IAM names it: `dynamodb:UpdateItem`, `lambda:UpdateAlias`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Operation {
    /// The signing name: `dynamodb`, `lambda`, `elasticloadbalancing`, `sns`, `monitoring`.
    pub service: String,
    pub name: String,
}

impl Operation {
    pub fn new(service: &str, name: &str) -> Self {
        Operation {
            service: service.to_owned(),
            name: name.to_owned(),
        }
    }

    /// The operation `request` calls.
    pub fn of(request: &HttpRequest) -> Self {
        let service = request
            .headers()
            .get("authorization")
            .and_then(signing_service)
            .unwrap_or("unknown")
            .to_owned();
        let name = operation_name(request);
        Operation { service, name }
    }

    /// How the service answers a request it refuses: the protocol decides the error's shape.
    pub fn protocol(&self) -> Protocol {
        match self.service.as_str() {
            "dynamodb" | "states" => Protocol::AwsJson,
            "lambda" => Protocol::RestJson,
            _ => Protocol::AwsQuery,
        }
    }
}

impl fmt::Display for Operation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.service, self.name)
    }
}

/// The wire protocols of the services gradual calls.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Protocol {
    AwsJson,
    RestJson,
    AwsQuery,
}

/// `AWS4-HMAC-SHA256 Credential=<key>/<date>/<region>/<service>/aws4_request, …`
fn signing_service(authorization: &str) -> Option<&str> {
    let scope = authorization.split("Credential=").nth(1)?;
    scope.split(['/', ',']).nth(3)
}

fn operation_name(request: &HttpRequest) -> String {
    if let Some(target) = request.headers().get("x-amz-target") {
        return target.rsplit('.').next().unwrap_or(target).to_owned();
    }
    if let Some(action) = request
        .body()
        .bytes()
        .and_then(|body| std::str::from_utf8(body).ok())
        .and_then(query_action)
    {
        return action.to_owned();
    }
    lambda_operation(request.method(), request.uri())
}

fn query_action(form: &str) -> Option<&str> {
    form.split('&')
        .find_map(|pair| pair.strip_prefix("Action="))
}

/// Lambda's REST API: `/2015-03-31/functions/<name>[/…]`.
fn lambda_operation(method: &str, uri: &str) -> String {
    let path = uri
        .split("://")
        .nth(1)
        .and_then(|rest| rest.find('/').map(|at| &rest[at..]))
        .unwrap_or(uri);
    let path = path.split('?').next().unwrap_or(path);
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    let name = match (method, segments.as_slice()) {
        ("GET", [_, "functions", _]) => "GetFunction",
        ("GET", [_, "functions", _, "aliases", _]) => "GetAlias",
        ("PUT", [_, "functions", _, "aliases", _]) => "UpdateAlias",
        ("GET", [_, "functions", _, "versions"]) => "ListVersionsByFunction",
        ("POST", [_, "functions", _, "versions"]) => "PublishVersion",
        ("POST", [_, "functions", _, "invocations"]) => "Invoke",
        ("GET", [_, "functions", _, "configuration"]) => "GetFunctionConfiguration",
        _ => return format!("{method} {path}"),
    };
    name.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_service_is_the_credential_scope_s() {
        let header = "AWS4-HMAC-SHA256 Credential=testing/20261201/us-east-1/elasticloadbalancing/aws4_request, SignedHeaders=host, Signature=abc";
        assert_eq!(signing_service(header), Some("elasticloadbalancing"));
    }

    #[test]
    fn lambda_paths_name_their_operations() {
        let base = "http://127.0.0.1:5000/2015-03-31/functions/checkout";
        assert_eq!(
            lambda_operation("PUT", &format!("{base}/aliases/live")),
            "UpdateAlias"
        );
        assert_eq!(
            lambda_operation("GET", &format!("{base}/versions?Marker=2")),
            "ListVersionsByFunction"
        );
        assert_eq!(lambda_operation("GET", base), "GetFunction");
        assert_eq!(
            lambda_operation("DELETE", &format!("{base}/aliases/live")),
            "DELETE /2015-03-31/functions/checkout/aliases/live"
        );
    }

    #[test]
    fn the_query_protocol_names_the_action_in_the_form() {
        assert_eq!(
            query_action("Action=ModifyListener&Version=2015-12-01&ListenerArn=x"),
            Some("ModifyListener")
        );
    }
}
