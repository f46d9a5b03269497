//! Loading definitions: substitutions, and the refusal of everything the local executor
//! cannot run faithfully, with the construct and its place named.

use crate::support as asl_support;

use std::collections::BTreeMap;

use asl_support::{load, single_state};
use async_trait::async_trait;
use gradual_asl::{FunctionRegistry, LoadError, StateMachine, StatesError, TaskResource};
use serde_json::{json, Value};

fn refusal(definition: Value) -> String {
    load(&definition)
        .expect_err("the definition must be refused")
        .to_string()
}

#[test]
fn an_unknown_state_type_is_named_with_its_place() {
    assert_eq!(
        refusal(single_state(json!({"Type": "Choices", "End": true}))),
        "States.S.Type: state type \"Choices\" is not supported"
    );
}

#[test]
fn unknown_and_unsupported_fields_are_told_apart() {
    assert_eq!(
        refusal(single_state(
            json!({"Type": "Pass", "End": true, "Colour": "red"})
        )),
        "States.S: unknown field \"Colour\""
    );
    let bake = json!({"StartAt": "Bake", "States": {"Bake": {
        "Type": "Task",
        "Resource": "arn:aws:states:::lambda:invoke",
        "Parameters": {"FunctionName": "bake"},
        "Credentials": {"RoleArn": "arn:aws:iam::1:role/r"},
        "End": true
    }}});
    assert_eq!(
        refusal(bake),
        "States.Bake: field \"Credentials\" is not supported by the local executor"
    );
}

#[test]
fn jsonata_is_refused_at_the_top_and_in_states() {
    let mut top = single_state(json!({"Type": "Pass", "End": true}));
    top["QueryLanguage"] = json!("JSONata");
    assert_eq!(
        refusal(top),
        "StateMachine.QueryLanguage: QueryLanguage \"JSONata\" is not supported (only JSONPath is)"
    );
    let in_state = single_state(json!({"Type": "Pass", "End": true, "QueryLanguage": "JSONata"}));
    assert!(matches!(
        load(&in_state),
        Err(LoadError::UnsupportedQueryLanguage { at, .. }) if at == "States.S.QueryLanguage"
    ));
    let mut explicit = single_state(json!({"Type": "Pass", "End": true}));
    explicit["QueryLanguage"] = json!("JSONPath");
    assert!(load(&explicit).is_ok());
}

#[test]
fn unsupported_resources_are_refused_unless_registered() {
    let definition = single_state(json!({
        "Type": "Task",
        "Resource": "arn:aws:states:::dynamodb:putItem",
        "Parameters": {"TableName": "t"},
        "End": true
    }));
    assert_eq!(
        refusal(definition.clone()),
        "States.S.Resource: resource \"arn:aws:states:::dynamodb:putItem\" is not supported by the local executor"
    );
    assert!(load(&single_state(json!({
        "Type": "Task", "Resource": "arn:aws:states:::lambda:invoke.sync",
        "Parameters": {"FunctionName": "f"}, "End": true
    })))
    .is_err());

    struct PutItem;
    #[async_trait]
    impl TaskResource for PutItem {
        async fn call(&self, parameters: Value) -> Result<Value, StatesError> {
            Ok(parameters)
        }
    }
    let registry = FunctionRegistry::new();
    registry.register_resource("arn:aws:states:::dynamodb:putItem", PutItem);
    assert!(StateMachine::load_with(&definition.to_string(), &BTreeMap::new(), &registry).is_ok());
}

#[test]
fn lambda_resources_are_accepted_in_their_forms() {
    for resource in [
        "arn:aws:states:::lambda:invoke",
        "arn:aws:states:::lambda:invoke.waitForTaskToken",
    ] {
        let definition = single_state(json!({
            "Type": "Task", "Resource": resource,
            "Parameters": {"FunctionName": "f", "Payload.$": "$"}, "End": true
        }));
        assert!(load(&definition).is_ok(), "{resource}");
    }
    for arn in [
        "arn:aws:lambda:us-east-1:123456789012:function:f",
        "arn:aws:lambda:us-east-1:123456789012:function:f:live",
    ] {
        let definition = single_state(json!({"Type": "Task", "Resource": arn, "End": true}));
        assert!(load(&definition).is_ok(), "{arn}");
    }
}

#[test]
fn lambda_invoke_parameters_are_checked() {
    let without_name = single_state(json!({
        "Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
        "Parameters": {"Payload": {}}, "End": true
    }));
    assert_eq!(
        refusal(without_name),
        "States.S.Parameters: required field \"FunctionName\" is missing"
    );
    let with_log_type = single_state(json!({
        "Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
        "Parameters": {"FunctionName": "f", "LogType": "Tail"}, "End": true
    }));
    assert_eq!(
        refusal(with_log_type),
        "States.S.Parameters: field \"LogType\" is not supported by the local executor"
    );
    let asynchronous = single_state(json!({
        "Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
        "Parameters": {"FunctionName": "f", "InvocationType": "Event"}, "End": true
    }));
    assert!(refusal(asynchronous).starts_with("States.S.Parameters.InvocationType:"));
}

#[test]
fn an_unsupported_intrinsic_is_named() {
    let definition = single_state(json!({
        "Type": "Pass", "Parameters": {"digest.$": "States.Hash($.x, 'SHA-256')"}, "End": true
    }));
    assert_eq!(
        refusal(definition),
        "States.S.Parameters.digest.$: intrinsic function \"States.Hash\" is not supported"
    );
    let malformed = single_state(json!({
        "Type": "Pass", "Parameters": {"v.$": "States.Format('{}', $.a"}, "End": true
    }));
    assert!(matches!(
        load(&malformed),
        Err(LoadError::InvalidIntrinsic { .. })
    ));
}

#[test]
fn transitions_must_land_on_existing_states() {
    let definition = json!({"StartAt": "A", "States": {
        "A": {"Type": "Pass", "Next": "Nowhere"}
    }});
    assert_eq!(
        refusal(definition),
        "States.A.Next: refers to state \"Nowhere\", which does not exist here"
    );
    let bad_start = json!({"StartAt": "Z", "States": {"A": {"Type": "Pass", "End": true}}});
    assert!(
        matches!(load(&bad_start), Err(LoadError::MissingTransitionTarget { at, .. }) if at == "StartAt")
    );
    let bad_catch = single_state(json!({
        "Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
        "Parameters": {"FunctionName": "f"}, "End": true,
        "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Handler"}]
    }));
    assert!(
        matches!(load(&bad_catch), Err(LoadError::MissingTransitionTarget { at, .. }) if at == "States.S.Catch[0].Next")
    );
    let bad_default = single_state(json!({
        "Type": "Choice", "Choices": [{"Variable": "$.a", "IsNull": true, "Next": "S"}], "Default": "Gone"
    }));
    assert!(
        matches!(load(&bad_default), Err(LoadError::MissingTransitionTarget { at, .. }) if at == "States.S.Default")
    );
}

#[test]
fn branches_may_not_jump_outside_themselves() {
    let definition = json!({"StartAt": "P", "States": {
        "P": {"Type": "Parallel", "End": true, "Branches": [
            {"StartAt": "Inside", "States": {"Inside": {"Type": "Pass", "Next": "Outside"}}}
        ]},
        "Outside": {"Type": "Pass", "End": true}
    }});
    assert!(matches!(
        load(&definition),
        Err(LoadError::MissingTransitionTarget { at, .. }) if at == "States.P.Branches[0].States.Inside.Next"
    ));
}

#[test]
fn unreachable_and_duplicate_states_are_refused() {
    let unreachable = json!({"StartAt": "A", "States": {
        "A": {"Type": "Pass", "End": true},
        "B": {"Type": "Pass", "End": true}
    }});
    assert_eq!(
        refusal(unreachable),
        "States.B: state is not reachable from StartAt"
    );
    let duplicate = json!({"StartAt": "P", "States": {
        "P": {"Type": "Parallel", "End": true, "Branches": [
            {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}
        ]}
    }});
    assert!(
        matches!(load(&duplicate), Err(LoadError::DuplicateStateName { name, .. }) if name == "P")
    );
}

#[test]
fn terminal_rules_are_enforced() {
    let both = single_state(json!({"Type": "Pass", "Next": "S", "End": true}));
    assert_eq!(
        refusal(both),
        "States.S: a state cannot have both Next and End"
    );
    let neither = single_state(json!({"Type": "Pass"}));
    assert_eq!(
        refusal(neither),
        "States.S: a state needs either Next or \"End\": true"
    );
    let choice_with_end = single_state(json!({
        "Type": "Choice", "End": true, "Choices": [{"Variable": "$.a", "IsNull": true, "Next": "S"}]
    }));
    assert_eq!(
        refusal(choice_with_end),
        "States.S: a Choice state cannot have Next or End"
    );
    let succeed_with_next = single_state(json!({"Type": "Succeed", "Next": "S"}));
    assert!(load(&succeed_with_next).is_err());
}

#[test]
fn required_fields_are_named() {
    assert_eq!(
        refusal(single_state(json!({"Type": "Task", "End": true}))),
        "States.S: required field \"Resource\" is missing"
    );
    assert_eq!(
        refusal(json!({"States": {"S": {"Type": "Pass", "End": true}}})),
        "StateMachine: required field \"StartAt\" is missing"
    );
    assert!(load(&single_state(json!({"Type": "Wait", "End": true}))).is_err());
    assert!(load(&single_state(
        json!({"Type": "Wait", "Seconds": 1, "SecondsPath": "$.s", "End": true})
    ))
    .is_err());
    assert!(load(&single_state(
        json!({"Type": "Parallel", "Branches": [], "End": true})
    ))
    .is_err());
}

#[test]
fn retry_and_catch_are_checked() {
    let all_first = single_state(json!({
        "Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
        "Parameters": {"FunctionName": "f"}, "End": true,
        "Retry": [{"ErrorEquals": ["States.ALL"]}, {"ErrorEquals": ["Custom"]}]
    }));
    assert_eq!(
        refusal(all_first),
        "States.S.Retry[0]: States.ALL must be in the last retrier or catcher"
    );
    let slow_backoff = single_state(json!({
        "Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
        "Parameters": {"FunctionName": "f"}, "End": true,
        "Retry": [{"ErrorEquals": ["Custom"], "BackoffRate": 0.5}]
    }));
    assert!(refusal(slow_backoff).starts_with("States.S.Retry[0].BackoffRate:"));
    let odd_jitter = single_state(json!({
        "Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
        "Parameters": {"FunctionName": "f"}, "End": true,
        "Retry": [{"ErrorEquals": ["Custom"], "JitterStrategy": "HALF"}]
    }));
    assert!(load(&odd_jitter).is_err());
}

#[test]
fn task_timeouts_are_checked() {
    let heartbeat_too_long = single_state(json!({
        "Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
        "Parameters": {"FunctionName": "f"}, "End": true,
        "TimeoutSeconds": 10, "HeartbeatSeconds": 10
    }));
    assert_eq!(
        refusal(heartbeat_too_long),
        "States.S.HeartbeatSeconds: must be smaller than TimeoutSeconds"
    );
    let both = single_state(json!({
        "Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
        "Parameters": {"FunctionName": "f"}, "End": true,
        "TimeoutSeconds": 10, "TimeoutSecondsPath": "$.t"
    }));
    assert!(load(&both).is_err());
}

#[test]
fn map_modes_and_selectors_are_checked() {
    let processor = json!({"StartAt": "I", "States": {"I": {"Type": "Pass", "End": true}}});
    let mut distributed = processor.clone();
    distributed["ProcessorConfig"] = json!({"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"});
    assert!(matches!(
        load(&single_state(
            json!({"Type": "Map", "ItemProcessor": distributed, "End": true})
        )),
        Err(LoadError::UnsupportedField { .. })
    ));
    let both_selectors = single_state(json!({
        "Type": "Map", "ItemProcessor": processor, "End": true,
        "ItemSelector": {"a": 1}, "Parameters": {"a": 1}
    }));
    assert!(load(&both_selectors).is_err());
    let reader = single_state(json!({
        "Type": "Map", "ItemProcessor": processor, "End": true,
        "ItemReader": {"Resource": "arn:aws:states:::s3:getObject"}
    }));
    assert_eq!(
        refusal(reader),
        "States.S: field \"ItemReader\" is not supported by the local executor"
    );
}

#[test]
fn paths_are_checked_where_they_are_declared() {
    let wildcard_result_path =
        single_state(json!({"Type": "Pass", "ResultPath": "$.a[*]", "End": true}));
    assert!(matches!(
        load(&wildcard_result_path),
        Err(LoadError::InvalidPath { at, .. }) if at == "States.S.ResultPath"
    ));
    let filter = single_state(json!({"Type": "Pass", "InputPath": "$.a[?(@.b)]", "End": true}));
    assert!(matches!(load(&filter), Err(LoadError::InvalidPath { .. })));
    let not_a_path =
        single_state(json!({"Type": "Pass", "Parameters": {"a.$": "plain text"}, "End": true}));
    assert!(load(&not_a_path).is_err());
}

#[test]
fn substitutions_are_filled_and_unknown_ones_named() {
    let definition = r#"{"StartAt": "S", "States": {"S": {
        "Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
        "Parameters": {"FunctionName": "${DeployFunction}"}, "End": true}}}"#;
    let substitutions = BTreeMap::from([("DeployFunction".to_owned(), "deploy".to_owned())]);
    assert!(StateMachine::load(definition, &substitutions).is_ok());
    let refused = StateMachine::load(definition, &BTreeMap::new()).unwrap_err();
    assert_eq!(
        refused.to_string(),
        "the definition refers to substitution ${DeployFunction}, which was not provided"
    );
}

#[test]
fn invalid_json_and_versions_are_refused() {
    assert!(matches!(
        StateMachine::load("{not json", &BTreeMap::new()),
        Err(LoadError::InvalidJson(_))
    ));
    let mut definition = single_state(json!({"Type": "Pass", "End": true}));
    definition["Version"] = json!("2.0");
    assert!(load(&definition).is_err());
}
