"""When a connection is pinged before use: after it sat idle, or across a disconnect seen elsewhere.

SQLAlchemy's `pool_pre_ping` pings at every check-out: a round trip to the server per request
(bench/README.md, "PostgreSQL pings only idle connections"). A connection used less than a
second ago was alive then; if the server went away since, its statement fails as a disconnect,
the connection is invalidated and the request is a 503, as a failed ping's retry would have
been while the server is down. An idle connection (the server may have restarted, or closed
it, meanwhile) is pinged, and replaced when the ping fails; so is every connection that sat idle
across a disconnect found on another one (a restarted server closed them all), as SQLAlchemy
invalidates a whole pool on a disconnect. The pool's connections and each thread's own
(db/pooled.py) follow this one rule.
"""

from __future__ import annotations

import time
import weakref

from sqlalchemy import Engine, event
from sqlalchemy import exc as sa_exc

PING_AFTER_IDLE_SECONDS = 1.0

_LAST_DISCONNECT: weakref.WeakKeyDictionary[Engine, float] = weakref.WeakKeyDictionary()


def ping_pooled_when_idle(engine: Engine) -> None:
    """Ping a pooled connection at check-out when `needs_ping` says so; a dead one is replaced."""

    @event.listens_for(engine, "checkin")
    def _idle_from(_dbapi_conn, record):  # type: ignore[no-untyped-def]
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine, "invalidate")
    def _disconnected(_dbapi_conn, _record, _exc):  # type: ignore[no-untyped-def]
        note_disconnect(engine)

    @event.listens_for(engine, "checkout")
    def _ping_if_idle(dbapi_conn, record, _proxy):  # type: ignore[no-untyped-def]
        idle_since = record.info.get("idle_since")
        if idle_since is None or not needs_ping(engine, idle_since):
            return  # just connected, or used a moment ago and no disconnect seen since
        try:
            engine.dialect.do_ping(dbapi_conn)
        except engine.dialect.loaded_dbapi.Error as exc:
            # The pool's documented way to say "replace this one": it reconnects and retries.
            raise sa_exc.DisconnectionError("the idle connection is gone") from exc


def note_disconnect(engine: Engine) -> None:
    """A connection of this engine was found dead: ping the others before their next use."""
    _LAST_DISCONNECT[engine] = time.monotonic()


def needs_ping(engine: Engine, last_used: float) -> bool:
    """True when a connection last used at `last_used` (monotonic) must be pinged first."""
    idle = time.monotonic() - last_used >= PING_AFTER_IDLE_SECONDS
    return idle or last_used <= _LAST_DISCONNECT.get(engine, 0.0)
