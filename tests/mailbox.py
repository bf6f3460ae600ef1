"""A real SMTP server for the tests (aiosmtpd), the mail worker in-process or as a real
`storeapi worker` process, and helpers to read the links out of the mail received."""

from __future__ import annotations

import asyncio
import email
import email.policy
import re
import signal
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from flask import Flask

from storeapi.mail.worker import Worker
from tests.live import ROOT, STOREAPI, free_port, server_env

TOKEN = re.compile(r"/(reset-password|verify-email)\?token=([A-Za-z0-9_-]+)")
# Fast retries and polls, so failure scenarios take a second, not minutes.
FAST_MAIL = {
    "mail_poll_ms": 50,
    "mail_retry_base_ms": 100,
    "mail_max_attempts": 3,
    "mail_lease_seconds": 2,
}


@dataclass
class Received:
    to: str
    message: EmailMessage

    @property
    def text(self) -> str:
        return self.message.get_body(("plain",)).get_content()

    @property
    def html(self) -> str:
        return self.message.get_body(("html",)).get_content()

    def token(self, page: str) -> str:
        found = TOKEN.search(self.text)
        assert found and found[1] == page, self.text
        return found[2]


class Mailbox:
    """What the SMTP server received, in order; `delay` slows each delivery down."""

    def __init__(self) -> None:
        self.received: list[Received] = []
        self.delay = 0.0
        self._lock = threading.Lock()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.delay:
            await asyncio.sleep(self.delay)
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self._lock:
            for to in envelope.rcpt_tos:
                self.received.append(Received(to, message))  # type: ignore[arg-type]
        return "250 OK"

    def to(self, address: str) -> list[Received]:
        return [m for m in self.received if m.to == address]

    def wait_for(self, count: int, timeout: float = 15.0) -> list[Received]:
        deadline = time.monotonic() + timeout
        while len(self.received) < count and time.monotonic() < deadline:
            time.sleep(0.02)
        assert len(self.received) >= count, f"{len(self.received)} of {count} mails arrived"
        return list(self.received)


@contextmanager
def smtp_server(port: int | None = None) -> Iterator[tuple[Mailbox, int]]:
    box = Mailbox()
    port = port or free_port()
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield box, port
    finally:
        controller.stop()


def smtp_settings(port: int) -> dict[str, object]:
    return {"smtp_host": "127.0.0.1", "smtp_port": port, "smtp_starttls": False, **FAST_MAIL}


def deliver(app: Flask, port: int, **overrides: object) -> int:
    """Send what is due, with the mail worker in this process, on the app's engine, to the
    SMTP server on `port`; returns how many mails it took (sent, failed or dropped)."""
    settings = replace(app.extensions["settings"], **{**smtp_settings(port), **overrides})
    worker = Worker(settings, app.extensions["engine"])
    sent = 0
    while n := worker.drain_once():
        sent += n
    return sent


class WorkerProcess:
    def __init__(self, process: subprocess.Popen, log_path: Path) -> None:
        self.process, self.log_path = process, log_path

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(5)


@contextmanager
def worker_process(database_url: str, **env: object) -> Iterator[WorkerProcess]:
    """`storeapi worker` as a real process; SIGTERM at the end (it finishes and exits)."""
    log_path = Path(tempfile.mkstemp(prefix="storeapi-worker-", suffix=".log")[1])
    settings = {f"MAIL_{k[5:].upper()}": v for k, v in FAST_MAIL.items()}
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [STOREAPI, "worker"],
            env=server_env(database_url, **{**settings, **env}),
            cwd=ROOT,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    worker = WorkerProcess(process, log_path)
    try:
        yield worker
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(5)
        log_path.unlink(missing_ok=True)
