"""A per-process cache of live logins on PostgreSQL, kept true by LISTEN/NOTIFY; fails closed.

The guard asks on every request whether the token's login (its family) is live and who the
caller is (auth/guards.py). On PostgreSQL that is a round trip; here the answer is kept per
process, keyed by family id, and dropped when the database says it changed: triggers
(migration 0007) NOTIFY at commit when a family is updated or deleted, or a user's rights,
verification or password change or the user is deleted, whoever wrote it.

The cache is used only while its listener is known to hear every notification, else every
request reads the database as before:
- the listener holds a connection of its own (not the pool's), opened in each process on first
  use (never shared across a fork), and LISTENs before the cache is emptied and enabled, so no
  change falls between what was cached and what it will hear;
- it asks its server for a beat (`SELECT 1`) every BEAT_SECONDS, between waits for
  notifications, which an idle backend passes on as soon as they are committed. Without an
  answer within STALE_SECONDS (a silently dead connection, a stopped server) the cache is not
  used. (Not a NOTIFY to itself, which would be ordered after every change: a NOTIFY commits a
  transaction, so each beat would write WAL, keep replicas under an apply delay forever behind,
  and fill an idle server's archive every `archive_timeout`.);
- when the connection fails the cache is emptied and disabled; it reconnects with backoff;
- a request that read the database fills the cache only if no change was heard since it took
  its `ticket` (the generation, counted up by every change heard), so it cannot put back what
  a change it raced with removed.
An entry's `expires_at` is still compared with the clock on every hit.
"""

from __future__ import annotations

import logging
import os
import threading
import time
import weakref
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from flask import Flask, Response, after_this_request, has_request_context
from sqlalchemy import Engine, event

log = logging.getLogger(__name__)

CHANNEL = "storeapi_logins"  # migration 0007 notifies on it
MAX_LOGINS = 4096
BEAT_SECONDS = 0.5
STALE_SECONDS = 2.0
FIRST_BACKOFF_SECONDS = 0.1
MAX_BACKOFF_SECONDS = 5.0
_EXTENSION = "storeapi.live_logins"
_ALL: weakref.WeakSet[LiveLogins] = weakref.WeakSet()


@dataclass(frozen=True, slots=True)
class Login:
    """What the guard reads about a live login."""

    user_id: int
    is_admin: bool
    email_verified: bool
    expires_at: float  # POSIX seconds: the login ends then, however often it was refreshed


class LiveLogins:
    """Family id -> `Login`, a bounded LRU, usable only while its listener is healthy."""

    def __init__(self, engine: Engine, maxsize: int = MAX_LOGINS) -> None:
        self.engine, self.maxsize = engine, maxsize
        self.first_backoff = FIRST_BACKOFF_SECONDS
        self._stop = threading.Event()
        self._reset()
        _ALL.add(self)
        event.listen(engine, "engine_disposed", lambda _engine: self.close())

    def _reset(self) -> None:
        """A new process's state: no entries, no listener (a forked child's start)."""
        self._lock = threading.Lock()
        self._entries: OrderedDict[str, Login] = OrderedDict()
        self._generation = 0
        self._fresh_until = 0.0  # monotonic: the cache serves until then (the last beat's bound)
        self._thread: threading.Thread | None = None
        self.listener_pid: int | None = None  # the listener's backend, once it is listening

    # -- the guard's side ------------------------------------------------------------------

    def get(self, family: str) -> Login | None:
        """The cached login, or None: not cached, or the cache cannot be trusted just now."""
        if time.monotonic() >= self._fresh_until:
            self._ensure_listening()
            return None
        with self._lock:
            login = self._entries.get(family)
            if login is not None:
                self._entries.move_to_end(family)
            return login

    def ticket(self) -> int | None:
        """Taken before reading the database: `put` keeps what was read only if no change was
        heard in between. None while the cache is not in use."""
        return self._generation if self.usable() else None

    def put(self, family: str, ticket: int, login: Login) -> None:
        with self._lock:
            if ticket != self._generation or not self.usable():
                return  # a change was heard since the read, or the listener is down
            self._entries[family] = login
            self._entries.move_to_end(family)
            while len(self._entries) > self.maxsize:
                self._entries.popitem(last=False)

    def usable(self) -> bool:
        return time.monotonic() < self._fresh_until

    def __contains__(self, family: object) -> bool:
        return family in self._entries

    def __len__(self) -> int:
        return len(self._entries)

    @property
    def generation(self) -> int:
        return self._generation

    # -- the listener ------------------------------------------------------------------------

    def _ensure_listening(self) -> None:
        if self._thread is not None:
            return
        with self._lock:
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._run, args=(self._stop,), name="storeapi-live-logins", daemon=True
                )
                self._thread.start()

    def close(self) -> None:
        """Stop listening (the thread ends within a beat) and stop using the cache. The engine
        may be used after its `dispose()`: the next request starts a new listener."""
        with self._lock:
            self._stop.set()
            self._stop, self._thread = threading.Event(), None
        self._forget_all()

    def _run(self, stop: threading.Event) -> None:
        backoff = 0.0
        while not stop.is_set():
            started = time.monotonic()
            try:
                self._listen(stop)
            except Exception as exc:
                log.warning("live logins: listener lost, reading the database: %s", exc)
            finally:
                if not stop.is_set():  # (else `close` did, and a new listener may be up)
                    self._forget_all()
            if time.monotonic() - started > MAX_BACKOFF_SECONDS:
                backoff = 0.0  # it was up a while: this is a new failure
            backoff = min(max(backoff * 2, self.first_backoff), MAX_BACKOFF_SECONDS)
            if stop.wait(backoff):
                return

    def _connect(self) -> Any:
        import psycopg

        args, kwargs = self.engine.dialect.create_connect_args(self.engine.url)
        # Keepalives and a TCP user timeout bound how long a dead peer can go unnoticed
        # (libpq ignores them on a Unix socket, where a dead server closes the socket).
        kwargs = {
            "connect_timeout": 3,
            "keepalives": 1,
            "keepalives_idle": 5,
            "keepalives_interval": 1,
            "keepalives_count": 3,
            "tcp_user_timeout": 5000,
            "application_name": f"storeapi-live-logins {os.getpid()}",
            **kwargs,
            "autocommit": True,
        }
        return psycopg.connect(*args, **kwargs)

    def _listen(self, stop: threading.Event) -> None:
        with self._connect() as conn:
            conn.execute(f'LISTEN "{CHANNEL}"')
            (schema,) = conn.execute(
                "SELECT n.nspname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                " WHERE c.oid = 'token_families'::regclass"
            ).fetchone()
            backend = conn.info.backend_pid
            if stop.is_set():
                return
            # Listening now: whatever is cached was not heard about; start from nothing.
            self._forget_all()
            self.listener_pid = backend
            while not stop.is_set():
                sent = time.monotonic()
                conn.execute("SELECT 1")
                self._beat_heard(sent, stop)
                for note in conn.notifies(timeout=BEAT_SECONDS):
                    self._heard(schema, note.payload)

    def _heard(self, schema: str, payload: str) -> None:
        """One notification: `<schema> <family id>`, `<schema> user <id>` or `<schema> all`;
        another schema's is not ours."""
        where, _, what = payload.partition(" ")
        if where != schema:
            return
        if what.startswith("user "):
            self.forget(user_id=what[5:])
        elif what == "all" or " " in what:
            self.forget()  # (`all`, or a payload we do not know)
        else:
            self.forget(family=what)

    def forget(self, *, family: str | None = None, user_id: int | str | None = None) -> None:
        """Drop a login, or all of a user's, or (neither given) every one; and make the fills
        of requests that read the database before this moment fail (`put`)."""
        with self._lock:
            self._generation += 1
            if family is not None:
                self._entries.pop(family, None)
            elif user_id is not None:
                user = str(user_id)
                for gone in [f for f, v in self._entries.items() if str(v.user_id) == user]:
                    del self._entries[gone]
            else:
                self._entries.clear()

    def _beat_heard(self, sent: float, stop: threading.Event) -> None:
        """The server answered a beat sent at `sent`: the connection was alive then."""
        with self._lock:
            if not stop.is_set():  # (a closed listener's last beat enables nothing)
                self._fresh_until = max(self._fresh_until, sent + STALE_SECONDS)

    def _forget_all(self) -> None:
        with self._lock:
            self._fresh_until = 0.0
            self._generation += 1
            self._entries.clear()
            self.listener_pid = None

    def _after_fork(self) -> None:
        self._reset()


def _after_fork_in_child() -> None:
    for cache in list(_ALL):
        cache._after_fork()


os.register_at_fork(after_in_child=_after_fork_in_child)


def forget_after_commit(*, family: str | None = None, user_id: int | None = None) -> None:
    """This request changes a login (`family`) or a user's: this process forgets it once the
    request's work has committed, before its answer leaves, so that the client's next request
    to this process cannot find it cached. Other processes hear the database's NOTIFY."""
    if not _ALL or not has_request_context():
        return  # no cache in this process; or not a request (the CLI: a process of its own)

    @after_this_request
    def _forget(response: Response) -> Response:
        for cache in list(_ALL):
            cache.forget(family=family, user_id=user_id)
        return response


def init_live_logins(app: Flask, enabled: bool) -> None:
    """On PostgreSQL, unless switched off (LOGIN_CACHE_ENABLED): SQLite's read is in-process
    and costs less than keeping a cache true would."""
    engine: Engine = app.extensions["engine"]
    if enabled and engine.dialect.name == "postgresql":
        app.extensions[_EXTENSION] = LiveLogins(engine)


def live_logins(app: Flask) -> LiveLogins | None:
    return app.extensions.get(_EXTENSION)
