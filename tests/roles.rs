//! Least privilege, checked statically: every function's role in template.yaml, as the SAM
//! translator resolves it (`scripts/function_roles.py policies`), grants exactly what
//! `gradual_handlers::permissions` says the function's code calls, on exactly the resources it
//! names; `*` only where AWS defines no resource for the actions. And docs/deploy-to-aws.md's
//! permission table is that list.

use gradual_handlers::permissions::{permission_table, Scope};
use gradual_handlers::Function;
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::process::Command;

const REGION: &str = "us-east-1";
const ACCOUNT: &str = "123456789012";
const TABLE_BEGIN: &str =
    "<!-- permissions: generated from crates/handlers/src/permissions.rs -->\n";
const TABLE_END: &str = "<!-- permissions: end -->";

#[derive(Deserialize)]
struct Translated {
    parameters: BTreeMap<String, serde_json::Value>,
    functions: BTreeMap<String, Role>,
}

#[derive(Deserialize)]
struct Role {
    role: String,
    statements: Vec<Statement>,
}

#[derive(Deserialize)]
struct Statement {
    sid: Option<String>,
    effect: String,
    actions: Vec<String>,
    resources: Vec<String>,
}

fn repository() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn translated() -> Translated {
    let root = repository();
    let output = Command::new(root.join(".venv/bin/python"))
        .arg(root.join("scripts/function_roles.py"))
        .arg("policies")
        .output()
        .expect("run scripts/function_roles.py (make test installs .venv)");
    assert!(
        output.status.success(),
        "scripts/function_roles.py policies failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("function_roles.py prints JSON")
}

impl Translated {
    fn parameter(&self, name: &str) -> Vec<String> {
        serde_json::from_value(self.parameters[name].clone()).expect("a list parameter")
    }

    /// The resources template.yaml must name for `scope`, under the sample parameters.
    fn resources(&self, scope: Scope, role: &str) -> Vec<String> {
        let qualified = |arns: Vec<String>| -> Vec<String> {
            let mut all = arns.clone();
            all.extend(arns.into_iter().map(|arn| format!("{arn}:*")));
            all
        };
        match scope {
            Scope::Table => vec!["${Table.Arn}".into()],
            Scope::TableIndex => vec!["${Table.Arn}/index/*".into()],
            Scope::StateMachine => vec!["${DeploymentStateMachine}".into()],
            Scope::Executions => vec![format!(
                "arn:aws:states:{REGION}:{ACCOUNT}:execution:${{DeploymentStateMachine.Name}}:*"
            )],
            Scope::TriggerTopics => {
                let mut topics = vec!["${TriggerTopic}".to_owned()];
                topics.extend(self.parameter("TriggerTopicArns"));
                topics
            }
            Scope::ManagedFunctions => qualified(self.parameter("ManagedFunctionArns")),
            Scope::ManagedListeners => self.parameter("ManagedListenerArns"),
            Scope::HookFunctions => qualified(self.parameter("HookFunctionArns")),
            Scope::Alarms => vec![format!("arn:aws:cloudwatch:{REGION}:{ACCOUNT}:alarm:*")],
            Scope::OwnLogGroup => {
                let function = role.strip_suffix("Role").unwrap_or(role);
                vec![format!("${{{function}LogGroup.Arn}}")]
            }
            Scope::ReconcileQueue => vec!["${ReconcileQueue.Arn}".into()],
            Scope::Unscoped => vec!["*".into()],
        }
    }
}

/// Every (action, resource) a set of statements allows.
fn granted(statements: &[Statement]) -> BTreeSet<(String, String)> {
    statements
        .iter()
        .flat_map(|statement| {
            statement.actions.iter().flat_map(|action| {
                statement
                    .resources
                    .iter()
                    .map(|resource| (action.clone(), resource.clone()))
            })
        })
        .collect()
}

#[test]
fn every_role_grants_exactly_what_its_function_calls() {
    let translated = translated();
    let mut problems = Vec::new();
    let names: BTreeSet<&str> = translated.functions.keys().map(String::as_str).collect();
    let ours: BTreeSet<&str> = Function::ALL
        .iter()
        .map(|function| function.name())
        .collect();
    assert_eq!(
        names, ours,
        "the template's functions are gradual's functions"
    );

    for function in Function::ALL {
        let role = &translated.functions[function.name()];
        for statement in &role.statements {
            if statement.effect != "Allow" {
                problems.push(format!(
                    "{function}: statement {:?} is {}, not Allow: with the sample parameters \
                     every statement must allow",
                    statement.sid, statement.effect
                ));
            }
        }
        let granted = granted(&role.statements);
        let mut expected = BTreeSet::new();
        for permission in function.permissions() {
            for action in permission.actions {
                for resource in translated.resources(permission.scope, &role.role) {
                    expected.insert(((*action).to_owned(), resource));
                }
            }
        }
        for (action, resource) in granted.difference(&expected) {
            problems.push(format!(
                "{function} may {action} on {resource}, which its code never needs \
                 (crates/handlers/src/permissions.rs)"
            ));
        }
        for (action, resource) in expected.difference(&granted) {
            problems.push(format!(
                "{function} calls {action} on {resource}, which its role {} does not allow",
                role.role
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn a_wildcard_resource_is_only_for_actions_aws_defines_no_resource_for() {
    // The actions AWS's service authorization reference defines no resource type for.
    let unscoped: BTreeSet<&str> = [
        "elasticloadbalancing:DescribeListeners",
        "elasticloadbalancing:DescribeRules",
        "elasticloadbalancing:DescribeTargetGroups",
        "elasticloadbalancing:DescribeTargetHealth",
        "codepipeline:GetJobDetails",
        "codepipeline:PutJobSuccessResult",
        "codepipeline:PutJobFailureResult",
        "states:SendTaskSuccess",
        "states:SendTaskFailure",
    ]
    .into();
    for function in Function::ALL {
        for permission in function.permissions() {
            if permission.scope == Scope::Unscoped {
                for action in permission.actions {
                    assert!(
                        unscoped.contains(action),
                        "{function}: {action} on `*`, but AWS scopes it to resources"
                    );
                }
            }
        }
    }
}

#[test]
fn the_deployment_guide_lists_every_permission() {
    let path = repository().join("docs/deploy-to-aws.md");
    let guide = std::fs::read_to_string(&path).expect("read docs/deploy-to-aws.md");
    let start = guide
        .find(TABLE_BEGIN)
        .expect("docs/deploy-to-aws.md has the permission table's start marker")
        + TABLE_BEGIN.len();
    let end = start
        + guide[start..]
            .find(TABLE_END)
            .expect("docs/deploy-to-aws.md has the permission table's end marker");
    let table = permission_table();
    if guide[start..end] != table && std::env::var_os("GRADUAL_WRITE_DOCS").is_some() {
        let rewritten = format!("{}{table}{}", &guide[..start], &guide[end..]);
        std::fs::write(&path, rewritten).expect("rewrite docs/deploy-to-aws.md");
        return;
    }
    assert_eq!(
        guide[start..end],
        table,
        "docs/deploy-to-aws.md's permission table is out of date: run \
         GRADUAL_WRITE_DOCS=1 cargo test -p gradual-tests --test roles"
    );
}
