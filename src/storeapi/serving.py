"""What `storeapi serve` and `storeapi worker` need before they run: the migration check, the
granian server, and the rate-limit file that the server's workers share."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

import click

from storeapi.settings import SERVER_HEAD_BUFFER, Settings

if TYPE_CHECKING:
    from granian import Granian

APP_TARGET = "storeapi.wsgi:app"
CONNECTIONS_PER_WORKER = 256


def check_migrations(database_url: str) -> None:
    """Refuse to serve a database that is unreachable or not at the code's migration head."""
    from storeapi.db import is_unavailable, make_engine
    from storeapi.migrate import pending

    engine = make_engine(database_url)
    try:
        current, head = pending(engine)
    except Exception as exc:
        if is_unavailable(exc):
            raise click.ClickException(
                f"cannot reach the database ({type(exc).__name__}): check DATABASE_URL"
            ) from None
        raise
    finally:
        engine.dispose()
    if current != head:
        raise click.ClickException(
            f"the database is at migration {current or 'none'}, the code needs {head}: "
            "run `storeapi db upgrade` first"
        )


def check_migrations_in_subprocess() -> None:
    """`check_migrations` in a process of its own, which prints why it refused and exits 1.

    The server's workers are forks of this process and keep what it imported and allocated:
    checking here left Alembic and the check's engine in every worker (bench/README.md),
    and SQLAlchemy in workers that serve another app. On SIGTERM meanwhile this process
    exits, and `subprocess.run` kills the check.
    """
    done = subprocess.run([sys.executable, "-m", "storeapi.cli", "db", "check"], check=False)
    if done.returncode != 0:
        sys.exit(done.returncode)


def build_server(
    target: str,
    *,
    host: str,
    port: int,
    workers: int,
    threads: int,
    graceful_timeout: int,
) -> Granian:
    """The production server for a WSGI `module:attribute` target.

    On SIGTERM or SIGINT granian stops accepting connections, lets every in-flight request
    finish (for at most `graceful_timeout` seconds, then kills the worker) and exits 0.
    Granian's own access log stays off: the app writes one JSON line per request.
    """
    from granian import Granian
    from granian.constants import Interfaces, Loops
    from granian.http import HTTP1Settings

    return Granian(
        target,
        address=host,
        port=port,
        interface=Interfaces.WSGI,
        # Python's own event loop: granian's default takes uvloop when it is installed (the
        # bench's FastAPI peer brings it), which a WSGI worker does not need and which cost it
        # about a megabyte; the server is then the same wherever it runs.
        loop=Loops.asyncio,
        websockets=False,  # WSGI has none; left on, granian says so at every start
        workers=workers,
        blocking_threads=threads,
        # Connections a worker serves at once. An idle keep-alive connection holds its slot, so
        # this must be well above `threads` (which bounds the requests running in Python), or
        # clients beyond `threads` stall until an idle one times out.
        backpressure=max(threads, CONNECTIONS_PER_WORKER),
        # The most a request line and headers may take: the app's MAX_URL_BYTES and
        # MAX_HEADER_BYTES are checked against it, so that the app, not the server, refuses.
        http1_settings=HTTP1Settings(max_buffer_size=SERVER_HEAD_BUFFER),
        log_access=False,
        workers_kill_timeout=graceful_timeout,
        # A worker that dies (OOM kill, segfault, SIGKILL) is replaced; the others keep serving.
        respawn_failed_workers=True,
        respawn_interval=1.0,
    )


@contextmanager
def shared_rate_limit_file(settings: Settings) -> Iterator[None]:
    """Without Redis, give the server's workers one SQLite file of rate-limit counters.

    Each worker builds its own app (and limiter); they find the file through RATE_LIMIT_FILE,
    which they inherit. It lives in a private directory for as long as the server runs, so a
    restart starts every window afresh, as in-memory counters did. A RATE_LIMIT_FILE given by
    the operator is used as it is (and kept).
    """
    if not settings.rate_limits_enabled or settings.redis_url or settings.rate_limit_file:
        yield
        return
    directory = tempfile.mkdtemp(prefix="storeapi-limits-")  # mode 0700: this user's only
    os.environ["RATE_LIMIT_FILE"] = os.path.join(directory, "counters.sqlite")
    try:
        yield
    finally:
        del os.environ["RATE_LIMIT_FILE"]
        shutil.rmtree(directory, ignore_errors=True)
