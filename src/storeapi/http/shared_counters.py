"""Rate-limit counters in a small SQLite file, shared by every process of one machine.

Without Redis, `memory://` would give each server worker its own counters, so a limit of 10
per minute would be 10 per worker. This is a `limits` storage (its public extension API: a
`Storage` subclass registered under the `storeapi+sqlite` scheme) that keeps fixed-window
counters in one SQLite file instead: every worker opens the same file, and SQLite's own
file locking makes each increment atomic across processes. It needs no server, and a worker
killed in the middle of a write leaves no lock behind (the OS releases it), which a counter in
shared memory guarded by a mutex could not promise.

The counters are not worth an fsync per request: in WAL mode with `synchronous=NORMAL` a commit
is not flushed to disk (only checkpoints are), so a crash of the machine may lose the latest
increments, and the file stays consistent.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from urllib.parse import unquote, urlparse

from limits.storage import Storage

SCHEME = "storeapi+sqlite"
BUSY_TIMEOUT_MS = 2000  # past this the limiter falls back to memory (Flask-Limiter's fallback)
PURGE_EVERY = 1024  # increments between sweeps of expired counters, per process

SCHEMA = (
    "CREATE TABLE IF NOT EXISTS counters ("
    "key TEXT PRIMARY KEY, count INTEGER NOT NULL, expires_at REAL NOT NULL) WITHOUT ROWID"
)
# One statement, so one atomic write: a live counter grows; a missing or expired one restarts.
INCREMENT = """
INSERT INTO counters (key, count, expires_at) VALUES (:key, :amount, :now + :expiry)
ON CONFLICT (key) DO UPDATE SET
    count = CASE WHEN expires_at > :now THEN count + :amount ELSE :amount END,
    expires_at = CASE WHEN expires_at > :now THEN expires_at ELSE :now + :expiry END
RETURNING count
"""
LIVE_COUNT = "SELECT count FROM counters WHERE key = ? AND expires_at > ?"
LIVE_EXPIRY = "SELECT expires_at FROM counters WHERE key = ? AND expires_at > ?"


def storage_uri(path: str) -> str:
    """The `limits` storage URI of the counters file at `path`."""
    return f"{SCHEME}://{os.path.abspath(path)}"


class SQLiteCounters(Storage):
    """Fixed-window counters in the SQLite file named by `storeapi+sqlite:///path/to/file`."""

    STORAGE_SCHEME = [SCHEME]

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False, **options: object):
        super().__init__(uri, wrap_exceptions=wrap_exceptions)
        self.path = unquote(urlparse(uri or "").path)
        if not self.path:
            raise ValueError(f"{SCHEME} needs a file path: {SCHEME}:///path/to/counters.db")
        self._local = threading.local()  # sqlite3 connections are per thread
        self._increments = 0

    @property
    def base_exceptions(self) -> type[Exception]:
        return sqlite3.Error

    def _connection(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        # A process forked from one that had opened the file must not use that connection.
        if conn is None or self._local.pid != os.getpid():
            conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute(SCHEMA)
            self._local.conn, self._local.pid = conn, os.getpid()
        return conn

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        conn = self._connection()
        now = time.time()
        params = {"key": key, "amount": amount, "now": now, "expiry": expiry}
        # fetchall: the statement (and its write lock) ends only when every row was read
        count = conn.execute(INCREMENT, params).fetchall()[0][0]
        self._increments += 1
        if self._increments % PURGE_EVERY == 0:
            conn.execute("DELETE FROM counters WHERE expires_at <= ?", (now,))
        return int(count)

    def get(self, key: str) -> int:
        row = self._connection().execute(LIVE_COUNT, (key, time.time())).fetchone()
        return int(row[0]) if row else 0

    def get_expiry(self, key: str) -> float:
        now = time.time()
        row = self._connection().execute(LIVE_EXPIRY, (key, now)).fetchone()
        return float(row[0]) if row else now

    def check(self) -> bool:
        try:
            self._connection().execute("SELECT 1 FROM counters LIMIT 1").fetchall()
        except sqlite3.Error:
            return False
        return True

    def reset(self) -> int | None:
        return self._connection().execute("DELETE FROM counters").rowcount

    def clear(self, key: str) -> None:
        self._connection().execute("DELETE FROM counters WHERE key = ?", (key,))
