"""Beyond one machine, measured on one: reads with a replica against the primary alone, and
nginx's cache against the origin (bench/README.md, "Replicas and the shared cache").

    .venv/bin/python -m bench.scale [--items 20000] [--duration 10] [--connections 16]

1. Replicas. A PostgreSQL primary and a streaming replica of its own (tests/pgserver.py: initdb,
   pg_basebackup -R, free ports), the primary filled by bench/build_db.py. `storeapi serve`
   runs on the primary twice, alone and with DATABASE_REPLICA_URLS, and wrk drives anonymous
   reads at each: GET /item/{id} (an indexed row) and a trigram search (PostgreSQL's work).
   Both clusters run in both cases, so only where the reads go differs.
2. The shared cache. The compose nginx (tests/nginx.py) in front of one instance: GET
   /item/{id} for 200 ids and a page of 50 items, through the cache (after the warm-up every
   use is a revalidation the origin answers with a 304, nginx sending its stored body), through
   the same nginx with its cache off (the hop's own cost), and sent to the origin directly; and,
   to show what revalidating every use costs, through a variant that serves stored copies for
   60 s without asking (HITs: what max-age=0 gives up for "a write is seen on the next read").

Prints one line per case and a Markdown table; the machine is shared, so its load average is
printed with the numbers.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import psycopg

from bench.build_db import build
from bench.run import wrk
from tests.live import live_server
from tests.nginx import running_nginx
from tests.pgserver import throwaway_cluster, throwaway_replica

CACHED_IDS = 200  # few enough that the warm-up stores them all
LIST = "/item?limit=50"  # 50 items, about 17 KB: a 304 saves the origin sending it


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def caught_up(primary: str, replica: str, timeout: float = 60) -> None:
    with psycopg.connect(primary, autocommit=True) as conn:
        (target,) = conn.execute("SELECT pg_current_wal_lsn()").fetchone()  # type: ignore[misc]
    deadline = time.monotonic() + timeout
    with psycopg.connect(replica, autocommit=True) as conn:
        while time.monotonic() < deadline:
            done = conn.execute(f"SELECT pg_last_wal_replay_lsn() >= '{target}'").fetchone()
            if done and done[0]:
                return
            time.sleep(0.1)
    raise SystemExit("bench: the replica did not catch up")


def measure(label: str, url: str, lua: str, args: list[str], opts: argparse.Namespace) -> dict:
    wrk(url, lua, args, seconds=opts.warmup, connections=opts.connections, count=True)
    before = load()
    run = wrk(url, lua, args, seconds=opts.duration, connections=opts.connections, count=False)
    rps = run["requests"] / (run["duration_us"] / 1e6)
    errors = sum(run[k] for k in ("connect", "read", "write", "status", "timeout"))
    row = {"case": label, "rps": rps, "p50": run["p50_us"] / 1000, "p99": run["p99_us"] / 1000}
    row |= {"errors": errors, "load": f"{before} → {load()}"}
    print(
        f"bench: {label:34s} {rps:8.0f} req/s  p50 {row['p50']:6.2f} ms  p99 {row['p99']:7.2f} ms"
        f"  errors {errors}  load {row['load']}",
        file=sys.stderr,
    )
    return row


def replicas(opts: argparse.Namespace) -> list[dict]:
    rows = []
    with throwaway_cluster() as primary:
        data = build(primary.url, opts.items)
        with throwaway_replica(primary) as replica:
            caught_up(primary.url, replica.url)
            search = f"/item?q={data.search_term}&sort=price&limit=50"
            for label, env in (
                ("primary alone", {}),
                ("primary + 1 replica", {"DATABASE_REPLICA_URLS": replica.url}),
            ):
                with live_server(primary.url, workers=opts.workers, **env) as api:
                    item_args = [str(data.items)]
                    rows.append(
                        measure(
                            f"{label}: GET /item/{{id}}", api + "/", "item.lua", item_args, opts
                        )
                    )
                    rows.append(measure(f"{label}: search", api + search, "static.lua", [], opts))
    return rows


def cache(opts: argparse.Namespace) -> list[dict]:
    rows = []
    with throwaway_cluster() as primary:
        build(primary.url, opts.items)
        with (
            live_server(primary.url, workers=opts.workers) as api,
            running_nginx([api.removeprefix("http://")], cache=False) as proxy,
            running_nginx([api.removeprefix("http://")]) as cached,
            running_nginx([api.removeprefix("http://")], fresh_for=60) as fresh,
        ):
            ids = [str(CACHED_IDS)]
            for label, base in (
                ("origin", api),
                ("nginx, no cache", proxy),
                ("nginx cache (shipped)", cached),
                ("nginx cache, 60 s fresh (not shipped)", fresh),
            ):
                rows.append(
                    measure(f"{label}: GET /item/{{id}}", base + "/", "item.lua", ids, opts)
                )
                rows.append(
                    measure(f"{label}: GET /item?limit=50", base + LIST, "static.lua", [], opts)
                )
    return rows


def table(rows: list[dict]) -> str:
    lines = [
        "| case | req/s | p50 ms | p99 ms | errors | load average (1, 5, 15 min) before → after |"
    ]
    lines.append("|---|---:|---:|---:|---:|---|")
    for r in rows:
        lines.append(
            f"| {r['case']} | {r['rps']:.0f} | {r['p50']:.2f} | {r['p99']:.2f} | {r['errors']} "
            f"| {r['load']} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--items", type=int, default=20000)
    parser.add_argument("--duration", type=float, default=10)
    parser.add_argument("--warmup", type=float, default=3)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--only", choices=["replicas", "cache"])
    parser.add_argument("--rounds", type=int, default=1, help="repeat everything (a busy machine)")
    opts = parser.parse_args(argv)
    print(f"bench: {os.cpu_count()} cores, load average {load()}", file=sys.stderr)
    rows = []
    for _ in range(opts.rounds):
        if opts.only in (None, "replicas"):
            rows += replicas(opts)
        if opts.only in (None, "cache"):
            rows += cache(opts)
    print(table(rows))
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    raise SystemExit(main())
