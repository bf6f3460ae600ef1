"""Per-request plumbing: request ids, one JSON log line, security headers, CORS."""

from __future__ import annotations

import logging
import re
import sys
import time
import uuid

import orjson
from flask import Flask, Response, g, request
from flask_cors import CORS

from storeapi.settings import Settings

REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
EXPOSED = [
    "ETag",
    "Location",
    "Link",
    "Retry-After",
    "X-Request-ID",
    "RateLimit-Limit",
    "RateLimit-Remaining",
    "RateLimit-Reset",
    "Idempotent-Replayed",
]
ALLOWED = [
    "Authorization",
    "Content-Type",
    "If-Match",
    "If-None-Match",
    "Idempotency-Key",
    "X-Request-ID",
    "Accept",
]
API_CSP = "default-src 'none'; frame-ancestors 'none'"
PAGE_CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    "script-src 'self'; frame-ancestors 'none'; form-action 'self'"
)

access_log = logging.getLogger("storeapi.access")


def _configure_logging() -> None:
    if not access_log.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(message)s"))
        access_log.addHandler(handler)
        access_log.setLevel(logging.INFO)
        access_log.propagate = False


def init_hooks(app: Flask, settings: Settings) -> None:
    if settings.cors_origins:
        CORS(
            app,
            origins=list(settings.cors_origins),
            expose_headers=EXPOSED,
            allow_headers=ALLOWED,
            supports_credentials=False,
            max_age=600,
        )
    log_requests = settings.log_requests
    if log_requests:
        _configure_logging()

    @app.before_request
    def _start() -> None:
        g.started = time.perf_counter()
        supplied = request.headers.get("X-Request-ID", "")
        g.request_id = supplied if REQUEST_ID.match(supplied) else uuid.uuid4().hex

    @app.after_request
    def _finish(response: Response) -> Response:
        headers = response.headers
        headers["X-Request-ID"] = g.get("request_id") or uuid.uuid4().hex
        headers["X-Content-Type-Options"] = "nosniff"
        headers["Referrer-Policy"] = "no-referrer"
        headers["X-Frame-Options"] = "DENY"
        headers.setdefault(
            "Content-Security-Policy", PAGE_CSP if response.mimetype == "text/html" else API_CSP
        )
        if log_requests:
            access_log.info(
                orjson.dumps(
                    {
                        "event": "request",
                        "method": request.method,
                        "path": request.path,
                        "status": response.status_code,
                        "duration_ms": round((time.perf_counter() - g.get("started", 0)) * 1000, 2),
                        "request_id": headers["X-Request-ID"],
                        "remote": request.remote_addr,
                    }
                ).decode()
            )
        return response
