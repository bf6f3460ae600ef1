"""The metrics: names, help, labels, and the keys their values have in the store (store.py).

Label values are bounded: route templates, methods, status classes and budget names, never
anything a client can vary at will. `families` turns the added-up values into what
prometheus-client writes out.
"""

from __future__ import annotations

from collections.abc import Iterator

from prometheus_client.metrics_core import (
    CounterMetricFamily,
    GaugeMetricFamily,
    HistogramMetricFamily,
    Metric,
)

from storeapi.telemetry.store import GAUGE, Key

# Request latency from 1 ms to 5 s: a 304 takes under a millisecond here, a write a few, and a
# request over 5 s has timed out for most clients anyway.
LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0)
# A request series' values: its count, the sum of its latencies, then one count per bucket
# (not cumulative) and the +Inf bucket's.
SERIES_WIDTH = 2 + len(LATENCY_BUCKETS) + 1
STATUS_CLASSES = ("1xx", "2xx", "3xx", "4xx", "5xx")

REQUESTS = "storeapi_http_requests"
REQUESTS_HELP = "HTTP requests answered, by route template, method and status class"
LATENCY = "storeapi_http_request_duration_seconds"
LATENCY_HELP = "Time the app took to answer, by route template, method and status class"
SERIES_LABELS = ("route", "method", "status")

COUNTERS = {  # name: (help, label)
    "storeapi_http_not_modified": (
        "304 Not Modified answers (a conditional GET that found its ETag current), by route",
        "route",
    ),
    "storeapi_idempotent_replays": (
        "POSTs answered with the stored response of an earlier one (Idempotency-Key)",
        "route",
    ),
    "storeapi_rate_limited": (
        "Requests refused with 429, by the budget they exceeded (http/limits.py)",
        "budget",
    ),
}
GAUGES = {
    "storeapi_http_requests_in_flight": "Requests being answered now",
    "storeapi_db_pool_connections_in_use": "Connections checked out of the database pool now",
    "storeapi_db_pool_waiting": "Threads waiting for a connection from the database pool now",
    "storeapi_db_pool_capacity": (
        "Connections the database pools may hand out at once (size plus overflow)"
    ),
    "storeapi_db_thread_connections": (
        "Connections request threads keep outside the pool "
        "(PostgreSQL: each thread's reader; SQLite: each thread's connection)"
    ),
    "storeapi_sqlite_writers_waiting": (
        "Writers waiting their turn for SQLite's write lock now (db/writer_queue.py)"
    ),
}


def series_key(route: str, method: str, status: str) -> Key:
    return ("series", route, method, status)


def counter_key(name: str, label: str) -> Key:
    return ("counter", name, label)


def gauge_key(name: str) -> Key:
    return (GAUGE, name)


def families(totals: dict[Key, list[float]]) -> Iterator[Metric]:
    """The metric families of every key's total; every gauge and every family is written,
    at 0 or without samples, so that what reads them finds each name from the start."""
    requests = CounterMetricFamily(REQUESTS, REQUESTS_HELP, labels=SERIES_LABELS)
    latency = HistogramMetricFamily(LATENCY, LATENCY_HELP, labels=SERIES_LABELS)
    counters = {
        name: CounterMetricFamily(name, text, labels=[label])
        for name, (text, label) in COUNTERS.items()
    }
    bounds = [*(str(b) for b in LATENCY_BUCKETS), "+Inf"]
    for key, values in sorted(totals.items()):
        kind, *rest = key
        if kind == "series":
            labels = rest
            requests.add_metric(labels, values[0])
            cumulative, buckets = 0.0, []
            for bound, count in zip(bounds, values[2:], strict=True):
                cumulative += count
                buckets.append((bound, cumulative))
            latency.add_metric(labels, buckets, sum_value=values[1])
        elif kind == "counter" and rest[0] in counters:
            counters[rest[0]].add_metric([rest[1]], values[0])
    yield requests
    yield latency
    yield from counters.values()
    for name, text in GAUGES.items():
        yield GaugeMetricFamily(name, text, value=totals.get(gauge_key(name), [0.0])[0])
