"""Databases that belong to one test: a fresh schema on the shared PostgreSQL (or a fresh SQLite
file), and a throwaway PostgreSQL cluster that a test may stop and start at will.

    with throwaway_cluster() as pg:          # initdb into /tmp, its own port and socket dir
        url = pg.url                         # postgresql://postgres@127.0.0.1:PORT/postgres
        pg.stop(); pg.start()                # never touches the shared server on 5432
        with throwaway_replica(pg) as standby:   # pg_basebackup -R: a streaming replica
            ...

The cluster runs as the `postgres` user when the tests run as root (PostgreSQL refuses root).
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, text

from storeapi.db import normalize_url
from storeapi.migrate import upgrade
from tests.live import free_port


def _pg_bin(name: str) -> str | None:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return found[-1] if found else shutil.which(name)


def cluster_unavailable_reason() -> str | None:
    """Why a throwaway cluster cannot be made here, or None when it can."""
    if _pg_bin("initdb") is None or _pg_bin("pg_ctl") is None:
        return "PostgreSQL server binaries (initdb, pg_ctl) are not installed"
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            return "running as root without a `postgres` user to run a cluster as"
    return None


class Cluster:
    """A PostgreSQL cluster in a temporary directory, on its own port."""

    def __init__(self, root: Path, port: int) -> None:
        self.root, self.port = root, port
        self.data, self.sockets, self.log = root / "data", root / "sockets", root / "server.log"
        self.url = f"postgresql://postgres@127.0.0.1:{port}/postgres"

    def _run(self, *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
        command = list(args)
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        return subprocess.run(
            command, capture_output=True, text=True, timeout=timeout, check=False, cwd="/tmp"
        )

    def _ctl(self, *args: str) -> None:
        result = self._run(_pg_bin("pg_ctl"), "-D", str(self.data), "-l", str(self.log), *args)  # type: ignore[arg-type]
        if result.returncode != 0:
            raise RuntimeError(f"pg_ctl {' '.join(args)} failed: {result.stderr}{self.log_tail()}")

    def log_tail(self, lines: int = 20) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def init(self) -> None:
        self.sockets.mkdir(parents=True)
        if os.geteuid() == 0:
            shutil.chown(self.root, "postgres")
            shutil.chown(self.sockets, "postgres")
        result = self._run(
            _pg_bin("initdb"),  # type: ignore[arg-type]
            "-D",
            str(self.data),
            "-U",
            "postgres",
            "--auth=trust",
            "--no-sync",
            "-E",
            "UTF8",
            timeout=120,
        )
        if result.returncode != 0:
            raise RuntimeError(f"initdb failed: {result.stderr}")

    def start(self) -> None:
        options = (
            f"-p {self.port} -k {self.sockets} -c listen_addresses=127.0.0.1 "
            "-c fsync=off -c full_page_writes=off -c max_connections=200"
        )
        self._ctl("-o", options, "-w", "-t", "30", "start")

    def copy_of(self, primary: Cluster) -> None:
        """Make this a streaming replica of `primary`: `pg_basebackup -R` (a standby.signal and
        the primary's address in postgresql.auto.conf), the WAL streamed while it copies."""
        self.sockets.mkdir(parents=True)
        if os.geteuid() == 0:
            shutil.chown(self.root, "postgres")
            shutil.chown(self.sockets, "postgres")
        result = self._run(
            _pg_bin("pg_basebackup"),  # type: ignore[arg-type]
            "-h",
            "127.0.0.1",
            "-p",
            str(primary.port),
            "-U",
            "postgres",
            "-D",
            str(self.data),
            "-R",
            "-X",
            "stream",
            "--checkpoint=fast",  # the default spreads it over minutes once there is data
            "--no-sync",
            timeout=120,
        )
        if result.returncode != 0:
            raise RuntimeError(f"pg_basebackup failed: {result.stderr}")

    def stop(self, mode: str = "fast") -> None:
        """Stop the server (`fast`: disconnect clients, shut down cleanly; `immediate`: abort)."""
        self._ctl("-m", mode, "-w", "-t", "30", "stop")

    def is_running(self) -> bool:
        return self._run(_pg_bin("pg_ctl"), "-D", str(self.data), "status").returncode == 0  # type: ignore[arg-type]


@contextmanager
def throwaway_cluster() -> Iterator[Cluster]:
    """A started cluster of our own, removed afterwards (stopped first if it is running)."""
    root = Path(tempfile.mkdtemp(prefix="storeapi-pg-", dir="/tmp"))
    cluster = Cluster(root, free_port())
    try:
        cluster.init()
        cluster.start()
        yield cluster
    finally:
        if cluster.data.exists() and cluster.is_running():
            cluster.stop("immediate")
        shutil.rmtree(root, ignore_errors=True)


@contextmanager
def throwaway_replica(primary: Cluster) -> Iterator[Cluster]:
    """A started streaming replica of `primary` (hot standby), removed afterwards."""
    root = Path(tempfile.mkdtemp(prefix="storeapi-pg-replica-", dir="/tmp"))
    replica = Cluster(root, free_port())
    try:
        replica.copy_of(primary)
        replica.start()
        yield replica
    finally:
        if replica.data.exists() and replica.is_running():
            replica.stop("immediate")
        shutil.rmtree(root, ignore_errors=True)


@contextmanager
def fresh_database(base_url: str | None, tmp_dir: Path) -> Iterator[str]:
    """A migrated database of the caller's own: a schema on `base_url` (PostgreSQL), or a new
    SQLite file in `tmp_dir` when `base_url` is None. Dropped afterwards."""
    if base_url is None:
        url = f"sqlite:///{tmp_dir / f'own-{uuid.uuid4().hex[:8]}.db'}"
        upgrade(url)
        yield url
        return
    base = normalize_url(base_url)
    schema = f"own_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base)
    try:
        with admin.begin() as conn:
            conn.execute(text("CREATE EXTENSION IF NOT EXISTS pg_trgm"))
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        sep = "&" if "?" in base else "?"
        url = f"{base}{sep}options=-csearch_path%3D{schema},public"
        upgrade(url)
        yield url
    finally:
        for _ in range(3):  # a server under test may still hold connections for a moment
            try:
                with admin.begin() as conn:
                    conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
                break
            except Exception:
                time.sleep(1)
        admin.dispose()
