//! What SAM deploys against what the code expects: template.yaml, samconfig.toml, the workflow
//! definitions, the function crates under `functions/`, the functions the local world wires for
//! the workflow and the table schema.
//!
//! [`problems`] is the check; it is run on the repository, and on deliberately broken copies to
//! show that it notices each kind of drift.

use gradual_aws::dynamodb::schema::{TableSchema, TABLE_SCHEMA};
use gradual_handlers::Function;
use gradual_lambda::settings::{self, STATE_MACHINE_ARN};
use gradual_local::world::names;
use serde_yaml::{Mapping, Value};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Everything the check compares, as read from the repository (or made up by a test).
#[derive(Debug, Clone)]
struct Packaging {
    /// template.yaml, with CloudFormation's short-form tags (`!Ref`, `!Sub`, `!GetAtt`) kept as
    /// tagged values.
    template: Value,
    /// The text of every state machine definition, by the `DefinitionUri` that names it.
    definitions: BTreeMap<String, String>,
    /// The name of every crate under `functions/` (and of its binary).
    function_crates: BTreeSet<String>,
    /// `(substitution, function name)` for every function the local executor wires.
    local_functions: Vec<(String, String)>,
    /// The stack name in samconfig.toml, which the template's names are built from.
    stack_name: String,
}

// Values for pseudo parameters when rendering a `!Sub`; any will do, the same on both sides.
const PARTITION: &str = "aws";
const REGION: &str = "us-east-1";
const ACCOUNT: &str = "123456789012";

const FUNCTION: &str = "AWS::Serverless::Function";
const STATE_MACHINE: &str = "AWS::Serverless::StateMachine";

/// Every inconsistency found, one sentence each; empty when everything agrees.
fn problems(packaging: &Packaging, schema: &TableSchema) -> Vec<String> {
    let mut problems = Vec::new();
    let template = &packaging.template;
    let resources = resources(template);
    let functions_by_binary = functions_by_binary(&resources, &mut problems);
    // Substitution -> the template function it names (None when it names none).
    let workflow = workflow_functions(packaging, &resources, &mut problems);

    // The local executor wires the same functions, under the names the template gives them.
    let deployed: BTreeSet<&str> = workflow.keys().map(String::as_str).collect();
    let wired: BTreeSet<&str> = packaging
        .local_functions
        .iter()
        .map(|(substitution, _)| substitution.as_str())
        .collect();
    for missing in deployed.difference(&wired) {
        problems.push(format!(
            "the workflow invokes ${{{missing}}}, which the local executor does not wire (Function::substitution)"
        ));
    }
    for extra in wired.difference(&deployed) {
        problems.push(format!(
            "the local executor wires ${{{extra}}}, which no workflow definition invokes"
        ));
    }
    for (substitution, local_name) in &packaging.local_functions {
        let Some(Some(resource_id)) = workflow.get(substitution) else {
            continue;
        };
        let properties = &resources[resource_id.as_str()]["Properties"];
        match render_sub(&properties["FunctionName"], &packaging.stack_name) {
            Some(name) if &name == local_name => {}
            Some(name) => problems.push(format!(
                "{resource_id} is named {name:?} in stack {:?}, the local executor calls it {local_name:?}",
                packaging.stack_name
            )),
            None => problems.push(format!(
                "{resource_id} has no FunctionName built from the stack name, the local executor calls it {local_name:?}"
            )),
        }
    }

    // Every function crate is deployed, and every deployed function is a crate.
    for binary in &packaging.function_crates {
        let described = Function::named(binary);
        if described.is_none() {
            problems.push(format!(
                "functions/{binary} is not one of the functions gradual_handlers::Function describes"
            ));
        }
        match functions_by_binary.get(binary) {
            None => problems.push(format!(
                "functions/{binary} has no template resource with Metadata.BuildProperties.Binary {binary}"
            )),
            Some(resource_id) => {
                let function = resources[resource_id.as_str()];
                let reads = described.map(settings::variables).unwrap_or_default();
                check_function(template, resource_id, function, &reads, &mut problems);
            }
        }
    }
    for function in Function::ALL {
        if !packaging.function_crates.contains(function.name()) {
            problems.push(format!(
                "Function::{function:?} has no crate functions/{}",
                function.name()
            ));
        }
    }
    for (binary, resource_id) in &functions_by_binary {
        if !packaging.function_crates.contains(binary) {
            problems.push(format!(
                "{resource_id} builds binary {binary}, but there is no crate functions/{binary}"
            ));
        }
    }

    check_state_machine_arns(packaging, &resources, &mut problems);
    check_table(&resources, schema, &mut problems);
    problems
}

/// The template's resources by logical id.
fn resources(template: &Value) -> BTreeMap<&str, &Value> {
    template["Resources"]
        .as_mapping()
        .into_iter()
        .flatten()
        .filter_map(|(id, resource)| Some((id.as_str()?, resource)))
        .collect()
}

fn of_type<'a>(resources: &BTreeMap<&'a str, &'a Value>, kind: &str) -> Vec<(&'a str, &'a Value)> {
    resources
        .iter()
        .filter(|(_, resource)| resource["Type"].as_str() == Some(kind))
        .map(|(id, resource)| (*id, *resource))
        .collect()
}

/// The template's functions by the binary cargo-lambda builds for them.
fn functions_by_binary(
    resources: &BTreeMap<&str, &Value>,
    problems: &mut Vec<String>,
) -> BTreeMap<String, String> {
    let mut by_binary = BTreeMap::new();
    for (id, function) in of_type(resources, FUNCTION) {
        let metadata = &function["Metadata"];
        if metadata["BuildMethod"].as_str() != Some("rust-cargolambda") {
            problems.push(format!(
                "{id} is not built with Metadata.BuildMethod rust-cargolambda"
            ));
        }
        match metadata["BuildProperties"]["Binary"].as_str() {
            None => problems.push(format!("{id} names no Metadata.BuildProperties.Binary")),
            Some(binary) => {
                if let Some(other) = by_binary.insert(binary.to_owned(), id.to_owned()) {
                    problems.push(format!("{other} and {id} both build binary {binary}"));
                }
            }
        }
    }
    by_binary
}

/// The functions the definitions invoke, by the `${…FunctionArn}` substitution that names them,
/// with the template function it resolves to. Every `${X}` of every definition must be supplied
/// by its state machine's DefinitionSubstitutions, and every `${…FunctionArn}` must be the ARN of
/// one of the template's functions.
fn workflow_functions(
    packaging: &Packaging,
    resources: &BTreeMap<&str, &Value>,
    problems: &mut Vec<String>,
) -> BTreeMap<String, Option<String>> {
    let mut functions = BTreeMap::new();
    let state_machines = of_type(resources, STATE_MACHINE);
    if state_machines.is_empty() {
        problems.push("the template has no AWS::Serverless::StateMachine".to_owned());
    }
    for (id, state_machine) in state_machines {
        let properties = &state_machine["Properties"];
        let Some(uri) = properties["DefinitionUri"].as_str() else {
            problems.push(format!("{id} has no DefinitionUri naming a file"));
            continue;
        };
        let Some(definition) = packaging.definitions.get(uri) else {
            problems.push(format!("{id}: there is no definition {uri}"));
            continue;
        };
        let used = substitutions_in(definition);
        let supplied: BTreeMap<&str, &Value> = properties["DefinitionSubstitutions"]
            .as_mapping()
            .into_iter()
            .flatten()
            .filter_map(|(name, value)| Some((name.as_str()?, value)))
            .collect();
        for name in &used {
            if name.ends_with("FunctionArn") {
                functions.entry(name.clone()).or_insert(None);
            }
            if !supplied.contains_key(name.as_str()) {
                problems.push(format!(
                    "{uri} uses ${{{name}}}, which {id}'s DefinitionSubstitutions does not supply"
                ));
            }
        }
        for name in supplied.keys() {
            if !used.contains(*name) {
                problems.push(format!(
                    "{id}'s DefinitionSubstitutions supplies {name}, which {uri} does not use"
                ));
            }
        }
        for (name, value) in supplied {
            if !name.ends_with("FunctionArn") || !used.contains(name) {
                continue;
            }
            match get_att_arn(value) {
                Some(target) if resources.get(target).map(|r| &r["Type"]) == Some(&Value::from(FUNCTION)) => {
                    functions.insert(name.to_owned(), Some(target.to_owned()));
                }
                Some(target) => problems.push(format!(
                    "{id}'s substitution {name} is the ARN of {target}, which is not a function of the template"
                )),
                None => problems.push(format!(
                    "{id}'s substitution {name} is not !GetAtt <function>.Arn"
                )),
            }
        }
        for literal in literal_function_names(definition) {
            problems.push(format!(
                "{uri} invokes {literal:?}, a function the template does not deploy (use a ${{…FunctionArn}} substitution)"
            ));
        }
    }
    functions
}

/// The `${Name}` placeholders of a definition.
fn substitutions_in(definition: &str) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    let mut rest = definition;
    while let Some(start) = rest.find("${") {
        let after = &rest[start + 2..];
        let Some(end) = after.find('}') else { break };
        names.insert(after[..end].to_owned());
        rest = &after[end + 1..];
    }
    names
}

/// `FunctionName`s in a definition that are neither a substitution nor a path.
fn literal_function_names(definition: &str) -> Vec<String> {
    fn walk(value: &serde_json::Value, found: &mut Vec<String>) {
        match value {
            serde_json::Value::Object(fields) => {
                for (key, field) in fields {
                    if let ("FunctionName", serde_json::Value::String(name)) = (key.as_str(), field)
                    {
                        let is_substitution = name.starts_with("${") && name.ends_with('}');
                        if !is_substitution {
                            found.push(name.clone());
                        }
                    }
                    walk(field, found);
                }
            }
            serde_json::Value::Array(items) => items.iter().for_each(|item| walk(item, found)),
            _ => {}
        }
    }
    let mut found = Vec::new();
    match serde_json::from_str(definition) {
        Ok(value) => walk(&value, &mut found),
        Err(error) => found.push(format!("<not JSON: {error}>")),
    }
    found
}

/// A function's build and runtime settings (its own, or the template's Globals) and the
/// environment it `reads`: `(variable, the port that needs it)`.
fn check_function(
    template: &Value,
    id: &str,
    function: &Value,
    reads: &[(&str, gradual_handlers::Port)],
    problems: &mut Vec<String>,
) {
    let properties = &function["Properties"];
    let globals = &template["Globals"]["Function"];
    // As SAM merges Globals: a function's own setting wins, its own map keys over the globals'.
    let setting = |name: &str| -> Value {
        match (&globals[name], &properties[name]) {
            (Value::Mapping(global), Value::Mapping(own)) => {
                let mut merged = global.clone();
                merged.extend(own.clone());
                Value::Mapping(merged)
            }
            (global, Value::Null) => global.clone(),
            (_, own) => own.clone(),
        }
    };
    let expected = [
        ("Runtime", Value::from("provided.al2023")),
        ("Handler", Value::from("bootstrap")),
        ("Architectures", Value::Sequence(vec![Value::from("arm64")])),
        ("CodeUri", Value::from(".")),
    ];
    for (name, wanted) in expected {
        let actual = setting(name);
        if actual != wanted {
            problems.push(format!(
                "{id}: {name} is {}, expected {}",
                show(&actual),
                show(&wanted)
            ));
        }
    }
    let logging = setting("LoggingConfig");
    if logging["LogFormat"].as_str() != Some("JSON") {
        problems.push(format!(
            "{id} does not log as JSON (LoggingConfig.LogFormat)"
        ));
    }
    let log_group = intrinsic(&logging["LogGroup"], "Ref")
        .and_then(Value::as_str)
        .and_then(|group| template["Resources"].get(group));
    match log_group {
        Some(group) if group["Type"].as_str() == Some("AWS::Logs::LogGroup") => {
            if group["Properties"]["RetentionInDays"].is_null() {
                problems.push(format!("{id}'s log group keeps its logs forever (no RetentionInDays)"));
            }
        }
        _ => problems.push(format!(
            "{id} does not log to a log group of the template (LoggingConfig.LogGroup: !Ref <group>)"
        )),
    }

    // The settings a function reads, for the ports it is built from (gradual_lambda::settings).
    let mut environment = Mapping::new();
    for variables in [
        &globals["Environment"]["Variables"],
        &properties["Environment"]["Variables"],
    ] {
        if let Some(variables) = variables.as_mapping() {
            environment.extend(variables.clone());
        }
    }
    for (variable, port) in reads {
        if !environment.contains_key(*variable) {
            problems.push(format!(
                "{id} reads {variable} (for its {port:?} port) but the template does not set it"
            ));
        }
    }
}

/// Functions name the workflow's state machine by a reference to it or, where a reference would
/// be a cycle, by an ARN built from its name: that ARN must be the state machine's.
fn check_state_machine_arns(
    packaging: &Packaging,
    resources: &BTreeMap<&str, &Value>,
    problems: &mut Vec<String>,
) {
    let machines = of_type(resources, STATE_MACHINE);
    let names: BTreeMap<&str, Option<String>> = machines
        .iter()
        .map(|(id, machine)| {
            (
                *id,
                render_sub(&machine["Properties"]["Name"], &packaging.stack_name),
            )
        })
        .collect();
    for (id, function) in of_type(resources, FUNCTION) {
        let value = &function["Properties"]["Environment"]["Variables"][STATE_MACHINE_ARN];
        if value.is_null() {
            continue;
        }
        if let Some(target) = intrinsic(value, "Ref").and_then(Value::as_str) {
            if !names.contains_key(target) {
                problems.push(format!(
                    "{id}: {STATE_MACHINE_ARN} refers to {target}, not a state machine"
                ));
            }
            continue;
        }
        let expected: Vec<String> = names
            .values()
            .flatten()
            .map(|name| format!("arn:{PARTITION}:states:{REGION}:{ACCOUNT}:stateMachine:{name}"))
            .collect();
        match render_sub(value, &packaging.stack_name) {
            Some(arn) if expected.contains(&arn) => {}
            Some(arn) => problems.push(format!(
                "{id}: {STATE_MACHINE_ARN} is {arn}, not the ARN of the template's state machine ({})",
                expected.join(", ")
            )),
            None => problems.push(format!(
                "{id}: {STATE_MACHINE_ARN} is {}, neither a !Ref to the state machine nor its ARN",
                show(value)
            )),
        }
    }
}

/// The table's keys, index, time to live and billing equal the schema the code creates and
/// queries.
fn check_table(
    resources: &BTreeMap<&str, &Value>,
    schema: &TableSchema,
    problems: &mut Vec<String>,
) {
    let tables = of_type(resources, "AWS::DynamoDB::Table");
    let [(id, table)] = tables.as_slice() else {
        problems.push(format!(
            "the template has {} DynamoDB tables, expected one",
            tables.len()
        ));
        return;
    };
    let properties = &table["Properties"];
    let pairs = |list: &Value, first: &str, second: &str| -> Vec<(String, String)> {
        list.as_sequence()
            .into_iter()
            .flatten()
            .map(|item| {
                let text = |key: &str| item[key].as_str().unwrap_or("?").to_owned();
                (text(first), text(second))
            })
            .collect()
    };
    let key_schema = |partition: &str, sort: &str| {
        vec![
            (partition.to_owned(), "HASH".to_owned()),
            (sort.to_owned(), "RANGE".to_owned()),
        ]
    };

    let mut attributes = pairs(
        &properties["AttributeDefinitions"],
        "AttributeName",
        "AttributeType",
    );
    attributes.sort();
    let mut expected: Vec<(String, String)> = schema
        .attributes
        .iter()
        .map(|a| (a.name.to_owned(), a.attribute_type.as_str().to_owned()))
        .collect();
    expected.sort();
    if attributes != expected {
        problems.push(format!(
            "{id}: AttributeDefinitions are {attributes:?}, the schema's {expected:?}"
        ));
    }

    let key = pairs(&properties["KeySchema"], "AttributeName", "KeyType");
    let expected = key_schema(schema.key.partition, schema.key.sort);
    if key != expected {
        problems.push(format!(
            "{id}: KeySchema is {key:?}, the schema's {expected:?}"
        ));
    }

    let indexes: BTreeMap<String, &Value> = properties["GlobalSecondaryIndexes"]
        .as_sequence()
        .into_iter()
        .flatten()
        .map(|index| (index["IndexName"].as_str().unwrap_or("?").to_owned(), index))
        .collect();
    let expected: BTreeSet<&str> = schema
        .global_indexes
        .iter()
        .map(|index| index.name)
        .collect();
    let actual: BTreeSet<&str> = indexes.keys().map(String::as_str).collect();
    if actual != expected {
        problems.push(format!(
            "{id}: the global indexes are {actual:?}, the schema's {expected:?}"
        ));
    }
    for wanted in schema.global_indexes {
        let Some(index) = indexes.get(wanted.name) else {
            continue;
        };
        let key = pairs(&index["KeySchema"], "AttributeName", "KeyType");
        let expected = key_schema(wanted.key.partition, wanted.key.sort);
        if key != expected {
            problems.push(format!(
                "{id}: {}'s KeySchema is {key:?}, the schema's {expected:?}",
                wanted.name
            ));
        }
        let projection = index["Projection"]["ProjectionType"].as_str();
        if projection != Some(wanted.projection.as_str()) {
            problems.push(format!(
                "{id}: {} projects {projection:?}, the schema {:?}",
                wanted.name,
                wanted.projection.as_str()
            ));
        }
    }

    let ttl = &properties["TimeToLiveSpecification"];
    if ttl["AttributeName"].as_str() != Some(schema.time_to_live_attribute)
        || ttl["Enabled"].as_bool() != Some(true)
    {
        problems.push(format!(
            "{id}: time to live is not enabled on {:?} (TimeToLiveSpecification)",
            schema.time_to_live_attribute
        ));
    }
    let billing = properties["BillingMode"].as_str();
    if billing != Some(schema.billing_mode.as_str()) {
        problems.push(format!(
            "{id}: BillingMode is {billing:?}, the schema's {:?}",
            schema.billing_mode.as_str()
        ));
    }
}

/// The argument of an intrinsic function in either form: `!Name arg` or `{"Fn::Name": arg}`
/// (`{"Ref": arg}` for `Ref`).
fn intrinsic<'a>(value: &'a Value, name: &str) -> Option<&'a Value> {
    match value {
        Value::Tagged(tagged) if tagged.tag == name => Some(&tagged.value),
        Value::Mapping(mapping) if mapping.len() == 1 => {
            let long = if name == "Ref" {
                name.to_owned()
            } else {
                format!("Fn::{name}")
            };
            mapping.get(long.as_str())
        }
        _ => None,
    }
}

/// The resource of `!GetAtt Resource.Arn` (or `[Resource, Arn]`).
fn get_att_arn(value: &Value) -> Option<&str> {
    match intrinsic(value, "GetAtt")? {
        Value::String(path) => path.strip_suffix(".Arn"),
        Value::Sequence(parts) if parts.len() == 2 && parts[1].as_str() == Some("Arn") => {
            parts[0].as_str()
        }
        _ => None,
    }
}

/// A value as JSON, for messages.
fn show(value: &Value) -> String {
    serde_json::to_string(value).unwrap_or_else(|_| format!("{value:?}"))
}

/// A `!Sub` of pseudo parameters only, rendered for `stack_name`; a plain string as it is.
fn render_sub(value: &Value, stack_name: &str) -> Option<String> {
    let text = match value {
        Value::String(text) => return Some(text.clone()),
        other => intrinsic(other, "Sub")?.as_str()?,
    };
    let rendered = text
        .replace("${AWS::StackName}", stack_name)
        .replace("${AWS::Partition}", PARTITION)
        .replace("${AWS::Region}", REGION)
        .replace("${AWS::AccountId}", ACCOUNT);
    (!rendered.contains("${")).then_some(rendered)
}

// ------------------------------------------------------------------------ reading the repository

fn repository() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|error| panic!("{}: {error}", path.display()))
}

/// The stack name samconfig.toml deploys to (`stack_name = "…"`).
fn stack_name(samconfig: &str) -> Option<String> {
    samconfig.lines().find_map(|line| {
        let (key, value) = line.split_once('=')?;
        (key.trim() == "stack_name").then(|| value.trim().trim_matches('"').to_owned())
    })
}

/// A crate's `[package] name`.
fn package_name(manifest: &str) -> Option<String> {
    let package = manifest.split("[package]").nth(1)?;
    package.lines().find_map(|line| {
        let (key, value) = line.split_once('=')?;
        (key.trim() == "name").then(|| value.trim().trim_matches('"').to_owned())
    })
}

fn load_repository() -> Packaging {
    let root = repository();
    let template: Value =
        serde_yaml::from_str(&read(&root.join("template.yaml"))).expect("template.yaml is YAML");

    let mut definitions = BTreeMap::new();
    for (_, state_machine) in of_type(&resources(&template), STATE_MACHINE) {
        if let Some(uri) = state_machine["Properties"]["DefinitionUri"].as_str() {
            let path = root.join(uri);
            if path.exists() {
                definitions.insert(uri.to_owned(), read(&path));
            }
        }
    }

    let mut function_crates = BTreeSet::new();
    for entry in std::fs::read_dir(root.join("functions")).expect("functions/") {
        let dir = entry.expect("functions/ entry").path();
        let manifest = dir.join("Cargo.toml");
        if !manifest.exists() {
            continue;
        }
        let name = package_name(&read(&manifest))
            .unwrap_or_else(|| panic!("{}: no [package] name", manifest.display()));
        function_crates.insert(name);
    }

    let samconfig = read(&root.join("samconfig.toml"));
    Packaging {
        template,
        definitions,
        function_crates,
        local_functions: Function::ALL
            .into_iter()
            .filter_map(|function| {
                let substitution = function.substitution()?;
                Some((substitution.to_owned(), names::function_name(function)))
            })
            .collect(),
        stack_name: stack_name(&samconfig).expect("samconfig.toml sets stack_name"),
    }
}

// ------------------------------------------------------------------------ tests

#[test]
fn the_template_agrees_with_the_definitions_the_functions_the_local_world_and_the_schema() {
    let packaging = load_repository();
    assert!(!packaging.definitions.is_empty(), "no definition was read");
    assert!(
        !packaging.function_crates.is_empty(),
        "no function crate was read"
    );
    let problems = problems(&packaging, &TABLE_SCHEMA);
    assert!(
        problems.is_empty(),
        "template.yaml is out of step:\n  {}",
        problems.join("\n  ")
    );
}

#[test]
fn every_workflow_substitution_is_checked_against_the_local_world() {
    // The check compares sets; make sure the sets it compares are the real, non-empty ones.
    let packaging = load_repository();
    let definition = &packaging.definitions["statemachines/deployment.asl.json"];
    let used = substitutions_in(definition);
    let invoked = Function::ALL.into_iter().filter_map(Function::substitution);
    for substitution in invoked {
        assert!(
            used.contains(substitution),
            "{substitution} is not used by the definition"
        );
    }
}

fn template_mut(packaging: &mut Packaging) -> &mut Mapping {
    packaging.template["Resources"].as_mapping_mut().unwrap()
}

fn definition_mut(packaging: &mut Packaging) -> &mut String {
    packaging
        .definitions
        .get_mut("statemachines/deployment.asl.json")
        .unwrap()
}

/// The check finds exactly `expected`, in any order.
fn assert_problems(packaging: &Packaging, expected: &[&str]) {
    let mut found = problems(packaging, &TABLE_SCHEMA);
    found.sort();
    let mut expected: Vec<String> = expected.iter().map(|p| p.to_string()).collect();
    expected.sort();
    assert_eq!(found, expected);
}

#[test]
fn a_template_missing_a_substitution_is_reported() {
    let mut packaging = load_repository();
    template_mut(&mut packaging)["DeploymentStateMachine"]["Properties"]["DefinitionSubstitutions"]
        .as_mapping_mut()
        .unwrap()
        .remove("BakeFunctionArn");
    assert_problems(
        &packaging,
        &["statemachines/deployment.asl.json uses ${BakeFunctionArn}, which DeploymentStateMachine's DefinitionSubstitutions does not supply"],
    );
}

#[test]
fn a_definition_with_an_unknown_substitution_is_reported() {
    let mut packaging = load_repository();
    let definition = definition_mut(&mut packaging);
    *definition = definition.replace("${BakeFunctionArn}", "${SoakFunctionArn}");
    assert_problems(
        &packaging,
        &[
            "statemachines/deployment.asl.json uses ${SoakFunctionArn}, which DeploymentStateMachine's DefinitionSubstitutions does not supply",
            "DeploymentStateMachine's DefinitionSubstitutions supplies BakeFunctionArn, which statemachines/deployment.asl.json does not use",
            "the workflow invokes ${SoakFunctionArn}, which the local executor does not wire (Function::substitution)",
            "the local executor wires ${BakeFunctionArn}, which no workflow definition invokes",
        ],
    );
}

#[test]
fn a_definition_invoking_a_function_by_a_literal_name_is_reported() {
    let mut packaging = load_repository();
    let definition = definition_mut(&mut packaging);
    *definition = definition.replacen(
        "\"FunctionName\": \"${RunHookFunctionArn}\"",
        "\"FunctionName\": \"some-other-function\"",
        1,
    );
    assert_problems(
        &packaging,
        &["statemachines/deployment.asl.json invokes \"some-other-function\", a function the template does not deploy (use a ${…FunctionArn} substitution)"],
    );
}

#[test]
fn a_workflow_function_missing_from_the_template_is_reported() {
    let mut packaging = load_repository();
    template_mut(&mut packaging).remove("BakeFunction");
    assert_problems(
        &packaging,
        &[
            "DeploymentStateMachine's substitution BakeFunctionArn is the ARN of BakeFunction, which is not a function of the template",
            "functions/bake has no template resource with Metadata.BuildProperties.Binary bake",
        ],
    );
}

#[test]
fn a_function_crate_without_a_resource_and_a_resource_without_a_crate_are_reported() {
    let mut packaging = load_repository();
    packaging
        .function_crates
        .insert("alarm-listener-test".to_owned());
    packaging.function_crates.remove("hook-callback");
    assert_problems(
        &packaging,
        &[
            "functions/alarm-listener-test is not one of the functions gradual_handlers::Function describes",
            "functions/alarm-listener-test has no template resource with Metadata.BuildProperties.Binary alarm-listener-test",
            "Function::HookCallback has no crate functions/hook-callback",
            "HookCallbackFunction builds binary hook-callback, but there is no crate functions/hook-callback",
        ],
    );
}

#[test]
fn the_local_world_wiring_another_set_or_another_name_is_reported() {
    let mut packaging = load_repository();
    packaging
        .local_functions
        .retain(|(substitution, _)| substitution != "RunHookFunctionArn");
    for (substitution, name) in &mut packaging.local_functions {
        if substitution == "RecordStatusFunctionArn" {
            *name = "gradual-recorder".to_owned();
        }
    }
    assert_problems(
        &packaging,
        &[
            "the workflow invokes ${RunHookFunctionArn}, which the local executor does not wire (Function::substitution)",
            "RecordStatusFunction is named \"gradual-record-status\" in stack \"gradual\", the local executor calls it \"gradual-recorder\"",
        ],
    );
}

#[test]
fn a_function_without_its_settings_or_its_architecture_is_reported() {
    let mut packaging = load_repository();
    let function = &mut template_mut(&mut packaging)["RunHookFunction"]["Properties"];
    function.as_mapping_mut().unwrap().remove("Environment");
    function["Architectures"] = Value::Sequence(vec![Value::from("x86_64")]);
    function["LoggingConfig"]["LogFormat"] = Value::from("Text");
    assert_problems(
        &packaging,
        &[
            "RunHookFunction: Architectures is [\"x86_64\"], expected [\"arm64\"]",
            "RunHookFunction does not log as JSON (LoggingConfig.LogFormat)",
            "RunHookFunction reads GRADUAL_STATE_MACHINE_ARN (for its Workflow port) but the template does not set it",
        ],
    );
}

#[test]
fn a_state_machine_arn_built_from_another_name_is_reported() {
    let mut packaging = load_repository();
    let variables = &mut template_mut(&mut packaging)["RunHookFunction"]["Properties"]
        ["Environment"]["Variables"];
    let Value::Tagged(arn) = &mut variables[STATE_MACHINE_ARN] else {
        panic!("run-hook's state machine ARN is a !Sub");
    };
    let text = arn
        .value
        .as_str()
        .unwrap()
        .replace("-deployment", "-deploy");
    arn.value = Value::from(text);
    assert_problems(
        &packaging,
        &["RunHookFunction: GRADUAL_STATE_MACHINE_ARN is arn:aws:states:us-east-1:123456789012:stateMachine:gradual-deploy, not the ARN of the template's state machine (arn:aws:states:us-east-1:123456789012:stateMachine:gradual-deployment)"],
    );
}

#[test]
fn a_table_unlike_the_schema_is_reported() {
    let mut packaging = load_repository();
    let table = &mut template_mut(&mut packaging)["Table"]["Properties"];
    table["TimeToLiveSpecification"]["AttributeName"] = Value::from("ttl");
    table["GlobalSecondaryIndexes"][0]["IndexName"] = Value::from("ByGroup");
    table["KeySchema"][1]["KeyType"] = Value::from("HASH");
    assert_problems(
        &packaging,
        &[
            "Table: KeySchema is [(\"PK\", \"HASH\"), (\"SK\", \"HASH\")], the schema's [(\"PK\", \"HASH\"), (\"SK\", \"RANGE\")]",
            "Table: the global indexes are {\"ByGroup\"}, the schema's {\"GSI1\"}",
            "Table: time to live is not enabled on \"expiresAt\" (TimeToLiveSpecification)",
        ],
    );
}

#[test]
fn the_helpers_read_both_forms_of_intrinsics() {
    let short: Value = serde_yaml::from_str("!GetAtt Bake.Arn").unwrap();
    let list: Value = serde_yaml::from_str("!GetAtt [Bake, Arn]").unwrap();
    let long: Value = serde_yaml::from_str("{Fn::GetAtt: [Bake, Arn]}").unwrap();
    let name: Value = serde_yaml::from_str("!GetAtt Bake.Name").unwrap();
    assert_eq!(get_att_arn(&short), Some("Bake"));
    assert_eq!(get_att_arn(&list), Some("Bake"));
    assert_eq!(get_att_arn(&long), Some("Bake"));
    assert_eq!(get_att_arn(&name), None);

    let sub: Value = serde_yaml::from_str("!Sub ${AWS::StackName}-bake").unwrap();
    let long_sub: Value = serde_yaml::from_str("{Fn::Sub: '${AWS::StackName}-bake'}").unwrap();
    let other: Value = serde_yaml::from_str("!Sub ${Table}-bake").unwrap();
    assert_eq!(render_sub(&sub, "gradual").as_deref(), Some("gradual-bake"));
    assert_eq!(
        render_sub(&long_sub, "gradual").as_deref(),
        Some("gradual-bake")
    );
    assert_eq!(render_sub(&other, "gradual"), None);

    assert_eq!(
        substitutions_in(r#"{"a": "${One}", "b": ["${Two}", "x${One}y"]}"#),
        BTreeSet::from(["One".to_owned(), "Two".to_owned()])
    );
    assert_eq!(
        stack_name("[x]\nstack_name = \"gradual\"\n").as_deref(),
        Some("gradual")
    );
    assert_eq!(
        package_name("[package]\nname = \"bake\"\n").as_deref(),
        Some("bake")
    );
}

// ------------------------------------------------------------- the workflow's retries

/// Every Task of `states` (and of the branches and iterations inside them), by name.
fn tasks(states: &serde_json::Value, found: &mut Vec<(String, serde_json::Value)>) {
    let Some(states) = states.as_object() else {
        return;
    };
    for (name, state) in states {
        match state["Type"].as_str() {
            Some("Task") => found.push((name.clone(), state.clone())),
            Some("Parallel") => {
                for branch in state["Branches"].as_array().into_iter().flatten() {
                    tasks(&branch["States"], found);
                }
            }
            Some("Map") => {
                let processor = if state["ItemProcessor"].is_null() {
                    &state["Iterator"]
                } else {
                    &state["ItemProcessor"]
                };
                tasks(&processor["States"], found);
            }
            _ => {}
        }
    }
}

fn workflow_tasks() -> Vec<(String, serde_json::Value)> {
    let packaging = load_repository();
    let definition: serde_json::Value =
        serde_json::from_str(&packaging.definitions["statemachines/deployment.asl.json"])
            .expect("the definition is JSON");
    let mut found = Vec::new();
    tasks(&definition["States"], &mut found);
    found
}

/// The errors a function's invocation fails with for now: the service, throttling, the
/// function crashing or running out of time, and the handlers' own transient failures.
const TRANSIENT: [&str; 7] = [
    "Lambda.ServiceException",
    "Lambda.AWSLambdaException",
    "Lambda.SdkClientException",
    "Lambda.TooManyRequestsException",
    "Lambda.Unknown",
    "Sandbox.Timedout",
    "ServiceUnavailable",
];

#[test]
fn every_task_retries_every_transient_failure() {
    let tasks = workflow_tasks();
    assert!(tasks.len() >= 10, "{} tasks", tasks.len());
    for (name, task) in tasks {
        let retried: Vec<&str> = task["Retry"]
            .as_array()
            .into_iter()
            .flatten()
            .flat_map(|retrier| retrier["ErrorEquals"].as_array().into_iter().flatten())
            .filter_map(serde_json::Value::as_str)
            .collect();
        for error in TRANSIENT {
            assert!(retried.contains(&error), "{name} does not retry {error}");
        }
    }
}

/// The longest a retrier waits in all, its full jitter aside.
fn retry_budget_seconds(retrier: &serde_json::Value) -> f64 {
    let interval = retrier["IntervalSeconds"].as_f64().unwrap_or(1.0);
    let rate = retrier["BackoffRate"].as_f64().unwrap_or(2.0);
    let cap = retrier["MaxDelaySeconds"].as_f64().unwrap_or(f64::MAX);
    let attempts = retrier["MaxAttempts"].as_i64().unwrap_or(3);
    (0..attempts)
        .map(|attempt| (interval * rate.powi(attempt as i32)).min(cap))
        .sum()
}

#[test]
fn the_rollback_keeps_trying_through_tens_of_minutes_of_outage() {
    let (_, rollback) = workflow_tasks()
        .into_iter()
        .find(|(name, _)| name == "RollBack")
        .expect("a RollBack state");
    let retrier = rollback["Retry"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|retrier| {
            retrier["ErrorEquals"]
                .as_array()
                .is_some_and(|errors| errors.iter().any(|error| error == "ServiceUnavailable"))
        })
        .expect("RollBack retries ServiceUnavailable");
    let budget = retry_budget_seconds(retrier);
    assert!(
        (1200.0..=3600.0).contains(&budget),
        "RollBack retries for {budget} s; twenty minutes to an hour is the aim"
    );
    assert!(
        retrier["MaxDelaySeconds"]
            .as_f64()
            .is_some_and(|cap| cap <= 300.0),
        "no wait between two attempts beyond five minutes"
    );
}

#[test]
fn reconciliation_waits_out_every_function_and_every_bookkeeping_state_leads_to_it() {
    let packaging = load_repository();
    let resources = resources(&packaging.template);
    let globals = &packaging.template["Globals"]["Function"];
    // The functions an execution runs: those its definition's substitutions name.
    let substitutions =
        &resources["DeploymentStateMachine"]["Properties"]["DefinitionSubstitutions"];
    let invoked: Vec<&str> = substitutions
        .as_mapping()
        .expect("substitutions")
        .values()
        .filter_map(get_att_arn)
        .collect();
    assert!(invoked.len() >= 5, "{invoked:?}");
    let longest_timeout = of_type(&resources, "AWS::Serverless::Function")
        .iter()
        .filter(|(id, _)| invoked.contains(id))
        .filter_map(|(_, function)| {
            function["Properties"]["Timeout"]
                .as_u64()
                .or_else(|| globals["Timeout"].as_u64())
        })
        .max()
        .expect("functions with a timeout");
    let queue = &resources["ReconcileQueue"]["Properties"];
    let delay = queue["DelaySeconds"].as_u64().expect("a delay");
    assert_eq!(delay, gradual_handlers::reconcile::DELAY_SECONDS);
    assert!(
        delay > longest_timeout,
        "the queue holds an execution's end {delay} s, and a task's function may run {longest_timeout} s"
    );
    let reconcile = &resources["ReconcileFunction"]["Properties"];
    let visibility = queue["VisibilityTimeout"]
        .as_u64()
        .expect("a visibility timeout");
    let runs = reconcile["Timeout"].as_u64().expect("reconcile's timeout");
    assert!(
        visibility >= 6 * runs,
        "Lambda advises six times the function's timeout"
    );

    // Each bookkeeping state catches every error into a state that ends the execution, which
    // reconciliation then finishes.
    let definition: serde_json::Value = serde_json::from_str(&read(
        &repository().join("statemachines/deployment.asl.json"),
    ))
    .expect("the definition is JSON");
    let states = &definition["States"];
    for bookkeeping in [
        "RecordSuccess",
        "RecordFailure",
        "RecordRollback",
        "RecordRollbackFailure",
    ] {
        let catchers = states[bookkeeping]["Catch"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        let caught_everything = catchers.iter().any(|catcher| {
            catcher["ErrorEquals"] == serde_json::json!(["States.ALL"])
                && states[catcher["Next"].as_str().unwrap_or_default()]["Type"] == "Fail"
        });
        assert!(
            caught_everything,
            "{bookkeeping} catches States.ALL into a Fail state"
        );
    }
}
