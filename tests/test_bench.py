"""The benchmark harness (bench/run.py) end to end, in a tiny mode: a 100-item database
(SQLite, and PostgreSQL when TEST_DATABASE_URL is set), the API and the ceiling app under
`storeapi serve`, wrk for one second per scenario, and the report it writes (markdown table
and PNG chart). The FastAPI peer (bench/peers/fastapi_app.py) on a tiny database: its two
routes, its token and owner checks. Then bench.instructions' counting: callgrind's dumps at
the markers, and the arithmetic that turns them into instructions per request (the app's own
start-up under callgrind takes minutes, so a script stands in for it)."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import secrets
import shutil
import subprocess
import sys
import urllib.error
from collections.abc import Iterator
from pathlib import Path

import jwt
import pytest
from sqlalchemy import create_engine, func, insert, select, text

from bench import instructions, run
from bench.build_db import build, sqlite_url
from storeapi.db import normalize_url
from storeapi.keys import Keys
from storeapi.models import Item, Store, User
from tests.conftest import BACKENDS

ROOT = Path(__file__).resolve().parent.parent
ITEMS = 100

needs_wrk = pytest.mark.skipif(shutil.which("wrk") is None, reason="wrk is not installed")
needs_valgrind = pytest.mark.skipif(
    not Path(instructions.VALGRIND).exists(), reason="valgrind is not installed"
)


def run_bench(
    tmp_path: Path, *args: str, database: str = "sqlite"
) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "BENCH_DATABASE_URL"}
    if database == "postgresql":
        env["BENCH_DATABASE_URL"] = os.environ["TEST_DATABASE_URL"]
    return subprocess.run(
        [sys.executable, "-m", "bench.run", "--databases", database, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture(params=BACKENDS)
def database(request: pytest.FixtureRequest) -> Iterator[str]:
    """The backend to benchmark; PostgreSQL's bench schema is dropped afterwards."""
    yield request.param
    if request.param == "postgresql":
        engine = create_engine(normalize_url(os.environ["TEST_DATABASE_URL"]))
        with engine.begin() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "storeapi_bench_{ITEMS}" CASCADE'))
        engine.dispose()


def table_rows(markdown: str) -> dict[str, list[str]]:
    """The scenario table: title -> its cells (req/s, p50, p99, errors, ratio)."""
    rows = {}
    for line in markdown.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 6 and re.fullmatch(r"[\d,]+", cells[1]):
            rows[cells[0]] = cells[1:]
    return rows


def tiny_run(
    tmp_path: Path, *args: str, database: str = "sqlite"
) -> tuple[Path, subprocess.CompletedProcess[str]]:
    """A run on ITEMS items, 1 s per scenario, that succeeded: its results folder and run."""
    out = tmp_path / "results"
    common = [f"--items={ITEMS}", "--duration=1", "--connections=8"]
    done = run_bench(
        tmp_path, *common, *args, f"--results={out}", f"--data={tmp_path}", database=database
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return out, done


@needs_wrk
def test_a_tiny_run_measures_each_scenario_against_the_ceiling_and_writes_the_report(
    tmp_path: Path, database: str
) -> None:
    out, done = tiny_run(
        tmp_path,
        "--warmup=1",
        "--scenarios=item,item_304,media,media_304,peer_item",
        database=database,
    )
    [md] = out.glob(f"*-{database}.md")
    [png] = out.glob(f"*-{database}.png")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 10_000
    text = md.read_text()
    rows = table_rows(text)
    assert set(rows) == {
        "ceiling: Flask + jsonify, constant",
        "GET /item/{id}",
        "GET /item/{id} If-None-Match (304)",
        "GET /media/{sha256}-256.webp",
        "GET /media/… If-None-Match (304)",
        "peer: GET /item/{id}",
    }
    for title, (rps, p50, p99, errors, ratio) in rows.items():
        assert int(rps.replace(",", "")) > 0 and float(ratio) > 0, title
        assert float(p50) <= float(p99), title
        assert errors == "0", (title, done.stderr[-2000:])
    assert rows["ceiling: Flask + jsonify, constant"][4] == "1.00"
    assert "| no errors | 0 | met |" in text
    assert re.search(r"API \d+\.\d, \d+\.\d;", text), "peak RSS of the two API workers"
    assert f"![chart]({png.name})" in text
    assert "GET /item/{id} If-None-Match (304)" in done.stdout  # the table is printed too
    assert "{304:" in done.stderr  # the warm-up saw 304s, not 200s, for the conditional GETs
    # the ceiling runs before the first scenario and after each: each ratio is to its neighbours
    assert len(re.findall(r"^  ceiling +\d+ req/s", done.stderr, re.M)) == 6, done.stderr
    assert "each ratio is to the mean of the two runs around its scenario" in text
    # storeapi against the FastAPI peer, on the request both served (met or not: a tiny run)
    assert re.search(r"\| item: >= 2 x the FastAPI peer's req/s \| \d+\.\d\d x \|", text)
    assert re.search(r"; FastAPI peer \d+\.\d, \d+\.\d\.", text), "its two workers' RSS"


@needs_wrk
def test_rounds_run_every_scenario_in_turn_and_report_the_median_with_the_range(
    tmp_path: Path,
) -> None:
    out, done = tiny_run(
        tmp_path,
        "--warmup=0.5",
        "--ceiling-duration=0.5",
        "--rounds=3",
        "--scenarios=item_304,put",  # PUT changes items: each round's 304s need fresh ETags
    )
    # item_304, put, item_304, put, ...: in turn, each followed by the ceiling
    order = re.findall(r"^  (item_304|put|ceiling) +\d+ req/s", done.stderr, re.M)
    assert order == ["ceiling"] + ["item_304", "ceiling", "put", "ceiling"] * 3, order
    assert done.stderr.count("warm-up statuses {304:") == 3, done.stderr
    text = next(out.glob("*-sqlite.md")).read_text()
    assert "3 rounds of every scenario, each row the round with the median ratio" in text
    for title in ("GET /item/{id} If-None-Match (304)", "PUT /item/{id} (token)"):
        line = next(x for x in text.splitlines() if x.startswith(f"| {title} |"))
        median, low, high = map(
            float, re.search(r"\| ([\d.]+) \(([\d.]+)-([\d.]+)\) \|$", line).groups()
        )
        assert 0 < low <= median <= high, line
    assert "| no errors | 0 | met |" in text


def test_the_median_round_is_the_middle_ratio_with_every_rounds_errors() -> None:
    scenario = run.SCENARIOS["item"]
    rounds = [
        run.Result(scenario, rps=r, p50_ms=1, p99_ms=2, errors=e, requests=1, ratio=r / 100)
        for r, e in ((30, 0), (50, 2), (40, 1), (20, 0))
    ]
    middle = run.median_round(rounds)
    assert (middle.rps, middle.ratio) == (30, 0.30)  # the lower of the middle two of four
    assert middle.ratios == [0.30, 0.50, 0.40, 0.20] and middle.errors == 3
    assert run.ratio_range(middle) == " (0.20-0.50)"
    one = run.median_round([run.Result(scenario, 10, 1, 2, 0, 1, ratio=0.1)])
    assert run.ratio_range(one) == ""


def test_a_login_while_serving_is_left_out_of_the_serving_peak(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """A run past ten minutes logs in again: the peaks before it are kept, its own is not."""
    api = object.__new__(run.Server)  # its RSS bookkeeping, without a process
    api.set_aside, api.port = [], 8000
    peaks = iter([[80.0, 90.0], [82.0, 84.0]])  # before the second login; at the end
    monkeypatch.setattr(run.Server, "worker_rss_mb", lambda self: next(peaks))
    resets, logins = [], []
    monkeypatch.setattr(run.Server, "reset_peak_rss", lambda self: resets.append(len(logins)))
    monkeypatch.setattr(run, "login", lambda url, data: logins.append(url) or f"t{len(logins)}")
    clock = iter([0.0, 601.0, 601.0])  # the first login; the check and the second
    monkeypatch.setattr(run.time, "monotonic", lambda: next(clock))
    token = run.Token(api, data=None)  # type: ignore[arg-type]
    assert token() == "t1" and api.set_aside == [] and resets == []  # start-up: the caller's
    assert token() == "t2"  # past 600 s: again, the peaks so far set aside, then a reset
    assert api.set_aside == [80.0, 90.0] and resets == [2]
    assert logins == [api.url] * 2
    assert api.serving_peak_rss_mb() == [82.0, 90.0]


def test_fewer_than_one_round_is_refused() -> None:
    with pytest.raises(SystemExit):
        run.parse_args(["--rounds=0"])


def peer_call(url: str, method: str, body: dict | None = None, token: str = "") -> tuple:
    """(status, JSON body) of a request to the peer."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    try:
        status, _, raw = run.call(method, url, body, headers)
    except urllib.error.HTTPError as error:
        status, raw = error.code, error.read()
    return status, json.loads(raw)


def test_the_fastapi_peer_serves_items_and_creates_them_only_in_the_callers_stores(
    tmp_path: Path,
) -> None:
    url = sqlite_url(ITEMS, tmp_path)
    data = build(url, ITEMS)
    engine = create_engine(url)
    with engine.begin() as conn:
        owner = conn.scalar(select(User.id).where(User.email == data.owner_email))
        other = conn.execute(
            insert(User).values(email="other@example.com", password_hash="-").returning(User.id)
        ).scalar_one()
        theirs = conn.execute(
            insert(Store).values(name="Not the owner's", owner_id=other).returning(Store.id)
        ).scalar_one()
        first = conn.execute(select(Item.name, Item.price).where(Item.id == 1)).one()
    secret = secrets.token_hex(32)
    key = Keys.derive(secret).jwt  # the key storeapi signs its access tokens with

    def token(user: int, signed_with: bytes = key) -> str:
        now = dt.datetime.now(dt.UTC)
        claims = {"sub": str(user), "iat": now, "exp": now + dt.timedelta(minutes=5)}
        return jwt.encode(claims, signed_with, "HS256")

    def items() -> int:
        with engine.connect() as conn:
            return conn.scalar(select(func.count()).select_from(Item))

    args = argparse.Namespace(workers=1)
    with run.serving_peer(["peer_item"], url, secret, args) as peer:
        assert peer is not None
        status, got = peer_call(f"{peer.url}/item/1", "GET")
        assert status == 200
        assert (got["id"], got["name"], got["store_id"]) == (1, first.name, 1)
        assert got["price"] == f"{first.price:.2f}"
        assert len(got["tags"]) == 1 and set(got["tags"][0]) == {"id", "name"}  # 1 % 3 links
        assert peer_call(f"{peer.url}/item/{ITEMS + 1000}", "GET")[0] == 404

        new = {"name": "peer chair", "price": "12.50", "store_id": 1}
        status, got = peer_call(f"{peer.url}/item", "POST", new, token(owner))
        assert status == 200, got
        assert got["id"] > ITEMS and got["name"] == "peer chair" and got["price"] == "12.50"
        assert items() == ITEMS + 1

        status, got = peer_call(
            f"{peer.url}/item", "POST", {**new, "store_id": theirs}, token(owner)
        )
        assert (status, got["detail"]) == (403, "Not enough permissions")
        assert (
            peer_call(f"{peer.url}/item", "POST", new, token(owner, secrets.token_bytes(32)))[0]
            == 401
        )
        assert peer_call(f"{peer.url}/item", "POST", new, "not-a-jwt")[0] == 401
        assert peer_call(f"{peer.url}/item", "POST", new)[0] == 401
        assert items() == ITEMS + 1
    engine.dispose()


@needs_wrk
def test_an_unknown_scenario_is_refused_before_anything_starts(tmp_path: Path) -> None:
    done = run_bench(tmp_path, "--scenarios=item,teleport", f"--results={tmp_path}")
    assert done.returncode == 2
    assert "unknown scenarios: teleport" in done.stderr
    assert not list(tmp_path.glob("*.md"))


# Two cases like bench.instructions.measure's: a marker before each, then n and 2n "requests".
MARKED_LOOPS = """
import os
def small(): sum(range(1000, 2000))
def large(): sum(range(1000, 4000))
for work, n in ((small, 50), (large, 50)):
    work()
    os.getppid()
    for requests in (n, 2 * n):
        for _ in range(requests):
            work()
        os.getppid()
"""


@needs_valgrind
def test_instructions_per_request_come_from_the_dumps_at_the_markers(tmp_path: Path) -> None:
    script = tmp_path / "loops.py"
    script.write_text(MARKED_LOOPS)
    subprocess.run(
        [
            instructions.VALGRIND,
            "--tool=callgrind",
            f"--dump-before={instructions.MARKER}",
            f"--callgrind-out-file={tmp_path / instructions.DUMP_PREFIX}",
            f"--log-file={tmp_path / 'valgrind.log'}",
            sys.executable,
            str(script),
        ],
        check=True,
        timeout=120,
        env={**os.environ, "PYTHONHASHSEED": instructions.HASH_SEED},
    )
    dumps = instructions.numbered_dumps(tmp_path)
    assert [p.name for p in dumps] == [f"callgrind.out.{i}" for i in range(1, 7)]
    totals = [instructions.callgrind_total(p.read_text()) for p in dumps]
    segments = [None, ("small", 50), ("small", 100), None, ("large", 50), ("large", 100)]
    counts = instructions.per_request(segments, totals)
    # a third of the work in the small loop, and the loop's fixed cost cancelled out
    assert 2.7 < counts["large"] / counts["small"] < 3.05, counts
    assert counts["small"] * 50 < totals[1] < counts["small"] * 50 * 1.2, (counts, totals)
    # one marker too many (something else called getppid) is an error, not a wrong figure
    with pytest.raises(ValueError, match="7 callgrind dumps for 6 markers"):
        instructions.per_request(segments, [*totals, 1])


def test_instructions_per_request_are_the_difference_over_the_extra_requests() -> None:
    segments = [None, ("item", 200), ("item", 400), None, ("list", 20), ("list", 40)]
    totals = [
        10**9,
        5_000 + 200 * 700,
        5_000 + 400 * 700,
        10**9,
        9_000 + 20 * 6_000,
        9_000 + 40 * 6_000,
    ]
    assert instructions.per_request(segments, totals) == {"item": 700.0, "list": 6_000.0}


def test_a_dump_without_totals_is_refused() -> None:
    assert instructions.callgrind_total("events: Ir\nsummary: 42\n") == 42
    assert instructions.callgrind_total("events: Ir Dr\ntotals: 1234 56\n") == 1234
    with pytest.raises(ValueError, match="no totals"):
        instructions.callgrind_total("events: Ir\nfn=main\n1 5\n")
