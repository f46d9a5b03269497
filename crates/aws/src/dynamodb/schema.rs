//! The table's schema, as data: what [`create_table`](super::create_table) creates and what
//! `template.yaml` must declare. Names and values are the ones DynamoDB and CloudFormation use.

/// The table's partition key.
pub const PARTITION_KEY: &str = "PK";
/// The table's sort key.
pub const SORT_KEY: &str = "SK";
/// The index listing a group's deployments newest first.
pub const GROUP_INDEX: &str = "GSI1";
pub const GROUP_INDEX_PARTITION_KEY: &str = "GSI1PK";
pub const GROUP_INDEX_SORT_KEY: &str = "GSI1SK";
/// Items carrying this attribute (epoch seconds) are deleted by DynamoDB once it has passed.
pub const TIME_TO_LIVE_ATTRIBUTE: &str = "expiresAt";

/// DynamoDB's scalar attribute types, as far as keys use them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AttributeType {
    String,
    Number,
}

impl AttributeType {
    /// The name in `AttributeDefinitions` (`S`, `N`).
    pub fn as_str(self) -> &'static str {
        match self {
            AttributeType::String => "S",
            AttributeType::Number => "N",
        }
    }
}

/// One entry of `AttributeDefinitions`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AttributeSchema {
    pub name: &'static str,
    pub attribute_type: AttributeType,
}

/// A table's or an index's key: `HASH` then `RANGE`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeySchema {
    pub partition: &'static str,
    pub sort: &'static str,
}

/// Which attributes an index copies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Projection {
    /// The table's and the index's keys only.
    KeysOnly,
}

impl Projection {
    /// The name in `Projection.ProjectionType`.
    pub fn as_str(self) -> &'static str {
        match self {
            Projection::KeysOnly => "KEYS_ONLY",
        }
    }
}

/// One entry of `GlobalSecondaryIndexes`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IndexSchema {
    pub name: &'static str,
    pub key: KeySchema,
    pub projection: Projection,
}

/// How the table is billed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BillingMode {
    /// On demand: no capacity to plan.
    PayPerRequest,
}

impl BillingMode {
    /// The name in `BillingMode`.
    pub fn as_str(self) -> &'static str {
        match self {
            BillingMode::PayPerRequest => "PAY_PER_REQUEST",
        }
    }
}

/// Everything that defines the table apart from its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TableSchema {
    pub attributes: &'static [AttributeSchema],
    pub key: KeySchema,
    pub global_indexes: &'static [IndexSchema],
    pub time_to_live_attribute: &'static str,
    pub billing_mode: BillingMode,
}

/// gradual's table.
pub const TABLE_SCHEMA: TableSchema = TableSchema {
    attributes: &[
        string_attribute(PARTITION_KEY),
        string_attribute(SORT_KEY),
        string_attribute(GROUP_INDEX_PARTITION_KEY),
        string_attribute(GROUP_INDEX_SORT_KEY),
    ],
    key: KeySchema {
        partition: PARTITION_KEY,
        sort: SORT_KEY,
    },
    global_indexes: &[IndexSchema {
        name: GROUP_INDEX,
        key: KeySchema {
            partition: GROUP_INDEX_PARTITION_KEY,
            sort: GROUP_INDEX_SORT_KEY,
        },
        projection: Projection::KeysOnly,
    }],
    time_to_live_attribute: TIME_TO_LIVE_ATTRIBUTE,
    billing_mode: BillingMode::PayPerRequest,
};

const fn string_attribute(name: &'static str) -> AttributeSchema {
    AttributeSchema {
        name,
        attribute_type: AttributeType::String,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_attribute_is_defined_exactly_once() {
        let defined: Vec<&str> = TABLE_SCHEMA.attributes.iter().map(|a| a.name).collect();
        let mut keys = vec![TABLE_SCHEMA.key.partition, TABLE_SCHEMA.key.sort];
        for index in TABLE_SCHEMA.global_indexes {
            keys.extend([index.key.partition, index.key.sort]);
        }
        // CreateTable refuses definitions no key uses, and keys without a definition.
        let mut sorted_defined = defined.clone();
        sorted_defined.sort_unstable();
        sorted_defined.dedup();
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(sorted_defined.len(), defined.len(), "duplicate definitions");
        assert_eq!(sorted_defined, keys);
    }

    #[test]
    fn the_time_to_live_attribute_is_not_a_key() {
        assert!(TABLE_SCHEMA
            .attributes
            .iter()
            .all(|a| a.name != TABLE_SCHEMA.time_to_live_attribute));
    }
}
