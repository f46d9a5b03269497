//! Creates the table from [`TABLE_SCHEMA`], for tests and offline runs (SAM creates it in AWS).

use super::schema::{
    AttributeType, BillingMode, IndexSchema, KeySchema, Projection, TableSchema, TABLE_SCHEMA,
};
use aws_sdk_dynamodb::client::Waiters;
use aws_sdk_dynamodb::error::{BuildError, DisplayErrorContext};
use aws_sdk_dynamodb::types::{
    self as sdk, AttributeDefinition, GlobalSecondaryIndex, KeySchemaElement, KeyType,
    ScalarAttributeType, TimeToLiveSpecification,
};
use aws_sdk_dynamodb::Client;
use std::time::Duration;
use thiserror::Error;

/// How long a new table may take to become ACTIVE.
const ACTIVE_WITHIN: Duration = Duration::from_secs(120);

#[derive(Debug, Error)]
pub enum TableError {
    #[error("could not describe table {table} to DynamoDB: {detail}")]
    Request { table: String, detail: String },
    #[error("CreateTable {table} failed: {detail}")]
    Create { table: String, detail: String },
    #[error("table {table} did not become ACTIVE within {}s: {detail}", ACTIVE_WITHIN.as_secs())]
    NotActive { table: String, detail: String },
    #[error("enabling time to live on {table}.{attribute} failed: {detail}")]
    TimeToLive {
        table: String,
        attribute: &'static str,
        detail: String,
    },
}

/// Creates table `name` with gradual's schema, waits until it is ACTIVE and enables time to live.
pub async fn create_table(client: &Client, name: &str) -> Result<(), TableError> {
    let schema = TABLE_SCHEMA;
    let request_error = |error: BuildError| TableError::Request {
        table: name.to_owned(),
        detail: error.to_string(),
    };
    let mut request = client
        .create_table()
        .table_name(name)
        .billing_mode(billing_mode(schema.billing_mode))
        .set_key_schema(Some(key_schema(schema.key).map_err(request_error)?));
    for attribute in schema.attributes {
        let definition = AttributeDefinition::builder()
            .attribute_name(attribute.name)
            .attribute_type(attribute_type(attribute.attribute_type))
            .build()
            .map_err(request_error)?;
        request = request.attribute_definitions(definition);
    }
    for index in schema.global_indexes {
        request = request.global_secondary_indexes(global_index(index).map_err(request_error)?);
    }
    request.send().await.map_err(|error| TableError::Create {
        table: name.to_owned(),
        detail: DisplayErrorContext(error).to_string(),
    })?;

    client
        .wait_until_table_exists()
        .table_name(name)
        .wait(ACTIVE_WITHIN)
        .await
        .map_err(|error| TableError::NotActive {
            table: name.to_owned(),
            detail: DisplayErrorContext(error).to_string(),
        })?;
    enable_time_to_live(client, name, &schema).await
}

async fn enable_time_to_live(
    client: &Client,
    name: &str,
    schema: &TableSchema,
) -> Result<(), TableError> {
    let failure = |detail: String| TableError::TimeToLive {
        table: name.to_owned(),
        attribute: schema.time_to_live_attribute,
        detail,
    };
    let specification = TimeToLiveSpecification::builder()
        .attribute_name(schema.time_to_live_attribute)
        .enabled(true)
        .build()
        .map_err(|error| failure(error.to_string()))?;
    client
        .update_time_to_live()
        .table_name(name)
        .time_to_live_specification(specification)
        .send()
        .await
        .map_err(|error| failure(DisplayErrorContext(error).to_string()))?;
    Ok(())
}

fn key_schema(key: KeySchema) -> Result<Vec<KeySchemaElement>, BuildError> {
    Ok(vec![
        KeySchemaElement::builder()
            .attribute_name(key.partition)
            .key_type(KeyType::Hash)
            .build()?,
        KeySchemaElement::builder()
            .attribute_name(key.sort)
            .key_type(KeyType::Range)
            .build()?,
    ])
}

fn global_index(index: &IndexSchema) -> Result<GlobalSecondaryIndex, BuildError> {
    GlobalSecondaryIndex::builder()
        .index_name(index.name)
        .set_key_schema(Some(key_schema(index.key)?))
        .projection(
            sdk::Projection::builder()
                .projection_type(projection_type(index.projection))
                .build(),
        )
        .build()
}

fn attribute_type(attribute_type: AttributeType) -> ScalarAttributeType {
    match attribute_type {
        AttributeType::String => ScalarAttributeType::S,
        AttributeType::Number => ScalarAttributeType::N,
    }
}

fn projection_type(projection: Projection) -> sdk::ProjectionType {
    match projection {
        Projection::KeysOnly => sdk::ProjectionType::KeysOnly,
    }
}

fn billing_mode(mode: BillingMode) -> sdk::BillingMode {
    match mode {
        BillingMode::PayPerRequest => sdk::BillingMode::PayPerRequest,
    }
}
