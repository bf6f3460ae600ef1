"""CPU time per request in one thread, with no server and no network: the WSGI app called
directly, so a change to the hot path shows without the noise of a loaded machine.

    .venv/bin/python -m bench.cpu --items 100000 [--repeat 2000] [--only item,item_304]

Uses the benchmark's database (bench/.data, built by `bench.run` or here); prints µs per
request for the ceiling and each request, best of three rounds.
"""

from __future__ import annotations

import argparse
import atexit
import io
import os
import random
import secrets
import shutil
import sys
import tempfile
import time
from collections.abc import Callable

from werkzeug.test import EnvironBuilder

from bench.build_db import build, postgres_url, sqlite_url
from bench.run import server_env

Request = tuple[str, str, dict[str, str], bytes | None]


def _environ(method: str, path: str, headers: dict[str, str], body: bytes | None) -> dict:
    builder = EnvironBuilder(path=path, method=method, headers=headers, data=body)
    try:
        return builder.get_environ()
    finally:
        builder.close()


Case = tuple[Callable, list[Request], str]  # the WSGI app, its requests, the status they get
CASES = ("ceiling", "item", "item_304", "item_image", "store", "list", "post", "put")


def repeater(app: Callable, requests: list[Request], status: str) -> Callable[[int], None]:
    """Call every request once (a warm-up), then return `run(n)`, which makes n calls cycling
    through `requests`. Every answer must have `status`: a 304 case answered with 200s (another
    process's writes to the shared PostgreSQL bench schema change the items' ETags) would
    measure the wrong request."""
    environs = [_environ(*r) for r in requests]
    statuses: list[str] = []

    def start_response(status, headers, exc_info=None):  # type: ignore[no-untyped-def]
        statuses.append(status)

    def call(environ: dict) -> None:
        env = dict(environ)
        if env.get("CONTENT_LENGTH"):
            env["wsgi.input"] = io.BytesIO(environ["wsgi.input"].getvalue())
        for _ in app(env, start_response):
            pass

    def check() -> None:
        bad = [s for s in statuses if not s.startswith(status)]
        if bad:
            raise SystemExit(f"bench: expected {status}, got {bad[:5]}")
        statuses.clear()

    for env in environs:
        if env.get("wsgi.input") is not None and not isinstance(env["wsgi.input"], io.BytesIO):
            env["wsgi.input"] = io.BytesIO(env["wsgi.input"].read())
        call(env)
    check()

    def run(n: int) -> None:
        for i in range(n):
            call(environs[i % len(environs)])
        check()

    return run


def per_request_us(app: Callable, requests: list[Request], status: str, repeat: int) -> float:
    """Best of three rounds of `repeat` calls, cycling through `requests`."""
    run = repeater(app, requests, status)
    best = float("inf")
    for _ in range(3):
        started = time.process_time()
        run(repeat)
        best = min(best, (time.process_time() - started) / repeat)
    return best * 1e6


def add_case_arguments(parser: argparse.ArgumentParser, default_only: str = "") -> None:
    """The options that choose the database and the requests (bench.cpu, bench.instructions)."""
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--ids", type=int, default=200, help="distinct random ids")
    parser.add_argument(
        "--only",
        default=default_only,
        help=f"comma-separated request names, of {','.join(CASES)}",
    )
    parser.add_argument("--database-url", default="", help="default: the SQLite bench file")
    parser.add_argument(
        "--metrics",
        action="store_true",
        help="METRICS_ENABLED=true, the values in a METRICS_DIR as under storeapi serve",
    )


def chosen_cases(only: str) -> list[str]:
    names = [n for n in only.split(",") if n] or list(CASES)
    unknown = [n for n in names if n not in CASES]
    if unknown:
        raise SystemExit(f"bench: unknown requests: {','.join(unknown)}")
    return names


def bench_url(args: argparse.Namespace) -> str:
    """The benchmark database's URL: a schema of its own on PostgreSQL, else the SQLite file."""
    if args.database_url:
        return postgres_url(args.database_url, args.items)
    return sqlite_url(args.items)


def request_cases(args: argparse.Namespace) -> dict[str, Case]:
    """Build (or reuse) the benchmark database, make the app as `storeapi serve` does, log the
    owner in, and return each case's WSGI app and the requests it sends."""
    url = bench_url(args)
    data = build(url, args.items)
    os.environ.update(server_env(url, secrets.token_hex(32)))
    if "item_image" in chosen_cases(args.only):  # item 1 gets a picture, as bench.run gives it
        media = tempfile.mkdtemp(prefix="bench-media-")
        atexit.register(shutil.rmtree, media, ignore_errors=True)
        os.environ["STORAGE_URL"] = f"file://{media}"
    if args.metrics:
        folder = tempfile.mkdtemp(prefix="bench-metrics-")
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        os.environ.update(METRICS_ENABLED="true", METRICS_DIR=folder)

    from bench.ceiling import app as ceiling
    from storeapi.app import create_app

    app = create_app()
    client = app.test_client()
    token = client.post(
        "/login", json={"email": data.owner_email, "password": data.owner_password}
    ).get_json()["access_token"]
    rng = random.Random(1)
    ids = [rng.randint(1, data.items) for _ in range(args.ids)]
    etags = [client.get(f"/item/{i}").headers["ETag"] for i in ids]
    auth = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    if "STORAGE_URL" in os.environ:
        from storeapi.media.demo import draw

        picture = {"Authorization": auth["Authorization"], "Content-Type": "image/png"}
        answer = client.put("/item/1/image", data=draw("Bench Chair"), headers=picture)
        assert answer.status_code in (200, 201), answer.get_data(True)
    stores = [rng.randint(1, data.stores) for _ in range(200)]
    return {
        "ceiling": (ceiling, [("GET", "/", {}, None)], "200"),
        "item": (app, [("GET", f"/item/{i}", {}, None) for i in ids], "200"),
        "item_304": (
            app,
            [
                ("GET", f"/item/{i}", {"If-None-Match": e}, None)
                for i, e in zip(ids, etags, strict=True)
            ],
            "304",
        ),
        # GET /item/{id} of an item with a picture: its `image` object and links rendered too
        "item_image": (app, [("GET", "/item/1", {}, None)], "200"),
        "store": (app, [("GET", f"/store/{s}", {}, None) for s in stores[:20]], "200"),
        "list": (app, [("GET", "/item?limit=50", {}, None)], "200"),
        "post": (
            app,
            [
                ("POST", "/item", auth, b'{"name":"bench","price":1.5,"store_id":%d}' % s)
                for s in stores
            ],
            "201",
        ),
        "put": (app, [("PUT", f"/item/{i}", auth, b'{"price":2.25}') for i in ids], "200"),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    add_case_arguments(parser)
    parser.add_argument("--repeat", type=int, default=2000)
    args = parser.parse_args(argv)
    only = chosen_cases(args.only)
    cases = request_cases(args)
    for name in only:
        repeat = args.repeat if name != "list" else args.repeat // 10
        us = per_request_us(*cases[name], repeat)
        print(f"{name:10} {us:8.1f} µs/request", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
