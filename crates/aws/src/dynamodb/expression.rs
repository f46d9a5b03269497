//! The placeholders a request's expressions use, and the conditions every item kind needs.

use super::item::Item;
use super::schema::PARTITION_KEY;
use aws_sdk_dynamodb::types::AttributeValue;
use std::collections::HashMap;

/// `#name` and `:value` placeholders shared by a request's update and condition expressions.
#[derive(Debug, Clone, Default)]
pub(super) struct Placeholders {
    names: HashMap<String, String>,
    values: Item,
}

impl Placeholders {
    pub(super) fn new() -> Placeholders {
        Placeholders::default()
    }

    /// `placeholder` (`#…`) stands for `attribute`, needed for reserved words such as `status`.
    pub(super) fn name(mut self, placeholder: &str, attribute: &str) -> Placeholders {
        self.names
            .insert(placeholder.to_owned(), attribute.to_owned());
        self
    }

    /// `placeholder` (`:…`) stands for `value`.
    pub(super) fn value(mut self, placeholder: &str, value: AttributeValue) -> Placeholders {
        self.values.insert(placeholder.to_owned(), value);
        self
    }

    /// The names for the request, or none: DynamoDB refuses an empty map.
    pub(super) fn names(&self) -> Option<HashMap<String, String>> {
        (!self.names.is_empty()).then(|| self.names.clone())
    }

    /// The values for the request, or none: DynamoDB refuses an empty map.
    pub(super) fn values(&self) -> Option<Item> {
        (!self.values.is_empty()).then(|| self.values.clone())
    }
}

/// The item does not exist yet.
pub(super) fn absent() -> String {
    format!("attribute_not_exists({PARTITION_KEY})")
}

/// The item exists.
pub(super) fn present() -> String {
    format!("attribute_exists({PARTITION_KEY})")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_placeholders_are_left_out_of_requests() {
        let placeholders = Placeholders::new();
        assert_eq!(placeholders.names(), None);
        assert_eq!(placeholders.values(), None);
        let placeholders = placeholders
            .name("#status", "status")
            .value(":next", AttributeValue::S("Failed".into()));
        assert_eq!(
            placeholders.names(),
            Some(HashMap::from([("#status".into(), "status".into())]))
        );
        assert_eq!(placeholders.values().map(|v| v.len()), Some(1));
    }
}
