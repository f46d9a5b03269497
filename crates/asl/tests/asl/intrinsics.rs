//! Every supported intrinsic function, run through a Pass state's Parameters, with the
//! examples of the Step Functions documentation where it has them.

use crate::support as asl_support;

use asl_support::{error_of, single_state, world};
use serde_json::{json, Value};

/// Evaluates `call` as the `.$` value of a Pass state's Parameters against `input`.
async fn evaluate(call: &str, input: Value) -> Result<Value, String> {
    let world = world();
    let definition = single_state(json!({
        "Type": "Pass", "Parameters": {"value.$": call}, "OutputPath": "$.value", "End": true
    }));
    let outcome = world.run(&definition, input).await;
    let error = error_of(&outcome).to_owned();
    outcome.output.ok_or(error)
}

#[tokio::test]
async fn format_fills_placeholders_from_literals_and_paths() {
    let input = json!({"name": "Arnav", "template": "Hello, my name is {}."});
    assert_eq!(
        evaluate(
            "States.Format('Hello, my name is {}.', $.name)",
            input.clone()
        )
        .await,
        Ok(json!("Hello, my name is Arnav."))
    );
    assert_eq!(
        evaluate("States.Format($.template, $.name)", input).await,
        Ok(json!("Hello, my name is Arnav."))
    );
    assert_eq!(
        evaluate(
            "States.Format('{} {} {} {}', 1, 2.5, true, null)",
            json!({})
        )
        .await,
        Ok(json!("1 2.5 true null"))
    );
    assert_eq!(
        evaluate(r"States.Format('literal \{\} and {}', 'x')", json!({})).await,
        Ok(json!("literal {} and x"))
    );
    assert_eq!(
        evaluate(r"States.Format('it\'s {}', 'fine')", json!({})).await,
        Ok(json!("it's fine"))
    );
    assert_eq!(
        evaluate("States.Format('{} and {}', 'one')", json!({})).await,
        Err("States.IntrinsicFailure".to_owned())
    );
    assert_eq!(
        evaluate("States.Format('{}', $.o)", json!({"o": {"a": 1}})).await,
        Err("States.IntrinsicFailure".to_owned())
    );
}

#[tokio::test]
async fn string_to_json_and_json_to_string_round_trip() {
    assert_eq!(
        evaluate(
            "States.StringToJson($.escaped)",
            json!({"escaped": "{\"foo\": \"bar\"}"})
        )
        .await,
        Ok(json!({"foo": "bar"}))
    );
    assert_eq!(
        evaluate(
            "States.JsonToString($.unescaped)",
            json!({"unescaped": {"foo": "bar"}})
        )
        .await,
        Ok(json!("{\"foo\":\"bar\"}"))
    );
    assert_eq!(
        evaluate("States.StringToJson($.bad)", json!({"bad": "{oops"})).await,
        Err("States.IntrinsicFailure".to_owned())
    );
}

#[tokio::test]
async fn array_builds_an_array_of_its_arguments() {
    assert_eq!(
        evaluate(
            "States.Array('Foo', 2020, $.someJson, null)",
            json!({"someJson": {"random": "abcdefg"}})
        )
        .await,
        Ok(json!(["Foo", 2020, {"random": "abcdefg"}, null]))
    );
    assert_eq!(evaluate("States.Array()", json!({})).await, Ok(json!([])));
}

#[tokio::test]
async fn array_get_item_length_and_contains() {
    let input = json!({"inputArray": [1, 2, 3, 4, 5, 6, 7, 8, 9], "index": 5, "lookingFor": 5});
    assert_eq!(
        evaluate("States.ArrayGetItem($.inputArray, $.index)", input.clone()).await,
        Ok(json!(6))
    );
    assert_eq!(
        evaluate("States.ArrayGetItem($.inputArray, 9)", input.clone()).await,
        Err("States.IntrinsicFailure".to_owned())
    );
    assert_eq!(
        evaluate("States.ArrayLength($.inputArray)", input.clone()).await,
        Ok(json!(9))
    );
    assert_eq!(
        evaluate(
            "States.ArrayContains($.inputArray, $.lookingFor)",
            input.clone()
        )
        .await,
        Ok(json!(true))
    );
    assert_eq!(
        evaluate("States.ArrayContains($.inputArray, 42)", input).await,
        Ok(json!(false))
    );
    assert_eq!(
        evaluate("States.ArrayLength($.notArray)", json!({"notArray": "x"})).await,
        Err("States.IntrinsicFailure".to_owned())
    );
}

#[tokio::test]
async fn math_add_sums_integers_rounding_others() {
    assert_eq!(
        evaluate(
            "States.MathAdd($.value1, $.step)",
            json!({"value1": 111, "step": -1})
        )
        .await,
        Ok(json!(110))
    );
    assert_eq!(
        evaluate("States.MathAdd(1.5, 1)", json!({})).await,
        Ok(json!(3))
    );
    assert_eq!(
        evaluate("States.MathAdd('1', 1)", json!({})).await,
        Err("States.IntrinsicFailure".to_owned())
    );
}

#[tokio::test]
async fn json_merge_is_shallow_with_the_second_object_winning() {
    let input = json!({
        "json1": {"a": {"a1": 1, "a2": 2}, "b": 2},
        "json2": {"a": {"a3": 1, "a4": 2}, "c": 3}
    });
    assert_eq!(
        evaluate("States.JsonMerge($.json1, $.json2, false)", input.clone()).await,
        Ok(json!({"a": {"a3": 1, "a4": 2}, "b": 2, "c": 3}))
    );
    assert_eq!(
        evaluate("States.JsonMerge($.json1, $.json2, true)", input).await,
        Err("States.IntrinsicFailure".to_owned())
    );
}

#[tokio::test]
async fn uuid_gives_a_fresh_version_4_uuid() {
    let first = evaluate("States.UUID()", json!({})).await.unwrap();
    let second = evaluate("States.UUID()", json!({})).await.unwrap();
    let text = first.as_str().unwrap();
    let groups: Vec<usize> = text.split('-').map(str::len).collect();
    assert_eq!(groups, vec![8, 4, 4, 4, 12]);
    assert_eq!(&text[14..15], "4");
    assert!(text.chars().all(|c| c == '-' || c.is_ascii_hexdigit()));
    assert_ne!(first, second);
}

#[tokio::test]
async fn string_split_splits_on_every_delimiter_character() {
    assert_eq!(
        evaluate(
            "States.StringSplit($.inputString, $.splitter)",
            json!({"inputString": "1,2,3,4,5", "splitter": ","})
        )
        .await,
        Ok(json!(["1", "2", "3", "4", "5"]))
    );
    assert_eq!(
        evaluate(
            "States.StringSplit($.inputString, $.splitter)",
            json!({"inputString": "This.is+a,test=string", "splitter": ".+,="})
        )
        .await,
        Ok(json!(["This", "is", "a", "test", "string"]))
    );
}

#[tokio::test]
async fn calls_nest() {
    assert_eq!(
        evaluate(
            "States.Format('{} items', States.ArrayLength(States.StringSplit($.csv, ',')))",
            json!({"csv": "a,b,c"})
        )
        .await,
        Ok(json!("3 items"))
    );
}

#[tokio::test]
async fn intrinsics_work_in_result_selector_with_the_context_object() {
    let world = world();
    world
        .functions
        .register_fn("Lookup", |_| async { Ok(json!({"id": "d-1"})) });
    let definition = single_state(json!({
        "Type": "Task",
        "Resource": "arn:aws:lambda:us-east-1:123456789012:function:Lookup",
        "ResultSelector": {"label.$": "States.Format('{} in {}', $.id, $$.State.Name)"},
        "End": true
    }));
    assert_eq!(
        world.output(&definition, json!({})).await,
        json!({"label": "d-1 in S"})
    );
}
