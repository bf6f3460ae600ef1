"""The metrics this process records, made once per process (`instruments()`).

Under `storeapi serve` each worker writes its values to files in PROMETHEUS_MULTIPROC_DIR
(prometheus-client's multiprocess mode, see multiprocess.py) and /metrics, answered by any
one worker, adds them up: counters and histograms over every worker that ever ran since the
server started (a restarted worker's counts are kept, not lost and not counted twice), gauges
over the workers alive now (`livesum`). Without that directory the values live in this
process, for a single-process server or the tests' app.
"""

from __future__ import annotations

from prometheus_client import Counter, Gauge, Histogram, disable_created_metrics
from prometheus_client.metrics import MetricWrapperBase

from storeapi.telemetry.multiprocess import forget_this_process

# Request latency from 1 ms to 5 s: a 304 takes under a millisecond here, a write a few, and a
# request over 5 s has timed out for most clients anyway.
LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0)
STATUS_CLASSES = {1: "1xx", 2: "2xx", 3: "3xx", 4: "4xx", 5: "5xx"}


class Instruments:
    """Every metric, by name. Label values are bounded: route templates, methods, status
    classes and budget names, never anything a client can vary at will."""

    def __init__(self) -> None:
        request = ["route", "method", "status"]
        self.requests = Counter(
            "storeapi_http_requests",
            "HTTP requests answered, by route template, method and status class",
            request,
            registry=None,
        )
        self.latency = Histogram(
            "storeapi_http_request_duration_seconds",
            "Time the app took to answer, by route template, method and status class",
            request,
            buckets=LATENCY_BUCKETS,
            registry=None,
        )
        self.in_flight = Gauge(
            "storeapi_http_requests_in_flight",
            "Requests being answered now",
            multiprocess_mode="livesum",
            registry=None,
        )
        self.not_modified = Counter(
            "storeapi_http_not_modified",
            "304 Not Modified answers (a conditional GET that found its ETag current), by route",
            ["route"],
            registry=None,
        )
        self.idempotent_replays = Counter(
            "storeapi_idempotent_replays",
            "POSTs answered with the stored response of an earlier one (Idempotency-Key)",
            ["route"],
            registry=None,
        )
        self.rate_limited = Counter(
            "storeapi_rate_limited",
            "Requests refused with 429, by the budget they exceeded (http/limits.py)",
            ["budget"],
            registry=None,
        )
        self.pool_in_use = Gauge(
            "storeapi_db_pool_connections_in_use",
            "Connections checked out of the database pool now",
            multiprocess_mode="livesum",
            registry=None,
        )
        self.pool_waiting = Gauge(
            "storeapi_db_pool_waiting",
            "Threads waiting for a connection from the database pool now",
            multiprocess_mode="livesum",
            registry=None,
        )
        self.pool_capacity = Gauge(
            "storeapi_db_pool_capacity",
            "Connections the database pools may hand out at once (size plus overflow)",
            multiprocess_mode="livesum",
            registry=None,
        )
        self.thread_connections = Gauge(
            "storeapi_db_thread_connections",
            "Connections request threads keep outside the pool "
            "(PostgreSQL: each thread's reader; SQLite: each thread's connection)",
            multiprocess_mode="livesum",
            registry=None,
        )
        self.sqlite_writers_waiting = Gauge(
            "storeapi_sqlite_writers_waiting",
            "Writers waiting their turn for SQLite's write lock now (db/writer_queue.py)",
            multiprocess_mode="livesum",
            registry=None,
        )

    def collectors(self) -> list[MetricWrapperBase]:
        return [value for value in vars(self).values() if isinstance(value, MetricWrapperBase)]


_instruments: Instruments | None = None


def instruments() -> Instruments:
    """This process's metrics, made on first use."""
    global _instruments
    if _instruments is None:
        # A `_created` sample per counter only in a single process (multiprocess mode has none):
        # leave them out, so both expose the same series.
        disable_created_metrics()
        forget_this_process()
        _instruments = Instruments()
    return _instruments
