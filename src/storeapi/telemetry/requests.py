"""Per-request metrics: a count and a latency per route template, method and status class;
requests in flight; 304s; idempotent replays; 429s by the budget they exceeded.

Two hooks, registered before every other (`init_telemetry` runs first): the first of the
before-request hooks starts the clock, the last of the after-request hooks stops it, so the
latency covers the app's whole work on the request (not the server's, nor sending the body).
They run on every request, so each finds its values' places once per route, method and status
class, and then only adds, under the store's one lock (store.py).
"""

from __future__ import annotations

import time
from bisect import bisect_left

from flask import Flask, Response, request
from werkzeug.routing import Rule

from storeapi.http.limits import breached_budget
from storeapi.telemetry.instruments import (
    LATENCY_BUCKETS,
    SERIES_WIDTH,
    STATUS_CLASSES,
    counter_key,
    gauge_key,
    series_key,
)
from storeapi.telemetry.routes import METHODS, route_template
from storeapi.telemetry.store import process_store

STARTED = "storeapi.metrics.started"  # the environ key of the request's start (perf_counter)
REPLAYED = "Idempotent-Replayed"


def meter_requests(app: Flask) -> None:
    store = process_store()
    clock = time.perf_counter
    in_flight = store.slot(gauge_key("storeapi_http_requests_in_flight"))
    # (rule, method label, status class) -> the offset of that series' values
    series: dict[tuple[str | None, str, int], int] = {}
    counters: dict[tuple[str, str], int] = {}  # (counter, label) -> its offset

    def series_of(rule: Rule | None, method: str, status: int) -> int:
        key = (rule and rule.rule, method, status // 100)
        offset = series.get(key)
        if offset is None:
            klass = STATUS_CLASSES[status // 100 - 1] if 100 <= status < 600 else "other"
            labels = series_key(route_template(rule), method, klass)
            offset = series[key] = store.slot(labels, SERIES_WIDTH)
        return offset

    def count(name: str, label: str) -> None:
        offset = counters.get((name, label))
        if offset is None:
            offset = counters[(name, label)] = store.slot(counter_key(name, label))
        store.add(offset, 1.0)

    @app.before_request
    def _start_metering() -> None:
        request.environ[STARTED] = clock()
        with store.lock:
            store.values[in_flight] += 1.0

    @app.after_request
    def _record(response: Response) -> Response:
        current = request._get_current_object()  # type: ignore[attr-defined]
        started = current.environ.pop(STARTED, None)
        if started is None:  # counted already (an after-request hook failed and Flask reran them)
            return response
        elapsed = clock() - started
        method = current.method
        if method not in METHODS:
            method = "other"
        status = response.status_code
        rule = current.url_rule
        offset = series_of(rule, method, status)
        bucket = offset + 2 + bisect_left(LATENCY_BUCKETS, elapsed)
        values = store.values
        with store.lock:
            values[offset] += 1.0
            values[offset + 1] += elapsed
            values[bucket] += 1.0
            values[in_flight] -= 1.0
        if status == 304:
            count("storeapi_http_not_modified", route_template(rule))
        elif status == 429:
            count("storeapi_rate_limited", breached_budget() or "other")
        elif method == "POST" and REPLAYED in response.headers:
            count("storeapi_idempotent_replays", route_template(rule))
        return response
