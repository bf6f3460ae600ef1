"""What an operator sees of a running API: Prometheus metrics at /metrics, OpenTelemetry traces.

Both are off unless configured (METRICS_ENABLED, OTEL_EXPORTER_OTLP_ENDPOINT), and off they
import nothing and register no hook: the requests' hot paths are as they were without them
(bench/README.md). docs/operations.md says what to watch.

Where each part lives:
- routes.py        a request's route as a label: its template, never the raw path
- store.py         where each worker keeps its values, and how a scrape adds them up
- instruments.py   the metrics: names, labels, buckets, their keys in the store
- requests.py      the middleware and the hook that count and time each request
- database.py      the pool's and the SQLite writers' queue's gauges
- scrape.py        /metrics: who may read it, and what is read at scrape time
- tracing.py       a span per request, a child span per statement
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # `storeapi serve` imports store.py, and with it this, before Flask
    from flask import Flask

    from storeapi.settings import Settings


def init_telemetry(app: Flask, settings: Settings) -> Callable[[Any], Any] | None:
    """Metrics and tracing as configured; call before the other hooks are registered, so that
    the request's span and its last hook enclose them all. With metrics on it returns the WSGI
    middleware that starts each request's clock: wrap the finished app in it, outermost."""
    outermost = None
    if settings.metrics_enabled:
        from storeapi.telemetry.database import meter_database
        from storeapi.telemetry.requests import meter_requests
        from storeapi.telemetry.scrape import serve_metrics

        outermost = meter_requests(app)
        meter_database(app)
        serve_metrics(app, settings)
    if settings.tracing_enabled:
        from storeapi.telemetry.tracing import init_tracing

        init_tracing(app)
    return outermost
