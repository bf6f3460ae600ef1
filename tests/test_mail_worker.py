"""`storeapi worker` as a real process, with a real `storeapi serve` and a real SMTP server
(aiosmtpd), on SQLite and PostgreSQL: the flows end to end, SMTP down then back, Redis down, a
worker killed mid-batch, and 20 concurrent confirms of one token."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import signal
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from sqlalchemy import create_engine, select

from storeapi.db import normalize_url
from storeapi.keys import Keys
from storeapi.mail.link_tokens import RESET, issue
from storeapi.models import MailOutbox, User
from tests.conftest import PASSWORD, SECRET
from tests.live import ROOT, STOREAPI, free_port, live_server, server_env
from tests.mailbox import smtp_server, worker_process

NEW_PASSWORD = "a new and better secret"


def smtp_env(port: int) -> dict[str, object]:
    return {"SMTP_HOST": "127.0.0.1", "SMTP_PORT": port, "SMTP_STARTTLS": "false"}


def register(base: str, email: str) -> dict[str, str]:
    assert httpx.post(f"{base}/register", json={"email": email, "password": PASSWORD}).is_success
    r = httpx.post(f"{base}/login", json={"email": email, "password": PASSWORD})
    assert r.status_code == 200
    return r.json()


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_register_verify_and_reset_end_to_end(database_url, client):
    with (
        smtp_server() as (box, port),
        live_server(database_url) as base,
        worker_process(database_url, **smtp_env(port)),
    ):
        tokens = register(base, "e2e@example.com")
        [mail] = box.wait_for(1)
        verify = mail.token("verify-email")
        assert httpx.post(f"{base}/verify-email", json={"token": verify}).status_code == 204
        assert httpx.post(f"{base}/verify-email", json={"token": verify}).status_code == 422
        me = httpx.get(f"{base}/user/me", headers=bearer(tokens["access_token"])).json()
        assert me["email_verified"] is True

        assert (
            httpx.post(f"{base}/password-reset", json={"email": "E2E@example.com"}).status_code
            == 202
        )
        reset = box.wait_for(2)[1].token("reset-password")
        body = {"token": reset, "password": NEW_PASSWORD}
        assert httpx.post(f"{base}/password-reset/confirm", json=body).status_code == 204
        assert (
            httpx.get(f"{base}/user/me", headers=bearer(tokens["access_token"])).status_code == 401
        )
        assert (
            httpx.post(f"{base}/refresh", headers=bearer(tokens["refresh_token"])).status_code
            == 401
        )
        old = {"email": "e2e@example.com", "password": PASSWORD}
        assert httpx.post(f"{base}/login", json=old).status_code == 401
        new = {"email": "e2e@example.com", "password": NEW_PASSWORD}
        assert httpx.post(f"{base}/login", json=new).status_code == 200


def _outbox(database_url: str) -> list:
    engine = create_engine(normalize_url(database_url))
    try:
        with engine.connect() as conn:
            return conn.execute(select(MailOutbox)).all()
    finally:
        engine.dispose()


def test_without_smtp_host_the_worker_writes_each_mail_to_its_log(database_url, client):
    """The development default (`make run`): no mail server, the links in the terminal."""
    r = client.post("/register", json={"email": "dev@example.com", "password": PASSWORD})
    assert r.status_code == 201
    env = server_env(database_url, PUBLIC_URL="http://localhost:8123")
    env.pop("SMTP_HOST", None)
    done = subprocess.run(
        [STOREAPI, "worker", "--once"], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert "sending to the log" in done.stderr
    assert "mail to dev@example.com: Welcome to storeapi" in done.stderr
    assert re.search(r"http://localhost:8123/verify-email\?token=[\w-]{43}\n", done.stderr)
    assert [r.status for r in _outbox(database_url)] == ["sent"]


def test_make_run_starts_the_worker_which_prints_each_mail(database_url, client, tmp_path):
    """`make run` with no Redis and no SMTP: the API answers, and the worker it starts beside
    the server writes the verification mail, its link on this server, to the terminal."""
    make = shutil.which("make")
    if make is None or not database_url.startswith("sqlite"):
        pytest.skip("`make run` is the development setup, on SQLite (and needs make)")
    port = free_port()
    env = server_env(database_url, WEB_CONCURRENCY=1, MAIL_POLL_MS=100)
    for name in ("SMTP_HOST", "REDIS_URL", "PUBLIC_URL"):
        env.pop(name, None)
    output = tmp_path / "make-run.log"
    with output.open("wb") as log:
        run = subprocess.Popen(
            [make, "--no-print-directory", "run", "HOST=127.0.0.1", f"PORT={port}"],
            cwd=ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: make, the server and the worker
        )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait(lambda: _answers(f"{base}/healthz"), 60, lambda: output.read_text())
        register(base, "make-run@example.com")
        link = re.compile(rf"{re.escape(base)}/verify-email\?token=[\w-]{{43}}")
        _wait(lambda: link.search(output.read_text()), 30, lambda: output.read_text())
        assert "mail to make-run@example.com" in output.read_text()
    finally:
        os.killpg(run.pid, signal.SIGTERM)
        run.wait(30)


def _answers(url: str) -> bool:
    try:
        return httpx.get(url, timeout=1).status_code == 200
    except httpx.HTTPError:
        return False


def _wait(done, seconds: float, say) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while not done():
        assert time.monotonic() < deadline, say()
        time.sleep(0.1)


def test_mail_queued_while_smtp_is_down_is_delivered_when_it_is_back(database_url, client):
    port = free_port()
    with (
        live_server(database_url) as base,
        worker_process(database_url, MAIL_MAX_ATTEMPTS=30, **smtp_env(port)),
    ):
        register(base, "patient@example.com")
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and not any(m.attempts for m in _outbox(database_url)):
            time.sleep(0.05)
        [row] = _outbox(database_url)
        assert row.status == "pending" and row.attempts >= 1 and "Connection" in row.last_error
        with smtp_server(port) as (box, _port):
            [mail] = box.wait_for(1)
            assert mail.to == "patient@example.com"
            time.sleep(0.3)
            assert len(box.received) == 1
    assert [r.status for r in _outbox(database_url)] == ["sent"]


def test_mail_asked_for_while_redis_is_down_is_delivered(database_url, client):
    """Redis (shared rate-limit counters) is not on the mail's path: with it unreachable the
    API still answers, counting in memory, and the outbox still delivers."""
    dead_redis = f"redis://127.0.0.1:{free_port()}/0"
    env = {"REDIS_URL": dead_redis, "RATE_LIMITS_ENABLED": "true"}
    with smtp_server() as (box, port), live_server(database_url, **env) as base:
        register(base, "no-redis@example.com")
        r = httpx.post(f"{base}/password-reset", json={"email": "no-redis@example.com"})
        assert r.status_code == 202
        with worker_process(database_url, REDIS_URL=dead_redis, **smtp_env(port)):
            mails = box.wait_for(2)
    assert [m.to for m in mails] == ["no-redis@example.com"] * 2
    assert mails[0].token("verify-email") and mails[1].token("reset-password")
    assert {r.status for r in _outbox(database_url)} == {"sent"}


def test_a_worker_killed_mid_batch_loses_no_mail(database_url, client):
    addresses = [f"user{i}@example.com" for i in range(8)]
    with smtp_server() as (box, port), live_server(database_url) as base:
        for address in addresses:  # queued while no worker runs
            register(base, address)
        box.delay = 0.25  # each delivery takes a while: the kill lands inside the batch
        with worker_process(database_url, MAIL_LEASE_SECONDS=1, **smtp_env(port)) as first:
            box.wait_for(2)
            first.kill()
        assert len(box.received) < len(addresses)  # it did die mid-batch
        box.delay = 0
        with worker_process(database_url, MAIL_LEASE_SECONDS=1, **smtp_env(port)):
            deadline = time.monotonic() + 20
            while time.monotonic() < deadline and {m.to for m in box.received} != set(addresses):
                time.sleep(0.05)
    recipients = [m.to for m in box.received]
    assert set(recipients) == set(addresses)
    # At least once: the one mail in flight at the kill may arrive twice, nothing else.
    assert len(addresses) <= len(recipients) <= len(addresses) + 1
    assert {r.status for r in _outbox(database_url)} == {"sent"}


def test_twenty_concurrent_confirms_of_one_token_give_one_204(database_url, client):
    with live_server(database_url, workers=2) as base:
        register(base, "race@example.com")
        engine = create_engine(normalize_url(database_url))
        with engine.begin() as conn:
            user = conn.execute(select(User).where(User.email == "race@example.com")).first()
            key = Keys.derive(SECRET).mail_token  # the live server's
            token = issue(conn, key, user, RESET, dt.timedelta(minutes=5))
        engine.dispose()
        body = {"token": token, "password": NEW_PASSWORD}
        with httpx.Client(base_url=base, timeout=30) as http, ThreadPoolExecutor(20) as pool:
            statuses = list(
                pool.map(
                    lambda _: http.post("/password-reset/confirm", json=body).status_code, range(20)
                )
            )
    assert sorted(statuses) == [204] + [422] * 19
