"""Per-request metrics: a count and a latency per route template, method and status class;
requests in flight; 304s; idempotent replays; 429s by the budget they exceeded.

The clock starts in a WSGI middleware around the whole app (`MeteredRequests`, the outermost
layer, so before the proxy fix, the admin mount and every hook) and stops in the last of the
after-request hooks, where the route and the status are known: the latency covers the app's
whole work on the request, not the server's nor sending the body. Both run on every request,
so the places of a request's values are found once per rule, method and status and kept, and
a request then only adds to them, under the store's one lock (store.py).
"""

from __future__ import annotations

import time
from bisect import bisect_left
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

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
from storeapi.telemetry.store import Store, process_store

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

STARTED = "storeapi.metrics.started"  # the environ key of the request's start (perf_counter)
REPLAYED = "Idempotent-Replayed"
NONE = -1  # no counter to add to besides the request's series


class MeteredRequests:
    """WSGI middleware: starts each request's clock and counts it in flight. The hook that
    records the request (`_record`) takes it out of flight; a request it never saw (the app
    raised through every handler) is taken out here."""

    def __init__(self, app: WSGIApplication, store: Store, in_flight: int) -> None:
        self.app, self.store, self.in_flight = app, store, in_flight

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        store = self.store
        environ[STARTED] = time.perf_counter()
        with store.lock:
            store.values[self.in_flight] += 1.0
        try:
            return self.app(environ, start_response)
        finally:
            if environ.pop(STARTED, None) is not None:
                store.add(self.in_flight, -1.0)


def meter_requests(app: Flask) -> Callable[[WSGIApplication], WSGIApplication]:
    """Register the hook that records each request; returns the middleware to wrap the whole
    app in (`create_app` does, last)."""
    store = process_store()
    clock = time.perf_counter
    in_flight = store.slot(gauge_key("storeapi_http_requests_in_flight"))
    # (rule, method label, status) -> (the offset of its series, of a counter it adds to too)
    places: dict[tuple[str | None, str, int], tuple[int, int]] = {}

    def place(rule: Rule | None, method: str, status: int) -> tuple[int, int]:
        klass = STATUS_CLASSES[status // 100 - 1] if 100 <= status < 600 else "other"
        series = store.slot(series_key(route_template(rule), method, klass), SERIES_WIDTH)
        also = NONE
        if status == 304:
            also = store.slot(counter_key("storeapi_http_not_modified", route_template(rule)))
        return series, also

    def count(name: str, label: str) -> None:
        store.add(store.slot(counter_key(name, label)), 1.0)

    @app.after_request
    def _record(response: Response) -> Response:
        current = request._get_current_object()  # type: ignore[attr-defined]
        started = current.environ.pop(STARTED, None)
        if started is None:  # not through the middleware (a test's request context), or
            return response  # recorded already (an after-request hook failed: Flask reran them)
        elapsed = clock() - started
        method = current.method
        if method not in METHODS:
            method = "other"
        status = response.status_code
        rule = current.url_rule
        key = (rule and rule.rule, method, status)
        found = places.get(key)
        if found is None:
            found = places[key] = place(rule, method, status)
        series, also = found
        bucket = series + 2 + bisect_left(LATENCY_BUCKETS, elapsed)
        values = store.values
        with store.lock:
            values[in_flight] -= 1.0
            values[series] += 1.0
            values[series + 1] += elapsed
            values[bucket] += 1.0
            if also != NONE:
                values[also] += 1.0
        if status == 429:
            count("storeapi_rate_limited", breached_budget() or "other")
        elif method == "POST" and status < 300 and REPLAYED in response.headers:
            count("storeapi_idempotent_replays", route_template(rule))
        return response

    def wrap(wsgi_app: Any) -> WSGIApplication:
        return MeteredRequests(wsgi_app, store, in_flight)

    return wrap
