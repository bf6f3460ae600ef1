"""/metrics: this instance's metrics in Prometheus's text format, for loopback callers, and for
others only with METRICS_TOKEN as a bearer token. It is not an operation of the API: not in
the OpenAPI document, never rate-limited (http/limits.py's UNLIMITED).

Besides what the workers recorded (instruments.py), a scrape reads a few values where they
are: the build, whether the database answers, and the mail outbox's rows by status.
"""

from __future__ import annotations

import datetime as dt
import hmac
import ipaddress
import logging
import platform
from collections.abc import Iterator
from importlib.metadata import version

from flask import Blueprint, Flask, request
from prometheus_client import CollectorRegistry
from prometheus_client.exposition import choose_encoder
from prometheus_client.metrics_core import GaugeMetricFamily, InfoMetricFamily, Metric
from sqlalchemy import Engine, func, select

from storeapi.http.problems import Problem
from storeapi.http.responses import Response
from storeapi.mail.outbox import FAILED, PENDING, SENT
from storeapi.models import MailOutbox, utcnow
from storeapi.resources.root import VERSION as API_VERSION
from storeapi.settings import Settings
from storeapi.telemetry.instruments import families
from storeapi.telemetry.store import Store, process_store, read_totals

log = logging.getLogger("storeapi")
ORIGINAL_ENVIRON = "werkzeug.proxy_fix.orig"  # where ProxyFix keeps what it replaced
DATABASE_UP = "1 when the database answered this scrape's query, else 0 (as /readyz)"
# The outbox by status, with each status's oldest mail: one scan of the index on (status, ...)
OUTBOX = select(MailOutbox.status, func.count(), func.min(MailOutbox.created_at))
MAIL_BY_STATUS = OUTBOX.group_by(MailOutbox.status)


class WorkersValues:
    """A collector of what the workers recorded (store.py), added up when Prometheus asks."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def collect(self) -> Iterator[Metric]:
        return families(read_totals(self.store))


class ReadAtScrape:
    """A collector of the values read when Prometheus asks, in the worker it asks."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.build = {
            "version": version("storeapi"),
            "api_version": API_VERSION,
            "python": platform.python_version(),
            "database": engine.dialect.name,
        }

    def collect(self) -> Iterator[Metric]:
        yield InfoMetricFamily("storeapi_build", "The running build", value=self.build)
        try:
            with self.engine.connect() as conn:
                rows = conn.execute(MAIL_BY_STATUS).all()
        except Exception as exc:  # down, or failing: the gauge says so, the scrape still answers
            log.warning("metrics: the database did not answer: %s", type(exc).__name__)
            yield GaugeMetricFamily("storeapi_database_up", DATABASE_UP, value=0)
            return
        yield GaugeMetricFamily("storeapi_database_up", DATABASE_UP, value=1)
        mails = GaugeMetricFamily(
            "storeapi_mail_outbox_mails",
            "Mails in the outbox: pending (queued or retrying), sent, failed (gave up)",
            labels=["status"],
        )
        found = {status: (count, oldest) for status, count, oldest in rows}
        for status in (PENDING, SENT, FAILED):
            mails.add_metric([status], found.get(status, (0, None))[0])
        yield mails
        oldest: dt.datetime | None = found.get(PENDING, (0, None))[1]
        age = max(0.0, (utcnow() - oldest).total_seconds()) if oldest is not None else 0.0
        yield GaugeMetricFamily(
            "storeapi_mail_oldest_pending_seconds",
            "Age of the oldest mail not yet sent (0 when none is pending)",
            value=age,
        )


def _loopback(address: str | None) -> bool:
    try:
        ip = ipaddress.ip_address(address or "")
    except ValueError:
        return False  # a Unix socket, or nothing: not known to be this machine
    mapped = getattr(ip, "ipv4_mapped", None)
    return ip.is_loopback or (mapped is not None and mapped.is_loopback)


def local_caller() -> bool:
    """The caller is on this machine: the connection comes from a loopback address, and so does
    the client that trusted proxies (TRUSTED_PROXIES) say they forward. Behind a proxy on this
    machine the client's address decides; a forged X-Forwarded-For sent straight to the
    server decides nothing, as the connection's own address is not loopback."""
    wsgi = request.environ
    peer = wsgi.get(ORIGINAL_ENVIRON, {}).get("REMOTE_ADDR", wsgi.get("REMOTE_ADDR"))
    return _loopback(peer) and _loopback(request.remote_addr)


def check_access(token: bytes | None) -> None:
    """Loopback callers may read; others need the token, compared in constant time."""
    if local_caller():
        return
    if token is None:
        raise Problem(403, "The metrics are served to callers on this machine only")
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() == "bearer" and hmac.compare_digest(given.strip().encode(), token):
        return
    raise Problem(
        401,
        "The metrics need METRICS_TOKEN as a bearer token",
        headers={"WWW-Authenticate": 'Bearer realm="metrics"'},
    )


def serve_metrics(app: Flask, settings: Settings) -> None:
    """GET /metrics on `app`."""
    registry = CollectorRegistry(auto_describe=False)
    registry.register(WorkersValues(process_store()))
    registry.register(ReadAtScrape(app.extensions["engine"]))
    token = settings.metrics_token.encode() if settings.metrics_token else None
    bp = Blueprint("metrics", __name__)

    @bp.get("/metrics")
    def metrics() -> Response:
        check_access(token)
        encode, content_type = choose_encoder(request.headers.get("Accept", ""))
        response = Response(encode(registry), headers={"Cache-Control": "no-store"})
        response.headers["Content-Type"] = content_type
        return response

    app.register_blueprint(bp)
