"""The benchmark: the API under load next to a ceiling app, on SQLite and PostgreSQL.

    python -m bench.run [--items N] [--duration S] [--scenarios a,b] [--server granian]

For each database (SQLite; PostgreSQL too when BENCH_DATABASE_URL is set) it builds or reuses
a database of `--items` items, starts the API exactly as `storeapi serve` does (rate limits
and the access log off) and, under the same server and worker count, a ceiling app (a Flask
route returning a constant object with `jsonify`), and for the peer scenarios a FastAPI peer
(bench/peers/fastapi_app.py) under uvicorn with as many workers. wrk drives each scenario on
loopback: a warm-up that also checks every response status, then a fixed-duration run. It
prints a table,
writes bench/results/<date>-<db>.md and a PNG chart, and records peak RSS per worker.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import random
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field, replace
from itertools import zip_longest
from pathlib import Path

from bench.build_db import BenchData, build, postgres_url, sqlite_url, through_local_socket

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
LUA = BENCH / "lua"
RESULTS = BENCH / "results"
BIN = Path(sys.executable).parent
SERVERS = ("granian", "gunicorn-sync", "gunicorn-gthread")
DEEP_ROW = 0.9  # the deep page starts at 90 % of the list (row 900,000 of 1,000,000)


@dataclass(frozen=True)
class Scenario:
    name: str
    title: str
    lua: str
    expect: frozenset[int]
    target: float | None = None  # minimum ratio to the ceiling on SQLite
    pg_target: float | None = None  # and on PostgreSQL (issue 22's targets)


SCENARIOS = {
    s.name: s
    for s in (
        Scenario("ceiling", "ceiling: Flask + jsonify, constant", "static.lua", frozenset({200})),
        Scenario("item", "GET /item/{id}", "item.lua", frozenset({200}), 0.40, 0.40),
        Scenario(
            "item_304",
            "GET /item/{id} If-None-Match (304)",
            "item_304.lua",
            frozenset({304}),
            0.60,
            0.50,
        ),
        Scenario("store", "GET /store/{id}", "store.lua", frozenset({200})),
        Scenario("list", "GET /item?limit=50", "static.lua", frozenset({200}), 0.15, 0.12),
        Scenario("search", "GET /item?q=…&sort=price&limit=50", "static.lua", frozenset({200})),
        Scenario("deep", "GET /item?limit=50 at row 90 % (cursor)", "static.lua", frozenset({200})),
        Scenario("post", "POST /item (token)", "post_item.lua", frozenset({201}), 0.15, 0.12),
        Scenario("put", "PUT /item/{id} (token)", "put_item.lua", frozenset({200})),
        Scenario("mix", "90 % GET /item/{id}, 10 % PUT", "mix.lua", frozenset({200}), 0.35, 0.28),
        Scenario("media", "GET /media/{sha256}-256.webp", "static.lua", frozenset({200})),
        Scenario(
            "media_304", "GET /media/… If-None-Match (304)", "media_304.lua", frozenset({304})
        ),
        # The FastAPI peer (bench/peers/fastapi_app.py): the same requests as item and post.
        # FastAPI answers a POST with 200 unless told otherwise, and the template does not.
        Scenario("peer_item", "peer: GET /item/{id}", "item.lua", frozenset({200})),
        Scenario("peer_post", "peer: POST /item (token)", "post_item.lua", frozenset({200})),
    )
}
PEERS = {"peer_item": "item", "peer_post": "post"}  # each peer scenario -> storeapi's own
PEER_FACTOR = 2.0  # storeapi at least 2 x the peer's requests per second
API_SCENARIOS = [n for n in SCENARIOS if n != "ceiling"]
DEEP_FACTOR = 1.2  # the deep page: within 1.2 x the first page
RSS_LIMIT_MB = 80.0


@dataclass
class Result:
    scenario: Scenario
    rps: float
    p50_ms: float
    p99_ms: float
    errors: int
    requests: int
    statuses: dict[int, int] = field(default_factory=dict)
    ratio: float | None = None
    ratios: list[float] = field(default_factory=list)  # every round's, when there are several


# --- processes ---------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def server_command(
    server: str, target: str, port: int, workers: int, threads: int | None
) -> list[str]:
    """`storeapi serve` itself for granian (its own thread default unless given); gunicorn
    only to compare servers."""
    if server == "granian":
        cmd = [str(BIN / "storeapi"), "serve", "--host", "127.0.0.1", "--port", str(port)]
        cmd += ["--workers", str(workers), "--access-log", "off"]
        cmd += ["--threads", str(threads)] if threads else []
        return cmd + (["--app", target] if target != "storeapi.wsgi:app" else [])
    worker_class = server.removeprefix("gunicorn-")
    cmd = [str(BIN / "gunicorn"), "--bind", f"127.0.0.1:{port}", "--workers", str(workers)]
    cmd += ["--worker-class", worker_class, "--threads", str(threads or 8)]
    cmd += ["--log-level", "warning"]
    return [*cmd, target]


def children(pid: int) -> list[int]:
    """Every descendant of `pid` (the server's workers)."""
    out: list[int] = []
    try:
        kids = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return out
    for kid in map(int, kids):
        if not _resource_tracker(kid):
            out += [kid, *children(kid)]
    return out


def _resource_tracker(pid: int) -> bool:
    """multiprocessing's resource tracker, which uvicorn's workers bring along: not a worker."""
    with suppress(OSError):
        return b"multiprocessing.resource_tracker" in Path(f"/proc/{pid}/cmdline").read_bytes()
    return False


def peak_rss_mb(pid: int) -> float:
    """The process's peak resident set size (VmHWM), in MB."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


class Server:
    """A server process started like `storeapi serve`, stopped with SIGTERM."""

    def __init__(self, name: str, cmd: list[str], env: dict[str, str], port: int) -> None:
        self.name, self.port = name, port
        self.set_aside: list[float] = []  # peaks before a reset while serving
        self.log = tempfile.TemporaryFile()  # noqa: SIM115 (closed in stop)
        self.proc = subprocess.Popen(
            cmd,
            env=env,
            cwd=ROOT,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def wait_ready(self, path: str, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.name} exited:\n{self.output()}")
            try:
                with urllib.request.urlopen(self.url + path, timeout=2):
                    return
            except (urllib.error.URLError, OSError):
                time.sleep(0.2)
        raise RuntimeError(f"{self.name} not ready after {timeout} s:\n{self.output()}")

    def worker_rss_mb(self) -> list[float]:
        return [peak_rss_mb(p) for p in children(self.proc.pid)]

    def serving_peak_rss_mb(self) -> list[float]:
        """The workers' peaks, with those set aside before a reset while serving."""
        now = self.worker_rss_mb()
        return [max(a, b) for a, b in zip_longest(self.set_aside, now, fillvalue=0.0)]

    def set_aside_peak_rss(self) -> None:
        """Keep the peaks so far, for a reset that must not lose them (a login's argon2id)."""
        self.set_aside = self.serving_peak_rss_mb()

    def reset_peak_rss(self) -> None:
        """Start the workers' peak RSS afresh (Linux: clear_refs 5), after start-up and login."""
        for pid in children(self.proc.pid):
            with suppress(OSError):
                Path(f"/proc/{pid}/clear_refs").write_text("5")

    def output(self) -> str:
        self.log.seek(0)
        return self.log.read().decode(errors="replace")[-4000:]

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        self.log.close()


@contextmanager
def serving(
    name: str, cmd: list[str], env: dict[str, str], port: int, ready: str
) -> Iterator[Server]:
    server = Server(name, cmd, env, port)
    try:
        server.wait_ready(ready)
        yield server
    finally:
        server.stop()


# --- HTTP helpers (set-up only; the load is wrk's) ---------------------------------------


def call(method: str, url: str, body: dict | None = None, headers: dict | None = None):  # type: ignore[no-untyped-def]
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    if data is not None:
        req.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(req, timeout=30) as r:
        return r.status, r.headers, r.read()


def login(api: str, data: BenchData) -> str:
    _, _, body = call(
        "POST", api + "/login", {"email": data.owner_email, "password": data.owner_password}
    )
    return json.loads(body)["access_token"]


class Token:
    """The owner's access token, logged in once and again only before it could expire.

    A login hashes with argon2id's 64 MiB in a worker: one while serving (a run longer than
    ten minutes) is left out of the serving peak, as the first one is."""

    def __init__(self, api: Server, data: BenchData) -> None:
        self.api, self.data = api, data
        self.value, self.at = "", 0.0

    def __call__(self) -> str:
        # (Not by the clock alone: monotonic time starts at boot, under 600 s on a fresh VM.)
        if not self.value or time.monotonic() - self.at > 600:  # tokens live 15 minutes
            again = bool(self.value)
            if again:
                self.api.set_aside_peak_rss()
            self.value, self.at = login(self.api.url, self.data), time.monotonic()
            if again:
                self.api.reset_peak_rss()
        return self.value


def fetch_etags(api: str, max_id: int, count: int, path: Path) -> None:
    rng = random.Random(7)
    lines = []
    for item_id in rng.sample(range(1, max_id + 1), min(count, max_id)):
        _, headers, _ = call("GET", f"{api}/item/{item_id}")
        lines.append(f"{item_id} {headers['ETag']}")
    path.write_text("\n".join(lines) + "\n")


def deep_cursor(database_url: str, secret: str, items: int) -> str:
    """The cursor of the page that starts at row DEEP_ROW x items, made by the app's own code."""
    from sqlalchemy import select

    from storeapi.app import create_app
    from storeapi.http.pagination import make_cursor
    from storeapi.models import Item
    from storeapi.settings import Settings

    app = create_app(
        Settings.from_env(database_url=database_url, jwt_secret_key=secret, log_requests=False)
    )
    try:
        with app.test_request_context("/item"):
            from storeapi.db import session

            offset = max(0, int(items * DEEP_ROW) - 1)
            before = session().scalar(select(Item.id).order_by(Item.id).offset(offset).limit(1))
            return make_cursor("id", "n", before, before)
    finally:
        app.extensions["engine"].dispose()


# --- wrk -----------------------------------------------------------------------------------


def ensure_wrk() -> str:
    found = shutil.which("wrk")
    if found:
        return found
    if os.geteuid() == 0 and shutil.which("apt-get"):
        print("bench: installing wrk (Debian package)", file=sys.stderr)
        subprocess.run(["apt-get", "update", "-qq"], check=True)
        subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=True)
        found = shutil.which("wrk")
    if not found:
        raise SystemExit("bench: wrk is needed: apt-get install wrk (as root)")
    return found


RESULT_LINE = re.compile(r"^BENCH_RESULT (\{.*\})$", re.M)


def wrk(
    url: str, lua: str, args: list[str], *, seconds: float, connections: int, count: bool
) -> dict:
    cmd = [
        ensure_wrk(),
        "-t",
        "2",
        "-c",
        str(connections),
        "-d",
        f"{max(1, round(seconds))}s",
        "--timeout",
        "10s",
        "-s",
        str(LUA / lua),
        url,
    ]
    if args:
        cmd += ["--", *args]
    env = {**os.environ, "BENCH_COUNT_STATUSES": "1" if count else "0"}
    out = subprocess.run(
        cmd, capture_output=True, text=True, env=env, timeout=seconds + 60, check=False
    )
    match = RESULT_LINE.search(out.stdout)
    if out.returncode != 0 or match is None:
        raise RuntimeError(f"wrk failed ({out.returncode}): {out.stdout}\n{out.stderr}")
    return json.loads(match.group(1))


# --- one database ----------------------------------------------------------------------------


@dataclass
class Setup:
    api: str
    ceiling: str
    data: BenchData
    token: Token
    etags: Path
    cursor: str
    thumbnail: tuple[str, str] = ("", "")  # a stored thumbnail's URL and ETag
    peer: str = ""  # the FastAPI peer's URL, when a peer scenario runs


def request_for(name: str, s: Setup) -> tuple[str, list[str]]:
    """The URL and Lua arguments of a scenario."""
    items, stores = str(s.data.items), str(s.data.stores)
    if name == "ceiling":
        return s.ceiling + "/", []
    return {
        "item": (s.api + "/", [items]),
        "item_304": (s.api + "/", [str(s.etags)]),
        "store": (s.api + "/", [stores]),
        "list": (s.api + "/item?limit=50", []),
        "search": (s.api + f"/item?q={s.data.search_term}&sort=price&limit=50", []),
        "deep": (s.api + f"/item?limit=50&cursor={s.cursor}", []),
        "post": (s.api + "/", [s.token(), stores]),
        "put": (s.api + "/", [s.token(), items]),
        "mix": (s.api + "/", [s.token(), items]),
        "media": (s.thumbnail[0], []),
        "media_304": (s.thumbnail[0], [s.thumbnail[1]]),
        "peer_item": (s.peer + "/", [items]),
        "peer_post": (s.peer + "/", [s.token(), stores]),
    }[name]


def upload_picture(
    api: str, data: BenchData, database_url: str, secret: str, storage_url: str
) -> tuple[str, str]:
    """Give item 1 a picture (drawn by the demo code), uploaded in this process, so that the
    server's workers only serve it (decoding would leave its memory in their RSS); the URL and
    ETag of its thumbnail, as the server answers."""
    from storeapi.app import create_app
    from storeapi.media.demo import draw
    from storeapi.settings import Settings

    settings = Settings.from_env(
        database_url=database_url,
        jwt_secret_key=secret,
        log_requests=False,
        rate_limits_enabled=False,
        storage_url=storage_url,
    )
    app = create_app(settings)
    try:
        client = app.test_client()
        owner = {"email": data.owner_email, "password": data.owner_password}
        token = client.post("/login", json=owner).get_json()["access_token"]
        answer = client.put(
            "/item/1/image", data=draw("Bench Chair"), headers={"Authorization": f"Bearer {token}"}
        )
        assert answer.status_code in (200, 201), answer.get_data(True)
        url = api + answer.get_json()["image"]["thumbnail_url"]
    finally:
        app.extensions["engine"].dispose()
    _, headers, _ = call("GET", url)
    return url, headers["ETag"]


@contextmanager
def profiling(server: Server | None, name: str, args: argparse.Namespace) -> Iterator[None]:
    """With --profile DIR: py-spy samples the server's workers (only the thread holding the
    GIL, so the shares are of Python CPU time) during the measured run."""
    if server is None or not args.profile:
        yield
        return
    folder = Path(args.profile)
    folder.mkdir(parents=True, exist_ok=True)
    seconds = str(max(1, int(args.duration)))
    spy = [str(BIN / "py-spy"), "record", "--gil", "--nonblocking", "--rate", "250"]
    spy += ["--format", "raw", "--duration", seconds]
    spies = [
        subprocess.Popen(
            [*spy, "--pid", str(pid), "--output", str(folder / f"{args.db}-{name}-{pid}.txt")],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for pid in children(server.proc.pid)
    ]
    try:
        yield
    finally:
        for spy in spies:
            spy.wait(timeout=60)


def measure(name: str, s: Setup, args: argparse.Namespace, server: Server | None = None) -> Result:
    scenario = SCENARIOS[name]
    url, lua_args = request_for(name, s)
    kw = {"connections": args.connections}
    warm = wrk(url, scenario.lua, lua_args, seconds=args.warmup, count=True, **kw)
    with profiling(server, name, args):
        run = wrk(url, scenario.lua, lua_args, seconds=args.duration, count=False, **kw)
    statuses = {int(k): v for k, v in warm["statuses"].items()}
    unexpected = sum(n for code, n in statuses.items() if code not in scenario.expect)
    socket_errors = sum(run[k] for k in ("connect", "read", "write", "timeout"))
    if run["requests"] == 0:  # a stalled server: every connection waited out the run
        socket_errors += args.connections
    result = Result(
        scenario,
        rps=run["requests"] / (run["duration_us"] / 1e6),
        p50_ms=run["p50_us"] / 1000,
        p99_ms=run["p99_us"] / 1000,
        errors=socket_errors + run["status"] + unexpected,
        requests=run["requests"],
        statuses=statuses,
    )
    print(
        f"  {name:<9} {result.rps:>9.0f} req/s  p50 {result.p50_ms:6.2f} ms  "
        f"p99 {result.p99_ms:7.2f} ms  errors {result.errors}  warm-up statuses {statuses}",
        file=sys.stderr,
    )
    return result


def server_env(database_url: str, secret: str) -> dict[str, str]:
    pythonpath = os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH")) if p)
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "STOREAPI_ENV": "production",
        "JWT_SECRET_KEY": secret,
        "RATE_LIMITS_ENABLED": "false",
        "LOG_REQUESTS": "false",
        "PYTHONPATH": pythonpath,
    }


@contextmanager
def serving_peer(
    wanted: list[str], database_url: str, secret: str, args: argparse.Namespace
) -> Iterator[Server | None]:
    """The FastAPI peer when a peer scenario runs: uvicorn, as `fastapi run` serves it, with
    storeapi's number of worker processes (an event loop each; the sync routes run in its
    thread pool), on the same database, accepting storeapi's tokens."""
    if not set(PEERS) & set(wanted):
        yield None
        return
    from storeapi.db import normalize_url
    from storeapi.keys import Keys

    port = free_port()
    env = {
        **server_env(database_url, secret),
        "PEER_DATABASE_URL": normalize_url(database_url),
        "PEER_JWT_KEY": Keys.derive(secret).jwt.hex(),
    }
    cmd = [str(BIN / "uvicorn"), "bench.peers.fastapi_app:app", "--host", "127.0.0.1"]
    cmd += ["--port", str(port), "--workers", str(args.workers), "--no-access-log"]
    with serving("peer", cmd, env, port, "/item/1") as peer:
        yield peer


def run_database(db: str, database_url: str, args: argparse.Namespace) -> dict:
    print(f"bench: {db}: {args.items} items", file=sys.stderr)
    args.db = db
    data = build(database_url, args.items, rebuild=args.rebuild)
    secret = secrets.token_hex(32)
    media = tempfile.TemporaryDirectory(prefix="bench-media-")  # the pictures it uploads
    env = {**server_env(database_url, secret), "STORAGE_URL": f"file://{media.name}"}
    ports = free_port(), free_port()
    cmd = lambda target, port: server_command(  # noqa: E731
        args.server, target, port, args.workers, args.threads
    )
    wanted = [n for n in args.scenarios if n != "ceiling"]
    results: dict[str, Result] = {}
    with (
        media,
        tempfile.TemporaryDirectory() as tmp,
        serving("ceiling", cmd("bench.ceiling:app", ports[0]), env, ports[0], "/") as ceiling,
        serving("api", cmd("storeapi.wsgi:app", ports[1]), env, ports[1], "/healthz") as api,
        serving_peer(wanted, database_url, secret, args) as peer,
    ):
        thumbnail = ("", "")
        if {"media", "media_304"} & set(wanted):  # first: it changes item 1's ETag
            storage_url = env["STORAGE_URL"]
            thumbnail = upload_picture(api.url, data, database_url, secret, storage_url)
        etags = Path(tmp) / "etags.txt"
        setup = Setup(
            api=api.url,
            ceiling=ceiling.url,
            data=data,
            token=Token(api, data),
            etags=etags,
            cursor=deep_cursor(database_url, secret, data.items) if "deep" in wanted else "",
            thumbnail=thumbnail,
            peer=peer.url if peer else "",
        )
        setup.token()  # logs in now: argon2id's memory belongs to start-up, not to serving
        started_rss = {"api": api.worker_rss_mb(), "ceiling": ceiling.worker_rss_mb()}
        api.reset_peak_rss()
        ceiling.reset_peak_rss()
        if peer:
            started_rss["peer"] = peer.worker_rss_mb()
            peer.reset_peak_rss()
        # The ceiling before the first scenario and after each one: this machine's speed
        # drifts by 10-20 % over minutes, so each ratio is taken against the two ceiling
        # runs around its scenario rather than against the mean of the whole run's.
        ceiling_args = argparse.Namespace(
            **{**vars(args), "duration": args.ceiling_duration or args.duration / 2}
        )
        ceilings = [measure("ceiling", setup, ceiling_args, ceiling)]
        measured: list[Result] = []  # round after round, each in `wanted`'s order
        for name in wanted * args.rounds:
            if name == "item_304":  # now: the writes of an earlier round changed some
                fetch_etags(api.url, data.items, 500, etags)
            measured.append(measure(name, setup, args, peer if name in PEERS else api))
            ceilings.append(measure("ceiling", setup, ceiling_args))
        rss = {"api": api.serving_peak_rss_mb(), "ceiling": ceiling.worker_rss_mb()}
        rss |= {"api_start": started_rss["api"], "ceiling_start": started_rss["ceiling"]}
        if peer:
            rss |= {"peer": peer.worker_rss_mb(), "peer_start": started_rss["peer"]}
    for before, r, after in zip(ceilings, measured, ceilings[1:], strict=False):
        around = (before.rps + after.rps) / 2
        r.ratio = r.rps / around if around else None
    for n, name in enumerate(wanted):
        results[name] = median_round(measured[n :: len(wanted)])
    ceiling_rps = sum(c.rps for c in ceilings) / len(ceilings)
    combined = Result(
        SCENARIOS["ceiling"],
        rps=ceiling_rps,
        p50_ms=sum(c.p50_ms for c in ceilings) / len(ceilings),
        p99_ms=max(c.p99_ms for c in ceilings),
        errors=sum(c.errors for c in ceilings),
        requests=sum(c.requests for c in ceilings),
        ratio=1.0,
    )
    return {
        "db": db,
        "data": data,
        "results": {"ceiling": combined, **results},
        "ceiling_runs": [c.rps for c in ceilings],
        "rss": rss,
    }


def median_round(runs: list[Result]) -> Result:
    """A scenario's round with the median ratio (the lower of the middle two), carrying every
    round's ratio and all rounds' errors: one round can be off by 15 % on this machine, so a
    target is judged on the median of several (--rounds)."""
    ranked = sorted(runs, key=lambda r: r.ratio or 0.0)
    ratios = [r.ratio or 0.0 for r in runs]
    return replace(
        ranked[(len(ranked) - 1) // 2], ratios=ratios, errors=sum(r.errors for r in runs)
    )


# --- report ----------------------------------------------------------------------------------


def targets(run: dict) -> list[tuple[str, str, bool]]:
    """(what, measured, met) for every target that the scenarios run allow to check."""
    res: dict[str, Result] = run["results"]
    out = []
    for name, r in res.items():
        s = r.scenario
        goal = s.pg_target if run["db"] == "postgresql" else s.target
        if goal is None or r.ratio is None:
            continue
        out.append((f"{name}: ratio >= {goal:.2f}", f"{r.ratio:.2f}", r.ratio >= goal))
    if "deep" in res and "list" in res:
        slower = res["list"].rps / res["deep"].rps if res["deep"].rps else float("inf")
        out.append(
            ("deep page within 1.2 x the first page", f"{slower:.2f} x", slower <= DEEP_FACTOR)
        )
    out += peer_targets(res)
    errors = sum(r.errors for r in res.values())
    out.append(("no errors", str(errors), errors == 0))
    worst = max(run["rss"]["api"] or [0.0])
    out.append(
        (
            f"peak RSS per worker serving <= {RSS_LIMIT_MB:.0f} MB",
            f"{worst:.1f} MB",
            worst <= RSS_LIMIT_MB,
        )
    )
    return out


def peer_targets(res: dict[str, Result]) -> list[tuple[str, str, bool]]:
    """storeapi's requests per second over the FastAPI peer's, on each request both serve."""
    out = []
    for peer, ours in PEERS.items():
        if peer in res and ours in res and res[peer].rps:
            times = res[ours].rps / res[peer].rps
            what = f"{ours}: >= {PEER_FACTOR:g} x the FastAPI peer's req/s"
            out.append((what, f"{times:.2f} x", times >= PEER_FACTOR))
    return out


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{os.cpu_count()} cores ({cpu}), Python {platform.python_version()}"


def git_commit() -> str:
    out = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    )
    dirty = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=no"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    return out.stdout.strip() + (" (with uncommitted changes)" if dirty.stdout.strip() else "")


def markdown(run: dict, args: argparse.Namespace, sqlite: dict | None, chart: Path) -> str:
    data: BenchData = run["data"]
    res: dict[str, Result] = run["results"]
    vs_sqlite = run["db"] == "postgresql" and sqlite is not None
    head = "| scenario | req/s | p50 ms | p99 ms | errors | ratio to ceiling |"
    rule = "|---|---:|---:|---:|---:|---:|"
    if vs_sqlite:
        head += " x SQLite ratio |"
        rule += "---:|"
    rows = []
    for name, r in res.items():
        row = (
            f"| {r.scenario.title} | {r.rps:,.0f} | {r.p50_ms:.2f} | {r.p99_ms:.2f} | {r.errors} "
            f"| {r.ratio:.2f}{ratio_range(r)} |"
        )
        if vs_sqlite:
            base = sqlite["results"].get(name) if sqlite else None
            row += f" {r.ratio / base.ratio:.2f} |" if base and base.ratio else " - |"
        rows.append(row)
    checks = [
        f"| {what} | {got} | {'met' if ok else '**missed**'} |" for what, got, ok in targets(run)
    ]
    ceilings = run["ceiling_runs"]
    rss = run["rss"]
    return "\n".join(
        [
            f"# {run['db']}: {dt.date.today().isoformat()}",
            "",
            f"- machine: {machine()}; wrk on the same machine, loopback",
            f"- server: {args.server}, {args.workers} workers x "
            f"{args.threads or 'the default number of'} threads, "
            f"{args.connections} connections, {args.warmup:g} s warm-up + {args.duration:g} s "
            "per scenario"
            + (
                f"; {args.rounds} rounds of every scenario, each row the round with the median "
                "ratio (the range of all rounds in brackets), errors summed"
                if args.rounds > 1
                else ""
            ),
            f"- data: {data.items:,} items, {data.stores:,} stores, {data.tags:,} tags, "
            f"{data.links:,} links",
            f"- ceiling measured before the first scenario and after each: "
            f"{min(ceilings):,.0f} to {max(ceilings):,.0f} req/s (the row below: their mean); "
            "each ratio is to the mean of the two runs around its scenario",
            f"- code: {git_commit()}",
            "",
            head,
            rule,
            *rows,
            "",
            "| target | measured | |",
            "|---|---:|---|",
            *checks,
            "",
            "Peak RSS per worker while serving the scenarios (VmHWM, reset after start-up "
            "and login), MB: API "
            + ", ".join(f"{m:.1f}" for m in rss["api"])
            + "; ceiling "
            + ", ".join(f"{m:.1f}" for m in rss["ceiling"])
            + peer_rss(rss, "peer")
            + ". Peak at start-up (imports, argon2id's 64 MiB for the dummy hash and the "
            "login), MB: API "
            + ", ".join(f"{m:.1f}" for m in rss["api_start"])
            + "; ceiling "
            + ", ".join(f"{m:.1f}" for m in rss["ceiling_start"])
            + peer_rss(rss, "peer_start")
            + ".",
            "",
            f"![chart]({chart.name})",
            "",
        ]
    )


def ratio_range(r: Result) -> str:
    """' (lowest-highest)' of a scenario's rounds, when it ran more than once."""
    return f" ({min(r.ratios):.2f}-{max(r.ratios):.2f})" if len(r.ratios) > 1 else ""


def peer_rss(rss: dict, key: str) -> str:
    """The FastAPI peer's workers in the RSS sentence, when it ran."""
    return "; FastAPI peer " + ", ".join(f"{m:.1f}" for m in rss[key]) if key in rss else ""


def draw(run: dict, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    res: dict[str, Result] = run["results"]
    names = list(res)[::-1]
    fig, (left, right) = plt.subplots(1, 2, figsize=(12, 0.45 * len(names) + 1.6), sharey=True)
    left.barh(names, [res[n].rps for n in names], color="#4c72b0")
    left.set_xlabel("requests per second")
    for i, n in enumerate(names):
        left.text(res[n].rps, i, f" {res[n].rps:,.0f}", va="center", fontsize=8)
    ratios = [res[n].ratio or 0 for n in names]
    right.barh(names, ratios, color="#55a868")
    for i, n in enumerate(names):
        goal = res[n].scenario.target
        if goal is not None:
            right.plot([goal, goal], [i - 0.4, i + 0.4], color="#c44e52", linewidth=2)
        right.text(ratios[i], i, f" {ratios[i]:.2f}", va="center", fontsize=8)
    right.set_xlabel("ratio to the ceiling (red: target)")
    right.set_xlim(0, max(1.05, max(ratios) * 1.15))
    fig.suptitle(f"storeapi on {run['db']}: {run['data'].items:,} items, {dt.date.today()}")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def report(run: dict, args: argparse.Namespace, sqlite: dict | None) -> Path:
    out = Path(args.results)
    out.mkdir(parents=True, exist_ok=True)
    stem = f"{dt.date.today().isoformat()}-{run['db']}"
    chart = out / f"{stem}.png"
    draw(run, chart)
    text = markdown(run, args, sqlite, chart)
    md = out / f"{stem}.md"
    md.write_text(text)
    print(text)
    print(f"bench: wrote {md} and {chart}", file=sys.stderr)
    return md


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--items", type=int, default=100_000, help="items in the database")
    parser.add_argument("--duration", type=float, default=20, help="seconds per scenario")
    parser.add_argument("--warmup", type=float, default=5, help="warm-up seconds per scenario")
    parser.add_argument(
        "--ceiling-duration",
        type=float,
        help="seconds per ceiling run, before the first scenario and after each (default: half)",
    )
    parser.add_argument(
        "--rounds",
        type=int,
        default=1,
        help="times every scenario runs, in turn; the report shows the median round",
    )
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--threads", type=int, help="threads per worker (default: what `storeapi serve` uses)"
    )
    parser.add_argument("--server", choices=SERVERS, default="granian")
    parser.add_argument(
        "--scenarios",
        default=",".join(API_SCENARIOS),
        help=f"comma-separated, of: {', '.join(API_SCENARIOS)}",
    )
    parser.add_argument("--databases", default="sqlite,postgresql", help="sqlite and/or postgresql")
    parser.add_argument("--results", default=str(RESULTS), help="folder for the .md and .png")
    parser.add_argument("--rebuild", action="store_true", help="rebuild the database")
    parser.add_argument("--data", default=str(BENCH / ".data"), help="folder for SQLite files")
    parser.add_argument(
        "--profile", help="folder: py-spy profiles of the workers per scenario (slows them down)"
    )
    args = parser.parse_args(argv)
    if args.rounds < 1:
        parser.error("--rounds must be at least 1")
    args.scenarios = [s.strip() for s in args.scenarios.split(",") if s.strip()]
    unknown = set(args.scenarios) - set(SCENARIOS)
    if unknown:
        parser.error(f"unknown scenarios: {', '.join(sorted(unknown))}")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    ensure_wrk()
    databases = [d.strip() for d in args.databases.split(",")]
    pg_base = os.environ.get("BENCH_DATABASE_URL")
    if pg_base and (local := through_local_socket(pg_base)) != pg_base:
        print("bench: PostgreSQL through its Unix socket (BENCH_PG_TCP=1: TCP)", file=sys.stderr)
        pg_base = local
    runs: dict[str, dict] = {}
    for db in databases:
        if db == "sqlite":
            url = sqlite_url(args.items, Path(args.data))
        elif db == "postgresql" and pg_base:
            url = postgres_url(pg_base, args.items)
        else:
            continue
        runs[db] = run_database(db, url, args)
        report(runs[db], args, runs.get("sqlite"))
    missed = [what for run in runs.values() for what, _, ok in targets(run) if not ok]
    if missed:
        print("bench: targets missed: " + "; ".join(missed), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
