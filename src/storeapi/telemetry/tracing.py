"""OpenTelemetry traces: a span per request, continuing the caller's trace (W3C `traceparent`),
named by its route template, with its status and request id; a child span per database
statement.

On when OTEL_EXPORTER_OTLP_ENDPOINT (or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) is set; the
exporter (OTLP over HTTP), the sampler (OTEL_TRACES_SAMPLER), the resource (OTEL_SERVICE_NAME,
OTEL_RESOURCE_ATTRIBUTES) and the batching (OTEL_BSP_*) read OpenTelemetry's other standard
variables. The request's span is opentelemetry-instrumentation-flask's; the statements' spans
come from SQLAlchemy's public cursor events, which the prepared reads fire too (db/prepared.py).
"""

from __future__ import annotations

import os
import threading
from importlib.metadata import version
from typing import Any

from flask import Flask, Response, request
from opentelemetry import trace
from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
from opentelemetry.instrumentation.flask import FlaskInstrumentor
from opentelemetry.sdk.resources import SERVICE_NAME, SERVICE_VERSION, Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor
from opentelemetry.trace import SpanKind, Status, StatusCode
from sqlalchemy import Engine, event

from storeapi.telemetry.routes import METHODS, UNMATCHED, route_template

# Probes and scrapes every few seconds would bury the requests people look for; the standard
# variable replaces this list.
EXCLUDED_URLS = "/healthz$,/readyz$,/metrics$"
REQUEST_ID = "storeapi.request_id"


def _resource() -> Resource:
    """OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES as the SDK reads them, "storeapi" when
    they name no service."""
    resource = Resource.create({SERVICE_VERSION: version("storeapi")})
    if str(resource.attributes.get(SERVICE_NAME, "")).startswith("unknown_service"):
        resource = resource.merge(Resource({SERVICE_NAME: "storeapi"}))
    return resource


def init_tracing(app: Flask) -> TracerProvider:
    """Trace `app`'s requests and statements; the provider is `app.extensions["tracer_provider"]`
    (a test adds a processor of its own to it)."""
    provider = TracerProvider(resource=_resource(), shutdown_on_exit=False)
    provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
    _send_the_last_spans_at_exit(provider)
    app.extensions["tracer_provider"] = provider
    excluded = None if _excluded_urls_configured() else EXCLUDED_URLS
    FlaskInstrumentor.instrument_app(
        app, tracer_provider=provider, excluded_urls=excluded, enable_commenter=False
    )
    app.after_request(_describe_request_span)  # runs after http/hooks.py's (the request id)
    _trace_statements(app, app.extensions["engine"], provider.get_tracer(__name__))
    return provider


def _send_the_last_spans_at_exit(provider: TracerProvider) -> None:
    """Export what is still batched when the process ends.

    The SDK's own `atexit` hook never runs in a server's worker: multiprocessing ends its
    processes with `os._exit`, and a worker stopped gracefully lost its last seconds of spans.
    Before that, the interpreter waits for every non-daemon thread, in workers too; this one
    waits for the main thread to finish, then shuts the provider down, which exports them."""

    def flush_at_exit() -> None:
        threading.main_thread().join()
        provider.shutdown()

    threading.Thread(target=flush_at_exit, name="storeapi-spans-at-exit", daemon=False).start()


def _excluded_urls_configured() -> bool:
    return bool(
        os.environ.get("OTEL_PYTHON_FLASK_EXCLUDED_URLS")
        or os.environ.get("OTEL_PYTHON_EXCLUDED_URLS")
    )


def _describe_request_span(response: Response) -> Response:
    """Name the request's span by its route template, as the metrics label it: the
    instrumentation names it by Flask's rule (`/item/<int:item_id>`), or by the raw path when
    no rule matched, which would make a span name per id. With the request id."""
    span = trace.get_current_span()
    if not span.is_recording():
        return response
    method = request.method if request.method in METHODS else "HTTP"
    route = route_template(request.url_rule)
    if route == UNMATCHED:
        span.update_name(method)  # OpenTelemetry's name for a request without a route
    else:
        span.update_name(f"{method} {route}")
        span.set_attribute("http.route", route)
    span.set_attribute("http.response.status_code", response.status_code)
    span.set_attribute(REQUEST_ID, response.headers.get("X-Request-ID", ""))
    return response


def _trace_statements(app: Flask, engine: Engine, tracer: trace.Tracer) -> None:
    """A client span per statement, a child of the request's span (statements outside a
    traced request make none). A thread runs one statement at a time, so its open span is
    kept per thread; one whose statement failed without SQLAlchemy's error event (a prepared
    read's) is ended, as failed, by the next statement or the request's end."""
    system = engine.dialect.name  # "postgresql", "sqlite": OpenTelemetry's names for them
    open_spans = threading.local()

    def end_open_span(error: str | None) -> None:
        span = getattr(open_spans, "span", None)
        if span is None:
            return
        open_spans.span = None
        if error is not None:
            span.set_status(Status(StatusCode.ERROR, error))
        span.end()

    @event.listens_for(engine, "before_cursor_execute")
    def _statement_starts(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        end_open_span("the statement did not finish")
        if not trace.get_current_span().is_recording():
            return
        words = statement.split(None, 1)
        operation = words[0].upper() if words else "SQL"
        open_spans.span = tracer.start_span(
            f"{operation} {system}",
            kind=SpanKind.CLIENT,
            attributes={
                "db.system.name": system,
                "db.operation.name": operation,
                "db.query.text": statement,
            },
        )

    @event.listens_for(engine, "after_cursor_execute")
    def _statement_ends(*_args: Any) -> None:
        end_open_span(None)

    @event.listens_for(engine, "handle_error")
    def _statement_fails(context: Any) -> None:
        span = getattr(open_spans, "span", None)
        if span is not None:
            span.record_exception(context.original_exception)
        end_open_span(type(context.original_exception).__name__)

    @app.teardown_request
    def _request_ends(exc: BaseException | None) -> None:
        end_open_span("the statement did not finish")
