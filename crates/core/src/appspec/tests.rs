//! Whole documents through `AppSpec::parse`: the CodeDeploy examples in both formats, and
//! malformed documents with the exact error each must give.

use super::*;
use serde_json::json;

const LAMBDA_YAML: &str = r#"
version: 0.0
Resources:
  - myLambdaFunction:
      Type: AWS::Lambda::Function
      Properties:
        Name: "myLambdaFunction"
        Alias: "live"
        CurrentVersion: "1"
        TargetVersion: "2"
  - ordersFunction:
      Type: AWS::Lambda::Function
      Properties:
        Name: arn:aws:lambda:eu-west-1:111122223333:function:orders
        Alias: live
        CurrentVersion: 14
        TargetVersion: 15
Hooks:
  - AfterAllowTraffic: "LambdaFunctionToValidateAfterTrafficShift"
  - BeforeAllowTraffic: "LambdaFunctionToValidateBeforeTrafficShift"
"#;

const LAMBDA_JSON: &str = r#"{
  "version": "0.0",
  "Resources": [
    {"myLambdaFunction": {
      "Type": "AWS::Lambda::Function",
      "Properties": {"Name": "myLambdaFunction", "Alias": "live", "CurrentVersion": 1, "TargetVersion": "2"}
    }}
  ],
  "Hooks": [{"BeforeAllowTraffic": "LambdaFunctionToValidateBeforeTrafficShift"}]
}"#;

const ECS_YAML: &str = r#"
version: 0.0
Resources:
  - TargetService:
      Type: AWS::ECS::Service
      Properties:
        TaskDefinition: "arn:aws:ecs:us-east-1:111122223333:task-definition/my-task:3"
        LoadBalancerInfo:
          ContainerName: "web"
          ContainerPort: 80
        PlatformVersion: "LATEST"
        NetworkConfiguration:
          AwsvpcConfiguration:
            Subnets: ["subnet-1234abcd"]
            AssignPublicIp: "DISABLED"
Hooks:
  - AfterAllowTraffic: "fnE"
  - BeforeAllowTraffic: "fnD"
  - AfterAllowTestTraffic: "fnC"
  - AfterInstall: "fnB"
  - BeforeInstall: "fnA"
"#;

const ECS_JSON: &str = r#"{
  "version": 0.0,
  "Resources": [{"TargetService": {
    "Type": "AWS::ECS::Service",
    "Properties": {
      "TaskDefinition": "arn:aws:ecs:us-east-1:111122223333:task-definition/my-task:3",
      "LoadBalancerInfo": {"ContainerName": "web", "ContainerPort": 8080},
      "CapacityProviderStrategy": [{"Base": 1, "CapacityProvider": "FARGATE_SPOT", "Weight": 2}]
    }
  }}]
}"#;

fn hook(event: LifecycleEvent, function_name: &str) -> Hook {
    Hook {
        event,
        function_name: function_name.to_owned(),
    }
}

fn lambda(name: &str, function: &str, versions: (u64, u64)) -> LambdaResource {
    LambdaResource {
        logical_name: name.to_owned(),
        function_name: function.to_owned(),
        alias: "live".to_owned(),
        current_version: versions.0,
        target_version: versions.1,
    }
}

#[test]
fn lambda_yaml_with_two_aliases_and_hooks_in_lifecycle_order() {
    let spec = AppSpec::parse(LAMBDA_YAML).unwrap();
    assert_eq!(spec.platform(), ComputePlatform::Lambda);
    assert_eq!(
        spec.resources,
        AppSpecResources::Lambda(vec![
            lambda("myLambdaFunction", "myLambdaFunction", (1, 2)),
            lambda(
                "ordersFunction",
                "arn:aws:lambda:eu-west-1:111122223333:function:orders",
                (14, 15)
            ),
        ])
    );
    assert_eq!(
        spec.hooks,
        vec![
            hook(
                LifecycleEvent::BeforeAllowTraffic,
                "LambdaFunctionToValidateBeforeTrafficShift"
            ),
            hook(
                LifecycleEvent::AfterAllowTraffic,
                "LambdaFunctionToValidateAfterTrafficShift"
            ),
        ]
    );
    let targets = spec.lambda_targets();
    assert_eq!(targets.len(), 2);
    assert_eq!(
        (
            targets[1].current_version.as_str(),
            targets[1].target_version.as_str()
        ),
        ("14", "15")
    );
}

#[test]
fn lambda_json() {
    let spec = AppSpec::parse(LAMBDA_JSON).unwrap();
    assert_eq!(
        spec.resources,
        AppSpecResources::Lambda(vec![lambda("myLambdaFunction", "myLambdaFunction", (1, 2))])
    );
    assert_eq!(
        spec.lambda_targets(),
        vec![LambdaAliasTarget {
            function_name: "myLambdaFunction".into(),
            alias: "live".into(),
            current_version: "1".into(),
            target_version: "2".into(),
        }]
    );
    assert_eq!(
        spec.hook(LifecycleEvent::BeforeAllowTraffic)
            .map(|h| h.function_name.as_str()),
        Some("LambdaFunctionToValidateBeforeTrafficShift")
    );
    assert_eq!(spec.hook(LifecycleEvent::AfterAllowTraffic), None);
}

#[test]
fn ecs_yaml_with_every_hook_sorted_by_lifecycle() {
    let spec = AppSpec::parse(ECS_YAML).unwrap();
    assert_eq!(spec.platform(), ComputePlatform::Ecs);
    assert!(spec.lambda_targets().is_empty());
    assert_eq!(
        spec.resources,
        AppSpecResources::Ecs(Box::new(EcsService {
            logical_name: "TargetService".into(),
            task_definition: "arn:aws:ecs:us-east-1:111122223333:task-definition/my-task:3".into(),
            load_balancer_info: LoadBalancerInfo {
                container_name: "web".into(),
                container_port: 80,
            },
            platform_version: Some("LATEST".into()),
            network_configuration: Some(json!({
                "AwsvpcConfiguration": {"Subnets": ["subnet-1234abcd"], "AssignPublicIp": "DISABLED"}
            })),
            capacity_provider_strategy: None,
        }))
    );
    use LifecycleEvent::*;
    assert_eq!(
        spec.hooks,
        vec![
            hook(BeforeInstall, "fnA"),
            hook(AfterInstall, "fnB"),
            hook(AfterAllowTestTraffic, "fnC"),
            hook(BeforeAllowTraffic, "fnD"),
            hook(AfterAllowTraffic, "fnE"),
        ]
    );
}

#[test]
fn ecs_json_without_hooks() {
    let spec = AppSpec::parse(ECS_JSON).unwrap();
    let AppSpecResources::Ecs(service) = &spec.resources else {
        panic!("expected an ECS service, got {:?}", spec.resources);
    };
    assert_eq!(service.load_balancer_info.container_port, 8080);
    assert_eq!(service.platform_version, None);
    assert_eq!(
        service.capacity_provider_strategy,
        Some(json!([{"Base": 1, "CapacityProvider": "FARGATE_SPOT", "Weight": 2}]))
    );
    assert!(spec.hooks.is_empty());
}

#[test]
fn a_parsed_appspec_survives_a_json_round_trip() {
    for text in [LAMBDA_YAML, ECS_YAML] {
        let spec = AppSpec::parse(text).unwrap();
        let stored = serde_json::to_string(&spec).unwrap();
        assert_eq!(serde_json::from_str::<AppSpec>(&stored).unwrap(), spec);
    }
}

/// A Lambda AppSpec with one resource called `myFn` and the given properties and hooks.
fn lambda_spec(properties: &str, hooks: &str) -> String {
    format!(
        "version: 0.0\nResources:\n  - myFn:\n      Type: AWS::Lambda::Function\n      Properties: {properties}\n{hooks}"
    )
}

const GOOD_PROPERTIES: &str = "{Name: myFn, Alias: live, CurrentVersion: 1, TargetVersion: 2}";

fn error_of(text: &str) -> String {
    match AppSpec::parse(text) {
        Ok(spec) => panic!("expected an error, parsed {spec:?}"),
        Err(error) => error.to_string(),
    }
}

#[test]
fn the_version_must_be_zero() {
    assert_eq!(
        error_of("version: 1.0\nResources: []\n"),
        "version: must be 0.0, got 1.0"
    );
    assert_eq!(
        error_of(r#"{"version": "1", "Resources": []}"#),
        r#"version: must be 0.0, got "1""#
    );
}

#[test]
fn resources_must_be_present_and_not_empty() {
    assert_eq!(error_of("version: 0.0\n"), "Resources: missing");
    assert_eq!(
        error_of("version: 0.0\nResources: []\n"),
        "Resources: must list at least one resource"
    );
    assert_eq!(
        error_of("version: 0.0\nResources: {myFn: {}}\n"),
        "Resources: must be a list of resources, got a map"
    );
}

#[test]
fn an_unknown_resource_type_lists_the_valid_ones() {
    assert_eq!(
        error_of("version: 0.0\nResources:\n  - bucket: {Type: 'AWS::S3::Bucket', Properties: {}}\n"),
        "Resources[0].bucket.Type: unknown resource type \"AWS::S3::Bucket\"; valid: AWS::Lambda::Function, AWS::ECS::Service"
    );
}

#[test]
fn platforms_cannot_be_mixed() {
    let text = format!(
        "{}  - web:\n      Type: AWS::ECS::Service\n      Properties: {{}}\n",
        lambda_spec(GOOD_PROPERTIES, "")
    );
    assert_eq!(
        error_of(&text),
        "Resources[1].web.Type: AWS::ECS::Service cannot be mixed with the AWS::Lambda::Function of Resources[0].myFn: an AppSpec deploys to one compute platform"
    );
}

#[test]
fn target_version_must_be_present_and_a_positive_integer() {
    assert_eq!(
        error_of(&lambda_spec(
            "{Name: myFn, Alias: live, CurrentVersion: 1}",
            ""
        )),
        "Resources[0].myFn.Properties.TargetVersion: missing"
    );
    assert_eq!(
        error_of(&lambda_spec(
            "{Name: myFn, Alias: live, CurrentVersion: 1, TargetVersion: abc}",
            ""
        )),
        "Resources[0].myFn.Properties.TargetVersion: must be a positive integer, got \"abc\""
    );
}

#[test]
fn latest_is_not_a_target_version() {
    assert_eq!(
        error_of(&lambda_spec(
            "{Name: myFn, Alias: live, CurrentVersion: 1, TargetVersion: $LATEST}",
            ""
        )),
        "Resources[0].myFn.Properties.TargetVersion: must be a published version number, not $LATEST: an alias cannot route weighted traffic to $LATEST"
    );
}

#[test]
fn current_and_target_versions_must_differ() {
    assert_eq!(
        error_of(&lambda_spec(
            "{Name: myFn, Alias: live, CurrentVersion: 3, TargetVersion: '3'}",
            ""
        )),
        "Resources[0].myFn.Properties.TargetVersion: must differ from CurrentVersion (both are 3)"
    );
}

#[test]
fn resources_must_be_unique() {
    let same_name = format!(
        "{}  - myFn:\n      Type: AWS::Lambda::Function\n      Properties: {{Name: other, Alias: live, CurrentVersion: 1, TargetVersion: 2}}\n",
        lambda_spec(GOOD_PROPERTIES, "")
    );
    assert_eq!(
        error_of(&same_name),
        "Resources[1].myFn: logical name already used by Resources[0].myFn"
    );
    let same_alias = format!(
        "{}  - again:\n      Type: AWS::Lambda::Function\n      Properties: {GOOD_PROPERTIES}\n",
        lambda_spec(GOOD_PROPERTIES, "")
    );
    assert_eq!(
        error_of(&same_alias),
        "Resources[1].again.Properties: alias live of function myFn is already shifted by resource myFn"
    );
}

#[test]
fn a_misspelt_property_is_named() {
    assert_eq!(
        error_of(&lambda_spec(
            "{Name: myFn, Alias: live, CurrentVersion: 1, TargetVerson: 2}",
            ""
        )),
        "Resources[0].myFn.Properties.TargetVerson: unknown key; did you mean TargetVersion?"
    );
    assert_eq!(
        error_of("version: 0.0\nResources: []\nTriggers: []\n"),
        "Triggers: unknown key; expected one of version, Resources, Hooks"
    );
}

#[test]
fn hooks_must_belong_to_the_platform() {
    assert_eq!(
        error_of(&lambda_spec(
            GOOD_PROPERTIES,
            "Hooks:\n  - BeforeAllowTraffic: check\n  - BeforeTraffic: check\n"
        )),
        "Hooks[1]: unknown lifecycle event \"BeforeTraffic\" for Lambda; valid: BeforeAllowTraffic, AfterAllowTraffic"
    );
    assert_eq!(
        error_of(&lambda_spec(GOOD_PROPERTIES, "Hooks:\n  - BeforeInstall: check\n")),
        "Hooks[0]: unknown lifecycle event \"BeforeInstall\" for Lambda; valid: BeforeAllowTraffic, AfterAllowTraffic"
    );
    assert_eq!(
        error_of(&lambda_spec(GOOD_PROPERTIES, "Hooks:\n  - AllowTraffic: check\n")),
        "Hooks[0]: lifecycle event \"AllowTraffic\" takes no hook: gradual shifts the traffic itself; valid: BeforeAllowTraffic, AfterAllowTraffic"
    );
}

#[test]
fn an_event_takes_one_hook_with_a_name() {
    assert_eq!(
        error_of(&lambda_spec(
            GOOD_PROPERTIES,
            "Hooks:\n  - BeforeAllowTraffic: a\n  - AfterAllowTraffic: b\n  - BeforeAllowTraffic: c\n"
        )),
        "Hooks[2]: BeforeAllowTraffic already has a hook at Hooks[0]; an event takes one hook"
    );
    assert_eq!(
        error_of(&lambda_spec(
            GOOD_PROPERTIES,
            "Hooks:\n  - AfterAllowTraffic: \"\"\n"
        )),
        "Hooks[0].AfterAllowTraffic: must not be empty"
    );
    assert_eq!(
        error_of(&lambda_spec(
            GOOD_PROPERTIES,
            "Hooks:\n  - {BeforeAllowTraffic: a, AfterAllowTraffic: b}\n"
        )),
        "Hooks[0]: must be a map with a single key (LifecycleEvent: FunctionName), got 2 keys"
    );
}

#[test]
fn an_ecs_appspec_deploys_one_service() {
    let text = ECS_YAML.replace(
        "Hooks:",
        "  - SecondService:\n      Type: AWS::ECS::Service\n      Properties: {}\nHooks:",
    );
    assert_eq!(
        error_of(&text),
        "Resources[1].SecondService: an ECS AppSpec deploys exactly one AWS::ECS::Service; TargetService is already declared"
    );
}

#[test]
fn the_container_port_must_be_a_port() {
    assert_eq!(
        error_of(&ECS_YAML.replace("ContainerPort: 80", "ContainerPort: 70000")),
        "Resources[0].TargetService.Properties.LoadBalancerInfo.ContainerPort: must be a port number from 1 to 65535, got 70000"
    );
}

#[test]
fn ecs_hooks_reject_an_unknown_event() {
    assert_eq!(
        error_of(&ECS_YAML.replace("AfterInstall", "AfterInstal")),
        "Hooks[3]: unknown lifecycle event \"AfterInstal\" for ECS; valid: BeforeInstall, AfterInstall, AfterAllowTestTraffic, BeforeAllowTraffic, AfterAllowTraffic"
    );
}

#[test]
fn invalid_yaml_reports_its_position() {
    let error = AppSpec::parse("version: 0.0\nResources:\n  - myFn: [unclosed\n").unwrap_err();
    assert_eq!(error.path, "(root)");
    assert!(
        error.message.starts_with("not valid YAML: ") && error.message.contains("line 4"),
        "{}",
        error.message
    );
}

#[test]
fn the_root_must_be_a_map() {
    assert_eq!(
        error_of("- version: 0.0\n"),
        "(root): must be a map with the keys version, Resources, Hooks, got a list"
    );
}
