//! A function with published versions 1 and 2 and an alias `live` on version 1.

use crate::{unique_name, Emulator};
use aws_sdk_lambda::types::{AliasRoutingConfiguration, FunctionCode, Runtime};
use aws_sdk_lambda::Client;
use gradual_core::LambdaAliasTarget;
use std::collections::HashMap;
use tokio::sync::OnceCell;

pub const ALIAS: &str = "live";

/// The smallest valid zip archive: an empty one.
const EMPTY_ZIP: [u8; 22] = [
    0x50, 0x4b, 0x05, 0x06, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
];

pub struct LambdaWorld {
    /// A client for setting up and inspecting, outside any router.
    pub client: Client,
    pub function: String,
}

/// What an alias says, as `GetAlias` reports it.
#[derive(Debug, Clone, PartialEq)]
pub struct AliasView {
    pub version: String,
    pub weights: HashMap<String, f64>,
    pub revision_id: String,
}

impl LambdaWorld {
    pub async fn new() -> Self {
        let client = Client::new(&Emulator::shared().await.sdk_config().await);
        let function = unique_name("fn");
        client
            .create_function()
            .function_name(&function)
            .runtime(Runtime::Python312)
            .role(role().await)
            .handler("index.handler")
            .code(
                FunctionCode::builder()
                    .zip_file(EMPTY_ZIP.to_vec().into())
                    .build(),
            )
            .publish(true)
            .send()
            .await
            .expect("create the function");
        let world = LambdaWorld { client, function };
        world.publish_version().await;
        world
            .client
            .create_alias()
            .function_name(&world.function)
            .name(ALIAS)
            .function_version("1")
            .send()
            .await
            .expect("create the alias");
        world
    }

    /// Publishes one more version and returns its number.
    pub async fn publish_version(&self) -> String {
        self.client
            .update_function_configuration()
            .function_name(&self.function)
            .description(unique_name("revision"))
            .send()
            .await
            .expect("change the function");
        self.client
            .publish_version()
            .function_name(&self.function)
            .send()
            .await
            .expect("publish a version")
            .version
            .expect("a version number")
    }

    pub fn target(&self, current: &str, target: &str) -> LambdaAliasTarget {
        LambdaAliasTarget {
            function_name: self.function.clone(),
            alias: ALIAS.to_string(),
            current_version: current.to_string(),
            target_version: target.to_string(),
        }
    }

    pub async fn alias(&self) -> AliasView {
        let alias = self
            .client
            .get_alias()
            .function_name(&self.function)
            .name(ALIAS)
            .send()
            .await
            .expect("read the alias");
        AliasView {
            version: alias.function_version().unwrap_or_default().to_string(),
            weights: alias
                .routing_config()
                .and_then(|routing| routing.additional_version_weights())
                .cloned()
                .unwrap_or_default(),
            revision_id: alias.revision_id().unwrap_or_default().to_string(),
        }
    }

    /// Changes the alias the way someone outside the deployment would.
    pub async fn set_alias(&self, version: &str, weights: &[(&str, f64)]) {
        let weights: HashMap<String, f64> = weights
            .iter()
            .map(|(version, weight)| (version.to_string(), *weight))
            .collect();
        self.client
            .update_alias()
            .function_name(&self.function)
            .name(ALIAS)
            .function_version(version)
            .routing_config(
                AliasRoutingConfiguration::builder()
                    .set_additional_version_weights(Some(weights))
                    .build(),
            )
            .send()
            .await
            .expect("change the alias");
    }
}

/// The emulator wants the function's role to exist; one role serves every test.
async fn role() -> String {
    static ROLE: OnceCell<String> = OnceCell::const_new();
    ROLE.get_or_init(|| async {
        let name = unique_name("gradual-test-role");
        let created = Emulator::shared().await.fixture(&["role", &name]).await;
        created["arn"].as_str().expect("a role ARN").to_owned()
    })
    .await
    .clone()
}
