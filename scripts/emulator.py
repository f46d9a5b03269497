"""Runs the local AWS emulator (moto) for gradual's tests and demo.

moto's own `moto_server` handles requests on several threads, and its DynamoDB backend does
not lock: two conditional writes racing on one item can both succeed, and a failed transaction
restores a table snapshot over a concurrent writer. The real services are linearizable per
item, and gradual's guarantees (one active deployment per group, idempotency tokens) rest on
that. So this launcher keeps moto's threaded connection handling but applies requests one at a
time.

IAM is enforced from the first request, as in AWS: every request must be signed by a known
access key, and its action must be allowed by that key's policies (moto checks actions, not
resources or conditions). The launcher creates one administrator, whose keys are in
emulator_admin.py; the tests' and the demo's own set-up use
them, and each of gradual's functions runs as its own user (scripts/function_roles.py).
Where moto's enforcement differs from AWS, the launcher makes it answer as AWS does:
- a signature is checked over the body as the client sent it (moto re-encodes form posts and
  takes the headers for an empty body, and then answers SignatureDoesNotMatch);
- a DynamoDB transaction is authorized by its items' actions (`dynamodb:PutItem` for a Put…),
  as in AWS; moto would ask for an action `dynamodb:TransactWriteItems`, which IAM does not have;
- a denial is answered in the protocol of the request: JSON for the JSON protocols
  (DynamoDB's `AccessDeniedException`) and for Lambda, XML for the query protocols (moto
  answers XML for all);
- CloudWatch's actions are named `cloudwatch:…` in denials, as IAM names them (moto takes the
  prefix from the signing name, `monitoring`).

Usage: python scripts/emulator.py --port PORT [--host 127.0.0.1]
"""

import argparse
import io
import json
import re
import signal
import sys
import threading

from moto import settings
from moto.iam import access_control
from moto.iam.models import iam_backends
from moto.moto_server.werkzeug_app import (
    DomainDispatcherApplication,
    MotoRequestHandler,
    create_backend_app,
)
from werkzeug.serving import run_simple

from emulator_admin import ADMIN_ACCESS_KEY_ID, ADMIN_SECRET_ACCESS_KEY

ACCOUNT_ID = "123456789012"
ADMIN_USER = "gradual-admin"
ADMIN_POLICY = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}],
}
DENIALS = re.compile(rb"<Code>(AccessDenied|SignatureDoesNotMatch|InvalidClientTokenId)</Code>")
MESSAGE = re.compile(rb"<Message>(.*?)</Message>", re.S)
SIGNING_SERVICE = re.compile(r"Credential=[^/]*/[^/]*/[^/]*/([^/]*)/")


def create_administrator():
    """The one identity allowed everything, with the fixed keys the set-up signs with."""
    iam = iam_backends[ACCOUNT_ID]["global"]
    iam.create_user("us-east-1", ADMIN_USER)
    iam.put_user_policy(ADMIN_USER, "everything", json.dumps(ADMIN_POLICY))
    key = iam.create_access_key(ADMIN_USER)
    del iam.access_keys[key.physical_resource_id]
    key.access_key_id = ADMIN_ACCESS_KEY_ID
    key.secret_access_key = ADMIN_SECRET_ACCESS_KEY
    iam.access_keys[key.physical_resource_id] = key


class SignedBody:
    """The body of the request being served, as the client sent and signed it. moto checks a
    signature over the body it parsed: for form posts (SNS, ELB) it re-encodes the form,
    differently from the client, and for an empty body (Lambda's GETs) it takes the headers;
    either way the signature does not match. Requests are served one at a time, so one slot
    holds the current body."""

    current = b""


def check_signatures_over_the_signed_body():
    build = access_control.IAMRequestBase._create_aws_request

    def create_aws_request(self):
        self._body = SignedBody.current
        self._data = {}
        return build(self)

    access_control.IAMRequestBase._create_aws_request = create_aws_request


# DynamoDB authorizes a transaction by each of its items' actions; there is no IAM action
# for the operation itself.
TRANSACTION_ITEM_ACTIONS = {
    "Put": "dynamodb:PutItem",
    "Update": "dynamodb:UpdateItem",
    "Delete": "dynamodb:DeleteItem",
    "ConditionCheck": "dynamodb:ConditionCheckItem",
}


def authorize_transactions_by_their_items():
    check = access_control.IAMRequestBase.check_action_permitted

    def check_action_permitted(self, resource):
        if self._action != "dynamodb:TransactWriteItems":
            return check(self, resource)
        items = json.loads(SignedBody.current or b"{}").get("TransactItems", [])
        for action in sorted({TRANSACTION_ITEM_ACTIONS[kind] for item in items for kind in item}):
            self._action = action
            check(self, resource)
        self._action = "dynamodb:TransactWriteItems"

    access_control.IAMRequestBase.check_action_permitted = check_action_permitted


def as_aws_answers(environ, status, headers, body):
    """A denial in the shape of the called service's protocol (moto answers XML for all)."""
    found = DENIALS.search(body) if status.startswith("403") else None
    if not found:
        return status, headers, body
    code = found.group(1).decode()
    message = MESSAGE.search(body)
    message = message.group(1).decode() if message else code
    message = message.replace("perform: monitoring:", "perform: cloudwatch:")
    error = "AccessDeniedException" if code == "AccessDenied" else code
    if environ.get("CONTENT_TYPE", "").startswith("application/x-amz-json"):
        body = json.dumps(
            {"__type": f"com.amazon.coral.service#{error}", "message": message}
        ).encode()
        return "400 Bad Request", [("Content-Type", "application/x-amz-json-1.0")], body
    signing = SIGNING_SERVICE.search(environ.get("HTTP_AUTHORIZATION", ""))
    if signing and signing.group(1) == "lambda":
        body = json.dumps({"Type": "User", "Message": message}).encode()
        return (
            "403 Forbidden",
            [("Content-Type", "application/json"), ("x-amzn-ErrorType", error)],
            body,
        )
    body = body.replace(b"perform: monitoring:", b"perform: cloudwatch:")
    return status, headers, body


class OneRequestAtATime:
    """WSGI middleware that serialises the wrapped application, and answers denials as AWS."""

    def __init__(self, app):
        self.app = app
        self.lock = threading.Lock()

    def __call__(self, environ, start_response):
        answer = {}

        def capture(status, headers, exc_info=None):
            answer["status"], answer["headers"] = status, headers
            return lambda _: None

        length = int(environ.get("CONTENT_LENGTH") or 0)
        if length:
            signed = environ["wsgi.input"].read(length)
        elif environ.get("wsgi.input_terminated"):  # chunked: the server ends the stream
            signed = environ["wsgi.input"].read()
        else:
            signed = b""
        environ["wsgi.input"] = io.BytesIO(signed)
        with self.lock:
            SignedBody.current = signed
            # Materialise the body under the lock so no backend code runs outside it.
            body = b"".join(self.app(environ, capture))
        status, headers, body = as_aws_answers(environ, answer["status"], answer["headers"], body)
        headers = [(name, value) for name, value in headers if name.lower() != "content-length"]
        start_response(status, headers + [("Content-Length", str(len(body)))])
        return [body]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()

    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    create_administrator()
    check_signatures_over_the_signed_body()
    authorize_transactions_by_their_items()
    settings.INITIAL_NO_AUTH_ACTION_COUNT = 0
    app = DomainDispatcherApplication(create_backend_app)
    run_simple(
        args.host,
        args.port,
        OneRequestAtATime(app),
        threaded=True,
        request_handler=MotoRequestHandler,
    )


if __name__ == "__main__":
    main()
