"""What each of gradual's functions may do, read from template.yaml as CloudFormation will
deploy it: the SAM translator (from the pinned aws-sam-cli) turns the template into plain
CloudFormation, and each function's role is resolved into its statements (inline policies,
the stack's managed policies and AWS's managed policies, as statements), with the template's
parameters set to SAMPLE_PARAMETERS so that every conditional statement is present.

Commands:
  policies
      {"parameters": SAMPLE_PARAMETERS, "functions": {"<function>": {"role": …, "statements":
      [{"sid", "policy", "effect", "actions", "resources"}]}}}, resources as CloudFormation
      would resolve them, the stack's own resources written ${Logical.Attr}.
      tests/packaging.rs checks them against the operations each function calls.
  identities --endpoint URL --suffix S [--without FUNCTION=ACTION …]
      Creates, in the emulator, one IAM user per function allowed exactly its role's actions
      (on every resource: the emulator checks actions only), signing as the emulator's
      administrator, and prints {"<function>": {"user", "accessKeyId", "secretAccessKey",
      "actions"}}. --without leaves an action out of a function's policy.
  lint [--policy FILE]
      Lints every role's policy with parliament (the stack's own resources given ARNs of their
      kind), or the policy document in FILE; fails on any finding not in SUPPRESSED.

Usage: python scripts/function_roles.py policies
       python scripts/function_roles.py identities --endpoint URL --suffix S
       python scripts/function_roles.py lint [--policy FILE]
"""

import argparse
import json
import os
import re
import sys
from pathlib import Path

import boto3
from samtranslator.translator.transform import transform
from samtranslator.yaml_helper import yaml_parse

from emulator_admin import ADMIN_ACCESS_KEY_ID, ADMIN_SECRET_ACCESS_KEY

ROOT = Path(__file__).resolve().parent.parent
REGION = "us-east-1"
ACCOUNT_ID = "123456789012"
STACK = "gradual"
PSEUDO_PARAMETERS = {
    "AWS::AccountId": ACCOUNT_ID,
    "AWS::Region": REGION,
    "AWS::Partition": "aws",
    "AWS::StackName": STACK,
    "AWS::URLSuffix": "amazonaws.com",
}
# A value for every parameter that makes its conditional statements appear.
SAMPLE_PARAMETERS = {
    "ManagedFunctionArns": [f"arn:aws:lambda:{REGION}:{ACCOUNT_ID}:function:shop-*"],
    "ManagedListenerArns": [
        f"arn:aws:elasticloadbalancing:{REGION}:{ACCOUNT_ID}:listener/app/shop/*",
        f"arn:aws:elasticloadbalancing:{REGION}:{ACCOUNT_ID}:listener-rule/app/shop/*",
    ],
    "HookFunctionArns": ["arn:aws:lambda:*:*:function:CodeDeployHook_*"],
    "TriggerTopicArns": [f"arn:aws:sns:{REGION}:{ACCOUNT_ID}:ops-*"],
    "LogRetentionInDays": "30",
    "FunctionLogLevel": "INFO",
    "StateMachineLogLevel": "ERROR",
}
NO_VALUE = object()


class NoAwsManagedPolicies:
    """The translator asks for AWS's managed policy names only when a template names one by
    name; this template names none, so no AWS account is needed."""

    def load(self):
        return {}


def translated_template():
    template = yaml_parse((ROOT / "template.yaml").read_text())
    # Local paths are uploaded by `sam deploy`; the translator wants their S3 locations.
    template["Globals"]["Function"]["CodeUri"] = "s3://gradual-artifacts/code.zip"
    machine = template["Resources"]["DeploymentStateMachine"]["Properties"]
    machine["DefinitionUri"] = {"Bucket": "gradual-artifacts", "Key": "deployment.asl.json"}
    os.environ.setdefault("AWS_DEFAULT_REGION", REGION)
    return transform(template, dict(PSEUDO_PARAMETERS), NoAwsManagedPolicies())


class Resolver:
    """CloudFormation's intrinsic functions, as far as the template's policies use them."""

    def __init__(self, template):
        self.template = template
        self.parameters = dict(PSEUDO_PARAMETERS, **SAMPLE_PARAMETERS)

    def condition(self, name):
        return self.truth(self.template["Conditions"][name])

    def truth(self, node):
        (function, argument), = node.items()
        if function == "Fn::Not":
            return not self.truth(argument[0])
        if function == "Fn::Equals":
            left, right = (self.value(part) for part in argument)
            return left == right
        if function == "Fn::And":
            return all(self.truth(part) for part in argument)
        if function == "Fn::Or":
            return any(self.truth(part) for part in argument)
        if function == "Condition":
            return self.condition(argument)
        raise ValueError(f"unsupported condition function {function}")

    def value(self, node):
        if isinstance(node, list):
            values = [self.value(item) for item in node]
            return [value for value in values if value is not NO_VALUE]
        if not isinstance(node, dict):
            return node
        if len(node) != 1 or not next(iter(node)).startswith(("Fn::", "Ref")):
            resolved = {key: self.value(value) for key, value in node.items()}
            return {key: value for key, value in resolved.items() if value is not NO_VALUE}
        (function, argument), = node.items()
        if function == "Ref":
            if argument == "AWS::NoValue":
                return NO_VALUE
            return self.parameters.get(argument, f"${{{argument}}}")
        if function == "Fn::GetAtt":
            logical, attribute = argument if isinstance(argument, list) else argument.split(".", 1)
            return f"${{{logical}.{attribute}}}"
        if function == "Fn::If":
            condition, when_true, when_false = argument
            return self.value(when_true if self.condition(condition) else when_false)
        if function == "Fn::Join":
            separator, parts = argument
            parts = self.value(parts)
            return separator.join(flatten(parts))
        if function == "Fn::Split":
            separator, text = argument
            return self.value(text).split(separator)
        if function == "Fn::Sub":
            text, variables = (argument, {}) if isinstance(argument, str) else argument
            variables = {name: self.value(value) for name, value in variables.items()}
            return substitute(text, variables, self.parameters)
        raise ValueError(f"unsupported intrinsic function {function}")


def flatten(parts):
    for part in parts:
        if isinstance(part, list):
            yield from flatten(part)
        else:
            yield part


def substitute(text, variables, parameters):
    out, rest = [], text
    while "${" in rest:
        before, _, after = rest.partition("${")
        name, _, rest = after.partition("}")
        out.append(before)
        value = variables.get(name, parameters.get(name))
        if isinstance(value, list):
            value = ",".join(value)
        out.append(value if value is not None else f"${{{name}}}")
    out.append(rest)
    return "".join(out)


def role_statements(template, resolver, role_logical_id):
    role = resolver.value(template["Resources"][role_logical_id]["Properties"])
    statements = []
    for policy in role.get("Policies", []):
        statements += policy["PolicyDocument"]["Statement"]
    for arn in role.get("ManagedPolicyArns", []):
        logical = arn.removeprefix("${").removesuffix("}")
        managed = template["Resources"].get(logical)
        if managed is None or managed["Type"] != "AWS::IAM::ManagedPolicy":
            # An AWS managed policy grants what nobody here reviewed (AWSLambdaBasicExecutionRole:
            # logs on every resource); roles are written out in full instead.
            raise ValueError(f"role {role_logical_id}: managed policy {arn} is not the stack's own")
        document = resolver.value(managed["Properties"]["PolicyDocument"])
        statements += [dict(statement, Policy=logical) for statement in document["Statement"]]
    return statements


def as_list(value):
    return value if isinstance(value, list) else [value]


def policies():
    """Every function's statements, keyed by the function's name (its binary)."""
    template = translated_template()
    resolver = Resolver(template)
    functions = {}
    for logical, resource in template["Resources"].items():
        if resource["Type"] != "AWS::Lambda::Function":
            continue
        name = resource.get("Metadata", {}).get("BuildProperties", {}).get("Binary")
        if name is None:
            raise ValueError(f"function {logical} names no binary")
        role = resource["Properties"]["Role"]["Fn::GetAtt"][0]
        statements = [
            {
                "sid": statement.get("Sid"),
                "policy": statement.get("Policy"),
                "effect": statement["Effect"],
                "actions": as_list(statement["Action"]),
                "resources": as_list(statement["Resource"]),
            }
            for statement in role_statements(template, resolver, role)
        ]
        functions[name] = {"role": role, "statements": statements}
    return functions


# How the emulator names an action, where it differs from IAM.
def emulator_actions(actions):
    named = set()
    for action in actions:
        service, _, operation = action.partition(":")
        # moto takes the prefix from the signing name.
        named.add(f"monitoring:{operation}" if service == "cloudwatch" else action)
    return sorted(named)


def identities(endpoint, suffix, without):
    iam = boto3.client(
        "iam",
        endpoint_url=endpoint,
        region_name=REGION,
        aws_access_key_id=ADMIN_ACCESS_KEY_ID,
        aws_secret_access_key=ADMIN_SECRET_ACCESS_KEY,
    )
    answer = {}
    for function, role in policies().items():
        actions = sorted({
            action
            for statement in role["statements"]
            if statement["effect"] == "Allow"
            for action in statement["actions"]
        } - without.get(function, set()))
        user = f"{function}-{suffix}"
        iam.create_user(UserName=user)
        document = {
            "Version": "2012-10-17",
            "Statement": [
                {"Effect": "Allow", "Action": emulator_actions(actions), "Resource": "*"}
            ],
        }
        iam.put_user_policy(UserName=user, PolicyName="role", PolicyDocument=json.dumps(document))
        key = iam.create_access_key(UserName=user)["AccessKey"]
        answer[function] = {
            "user": user,
            "accessKeyId": key["AccessKeyId"],
            "secretAccessKey": key["SecretAccessKey"],
            "actions": actions,
        }
    return answer


# ARNs of the kind CloudFormation gives the stack's resources, for the linter.
STACK_RESOURCE_ARNS = {
    "${Table.Arn}": f"arn:aws:dynamodb:{REGION}:{ACCOUNT_ID}:table/{STACK}-Table-1ABC",
    "${TriggerTopic}": f"arn:aws:sns:{REGION}:{ACCOUNT_ID}:{STACK}-TriggerTopic-1ABC",
    "${DeploymentStateMachine}": f"arn:aws:states:{REGION}:{ACCOUNT_ID}:stateMachine:{STACK}-deployment",
    "${DeploymentStateMachine.Name}": f"{STACK}-deployment",
    "${ReconcileQueue.Arn}": f"arn:aws:sqs:{REGION}:{ACCOUNT_ID}:{STACK}-ReconcileQueue-1ABC",
}
LOG_GROUP = re.compile(r"\$\{(\w+)LogGroup\.Arn\}")

# parliament's findings that do not apply, each with the reason. A finding is
# (issue, action, the resource format parliament found unmatched).
SUPPRESSED = {
    ("RESOURCE_MISMATCH", "states:DescribeExecution", "arn:*:states:*:*:express:*:*:*"):
        "the deployment state machine is STANDARD: its executions are never express ones",
    ("RESOURCE_MISMATCH", "elasticloadbalancing:ModifyListener",
     "arn:*:elasticloadbalancing:*:*:listener/net/*/*/*"):
        "gradual moves Application Load Balancer listeners only, never Network ones",
    ("RESOURCE_MISMATCH", "elasticloadbalancing:ModifyRule",
     "arn:*:elasticloadbalancing:*:*:listener-rule/net/*/*/*/*"):
        "gradual moves Application Load Balancer rules only, never Network ones",
}


def concrete(resource):
    for token, arn in STACK_RESOURCE_ARNS.items():
        resource = resource.replace(token, arn)
    return LOG_GROUP.sub(
        lambda found: f"arn:aws:logs:{REGION}:{ACCOUNT_ID}:log-group:/aws/lambda/{found.group(1)}:*",
        resource,
    )


def findings(document):
    """parliament's findings on a policy document, less the suppressed ones."""
    from parliament import analyze_policy_string

    kept = []
    for finding in analyze_policy_string(json.dumps(document)).findings:
        details = finding.detail if isinstance(finding.detail, list) else [finding.detail]
        for detail in details:
            if isinstance(detail, dict):
                key = (finding.issue, detail.get("action"), detail.get("required_format"))
                if key in SUPPRESSED:
                    continue
            kept.append(f"{finding.severity} {finding.issue}: {finding.title}: {detail}")
    return kept


def lint(policy_file):
    if policy_file:
        documents = {policy_file: json.loads(Path(policy_file).read_text())}
    else:
        documents = {
            function: {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": statement["effect"],
                        "Action": statement["actions"],
                        "Resource": [concrete(resource) for resource in statement["resources"]],
                    }
                    for statement in role["statements"]
                ],
            }
            for function, role in policies().items()
        }
    failed = False
    for name, document in documents.items():
        for finding in findings(document):
            failed = True
            print(f"{name}: {finding}")
    if failed:
        sys.exit(1)
    print(f"parliament: {len(documents)} policies, no finding")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("policies")
    create = commands.add_parser("identities")
    create.add_argument("--endpoint", required=True)
    create.add_argument("--suffix", required=True)
    create.add_argument("--without", action="append", default=[], metavar="FUNCTION=ACTION")
    check = commands.add_parser("lint")
    check.add_argument("--policy")
    args = parser.parse_args()
    if args.command == "lint":
        lint(args.policy)
        return
    if args.command == "policies":
        answer = {"parameters": SAMPLE_PARAMETERS, "functions": policies()}
        json.dump(answer, sys.stdout, indent=1)
        return
    without = {}
    for item in args.without:
        function, _, action = item.partition("=")
        without.setdefault(function, set()).add(action)
    json.dump(identities(args.endpoint, args.suffix, without), sys.stdout)


if __name__ == "__main__":
    main()
