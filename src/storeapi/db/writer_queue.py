"""SQLite writers wait in a queue for the write lock instead of in SQLite's busy handler."""

from __future__ import annotations

import fcntl
import os
import threading
import time

SPIN_SECONDS = 0.002  # try again at once (yielding the CPU) for this long, then every 0.2 ms


class WriterQueue:
    """One writer at a time per database file, across threads and processes.

    SQLite lets one transaction write at a time, and a writer that finds the lock taken retries
    in SQLite's busy handler, which sleeps longer and longer between tries: under load, writers
    mostly sleep. Here the writers of a process queue on a lock, and the one at the head takes an
    advisory lock on `<database>-writers.lock`, tried again at once for SPIN_SECONDS (yielding
    the CPU to whoever needs it) and then after short sleeps, so the next writer starts as soon
    as the previous one has committed: a write holds the lock only briefly, and a sleep between
    tries (stretched by the kernel's timer slack) left the other process idle meanwhile
    (bench/README.md, "The writers' queue retries at once"). Bounded by `timeout`, after which
    SQLite's own lock decides, as before. Re-entrant, for a thread that opens a second
    connection.
    """

    def __init__(self, database: str | None, timeout: float = 30.0) -> None:
        self._path = f"{database}-writers.lock" if database else None
        self._timeout = timeout
        self._lock = threading.RLock()
        self._depth = 0
        self._file: tuple[int, int] | None = None  # (pid, fd): a forked child opens its own
        self._file_locked = False

    def enter(self) -> bool:
        """Wait for our turn (False after the timeout: go ahead and let SQLite decide)."""
        deadline = time.monotonic() + self._timeout
        if not self._lock.acquire(timeout=self._timeout):
            return False
        self._depth += 1
        if self._depth == 1:
            self._lock_file(deadline)
        return True

    def leave(self) -> None:
        self._depth -= 1
        if self._depth == 0 and self._file_locked and self._file is not None:
            fcntl.flock(self._file[1], fcntl.LOCK_UN)
            self._file_locked = False
        self._lock.release()

    def _lock_file(self, deadline: float) -> None:
        if self._path is None:
            return
        if self._file is None or self._file[0] != os.getpid():
            self._file = (os.getpid(), os.open(self._path, os.O_RDWR | os.O_CREAT, 0o600))
        spin_until = time.monotonic() + SPIN_SECONDS
        pause = 0.0001
        while True:
            try:
                fcntl.flock(self._file[1], fcntl.LOCK_EX | fcntl.LOCK_NB)
                self._file_locked = True
                return
            except BlockingIOError:
                now = time.monotonic()
                if now >= deadline:
                    return
                if now < spin_until:
                    os.sched_yield()  # the lock is held briefly: a sleep would overshoot
                else:
                    time.sleep(pause)
                    pause = min(pause * 2, 0.0002)
