"""`Idempotency-Key` on POST: a repeat replays the first response and creates nothing.

The first response is stored in the same transaction as the object it created, under a unique
(scope, key), where the scope is the caller (or the client address when anonymous); a caller's
records are deleted with the caller's account, so no later account can replay them. When two
requests race, the loser's transaction fails on that constraint (or on the object's own), rolls
back whole, and replays what the winner stored. Only successful (2xx) responses are stored, so
a failed request may be retried with the same key. Keys expire after `IDEMPOTENCY_HOURS`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import logging
import time
from collections.abc import Callable

import orjson
from flask import current_app, g, request
from sqlalchemy import delete, insert, select
from sqlalchemy.exc import IntegrityError

from storeapi import db
from storeapi.http.problems import Problem, validation_error
from storeapi.http.responses import Response
from storeapi.models import IdempotencyKey, utcnow

REPLAYED_HEADERS = ("Location", "Content-Type", "ETag", "Cache-Control", "Vary", "Link")
PURGE_EVERY = dt.timedelta(hours=1)

log = logging.getLogger("storeapi")


def _caller_id() -> int | None:
    caller = g.get("caller")
    return caller.id if caller else None


def _scope() -> str:
    caller_id = _caller_id()
    return f"user:{caller_id}" if caller_id is not None else f"addr:{request.remote_addr}"


def _fingerprint() -> str:
    """A keyed hash of what makes two requests the same: the stored value reveals nothing of
    the body to someone who can read the table."""
    h = hmac.new(current_app.extensions["keys"].idempotency, digestmod=hashlib.sha256)
    for part in (request.path, request.query_string, request.mimetype.encode()):
        h.update(part if isinstance(part, bytes) else part.encode())
        h.update(b"\0")
    h.update(request.get_data(cache=True))
    return h.hexdigest()


def _cutoff() -> dt.datetime:
    return utcnow() - dt.timedelta(hours=current_app.config["IDEMPOTENCY_HOURS"])


def _stored(scope: str, key: str) -> IdempotencyKey | None:
    return (
        db.session()
        .execute(
            select(IdempotencyKey).where(
                IdempotencyKey.scope == scope,
                IdempotencyKey.key == key,
                IdempotencyKey.created_at > _cutoff(),
            )
        )
        .scalar_one_or_none()
    )


def _replay(stored: IdempotencyKey, fingerprint: str) -> Response:
    if stored.request_hash != fingerprint:
        raise Problem(
            422,
            "This Idempotency-Key was used with a different request",
            type="idempotency-key-reused",
            errors=[
                {
                    "field": "Idempotency-Key",
                    "message": "already used with another request; send a new key",
                }
            ],
        )
    response = Response(stored.body, status=stored.status)
    response.headers.update(orjson.loads(stored.headers))
    response.headers["Idempotent-Replayed"] = "true"
    return response


def _remember(scope: str, key: str, fingerprint: str, response: Response) -> None:
    session = db.session()
    session.execute(
        delete(IdempotencyKey).where(
            IdempotencyKey.scope == scope,
            IdempotencyKey.key == key,
            IdempotencyKey.created_at <= _cutoff(),
        )
    )
    headers = {h: response.headers[h] for h in REPLAYED_HEADERS if h in response.headers}
    session.execute(
        insert(IdempotencyKey).values(
            scope=scope,
            user_id=_caller_id(),  # deleted with the user
            key=key,
            request_hash=fingerprint,
            status=response.status_code,
            body=response.get_data(),
            headers=orjson.dumps(headers).decode(),
            created_at=utcnow(),
        )
    )


def _purge_expired_now_and_then() -> None:
    """At most once per PURGE_EVERY per process, forget every caller's expired keys."""
    now = time.monotonic()
    if now < current_app.extensions.get("idempotency_purge_due", 0.0):
        return
    current_app.extensions["idempotency_purge_due"] = now + PURGE_EVERY.total_seconds()
    try:
        with db.standalone_session(current_app) as session:
            session.execute(delete(IdempotencyKey).where(IdempotencyKey.created_at <= _cutoff()))
    except Exception as exc:  # housekeeping: never fail the request that triggered it
        log.warning("purging expired idempotency keys failed: %s", type(exc).__name__)


def idempotent(key: str, run: Callable[[], Response]) -> Response:
    """Run a POST once per (caller, key): the first response is stored and replayed."""
    if not 1 <= len(key) <= 255:
        raise validation_error("Idempotency-Key", "must be 1 to 255 characters")
    scope, fingerprint = _scope(), _fingerprint()
    if (stored := _stored(scope, key)) is not None:
        return _replay(stored, fingerprint)
    session = db.session()
    try:
        response = run()
        if 200 <= response.status_code < 300:
            _remember(scope, key, fingerprint, response)
        db.commit()  # as every write commits (a replica's readers learn its position)
    except (IntegrityError, Problem) as exc:
        session.rollback()
        if (stored := _stored(scope, key)) is not None:
            return _replay(stored, fingerprint)
        if isinstance(exc, Problem):
            raise
        raise Problem(409, "The request conflicts with the current state of the resource") from None
    _purge_expired_now_and_then()
    return response
