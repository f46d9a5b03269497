//! The one HTTP client every adapter's SDK client is built on.

use aws_smithy_http_client::tls::{self, rustls_provider::CryptoMode};
use aws_smithy_http_client::Builder;
use aws_smithy_runtime_api::client::http::SharedHttpClient;

/// HTTPS (and plain HTTP, for a local endpoint) over hyper 1 and rustls with *ring*: the SDK's
/// default client is the same stack with aws-lc, whose C library weighs about a megabyte more
/// in every function binary.
pub fn https_client() -> SharedHttpClient {
    Builder::new()
        .tls_provider(tls::Provider::Rustls(CryptoMode::Ring))
        .build_https()
}
