//! Items as the SDK sees them: primary keys, typed reads of attributes, JSON documents.

use super::schema::{PARTITION_KEY, SORT_KEY};
use aws_sdk_dynamodb::types::AttributeValue;
use gradual_core::deployment::DeploymentId;
use gradual_core::ports::StoreError;
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::collections::HashMap;
use std::fmt;
use thiserror::Error;
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

pub(super) type Item = HashMap<String, AttributeValue>;

/// The attribute holding an item's JSON document.
pub(super) const DOCUMENT: &str = "document";
/// The attribute naming the deployment an active slot or a request token belongs to.
pub(super) const DEPLOYMENT_ID: &str = "deploymentId";

/// The primary key of one item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct ItemKey {
    pub partition: String,
    pub sort: String,
}

impl ItemKey {
    pub(super) fn new(partition: impl Into<String>, sort: impl Into<String>) -> ItemKey {
        ItemKey {
            partition: partition.into(),
            sort: sort.into(),
        }
    }

    /// The key as attributes: the `Key` of a request, or the start of a new item.
    pub(super) fn attributes(&self) -> Item {
        Item::from([
            (PARTITION_KEY.to_owned(), text(&self.partition)),
            (SORT_KEY.to_owned(), text(&self.sort)),
        ])
    }

    /// This key plus `attributes`, as a whole item.
    pub(super) fn with(
        &self,
        attributes: impl IntoIterator<Item = (&'static str, AttributeValue)>,
    ) -> Item {
        let mut item = self.attributes();
        item.extend(
            attributes
                .into_iter()
                .map(|(name, value)| (name.to_owned(), value)),
        );
        item
    }
}

impl fmt::Display for ItemKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.partition, self.sort)
    }
}

/// A stored item that does not have the shape this code writes.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub(super) enum ItemError {
    #[error("item {key} has no {attribute} attribute")]
    Missing { key: String, attribute: String },
    #[error("attribute {attribute} of item {key} is not {expected}")]
    WrongType {
        key: String,
        attribute: String,
        expected: &'static str,
    },
    #[error("attribute {attribute} of item {key} is malformed: {detail}")]
    Malformed {
        key: String,
        attribute: String,
        detail: String,
    },
}

impl ItemError {
    pub(super) fn malformed(item: &Item, attribute: &str, detail: impl fmt::Display) -> ItemError {
        ItemError::Malformed {
            key: describe(item),
            attribute: attribute.to_owned(),
            detail: detail.to_string(),
        }
    }
}

impl From<ItemError> for StoreError {
    fn from(error: ItemError) -> StoreError {
        StoreError::Backend(format!("a stored item is not readable: {error}"))
    }
}

/// A string attribute.
pub(super) fn text(value: impl Into<String>) -> AttributeValue {
    AttributeValue::S(value.into())
}

/// A number attribute.
pub(super) fn number(value: impl fmt::Display) -> AttributeValue {
    AttributeValue::N(value.to_string())
}

/// `value` as a JSON string attribute.
pub(super) fn json(value: &impl Serialize) -> Result<AttributeValue, StoreError> {
    serde_json::to_string(value)
        .map(AttributeValue::S)
        .map_err(|error| StoreError::Backend(format!("could not encode an item as JSON: {error}")))
}

/// The string attribute `attribute`, if present.
pub(super) fn optional_text<'a>(
    item: &'a Item,
    attribute: &str,
) -> Result<Option<&'a str>, ItemError> {
    match item.get(attribute) {
        None => Ok(None),
        Some(AttributeValue::S(value)) => Ok(Some(value)),
        Some(_) => Err(wrong_type(item, attribute, "a string")),
    }
}

/// The string attribute `attribute`.
pub(super) fn required_text<'a>(item: &'a Item, attribute: &str) -> Result<&'a str, ItemError> {
    optional_text(item, attribute)?.ok_or_else(|| missing(item, attribute))
}

/// The number attribute `attribute`, as an unsigned integer.
pub(super) fn required_count(item: &Item, attribute: &str) -> Result<u64, ItemError> {
    match item.get(attribute) {
        None => Err(missing(item, attribute)),
        Some(AttributeValue::N(value)) => value
            .parse()
            .map_err(|error| ItemError::malformed(item, attribute, error)),
        Some(_) => Err(wrong_type(item, attribute, "a number")),
    }
}

/// The JSON string attribute `attribute`, decoded, if present.
pub(super) fn optional_json<T: DeserializeOwned>(
    item: &Item,
    attribute: &str,
) -> Result<Option<T>, ItemError> {
    optional_text(item, attribute)?
        .map(|text| {
            serde_json::from_str(text).map_err(|error| ItemError::malformed(item, attribute, error))
        })
        .transpose()
}

/// The JSON string attribute `attribute`, decoded.
pub(super) fn required_json<T: DeserializeOwned>(
    item: &Item,
    attribute: &str,
) -> Result<T, ItemError> {
    optional_json(item, attribute)?.ok_or_else(|| missing(item, attribute))
}

/// An instant as an RFC 3339 string attribute.
pub(super) fn timestamp(at: OffsetDateTime) -> Result<AttributeValue, StoreError> {
    at.format(&Rfc3339)
        .map(AttributeValue::S)
        .map_err(|error| StoreError::Backend(format!("could not write the time {at}: {error}")))
}

/// The RFC 3339 string attribute `attribute`, if present.
pub(super) fn optional_time(
    item: &Item,
    attribute: &str,
) -> Result<Option<OffsetDateTime>, ItemError> {
    optional_text(item, attribute)?
        .map(|text| {
            OffsetDateTime::parse(text, &Rfc3339)
                .map_err(|error| ItemError::malformed(item, attribute, error))
        })
        .transpose()
}

/// The RFC 3339 string attribute `attribute`.
pub(super) fn required_time(item: &Item, attribute: &str) -> Result<OffsetDateTime, ItemError> {
    optional_time(item, attribute)?.ok_or_else(|| missing(item, attribute))
}

/// The deployment an active slot or a request token belongs to.
pub(super) fn required_deployment_id(item: &Item) -> Result<DeploymentId, ItemError> {
    required_text(item, DEPLOYMENT_ID)?
        .parse()
        .map_err(|error| ItemError::malformed(item, DEPLOYMENT_ID, error))
}

/// The item's key, for messages.
pub(super) fn describe(item: &Item) -> String {
    let part = |name: &str| match item.get(name) {
        Some(AttributeValue::S(value)) => value.as_str(),
        _ => "?",
    };
    format!("{}/{}", part(PARTITION_KEY), part(SORT_KEY))
}

fn missing(item: &Item, attribute: &str) -> ItemError {
    ItemError::Missing {
        key: describe(item),
        attribute: attribute.to_owned(),
    }
}

fn wrong_type(item: &Item, attribute: &str, expected: &'static str) -> ItemError {
    ItemError::WrongType {
        key: describe(item),
        attribute: attribute.to_owned(),
        expected,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_become_the_table_key_attributes() {
        let item = ItemKey::new("APP#shop", "APP").with([("groupCount", number(2))]);
        assert_eq!(required_text(&item, PARTITION_KEY), Ok("APP#shop"));
        assert_eq!(required_text(&item, SORT_KEY), Ok("APP"));
        assert_eq!(required_count(&item, "groupCount"), Ok(2));
    }

    #[test]
    fn errors_name_the_item_and_the_attribute() {
        let item = ItemKey::new("APP#shop", "APP").with([("document", number(1))]);
        let missing = required_text(&item, "status").unwrap_err();
        assert_eq!(
            missing.to_string(),
            "item APP#shop/APP has no status attribute"
        );
        let wrong = required_json::<serde_json::Value>(&item, DOCUMENT).unwrap_err();
        assert_eq!(
            wrong.to_string(),
            "attribute document of item APP#shop/APP is not a string"
        );
        let item = ItemKey::new("APP#shop", "APP").with([("document", text("{"))]);
        let malformed = required_json::<serde_json::Value>(&item, DOCUMENT).unwrap_err();
        assert!(
            malformed
                .to_string()
                .starts_with("attribute document of item APP#shop/APP is malformed: "),
            "{malformed}"
        );
    }
}
