"""`Idempotency-Key` on POST: a repeat replays the first response and creates nothing.

The first response is stored in the same transaction as the object it created, under a unique
(scope, key). When two requests race, the loser's transaction fails on that constraint (or on
the object's own), rolls back whole, and replays what the winner stored.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable

import orjson
from flask import Response, current_app, g, request
from sqlalchemy import delete, insert, select
from sqlalchemy.exc import IntegrityError

from storeapi import db
from storeapi.http.problems import Problem, validation_error
from storeapi.models import IdempotencyKey, utcnow

REPLAYED_HEADERS = ("Location", "Content-Type", "ETag")


def _scope() -> str:
    caller = g.get("caller")
    return f"user:{caller.id}" if caller else f"addr:{request.remote_addr}"


def _fingerprint() -> str:
    h = hashlib.sha256()
    for part in (request.path, request.query_string, request.mimetype.encode()):
        h.update(part if isinstance(part, bytes) else part.encode())
        h.update(b"\0")
    h.update(request.get_data(cache=True))
    return h.hexdigest()


def _cutoff() -> dt.datetime:
    return utcnow() - dt.timedelta(hours=current_app.config["IDEMPOTENCY_HOURS"])


def _stored(scope: str, key: str) -> IdempotencyKey | None:
    row = (
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
    return row


def _replay(stored: IdempotencyKey, fingerprint: str) -> Response:
    if stored.request_hash != fingerprint:
        raise Problem(
            422,
            "This Idempotency-Key was used with a different request",
            type="idempotency-key-reused",
        )
    response = Response(stored.body, status=stored.status)
    response.headers.update(orjson.loads(stored.headers))
    response.headers["Idempotent-Replayed"] = "true"
    return response


def idempotent(key: str, run: Callable[[], Response]) -> Response:
    if not 1 <= len(key) <= 255:
        raise validation_error("Idempotency-Key", "must be 1 to 255 characters")
    scope, fingerprint = _scope(), _fingerprint()
    if (stored := _stored(scope, key)) is not None:
        return _replay(stored, fingerprint)
    session = db.session()
    try:
        response = run()
        if 200 <= response.status_code < 300:
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
                    key=key,
                    request_hash=fingerprint,
                    status=response.status_code,
                    body=response.get_data(),
                    headers=orjson.dumps(headers).decode(),
                    created_at=utcnow(),
                )
            )
        session.commit()
        return response
    except (IntegrityError, Problem) as exc:
        session.rollback()
        if (stored := _stored(scope, key)) is not None:
            return _replay(stored, fingerprint)
        if isinstance(exc, Problem):
            raise
        raise Problem(409, "The request conflicts with the current state of the resource") from None
