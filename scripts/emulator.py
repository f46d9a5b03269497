"""Runs the local AWS emulator (moto) for gradual's tests and demo.

moto's own `moto_server` handles requests on several threads, and its DynamoDB backend does
not lock: two conditional writes racing on one item can both succeed, and a failed transaction
restores a table snapshot over a concurrent writer. The real services are linearizable per
item, and gradual's guarantees (one active deployment per group, idempotency tokens) rest on
that. So this launcher keeps moto's threaded connection handling but applies requests one at a
time.

Usage: python scripts/emulator.py --port PORT [--host 127.0.0.1]
"""

import argparse
import signal
import sys
import threading

from moto.moto_server.werkzeug_app import (
    DomainDispatcherApplication,
    MotoRequestHandler,
    create_backend_app,
)
from werkzeug.serving import run_simple


class OneRequestAtATime:
    """WSGI middleware that serialises the wrapped application."""

    def __init__(self, app):
        self.app = app
        self.lock = threading.Lock()

    def __call__(self, environ, start_response):
        with self.lock:
            # Materialise the body under the lock so no backend code runs outside it.
            return list(self.app(environ, start_response))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()

    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
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
