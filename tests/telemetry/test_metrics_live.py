"""/metrics of a real `storeapi serve` with two workers: counts add up across the processes,
a restarted worker neither loses nor doubles them, its gauges go with it, raw ids never become
label values, and callers that are not on this machine need the token.

Requests that must spread over both workers go on new connections, and each answer says which
worker gave it: the first 16 characters of its X-Request-ID are drawn per process.
"""

from __future__ import annotations

import os
import signal
import socket
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from storeapi.app import create_app
from storeapi.telemetry.routes import route_template
from tests.conftest import test_settings
from tests.live import LiveServer, live_server
from tests.telemetry.scraping import assert_http_problem, label_values, scrape, value

TOKEN = "metrics-token-for-the-tests-0123456789"
REQUESTS = "storeapi_http_requests_total"
LATENCY_COUNT = "storeapi_http_request_duration_seconds_count"
ITEM = {"route": "/item/{item_id}", "method": "GET", "status": "4xx"}


@pytest.fixture(scope="module")
def server(database_url: str) -> Iterator[LiveServer]:
    env = {"METRICS_ENABLED": "true", "METRICS_TOKEN": TOKEN, "TRUSTED_PROXIES": 1}
    with live_server(database_url, workers=2, **env) as base:
        yield base


def worker(response: httpx.Response) -> str:
    return response.headers["X-Request-ID"][:16]


def spread(send: Callable[[int], httpx.Response], count: int) -> list[httpx.Response]:
    """`send(n)` at least `count` times, and on until both workers have answered."""
    answers: list[httpx.Response] = []
    while len(answers) < count or len({worker(r) for r in answers}) < 2:
        assert len(answers) < 300, "three hundred connections all went to one worker"
        answers.append(send(len(answers)))
    return answers


def get_missing_item(base: str) -> Callable[[int], httpx.Response]:
    def send(n: int) -> httpx.Response:  # a new connection each time: either worker may take it
        r = httpx.get(f"{base}/item/{900_000 + n}")
        assert r.status_code == 404
        return r

    return send


def test_counts_add_up_across_both_workers(server: LiveServer) -> None:
    before = scrape(server)
    answers = spread(get_missing_item(server), 30)
    after = scrape(server)
    assert len({worker(r) for r in answers}) == 2
    for name in (REQUESTS, LATENCY_COUNT):
        assert value(after, name, **ITEM) - value(before, name, **ITEM) == len(answers), name
    # every request fell in a bucket: the +Inf bucket holds them all
    bucket = "storeapi_http_request_duration_seconds_bucket"
    added = value(after, bucket, le="+Inf", **ITEM) - value(before, bucket, le="+Inf", **ITEM)
    assert added == len(answers)


def test_raw_ids_never_become_label_values(server: LiveServer) -> None:
    ids = range(10_000, 11_100)  # 1,100 distinct paths of one route
    with httpx.Client(base_url=server) as client:
        for i in ids:
            assert client.get(f"/item/{i}").status_code == 404
        for i in range(50):  # paths no route matches, and methods no client should send
            client.get(f"/no-such-thing/{i}")
            client.request(f"X{i}", f"/item/{i}")
    samples = scrape(server)
    routes = label_values(samples, REQUESTS, "route")
    app = create_app(test_settings("sqlite://", metrics_enabled=True))
    templates = {route_template(rule) for rule in app.url_map.iter_rules()}
    assert routes <= templates | {"unmatched"}, routes - templates
    assert "/item/{item_id}" in routes and "unmatched" in routes
    assert label_values(samples, REQUESTS, "method") <= {"GET", "HEAD", "POST", "other"}
    series = [s for s in samples if s.name == REQUESTS]
    assert len(series) < 20, [s.labels for s in series]
    assert not any(str(i) in " ".join(s.labels.values()) for s in series for i in (10_000, 10_999))


def test_callers_elsewhere_need_the_token(server: LiveServer) -> None:
    local = httpx.get(f"{server}/metrics")
    assert local.status_code == 200 and "storeapi_build_info" in local.text
    # TRUSTED_PROXIES=1: the address the proxy forwards is the caller's, and it is not local
    elsewhere = {"X-Forwarded-For": "203.0.113.7"}
    refused = httpx.get(f"{server}/metrics", headers=elsewhere)
    assert_http_problem(refused, 401)
    assert refused.headers["WWW-Authenticate"].startswith("Bearer")
    assert "storeapi_" not in refused.text
    wrong = httpx.get(f"{server}/metrics", headers={**elsewhere, "Authorization": "Bearer nope"})
    assert_http_problem(wrong, 401)
    bearer = {**elsewhere, "Authorization": f"Bearer {TOKEN}"}
    allowed = httpx.get(f"{server}/metrics", headers=bearer)
    assert allowed.status_code == 200 and "storeapi_http_requests_total" in allowed.text
    # a client on this machine behind the (local) proxy is local
    local_client = {"X-Forwarded-For": "127.0.0.1"}
    assert httpx.get(f"{server}/metrics", headers=local_client).status_code == 200


def mapped_values_file(pid: int) -> Path:
    """The metrics file a worker has mapped, from the kernel's list of its mappings."""
    for line in Path(f"/proc/{pid}/maps").read_text().splitlines():
        if line.endswith(f"/values_{pid}.db"):
            return Path(line.split(maxsplit=5)[5])
    raise AssertionError(f"worker {pid} maps no metrics file")


def test_serve_makes_a_private_metrics_directory_for_as_long_as_it_runs(database_url: str) -> None:
    with live_server(database_url, workers=2, METRICS_ENABLED="true") as server:
        wait_for(lambda: len(server.worker_pids()) == 2)
        spread(get_missing_item(server), 4)  # each worker has made its app, and its file
        folders = {mapped_values_file(pid).parent for pid in server.worker_pids()}
        assert len(folders) == 1  # one for the whole server
        folder = folders.pop()
        assert folder.stat().st_mode & 0o777 == 0o700
        assert {p.name for p in folder.iterdir()} == {
            f"values_{pid}.db" for pid in server.worker_pids()
        }
    assert not folder.exists()


# A worker killed and replaced


def connection_owner(server: LiveServer, client_port: int) -> int:
    """The worker process holding the server's end of the TCP connection from `client_port`."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            if int(fields[2].rsplit(":", 1)[1], 16) == client_port:
                inodes.add(fields[9])
    for pid in server.worker_pids():
        for fd in Path(f"/proc/{pid}/fd").iterdir():
            try:
                target = os.readlink(fd)
            except OSError:
                continue
            if target.startswith("socket:[") and target[8:-1] in inodes:
                return pid
    raise AssertionError(f"no worker holds the connection from port {client_port}")


def wait_for(predicate: Callable[[], bool], timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.2)


def test_a_restarted_worker_neither_loses_nor_doubles_the_totals(
    database_url: str, tmp_path: Path
) -> None:
    folder = tmp_path / "metrics"
    folder.mkdir()
    (folder / "values_1.db").write_bytes(b"left by an earlier run")
    env = {"METRICS_ENABLED": "true", "METRICS_DIR": folder, "THREADS": 4}
    with live_server(database_url, workers=2, app="tests.slow_app:app", **env) as server:
        assert not (folder / "values_1.db").exists()  # the last run's values are wiped at start
        wait_for(lambda: len(server.worker_pids()) == 2)
        first = spread(get_missing_item(server), 20)
        # a request in flight on one worker, which is then killed mid-request
        slow = socket.create_connection(("127.0.0.1", int(server.rsplit(":", 1)[1])))
        slow.sendall(b"GET /slow?seconds=10 HTTP/1.1\r\nHost: test\r\n\r\n")
        wait_for(lambda: value(scrape(server), "storeapi_http_requests_in_flight") == 2)
        victim = connection_owner(server, slow.getsockname()[1])
        os.kill(victim, signal.SIGKILL)
        wait_for(lambda: victim not in server.worker_pids() and len(server.worker_pids()) == 2)
        slow.close()

        samples = scrape(server)
        assert value(samples, REQUESTS, **ITEM) == len(first)  # the dead worker's counts stay
        assert value(samples, "storeapi_http_requests_in_flight") == 1  # only this scrape
        assert (folder / f"values_{victim}.db").exists()  # its counts, not its gauges

        second = spread(get_missing_item(server), 20)  # the new worker among those answering
        assert value(scrape(server), REQUESTS, **ITEM) == len(first) + len(second)
