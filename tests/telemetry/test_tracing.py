"""OpenTelemetry traces (telemetry/tracing.py): a request's span continues the caller's trace,
carries the route template, status and request id, and has a child span per statement; they
reach a real OTLP/HTTP receiver, from the app in-process and from a running `storeapi serve`."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import httpx
import pytest
from flask import Flask
from opentelemetry.sdk.trace import ReadableSpan
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind

from tests.conftest import create_item, create_store, make_account
from tests.live import live_server
from tests.telemetry.otlp_receiver import Receiver, otlp_receiver

TRACE_ID = "0af7651916cd43dd8448eb211c80319c"
CALLER_SPAN = "b7ad6b7169203331"
TRACEPARENT = f"00-{TRACE_ID}-{CALLER_SPAN}-01"


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with otlp_receiver() as r:
        yield r


@pytest.fixture
def traced(
    make_app: Callable[..., Flask], receiver: Receiver, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[Flask, InMemorySpanExporter]]:
    """An app tracing to the receiver, with an in-memory exporter beside it."""
    monkeypatch.setenv("OTEL_EXPORTER_OTLP_ENDPOINT", receiver.url)
    monkeypatch.delenv("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", raising=False)
    app = make_app(tracing_enabled=True)
    provider = app.extensions["tracer_provider"]
    memory = InMemorySpanExporter()
    provider.add_span_processor(SimpleSpanProcessor(memory))
    yield app, memory
    provider.shutdown()


def hex_id(value: int, digits: int) -> str:
    return format(value, f"0{digits}x")


def request_span(spans: tuple[ReadableSpan, ...], name: str) -> ReadableSpan:
    found = [s for s in spans if s.kind == SpanKind.SERVER and s.name == name]
    assert len(found) == 1, [(s.name, s.kind) for s in spans]
    return found[0]


def children(spans: tuple[ReadableSpan, ...], parent: ReadableSpan) -> list[ReadableSpan]:
    return [s for s in spans if s.parent is not None and s.parent.span_id == parent.context.span_id]


def test_a_request_span_continues_the_callers_trace_with_a_span_per_statement(traced) -> None:  # type: ignore[no-untyped-def]
    app, memory = traced
    client = app.test_client()
    owner = make_account(client, "tracing@example.com")
    item = create_item(client, owner, create_store(client, owner)["id"])
    memory.clear()

    r = client.get(f"/item/{item['id']}", headers={"traceparent": TRACEPARENT})
    assert r.status_code == 200
    spans = memory.get_finished_spans()
    span = request_span(spans, "GET /item/{item_id}")
    assert hex_id(span.context.trace_id, 32) == TRACE_ID
    assert hex_id(span.parent.span_id, 16) == CALLER_SPAN and span.parent.is_remote
    assert span.attributes["http.route"] == "/item/{item_id}"
    assert span.attributes["http.response.status_code"] == 200
    assert span.attributes["storeapi.request_id"] == r.headers["X-Request-ID"]
    statements = children(spans, span)
    assert statements, "no statement span under the request's"
    read = statements[0]
    assert read.kind == SpanKind.CLIENT and hex_id(read.context.trace_id, 32) == TRACE_ID
    dialect = app.extensions["engine"].dialect.name
    assert read.attributes["db.system.name"] == dialect
    assert read.attributes["db.operation.name"] == "SELECT"
    assert "FROM items" in read.attributes["db.query.text"]
    assert read.start_time >= span.start_time and read.end_time <= span.end_time


def test_writes_trace_each_statement_of_the_unit_of_work(traced) -> None:  # type: ignore[no-untyped-def]
    app, memory = traced
    client = app.test_client()
    owner = make_account(client, "writer@example.com")
    store = create_store(client, owner)
    memory.clear()
    body = {"name": "Desk", "price": 120, "store_id": store["id"]}
    assert client.post("/item", json=body, headers=owner.headers).status_code == 201
    spans = memory.get_finished_spans()
    span = request_span(spans, "POST /item")
    assert hex_id(span.context.trace_id, 32) != TRACE_ID  # no caller's trace: a new one
    operations = [s.attributes["db.operation.name"] for s in children(spans, span)]
    assert "INSERT" in operations and "SELECT" in operations


def test_unmatched_paths_and_failures_keep_their_status(traced) -> None:  # type: ignore[no-untyped-def]
    app, memory = traced
    client = app.test_client()
    assert client.get("/no-such-thing/123").status_code == 404
    assert client.get("/item/424242").status_code == 404
    spans = memory.get_finished_spans()
    unmatched = [s for s in spans if s.kind == SpanKind.SERVER and s.name == "GET"]
    assert unmatched and "http.route" not in unmatched[0].attributes
    missing = request_span(spans, "GET /item/{item_id}")
    assert missing.attributes["http.response.status_code"] == 404


def test_probes_and_scrapes_make_no_traces(traced) -> None:  # type: ignore[no-untyped-def]
    app, memory = traced
    client = app.test_client()
    assert client.get("/healthz").status_code == 200
    assert client.get("/readyz").status_code == 200
    assert memory.get_finished_spans() == ()  # not even the readiness check's statement


def test_spans_reach_an_otlp_receiver(traced, receiver: Receiver) -> None:  # type: ignore[no-untyped-def]
    app, _ = traced
    r = app.test_client().get("/item/5", headers={"traceparent": TRACEPARENT})
    assert r.status_code == 404
    assert app.extensions["tracer_provider"].force_flush(10_000)
    got = [s for s in receiver.received() if s.trace_id == TRACE_ID]
    names = {s.name for s in got}
    assert "GET /item/{item_id}" in names and any(n.startswith("SELECT") for n in names)
    assert {s.service for s in got} == {"storeapi"}


def test_without_an_otlp_endpoint_nothing_traces(client) -> None:  # type: ignore[no-untyped-def]
    app = client.application
    assert "tracer_provider" not in app.extensions
    assert not getattr(app, "_is_instrumented_by_opentelemetry", False)
    assert not app.extensions["engine"].dispatch.after_cursor_execute


def test_a_running_server_exports_the_callers_trace_even_as_it_stops(
    database_url: str, receiver: Receiver
) -> None:
    """The batch is sent every 5 s (OTEL_BSP_SCHEDULE_DELAY's default); the server is stopped
    at once, and its worker sends what it still holds on its way out."""
    env = {"OTEL_EXPORTER_OTLP_ENDPOINT": receiver.url, "OTEL_SERVICE_NAME": "storeapi-under-test"}
    with live_server(database_url, workers=1, **env) as base:
        r = httpx.get(f"{base}/item/7", headers={"traceparent": TRACEPARENT})
        assert r.status_code == 404
    got = [s for s in receiver.received() if s.trace_id == TRACE_ID]
    request = next(s for s in got if s.name == "GET /item/{item_id}")
    assert request.parent_span_id == CALLER_SPAN
    assert request.attributes["storeapi.request_id"] == r.headers["X-Request-ID"]
    assert request.service == "storeapi-under-test"
    statement = next(s for s in got if s.name.startswith("SELECT"))
    assert statement.parent_span_id == request.span_id


def test_traces_and_metrics_together(make_app, receiver: Receiver, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("OTEL_EXPORTER_OTLP_ENDPOINT", receiver.url)
    app = make_app(tracing_enabled=True, metrics_enabled=True)
    provider = app.extensions["tracer_provider"]
    memory = InMemorySpanExporter()
    provider.add_span_processor(SimpleSpanProcessor(memory))
    try:
        client = app.test_client()
        r = client.get("/item/9", headers={"traceparent": TRACEPARENT})
        assert r.status_code == 404
        span = request_span(memory.get_finished_spans(), "GET /item/{item_id}")
        assert span.attributes["storeapi.request_id"] == r.headers["X-Request-ID"]
        scraped = client.get("/metrics").get_data(as_text=True)
        assert 'storeapi_http_requests_total{method="GET",route="/item/{item_id}"' in scraped
        assert [s for s in memory.get_finished_spans() if "metrics" in s.name] == []
    finally:
        provider.shutdown()
