"""The mail outbox: a row per mail, written in the transaction of what causes it, so a mail
is sent exactly when its cause committed; `storeapi worker` drains it (`mail.worker`).

A row names what to send (`kind`) and to whom; the worker renders it and issues the link's
token when it sends, so no token is ever stored in plain text, not even in the outbox.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, delete, insert, select, update

from storeapi import db
from storeapi.models import MailOutbox, utcnow

PENDING, SENT, FAILED = "pending", "sent", "failed"
KINDS = ("verify-email", "password-reset")


def enqueue(kind: str, recipient: str, user_id: int | None) -> None:
    """Queue a mail in the request's unit of work: it exists only if the request commits."""
    assert kind in KINDS, kind
    now = utcnow()
    db.session().execute(
        insert(MailOutbox).values(
            kind=kind,
            recipient=recipient,
            user_id=user_id,
            status=PENDING,
            attempts=0,
            next_attempt_at=now,
            created_at=now,
        )
    )


def claim(conn: Connection, batch: int, lease: dt.timedelta) -> Sequence[Any]:
    """Take up to `batch` due mails for this worker, in a transaction the caller commits.

    Claiming moves their `next_attempt_at` a lease ahead: other workers skip them until then,
    and if this worker dies they come due again (at-least-once). PostgreSQL skips rows another
    worker is claiming (FOR UPDATE SKIP LOCKED); SQLite runs one writer at a time anyway (the
    transaction began with BEGIN IMMEDIATE), so there a claim waits for the write lock."""
    now = utcnow()
    rows = conn.execute(
        select(MailOutbox.id, MailOutbox.kind, MailOutbox.user_id, MailOutbox.recipient)
        .add_columns(MailOutbox.attempts, MailOutbox.created_at)
        .where(MailOutbox.status == PENDING, MailOutbox.next_attempt_at <= now)
        .order_by(MailOutbox.next_attempt_at, MailOutbox.id)
        .limit(batch)
        .with_for_update(skip_locked=True)
    ).all()
    if rows:
        conn.execute(
            update(MailOutbox)
            .where(MailOutbox.id.in_([r.id for r in rows]))
            .values(next_attempt_at=now + lease)
        )
    return rows


def mark_sent(conn: Connection, mail_id: int) -> None:
    conn.execute(
        update(MailOutbox)
        .where(MailOutbox.id == mail_id)
        .values(status=SENT, sent_at=utcnow(), last_error=None)
    )


def drop(conn: Connection, mail_id: int) -> None:
    """A mail with nobody to send it to (an unknown address, an address changed since)."""
    conn.execute(delete(MailOutbox).where(MailOutbox.id == mail_id))


def mark_failed_attempt(
    conn: Connection, mail: Any, error: str, *, base: dt.timedelta, max_attempts: int
) -> None:
    """Retry after base, 2 x base, 4 x base…; after `max_attempts` keep it, marked failed."""
    attempts = mail.attempts + 1
    values: dict[str, Any] = {"attempts": attempts, "last_error": error[:2000]}
    if attempts >= max_attempts:
        values["status"] = FAILED
    else:
        values["next_attempt_at"] = utcnow() + base * 2 ** (attempts - 1)
    conn.execute(update(MailOutbox).where(MailOutbox.id == mail.id).values(**values))


def retry(session: Any, mail_ids: Sequence[int]) -> int:
    """Send failed mails again from the first attempt (the admin panel's action)."""
    return session.execute(
        update(MailOutbox)
        .where(MailOutbox.id.in_(mail_ids), MailOutbox.status == FAILED)
        .values(status=PENDING, attempts=0, next_attempt_at=utcnow())
    ).rowcount
