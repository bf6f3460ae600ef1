"""The directory where the workers of `storeapi serve` keep their metric values, and its upkeep.

prometheus-client's multiprocess mode: each process writes its values to files of its own in
PROMETHEUS_MULTIPROC_DIR (named by process id), and a scrape reads them all. The directory
must be empty when a server starts (else the last run's counts would be added to this one's),
and the files of a worker that has exited hold gauges (requests in flight, connections in use)
that are no longer true: prometheus-client's `mark_process_dead` drops those, and keeps its
counters and histograms, which stay part of the totals.

Only the standard library is imported here at first: `storeapi serve`, whose workers are forks
of it, uses `shared_metrics_directory` and should hold nothing more than it needs.
"""

from __future__ import annotations

import glob
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager

ENV = "PROMETHEUS_MULTIPROC_DIR"
LIVE_GAUGE_FILES = "gauge_live*_*.db"  # a live gauge's values: gauge_<mode>_<pid>.db


def directory() -> str | None:
    """The shared directory, when this process is one of several that share one."""
    return os.environ.get(ENV) or None


@contextmanager
def shared_metrics_directory(enabled: bool) -> Iterator[None]:
    """For as long as a server runs, a directory its workers keep their metrics in.

    A private temporary one (mode 0700), removed when the server stops, unless the operator
    named one in PROMETHEUS_MULTIPROC_DIR: that one is emptied of the last run's files and kept.
    The workers inherit the variable, and prometheus-client finds the directory through it.
    """
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


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)  # no signal sent: only whether the process exists
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process now: not one of ours, but leave its file alone
    return True


def forget_dead_processes() -> None:
    """Drop the live gauges of processes that have exited (a worker killed, or restarted by
    the server); their counters and histograms stay in the totals. Run before each scrape."""
    path = directory()
    if path is None:
        return
    from prometheus_client.multiprocess import mark_process_dead

    for name in glob.glob(os.path.join(path, LIVE_GAUGE_FILES)):
        pid = os.path.basename(name).rsplit("_", 1)[1].removesuffix(".db")
        if pid.isdigit() and not _alive(int(pid)):
            mark_process_dead(int(pid), path)


def forget_this_process() -> None:
    """Before this process makes its first gauge: drop the live gauges an exited process with
    the same id left (ids are reused), which this one would otherwise go on from."""
    path = directory()
    if path is not None:
        from prometheus_client.multiprocess import mark_process_dead

        mark_process_dead(os.getpid(), path)
