"""The SQLite storage of rate-limit counters (http/shared_counters.py): one count for every
process that opens the file, fixed windows that restart when they expire, and expired counters
swept away."""

from __future__ import annotations

import multiprocessing
import sqlite3
import time
from pathlib import Path

import pytest
from limits import parse
from limits.storage import storage_from_string
from limits.strategies import FixedWindowRateLimiter

from storeapi.http import shared_counters
from storeapi.http.shared_counters import SQLiteCounters, storage_uri


@pytest.fixture
def path(tmp_path: Path) -> str:
    return str(tmp_path / "counters.sqlite")


def counters(path: str) -> SQLiteCounters:
    storage = storage_from_string(storage_uri(path))
    assert isinstance(storage, SQLiteCounters)
    return storage


def test_two_storages_on_one_file_share_the_count(path):
    one, two = counters(path), counters(path)
    assert [one.incr("k", 60), two.incr("k", 60), one.incr("k", 60, amount=3)] == [1, 2, 5]
    assert two.get("k") == 5
    assert one.get("other") == 0
    two.clear("k")
    assert one.get("k") == 0


def test_a_window_keeps_its_expiry_and_restarts_once_expired(path):
    storage = counters(path)
    storage.incr("k", 1)
    expiry = storage.get_expiry("k")
    assert time.time() < expiry <= time.time() + 1
    storage.incr("k", 1)
    assert storage.get_expiry("k") == expiry
    time.sleep(max(0.0, expiry - time.time()) + 0.05)
    assert storage.get("k") == 0
    assert storage.get_expiry("k") == pytest.approx(time.time(), abs=0.5)
    assert storage.incr("k", 1) == 1


def test_it_works_as_a_limits_strategy_storage(path):
    limiter = FixedWindowRateLimiter(counters(path))
    other = FixedWindowRateLimiter(counters(path))
    item = parse("2 per minute")
    assert [limiter.hit(item, "a"), other.hit(item, "a"), limiter.hit(item, "a")] == [
        True,
        True,
        False,
    ]
    reset, remaining = other.get_window_stats(item, "a")
    assert remaining == 0 and time.time() < reset <= time.time() + 60
    assert other.hit(item, "b")


def _increment_many(path: str, times: int) -> list[int]:
    storage = counters(path)
    return [storage.incr("shared", 60) for _ in range(times)]


def test_increments_from_many_processes_are_atomic(path):
    parent = counters(path)
    parent.incr("warm", 60)  # the parent holds an open connection when the children fork
    with multiprocessing.get_context("fork").Pool(4) as pool:
        results = pool.starmap(_increment_many, [(path, 150)] * 4)
    seen = sorted(n for counts in results for n in counts)
    assert seen == list(range(1, 601))  # no increment lost, none counted twice
    assert parent.get("shared") == 600


def test_expired_counters_are_swept(path, monkeypatch):
    monkeypatch.setattr(shared_counters, "PURGE_EVERY", 10)
    storage = counters(path)
    for n in range(5):
        storage.incr(f"old{n}", 0)  # expires at once
    for _ in range(5):
        storage.incr("live", 60)
    with sqlite3.connect(path) as conn:
        assert [row[0] for row in conn.execute("SELECT key FROM counters")] == ["live"]


def test_health_check_and_reset(path, tmp_path):
    storage = counters(path)
    storage.incr("a", 60)
    storage.incr("b", 60)
    assert storage.check() is True
    assert storage.reset() == 2
    assert storage.get("a") == 0
    unusable = counters(str(tmp_path / "no-such-directory" / "counters.sqlite"))
    assert unusable.check() is False
    with pytest.raises(sqlite3.Error):
        unusable.incr("a", 60)
