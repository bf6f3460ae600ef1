"""Per-request metrics: a count and a latency per route template, method and status class;
requests in flight; 304s; idempotent replays; 429s by the budget they exceeded.

Two hooks, registered before every other (`init_telemetry` runs first): the first of the
before-request hooks starts the clock, the last of the after-request hooks stops it, so the
latency covers the app's whole work on the request (not the server's, nor sending the body).
"""

from __future__ import annotations

import time
from typing import Any

from flask import Flask, Response, request

from storeapi.http.limits import breached_budget
from storeapi.telemetry.instruments import STATUS_CLASSES, instruments
from storeapi.telemetry.routes import METHODS, route_template

STARTED = "storeapi.metrics.started"  # the environ key of the request's start (perf_counter)
REPLAYED = "Idempotent-Replayed"


def meter_requests(app: Flask) -> None:
    m = instruments()
    in_flight, clock = m.in_flight, time.perf_counter
    # (route, method, status class) -> the counter's and the histogram's children: finding a
    # child by its labels takes a lock and several calls in prometheus-client, every request.
    children: dict[tuple[str, str, int], tuple[Any, Any]] = {}

    @app.before_request
    def _start_metering() -> None:
        request.environ[STARTED] = clock()
        in_flight.inc()

    @app.after_request
    def _record(response: Response) -> Response:
        started = request.environ.pop(STARTED, None)
        if started is None:  # counted already (an after-request hook failed and Flask reran them)
            return response
        elapsed = clock() - started
        in_flight.dec()
        method = request.method
        if method not in METHODS:
            method = "other"
        status = response.status_code
        route = route_template(request.url_rule)
        key = (route, method, status // 100)
        pair = children.get(key)
        if pair is None:
            labels = (route, method, STATUS_CLASSES.get(status // 100, "other"))
            pair = children[key] = (m.requests.labels(*labels), m.latency.labels(*labels))
        pair[0].inc()
        pair[1].observe(elapsed)
        if status == 304:
            m.not_modified.labels(route).inc()
        elif status == 429:
            m.rate_limited.labels(breached_budget() or "other").inc()
        elif method == "POST" and REPLAYED in response.headers:
            m.idempotent_replays.labels(route).inc()
        return response
