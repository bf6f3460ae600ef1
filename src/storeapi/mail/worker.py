"""`storeapi worker`: drains the mail outbox (`mail.outbox`), sending with smtplib.

Each pass claims a batch of due mails, then for each one issues its link token, renders it
and sends it, and marks it sent; a failure schedules a retry with exponential backoff, and
after MAIL_MAX_ATTEMPTS the mail stays in the outbox, marked failed with its last error (the
admin panel shows it and can retry it). Without SMTP_HOST each mail is written to the log.
Delivery is at least once: docs/design.md ("Mail") says when a duplicate can happen.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import smtplib
import threading
from email.message import EmailMessage
from typing import Any

from sqlalchemy import Engine, select

from storeapi.db import make_engine
from storeapi.keys import Keys
from storeapi.mail import link_tokens, outbox
from storeapi.mail.render import link, message, render
from storeapi.models import User
from storeapi.names import folded
from storeapi.settings import Settings

log = logging.getLogger("storeapi.mail")
BATCH = 20
SMTP_TIMEOUT_SECONDS = 30  # well inside the claim's lease (MAIL_LEASE_SECONDS)


class SmtpSender:
    """One SMTP connection for a batch, opened on the first mail, reopened after an error."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._smtp: smtplib.SMTP | None = None

    def send(self, msg: EmailMessage) -> None:
        try:
            if self._smtp is None:
                self._smtp = self._connect()
            self._smtp.send_message(msg)
        except Exception:
            self.close()
            raise

    def _connect(self) -> smtplib.SMTP:
        s = self.settings
        smtp = smtplib.SMTP(s.smtp_host or "", s.smtp_port, timeout=SMTP_TIMEOUT_SECONDS)
        if s.smtp_starttls:
            smtp.starttls()
        if s.smtp_username:
            smtp.login(s.smtp_username, s.smtp_password or "")
        return smtp

    def close(self) -> None:
        smtp, self._smtp = self._smtp, None
        if smtp is not None:
            try:
                smtp.quit()
            except (smtplib.SMTPException, OSError):
                smtp.close()


class LogSender:
    """Development: the mail goes to the worker's log instead of a mail server."""

    def send(self, msg: EmailMessage) -> None:
        text = msg.get_body(("plain",))
        body = text.get_content() if text is not None else ""
        log.info("mail to %s: %s\n%s", msg["To"], msg["Subject"], body)

    def close(self) -> None:
        pass


class Worker:
    def __init__(self, settings: Settings, engine: Engine | None = None) -> None:
        self.settings = settings
        self.engine = engine or make_engine(settings.database_url)
        self.stopping = threading.Event()
        self.link_key = Keys.derive(settings.jwt_secret_key).mail_token  # as the API's
        self.lifetimes = {
            "password-reset": dt.timedelta(minutes=settings.reset_token_minutes),
            "verify-email": dt.timedelta(hours=settings.verify_token_hours),
        }

    def run(self) -> None:
        """Drain until stopped (SIGTERM lets the mail in hand finish, then exits)."""
        poll = self.settings.mail_poll_ms / 1000
        while not self.stopping.is_set():
            try:
                busy = self.drain_once()
            except Exception:  # the database is away: say so, and try again next poll
                log.exception("mail worker: the outbox could not be read")
                busy = 0
            if not busy:
                self.stopping.wait(poll)

    def drain_once(self, batch: int = BATCH) -> int:
        """One pass: claim up to `batch` due mails and try each; returns how many."""
        lease = dt.timedelta(seconds=self.settings.mail_lease_seconds)
        with self.engine.begin() as conn:
            mails = outbox.claim(conn, batch, lease)
        sender = SmtpSender(self.settings) if self.settings.smtp_host else LogSender()
        try:
            for mail in mails:
                if self.stopping.is_set():
                    break  # the rest come due again when their lease ends
                self._deliver(mail, sender)
        finally:
            sender.close()
        return len(mails)

    def _deliver(self, mail: Any, sender: SmtpSender | LogSender) -> None:
        with self.engine.begin() as conn:
            user = self._addressee(conn, mail)
            if user is None:
                outbox.drop(conn, mail.id)
                _event("mail-dropped", mail)
                return
            token = link_tokens.issue(
                conn, self.link_key, user, mail.kind, self.lifetimes[mail.kind]
            )
        hours = self.lifetimes[mail.kind].total_seconds() / 3600
        valid_for = f"{hours:g} hours" if hours >= 1 else f"{hours * 60:g} minutes"
        url = link(self.settings.public_url, mail.kind, token)
        # The same Message-ID on every attempt: a receiver that sees a mail twice can tell.
        message_id = f"<outbox-{mail.id}.{int(mail.created_at.timestamp())}@storeapi>"
        msg = message(render(mail.kind, user.email, url, valid_for), self._sender(), message_id)
        try:
            sender.send(msg)
        except Exception as exc:
            with self.engine.begin() as conn:
                outbox.mark_failed_attempt(
                    conn,
                    mail,
                    f"{type(exc).__name__}: {exc}",
                    base=dt.timedelta(milliseconds=self.settings.mail_retry_base_ms),
                    max_attempts=self.settings.mail_max_attempts,
                )
            _event("mail-failed", mail, error=f"{type(exc).__name__}: {exc}")
            return
        with self.engine.begin() as conn:
            outbox.mark_sent(conn, mail.id)
        _event("mail-sent", mail)

    def _sender(self) -> str:
        return self.settings.mail_from

    @staticmethod
    def _addressee(conn: Any, mail: Any) -> Any:
        """The account the mail goes to now, or None when there is none to send it to: an
        unknown address (a reset asked for one), or an address verified or changed since."""
        columns = (User.id, User.email, User.password_hash, User.email_verified_at)
        if mail.user_id is None:
            where = User.email_key == folded(mail.recipient)
        else:
            where = User.id == mail.user_id
        user = conn.execute(select(*columns).where(where)).first()
        if user is None or folded(user.email) != folded(mail.recipient):
            return None
        if mail.kind == "verify-email" and user.email_verified_at is not None:
            return None
        return user


def _event(event: str, mail: Any, **extra: Any) -> None:
    fields = {"event": event, "mail_id": mail.id, "kind": mail.kind, **extra}
    log.info(json.dumps(fields))
