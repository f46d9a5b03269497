//! What each function's role allows, in one place: every AWS action a function's code calls and
//! on what. template.yaml grants exactly this (tests/packaging.rs compares each role, as the SAM
//! translator resolves it, with this table, both ways), the emulator lets each function do
//! nothing else when the tests run, and docs/deploy-to-aws.md's permission table is
//! [`permission_table`] (the same test checks it; `GRADUAL_WRITE_DOCS=1` rewrites it).

use crate::function::Function;

/// Where a permission applies, as template.yaml scopes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Scope {
    /// The stack's table.
    Table,
    /// The table's index (`${Table.Arn}/index/*`).
    TableIndex,
    /// The deployment state machine.
    StateMachine,
    /// The deployment state machine's executions.
    Executions,
    /// The stack's trigger topic and the topics of `TriggerTopicArns`.
    TriggerTopics,
    /// The functions of `ManagedFunctionArns`, their versions and aliases.
    ManagedFunctions,
    /// The listeners and rules of `ManagedListenerArns`.
    ManagedListeners,
    /// The hook functions of `HookFunctionArns`, and their versions and aliases.
    HookFunctions,
    /// The alarms of the stack's account and region.
    Alarms,
    /// The function's own log group.
    OwnLogGroup,
    /// The queue of execution ends that Lambda polls for reconcile.
    ReconcileQueue,
    /// Every resource: AWS defines no resource for these actions and requires `*`.
    Unscoped,
}

impl Scope {
    /// How docs/deploy-to-aws.md names the scope.
    pub fn describe(self) -> &'static str {
        match self {
            Scope::Table => "the stack's table",
            Scope::TableIndex => "the table's index",
            Scope::StateMachine => "the deployment state machine",
            Scope::Executions => "the state machine's executions",
            Scope::TriggerTopics => "the stack's topic and `TriggerTopicArns`",
            Scope::ManagedFunctions => "`ManagedFunctionArns` (with `:*`)",
            Scope::ManagedListeners => "`ManagedListenerArns`",
            Scope::HookFunctions => "`HookFunctionArns` (with `:*`)",
            Scope::Alarms => "the account's alarms in the stack's region",
            Scope::OwnLogGroup => "the function's own log group",
            Scope::ReconcileQueue => "the reconcile queue",
            Scope::Unscoped => "`*` (AWS defines no resource for these actions)",
        }
    }
}

/// Some actions on one scope, and why the function needs them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Permission {
    pub actions: &'static [&'static str],
    pub scope: Scope,
    pub why: &'static str,
}

const fn allow(actions: &'static [&'static str], scope: Scope, why: &'static str) -> Permission {
    Permission {
        actions,
        scope,
        why,
    }
}

const LOGS: Permission = allow(
    &["logs:CreateLogStream", "logs:PutLogEvents"],
    Scope::OwnLogGroup,
    "the Lambda runtime writes the function's logs",
);
// The table's actions, per function, as its code paths use them: reads (GetItem, Query), history
// and state writes (PutItem, UpdateItem), the transaction that frees a group's slot as a
// deployment ends (a Delete item: DeleteItem), the transactions that check another item
// (ConditionCheckItem). A transaction is authorized by its items' actions.
const fn table(actions: &'static [&'static str], why: &'static str) -> Permission {
    allow(actions, Scope::Table, why)
}
const UPDATE_STATE: Permission = table(
    &[
        "dynamodb:GetItem",
        "dynamodb:PutItem",
        "dynamodb:UpdateItem",
    ],
    "reads a deployment, updates its state and writes its history",
);
const END_DEPLOYMENTS: Permission = table(
    &[
        "dynamodb:GetItem",
        "dynamodb:Query",
        "dynamodb:PutItem",
        "dynamodb:UpdateItem",
        "dynamodb:DeleteItem",
    ],
    "reads a deployment and its history, ends it and frees its group's slot",
);
const READ_ALARMS: Permission = allow(
    &["cloudwatch:DescribeAlarms"],
    Scope::Alarms,
    "reads the states of the alarms deployments watch, which groups name at run time",
);
const END_WAITS: Permission = allow(
    &["states:SendTaskFailure"],
    Scope::Unscoped,
    "ends the workflow's current wait (a bake or a hook) when a deployment is stopped",
);
const RESUME_WORKFLOW: Permission = allow(
    &["states:SendTaskSuccess", "states:SendTaskFailure"],
    Scope::Unscoped,
    "hands a hook's outcome to the waiting workflow",
);
const FIND_EXECUTIONS: Permission = allow(
    &["states:DescribeExecution"],
    Scope::Executions,
    "finds the workflow execution of a deployment (named after it)",
);
const PUBLISH_TRIGGERS: Permission = allow(
    &["sns:Publish"],
    Scope::TriggerTopics,
    "publishes the deployment's triggers",
);
const MOVE_ALIASES: Permission = allow(
    &[
        "lambda:GetAlias",
        "lambda:UpdateAlias",
        "lambda:GetFunction",
        "lambda:ListVersionsByFunction",
    ],
    Scope::ManagedFunctions,
    "shifts, finishes and rolls back aliases",
);
const READ_LISTENERS: Permission = allow(
    &[
        "elasticloadbalancing:DescribeListeners",
        "elasticloadbalancing:DescribeRules",
        "elasticloadbalancing:DescribeTargetGroups",
        "elasticloadbalancing:DescribeTargetHealth",
    ],
    Scope::Unscoped,
    "reads listeners, rules and target health before and after each shift",
);
const MOVE_LISTENERS: Permission = allow(
    &[
        "elasticloadbalancing:ModifyListener",
        "elasticloadbalancing:ModifyRule",
    ],
    Scope::ManagedListeners,
    "shifts, finishes and rolls back listener weights",
);

const ALARM_LISTENER: &[Permission] = &[
    LOGS,
    table(
        &["dynamodb:GetItem", "dynamodb:UpdateItem"],
        "reads a deployment and records a stop request on it",
    ),
    allow(
        &["dynamodb:Query"],
        Scope::TableIndex,
        "finds the running deployments that watch the alarm",
    ),
    END_WAITS,
];
const BAKE: &[Permission] = &[LOGS, UPDATE_STATE];
const CREATE_DEPLOYMENT: &[Permission] = &[
    LOGS,
    table(
        &[
            "dynamodb:GetItem",
            "dynamodb:PutItem",
            "dynamodb:UpdateItem",
            "dynamodb:DeleteItem",
        ],
        "stores a deployment with its group's slot and request token; fails it, freeing the \
         slot, when its workflow cannot start",
    ),
    allow(
        &["states:StartExecution"],
        Scope::StateMachine,
        "starts the deployment's workflow",
    ),
    FIND_EXECUTIONS,
    READ_ALARMS,
    allow(
        &[
            "codepipeline:GetJobDetails",
            "codepipeline:PutJobSuccessResult",
            "codepipeline:PutJobFailureResult",
        ],
        Scope::Unscoped,
        "checks the CodePipeline job that invoked it with CodePipeline, and answers it",
    ),
];
const GET_DEPLOYMENT: &[Permission] = &[
    LOGS,
    table(
        &["dynamodb:GetItem", "dynamodb:Query"],
        "reads deployments and their history",
    ),
    allow(
        &["dynamodb:Query"],
        Scope::TableIndex,
        "lists a group's deployments, newest first",
    ),
];
const HOOK_CALLBACK: &[Permission] = &[LOGS, UPDATE_STATE, RESUME_WORKFLOW];
const RECONCILE: &[Permission] = &[
    LOGS,
    allow(
        &[
            "sqs:ReceiveMessage",
            "sqs:DeleteMessage",
            "sqs:GetQueueAttributes",
        ],
        Scope::ReconcileQueue,
        "Lambda polls the queue of execution ends for the function",
    ),
    END_DEPLOYMENTS,
    PUBLISH_TRIGGERS,
    MOVE_ALIASES,
    READ_LISTENERS,
    MOVE_LISTENERS,
    READ_ALARMS,
];
const RECORD_STATUS: &[Permission] = &[LOGS, END_DEPLOYMENTS, PUBLISH_TRIGGERS];
const REGISTER: &[Permission] = &[
    LOGS,
    table(
        &[
            "dynamodb:GetItem",
            "dynamodb:Query",
            "dynamodb:PutItem",
            "dynamodb:UpdateItem",
            "dynamodb:DeleteItem",
            "dynamodb:ConditionCheckItem",
        ],
        "creates, updates and deletes applications, groups and configs (a group is deleted only \
         while its slot is free, checked in the same transaction)",
    ),
    allow(
        &["dynamodb:Query"],
        Scope::TableIndex,
        "finds the groups that still use a config to be deleted",
    ),
];
const RUN_HOOK: &[Permission] = &[
    LOGS,
    table(
        &[
            "dynamodb:GetItem",
            "dynamodb:Query",
            "dynamodb:PutItem",
            "dynamodb:UpdateItem",
            "dynamodb:ConditionCheckItem",
        ],
        "reads a deployment and its history, stores a hook execution (once per event, checked \
         in the same transaction) and records the hook's outcome",
    ),
    RESUME_WORKFLOW,
    allow(
        &["lambda:InvokeFunction"],
        Scope::HookFunctions,
        "invokes the lifecycle hooks",
    ),
];
const SHIFT_ALIAS_WEIGHT: &[Permission] = &[LOGS, UPDATE_STATE, MOVE_ALIASES, READ_ALARMS];
const STOP_DEPLOYMENT: &[Permission] = &[
    LOGS,
    END_DEPLOYMENTS,
    END_WAITS,
    FIND_EXECUTIONS,
    PUBLISH_TRIGGERS,
    MOVE_ALIASES,
    READ_LISTENERS,
    MOVE_LISTENERS,
    READ_ALARMS,
];
const SWAP_ALB_TARGETS: &[Permission] = &[
    LOGS,
    UPDATE_STATE,
    READ_LISTENERS,
    MOVE_LISTENERS,
    READ_ALARMS,
];

impl Function {
    /// Everything the function's role allows, and nothing more.
    pub fn permissions(self) -> &'static [Permission] {
        match self {
            Function::AlarmListener => ALARM_LISTENER,
            Function::Bake => BAKE,
            Function::CreateDeployment => CREATE_DEPLOYMENT,
            Function::GetDeployment => GET_DEPLOYMENT,
            Function::HookCallback => HOOK_CALLBACK,
            Function::Reconcile => RECONCILE,
            Function::RecordStatus => RECORD_STATUS,
            Function::Register => REGISTER,
            Function::RunHook => RUN_HOOK,
            Function::ShiftAliasWeight => SHIFT_ALIAS_WEIGHT,
            Function::StopDeployment => STOP_DEPLOYMENT,
            Function::SwapAlbTargets => SWAP_ALB_TARGETS,
        }
    }
}

/// docs/deploy-to-aws.md's table of every function's permissions.
pub fn permission_table() -> String {
    let mut table = String::from("| Function | Actions | On | Why |\n|---|---|---|---|\n");
    for function in Function::ALL {
        for permission in function.permissions() {
            let actions: Vec<String> = permission
                .actions
                .iter()
                .map(|action| format!("`{action}`"))
                .collect();
            table.push_str(&format!(
                "| {function} | {} | {} | {} |\n",
                actions.join(", "),
                permission.scope.describe(),
                permission.why
            ));
        }
    }
    table
}
