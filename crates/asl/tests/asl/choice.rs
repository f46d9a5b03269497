//! Choice states: every comparison operator, true and false, in its literal and Path forms;
//! And, Or, Not; Default; States.NoChoiceMatched.

use crate::support as asl_support;

use asl_support::{error_of, world, World};
use serde_json::{json, Value};

/// Runs a Choice state with one rule on `$.v` and tells whether it matched.
async fn decide(world: &World, rule: Value, input: Value) -> bool {
    let mut rule = rule;
    rule["Next"] = json!("Yes");
    let definition = json!({"StartAt": "C", "States": {
        "C": {"Type": "Choice", "Choices": [rule], "Default": "No"},
        "Yes": {"Type": "Pass", "Result": true, "End": true},
        "No": {"Type": "Pass", "Result": false, "End": true}
    }});
    world.output(&definition, input).await.as_bool().unwrap()
}

/// Checks `operator` both with a literal and, where it exists, its Path form.
async fn check(world: &World, operator: &str, variable: Value, operand: Value, expected: bool) {
    let literal = json!({"Variable": "$.v", operator: operand.clone()});
    assert_eq!(
        decide(world, literal, json!({"v": variable.clone()})).await,
        expected,
        "{operator} {variable} {operand}"
    );
    let by_path = json!({"Variable": "$.v", format!("{operator}Path"): "$.other"});
    assert_eq!(
        decide(
            world,
            by_path,
            json!({"v": variable.clone(), "other": operand.clone()})
        )
        .await,
        expected,
        "{operator}Path {variable} {operand}"
    );
}

#[tokio::test]
async fn string_comparisons() {
    let world = world();
    let cases = [
        ("StringEquals", "abc", "abc", true),
        ("StringEquals", "abc", "abd", false),
        ("StringLessThan", "abc", "abd", true),
        ("StringLessThan", "abd", "abc", false),
        ("StringGreaterThan", "b", "a", true),
        ("StringGreaterThan", "a", "a", false),
        ("StringLessThanEquals", "a", "a", true),
        ("StringLessThanEquals", "b", "a", false),
        ("StringGreaterThanEquals", "a", "a", true),
        ("StringGreaterThanEquals", "a", "b", false),
    ];
    for (operator, variable, operand, expected) in cases {
        check(&world, operator, json!(variable), json!(operand), expected).await;
    }
    // A value of another type never compares as a string.
    check(&world, "StringEquals", json!(1), json!("1"), false).await;
}

#[tokio::test]
async fn numeric_comparisons() {
    let world = world();
    let cases = [
        ("NumericEquals", json!(10), json!(10.0), true),
        ("NumericEquals", json!(10), json!(11), false),
        ("NumericLessThan", json!(-1.5), json!(0), true),
        ("NumericLessThan", json!(0), json!(0), false),
        ("NumericGreaterThan", json!(3), json!(2.99), true),
        ("NumericGreaterThan", json!(2), json!(3), false),
        ("NumericLessThanEquals", json!(5), json!(5), true),
        ("NumericLessThanEquals", json!(6), json!(5), false),
        ("NumericGreaterThanEquals", json!(5), json!(5), true),
        ("NumericGreaterThanEquals", json!(4), json!(5), false),
        ("NumericEquals", json!("10"), json!(10), false),
    ];
    for (operator, variable, operand, expected) in cases {
        check(&world, operator, variable, operand, expected).await;
    }
}

#[tokio::test]
async fn boolean_comparisons() {
    let world = world();
    check(&world, "BooleanEquals", json!(true), json!(true), true).await;
    check(&world, "BooleanEquals", json!(false), json!(true), false).await;
    check(&world, "BooleanEquals", json!("true"), json!(true), false).await;
}

#[tokio::test]
async fn timestamp_comparisons() {
    let world = world();
    let early = "2016-03-14T01:59:00Z";
    let same_in_another_zone = "2016-03-14T03:59:00+02:00";
    let late = "2016-03-14T02:00:00Z";
    let cases = [
        ("TimestampEquals", early, same_in_another_zone, true),
        ("TimestampEquals", early, late, false),
        ("TimestampLessThan", early, late, true),
        ("TimestampLessThan", late, early, false),
        ("TimestampGreaterThan", late, early, true),
        ("TimestampGreaterThan", early, early, false),
        ("TimestampLessThanEquals", early, early, true),
        ("TimestampLessThanEquals", late, early, false),
        ("TimestampGreaterThanEquals", early, early, true),
        ("TimestampGreaterThanEquals", early, late, false),
        ("TimestampEquals", "not a time", early, false),
    ];
    for (operator, variable, operand, expected) in cases {
        check(&world, operator, json!(variable), json!(operand), expected).await;
    }
}

#[tokio::test]
async fn string_matches_uses_wildcards() {
    let world = world();
    let rule = |pattern: &str| json!({"Variable": "$.v", "StringMatches": pattern});
    assert!(decide(&world, rule("log-*.txt"), json!({"v": "log-2024.txt"})).await);
    assert!(!decide(&world, rule("log-*.txt"), json!({"v": "log-2024.csv"})).await);
    assert!(decide(&world, rule(r"a\*b"), json!({"v": "a*b"})).await);
    assert!(!decide(&world, rule(r"a\*b"), json!({"v": "axb"})).await);
}

#[tokio::test]
async fn type_tests() {
    let world = world();
    let cases = [
        ("IsNull", json!(null), true),
        ("IsNull", json!(0), false),
        ("IsNumeric", json!(1.5), true),
        ("IsNumeric", json!("1.5"), false),
        ("IsString", json!("x"), true),
        ("IsString", json!(1), false),
        ("IsBoolean", json!(false), true),
        ("IsBoolean", json!("false"), false),
        ("IsTimestamp", json!("2016-03-14T01:59:00Z"), true),
        ("IsTimestamp", json!("2016-03-14"), false),
    ];
    for (operator, variable, expected) in cases {
        let asserted = json!({"Variable": "$.v", operator: true});
        assert_eq!(
            decide(&world, asserted, json!({"v": variable.clone()})).await,
            expected,
            "{operator} {variable}"
        );
        let denied = json!({"Variable": "$.v", operator: false});
        assert_eq!(
            decide(&world, denied, json!({"v": variable.clone()})).await,
            !expected,
            "{operator}: false {variable}"
        );
    }
}

#[tokio::test]
async fn is_present_tells_whether_the_variable_exists() {
    let world = world();
    let present = json!({"Variable": "$.v", "IsPresent": true});
    assert!(decide(&world, present.clone(), json!({"v": null})).await);
    assert!(!decide(&world, present, json!({"w": 1})).await);
    let absent = json!({"Variable": "$.v", "IsPresent": false});
    assert!(decide(&world, absent, json!({})).await);
}

#[tokio::test]
async fn and_or_not_combine_rules() {
    let world = world();
    let between = json!({"And": [
        {"Variable": "$.v", "NumericGreaterThanEquals": 20},
        {"Variable": "$.v", "NumericLessThan": 30}
    ]});
    assert!(decide(&world, between.clone(), json!({"v": 25})).await);
    assert!(!decide(&world, between, json!({"v": 30})).await);
    let either = json!({"Or": [
        {"Variable": "$.v", "StringEquals": "a"},
        {"Variable": "$.v", "StringEquals": "b"}
    ]});
    assert!(decide(&world, either.clone(), json!({"v": "b"})).await);
    assert!(!decide(&world, either, json!({"v": "c"})).await);
    let not = json!({"Not": {"Variable": "$.v", "StringEquals": "a"}});
    assert!(decide(&world, not.clone(), json!({"v": "z"})).await);
    assert!(!decide(&world, not, json!({"v": "a"})).await);
}

#[tokio::test]
async fn the_first_matching_rule_wins_and_choice_keeps_its_input() {
    let world = world();
    let definition = json!({"StartAt": "C", "States": {
        "C": {"Type": "Choice", "InputPath": "$.data", "OutputPath": "$.payload", "Choices": [
            {"Variable": "$.n", "NumericGreaterThan": 1, "Next": "First"},
            {"Variable": "$.n", "NumericGreaterThan": 0, "Next": "Second"}
        ]},
        "First": {"Type": "Pass", "End": true},
        "Second": {"Type": "Fail", "Error": "WrongBranch"}
    }});
    let output = world
        .output(&definition, json!({"data": {"n": 5, "payload": {"p": 1}}}))
        .await;
    assert_eq!(output, json!({"p": 1}));
}

#[tokio::test]
async fn context_paths_can_be_compared() {
    let world = world();
    let rule = json!({"Variable": "$$.Execution.Name", "StringEquals": "test-run"});
    assert!(decide(&world, rule, json!({})).await);
}

#[tokio::test]
async fn no_match_without_default_fails_with_no_choice_matched() {
    let world = world();
    let definition = json!({"StartAt": "C", "States": {
        "C": {"Type": "Choice", "Choices": [{"Variable": "$.v", "StringEquals": "x", "Next": "Done"}]},
        "Done": {"Type": "Succeed"}
    }});
    let outcome = world.run(&definition, json!({"v": "y"})).await;
    assert_eq!(error_of(&outcome), "States.NoChoiceMatched");
}

#[tokio::test]
async fn a_missing_variable_is_a_runtime_error() {
    let world = world();
    let definition = json!({"StartAt": "C", "States": {
        "C": {"Type": "Choice", "Choices": [{"Variable": "$.v", "StringEquals": "x", "Next": "Done"}], "Default": "Done"},
        "Done": {"Type": "Succeed"}
    }});
    let outcome = world.run(&definition, json!({})).await;
    assert_eq!(error_of(&outcome), "States.Runtime");
}
