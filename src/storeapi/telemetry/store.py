"""Where a process keeps its metric values: a memory-mapped file of its own in METRICS_DIR, which
a scrape, answered by any worker, reads together with every other worker's (`read_totals`).

Why not prometheus-client's multiprocess mode, which does the same in general: each of its
updates takes a lock, asks the kernel for the process id, finds its key and packs a struct
(about 2.5 µs); the five a request made were 10-20 % of a GET (bench/README.md, "Metrics and
traces (issue 20)").
Here a value's place in the file is found once per key and kept by the caller, and recording a
request is a few stores into an array of doubles under one lock. prometheus-client still
writes the exposition, from these values (scrape.py).

A file is a header (magic, number of keys, bytes of key text, values in use), the keys as JSON
lines in the order they were added, and the values: each key owns `width` doubles from its
offset. Keys are appended, never moved, so a reader that counted n keys finds their values.
Counters stay in the totals after their process exits; gauges count only while it lives.

Only the standard library is imported here: `storeapi serve`, whose workers are forks of it,
uses `shared_metrics_directory` and should hold nothing more than it needs.
"""

from __future__ import annotations

import glob
import json
import mmap
import os
import shutil
import struct
import tempfile
import threading
from array import array
from collections.abc import Iterator
from contextlib import contextmanager

ENV = "METRICS_DIR"
MAGIC = b"storeapi-metric1"
HEADER = struct.Struct("<16sIII4x")  # magic, keys, key bytes, values in use
KEY_BYTES = 256 * 1024
VALUE_SLOTS = 64 * 1024
SIZE = HEADER.size + KEY_BYTES + VALUE_SLOTS * 8
VALUES_AT = HEADER.size + KEY_BYTES
GAUGE = "gauge"  # a key's first element: a gauge counts only while its process lives

Key = tuple[str, ...]


def directory() -> str | None:
    """The shared directory, when this process is one of several that share one."""
    return os.environ.get(ENV) or None


@contextmanager
def shared_metrics_directory(enabled: bool) -> Iterator[None]:
    """For as long as a server runs, a directory its workers keep their metrics in.

    A private temporary one (mode 0700), removed when the server stops, unless the operator
    named one in METRICS_DIR: that one is emptied of the last run's files and kept. The workers
    inherit the variable."""
    if not enabled:
        yield
        return
    given = directory()
    if given:
        os.makedirs(given, mode=0o700, exist_ok=True)
        for path in glob.glob(os.path.join(given, "*.db")):
            os.remove(path)
        yield
        return
    made = tempfile.mkdtemp(prefix="storeapi-metrics-")
    os.environ[ENV] = made
    try:
        yield
    finally:
        del os.environ[ENV]
        shutil.rmtree(made, ignore_errors=True)


class Store:
    """This process's values. `slot(key, width)` gives a key's offset in `values` (kept by the
    caller); updates are made under `lock`: `with store.lock: store.values[offset] += 1`."""

    def __init__(self, folder: str | None) -> None:
        self.folder = folder
        self._keys: dict[Key, int] = {}
        self._key_lines: list[bytes] = []
        self._open(inherited=False)
        os.register_at_fork(after_in_child=lambda: self._open(inherited=True))

    @property
    def path(self) -> str | None:
        return os.path.join(self.folder, f"values_{self.pid}.db") if self.folder else None

    def _open(self, inherited: bool) -> None:
        """Map this process's file (anonymous memory without a folder).

        In a child forked after keys were added (a server that loads the app before forking),
        the same keys are laid out again at the same offsets, at 0, so that the offsets the
        parent handed out stay right. A file this process id left earlier in the server's run
        is gone on from: its counts are part of the totals; its gauges are not ours."""
        self.pid, self.lock = os.getpid(), threading.Lock()
        path = self.path
        if path is None:
            self._map = mmap.mmap(-1, SIZE)  # (a fork's child maps its own: this one is shared)
        else:
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
            try:
                os.ftruncate(fd, SIZE)  # sparse: untouched pages take no room
                self._map = mmap.mmap(fd, SIZE)
            finally:
                os.close(fd)
        self.values = memoryview(self._map)[VALUES_AT:].cast("d")
        found = None if inherited else _parse(self._map[:VALUES_AT])
        if found is not None:
            self._keys = {key: offset for key, offset, _ in found}
            self._key_lines = [_line(key, offset, width) for key, offset, width in found]
            self._used = max((o + w for _, o, w in found), default=0)
            for key, offset, width in found:
                if key[0] == GAUGE:
                    self.values[offset : offset + width] = array("d", bytes(8 * width))
            return
        self._used = max((o + w for o, w in _widths(self._key_lines)), default=0)
        self.values[: self._used] = array("d", bytes(8 * self._used))
        self._write_keys()

    def slot(self, key: Key, width: int = 1) -> int:
        """The offset of `key`'s `width` values, added (at 0) on first use."""
        offset = self._keys.get(key)
        if offset is not None:
            return offset
        with self.lock:
            offset = self._keys.get(key)
            if offset is None:
                offset = self._add(key, width)
        return offset

    def _add(self, key: Key, width: int) -> int:
        line = _line(key, self._used, width)
        text = sum(map(len, self._key_lines)) + len(line)
        if self._used + width > VALUE_SLOTS or text > KEY_BYTES:
            raise RuntimeError(f"metrics: no room for {key!r}")  # labels are bounded: a bug
        offset = self._used
        self._used += width
        self.values[offset : offset + width] = array("d", bytes(8 * width))  # a stale file's
        self._key_lines.append(line)
        self._keys[key] = offset
        self._write_keys()
        return offset

    def _write_keys(self) -> None:
        # The text first, then the header that counts it: a reader never sees a key half-written.
        text = b"".join(self._key_lines)
        self._map[HEADER.size : HEADER.size + len(text)] = text
        header = HEADER.pack(MAGIC, len(self._key_lines), len(text), self._used)
        self._map[: HEADER.size] = header

    def add(self, offset: int, amount: float) -> None:
        with self.lock:
            self.values[offset] += amount


def _line(key: Key, offset: int, width: int) -> bytes:
    return json.dumps([offset, width, *key], separators=(",", ":")).encode() + b"\n"


def _widths(lines: list[bytes]) -> Iterator[tuple[int, int]]:
    for line in lines:
        offset, width = json.loads(line)[:2]
        yield offset, width


def _parse(data: bytes | mmap.mmap) -> list[tuple[Key, int, int]] | None:
    """The keys in a file's first bytes: (key, offset, width); None when they are not ours."""
    if len(data) < HEADER.size:
        return None
    magic, count, length, _ = HEADER.unpack_from(data)
    if magic != MAGIC or length > KEY_BYTES:
        return None
    lines = bytes(data[HEADER.size : HEADER.size + length]).splitlines()[:count]
    found = []
    for line in lines:
        offset, width, *key = json.loads(line)
        found.append((tuple(key), offset, width))
    return found


def _read(source: str | Store) -> Iterator[tuple[Key, array]]:
    """A file's (or, without a folder, this process's) keys and their values."""
    values = array("d")
    if isinstance(source, Store):
        found = _parse(source._map[:VALUES_AT])
        if found:
            used = max(o + w for _, o, w in found)
            values.frombytes(source._map[VALUES_AT : VALUES_AT + used * 8])
    else:
        try:
            with open(source, "rb") as file:
                head = file.read(HEADER.size)
                if len(head) == HEADER.size:
                    head += file.read(min(HEADER.unpack(head)[2], KEY_BYTES))
                found = _parse(head)
                if found:
                    used = max(o + w for _, o, w in found)
                    file.seek(VALUES_AT)
                    values.frombytes(file.read(used * 8))
        except FileNotFoundError:  # (a directory being emptied by a restarting server)
            return
    for key, offset, width in found or ():
        yield key, values[offset : offset + width]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)  # no signal sent: only whether the process exists
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def read_totals(store: Store) -> dict[Key, list[float]]:
    """Every key's values added up over the processes sharing the store's folder (only this
    one's without a folder): counters over every process that ever ran since the server
    started, gauges over the processes alive now."""
    sources: list[tuple[str | Store, bool]] = [(store, True)]
    if store.folder is not None:
        sources = []
        for path in glob.glob(os.path.join(store.folder, "values_*.db")):
            pid = os.path.basename(path)[len("values_") : -len(".db")]
            sources.append((path, pid.isdigit() and _alive(int(pid))))
    totals: dict[Key, list[float]] = {}
    for source, alive in sources:
        for key, values in _read(source):
            if key[0] == GAUGE and not alive:
                continue  # what an exited worker had in flight, or checked out, is not so now
            total = totals.get(key)
            if total is None:
                totals[key] = list(values)
            else:
                for i, v in enumerate(values):
                    total[i] += v
    return totals


_store: Store | None = None
_store_lock = threading.Lock()


def process_store() -> Store:
    """This process's store, made on first use, in METRICS_DIR when set."""
    global _store
    if _store is None:
        with _store_lock:
            if _store is None:
                _store = Store(directory())
    return _store
