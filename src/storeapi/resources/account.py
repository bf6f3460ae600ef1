"""The caller's own account, password reset and address verification (the mail-link flows).

The mails themselves are queued in the request's transaction (`mail.outbox`) and sent by
`storeapi worker`; their links carry single-use tokens (`mail.link_tokens`)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from flask import Blueprint, Response
from pydantic import Field, StringConstraints
from sqlalchemy import delete, update

from storeapi import db
from storeapi.auth import tokens
from storeapi.auth.guards import ACCOUNT, ACCOUNT_FRESH, current_caller, revoked
from storeapi.auth.live_logins import forget_after_commit
from storeapi.auth.passwords import hash_password, verify_password
from storeapi.http.api import operation
from storeapi.http.links import links
from storeapi.http.problems import Problem
from storeapi.http.representations import NO_STORE, no_content, render
from storeapi.http.schemas import Input, Links, Output
from storeapi.mail import link_tokens, outbox
from storeapi.models import Store, User, utcnow
from storeapi.resources.users import TAG, Email, Password, user_json

bp = Blueprint("account", __name__)

LinkToken = Annotated[
    str,
    StringConstraints(strip_whitespace=False, pattern=link_tokens.TOKEN_PATTERN),
    Field(description="The token from the mail's link (`?token=…`)"),
]


LINK_ERRORS = {422: "The token is used, expired, forged or for another purpose"}


class PasswordChange(Input):
    current_password: Annotated[
        str, StringConstraints(strip_whitespace=False, min_length=1, max_length=128)
    ]
    new_password: Password


class ResetRequest(Input):
    email: Email


class ResetConfirmation(Input):
    token: LinkToken
    password: Password


class Verification(Input):
    token: LinkToken


class Me(Output):
    id: int
    email: str
    email_verified: bool
    is_admin: bool
    created_at: dt.datetime
    links: Links


class Accepted(Output):
    detail: str


def caller_family() -> str:
    """The token family (login) of the caller's access token."""
    return current_caller().claims["fam"]


def _me() -> User:
    user = db.session().get(User, current_caller().id)
    if user is None:  # deleted since its login was checked: the token is revoked with it
        raise revoked()
    return user


def _accepted(detail: str) -> Response:
    return render({"detail": detail}, 202, cache=NO_STORE)


def _user_of_link(token: str, purpose: str) -> User:
    """Use up a mail-link token: its user, or a 422 when it cannot be used (for any reason)."""
    user = link_tokens.consume(token, purpose)
    if user is None:
        raise Problem(
            422,
            "This link is not valid: it was used already, has expired, or was replaced",
            type="invalid-link-token",
            errors=[{"field": "token", "message": "is not a valid, unused token for this action"}],
        )
    return user


def set_password(user: User, password: str, keep_family: str | None = None) -> None:
    """A new password; every login of the user ends, except `keep_family`."""
    user.password_hash = hash_password(password)
    tokens.revoke_user_logins(user.id, keep_family)


@operation(bp, "/user/me", tag=TAG, guard=ACCOUNT, response=Me)
def get_me() -> Response:
    """Read the caller's own account"""
    user = _me()
    body = {**user_json(user), "email_verified": user.email_verified_at is not None}
    return render({**body, "_links": links("/user/me")}, cache=NO_STORE)


@operation(bp, "/user/me", "DELETE", tag=TAG, guard=ACCOUNT_FRESH, status=204)
def delete_me() -> Response:
    """Delete the caller's own account (fresh token); their stores go with it"""
    user_id = current_caller().id
    db.session().execute(delete(Store).where(Store.owner_id == user_id))
    db.session().execute(delete(User).where(User.id == user_id))
    forget_after_commit(user_id=user_id)
    return no_content()


@operation(
    bp,
    "/user/me/password",
    "PUT",
    tag=TAG,
    guard=ACCOUNT_FRESH,
    body=PasswordChange,
    status=204,
    errors={403: "The current password is wrong", 422: "The new password is not acceptable"},
)
def change_password(body: PasswordChange) -> Response:
    """Change the caller's password (fresh token); the caller's other logins are revoked"""
    user = _me()
    if not verify_password(user.password_hash, body.current_password):
        raise Problem(403, "The current password is wrong", type="wrong-current-password")
    set_password(user, body.new_password, keep_family=caller_family())
    return no_content()


@operation(bp, "/password-reset", "POST", tag=TAG, body=ResetRequest, response=Accepted, status=202)
def request_password_reset(body: ResetRequest) -> Response:
    """Ask for a password-reset mail; always 202, whether or not the address has an account

    The request does the same work for every address (it queues the mail); the worker sends
    it only when an account has that address, so neither the answer nor its timing tells."""
    outbox.enqueue("password-reset", body.email, user_id=None)
    return _accepted("If an account has this address, a mail with a link is on its way")


@operation(
    bp,
    "/password-reset/confirm",
    "POST",
    tag=TAG,
    body=ResetConfirmation,
    status=204,
    errors=LINK_ERRORS,
)
def confirm_password_reset(body: ResetConfirmation) -> Response:
    """Set a new password with the token from a reset mail; every login of the user ends"""
    user = _user_of_link(body.token, link_tokens.RESET)
    set_password(user, body.password)
    if user.email_verified_at is None:  # the link reached that mailbox: the address is real
        user.email_verified_at = utcnow()
        forget_after_commit(user_id=user.id)
    return no_content()


@operation(
    bp,
    "/verify-email",
    "POST",
    tag=TAG,
    body=Verification,
    status=204,
    errors=LINK_ERRORS,
)
def verify_email(body: Verification) -> Response:
    """Mark the address verified with the token from a verification mail"""
    user = _user_of_link(body.token, link_tokens.VERIFY)
    db.session().execute(
        update(User)
        .where(User.id == user.id, User.email_verified_at.is_(None))
        .values(email_verified_at=utcnow())
    )
    forget_after_commit(user_id=user.id)
    return no_content()


@operation(
    bp,
    "/verify-email/resend",
    "POST",
    tag=TAG,
    guard=ACCOUNT,
    response=Accepted,
    status=202,
    errors={409: "The address is verified already"},
)
def resend_verification() -> Response:
    """Send the verification mail again"""
    user = _me()
    if user.email_verified_at is not None:
        raise Problem(409, "This address is verified already", type="already-verified")
    outbox.enqueue("verify-email", user.email, user.id)
    return _accepted("A mail with a verification link is on its way")
