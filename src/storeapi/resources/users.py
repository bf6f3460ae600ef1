"""Users and tokens: register, login, logout, refresh, and admin access to users."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from flask import Blueprint, Response
from pydantic import AfterValidator, Field, StringConstraints
from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from storeapi import db
from storeapi.auth import tokens
from storeapi.auth.guards import ACCOUNT, ADMIN, ADMIN_FRESH, REFRESH, current_caller
from storeapi.auth.live_logins import forget_after_commit
from storeapi.auth.passwords import hash_password, verify_password
from storeapi.http.api import operation
from storeapi.http.links import links
from storeapi.http.problems import Problem, not_found
from storeapi.http.representations import NO_STORE, no_content, render
from storeapi.http.schemas import SPACE_CHARS, SPACES, Input, Links, Output, text
from storeapi.mail import outbox
from storeapi.models import User, utcnow
from storeapi.names import folded

bp = Blueprint("users", __name__)
TAG = "Users and tokens"

# Passwords are taken verbatim: stripping (the Input default) would silently change them.
Password = Annotated[str, StringConstraints(strip_whitespace=False, min_length=8, max_length=128)]


LoginEmail = text(254)  # whatever was registered; compared by its folded key


# An address as most providers hand them out: ASCII dot-atom local part, a DNS domain with an
# alphabetic top-level label. A regex, so the OpenAPI document states exactly what is accepted.
_ATOM = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
EMAIL_PATTERN = rf"^[{SPACES}]*{_ATOM}(?:\.{_ATOM})*@(?:{_LABEL}\.)+[A-Za-z]{{2,63}}[{SPACES}]*$"


def _normalized_email(value: str) -> str:
    """Trimmed, with the domain in lower case (the local part is the owner's business)."""
    local, _, domain = value.strip(SPACE_CHARS).rpartition("@")
    return f"{local}@{domain.lower()}"


Email = Annotated[
    str,
    StringConstraints(strip_whitespace=False, max_length=254, pattern=EMAIL_PATTERN),
    AfterValidator(_normalized_email),
    Field(description="An email address (ASCII); surrounding whitespace is ignored"),
]


class Registration(Input):
    email: Email
    password: Password


class Credentials(Input):
    email: LoginEmail
    password: Annotated[
        str, StringConstraints(strip_whitespace=False, min_length=1, max_length=128)
    ]


class UserPublic(Output):
    id: int
    email: str
    is_admin: bool
    created_at: dt.datetime
    links: Links


class TokenPair(Output):
    access_token: str
    refresh_token: str
    token_type: str = "Bearer"


def user_json(row: User) -> dict:
    return {
        "id": row.id,
        "email": row.email,
        "is_admin": row.is_admin,
        "created_at": row.created_at,
        "_links": links(f"/user/{row.id}"),
    }


def find_user_id_by_email(email: str) -> int | None:
    return db.session().scalar(select(User.id).where(User.email_key == folded(email)))


def insert_user(session: Session, email: str, password: str, is_admin: bool = False) -> int:
    """Insert a user with the password hashed; the one place users are made (API, CLI, demo)."""
    return session.execute(
        insert(User)
        .values(
            email=email,
            password_hash=hash_password(password),
            is_admin=is_admin,
            created_at=utcnow(),
        )
        .returning(User.id)
    ).scalar_one()


def create_user(email: str, password: str, is_admin: bool = False) -> int:
    """Insert a user in the request's session; 409 when the email is taken (in any case)."""
    if find_user_id_by_email(email) is not None:
        raise Problem(409, "A user with this email already exists", type="email-taken")
    return insert_user(db.session(), email, password, is_admin)


@operation(
    bp,
    "/register",
    "POST",
    tag=TAG,
    body=Registration,
    response=UserPublic,
    status=201,
    errors={409: "Email already registered"},
)
def register(body: Registration) -> Response:
    """Create a user account"""
    user_id = create_user(body.email, body.password)
    outbox.enqueue("verify-email", body.email, user_id)  # welcome + verification, on commit
    user = db.session().get(User, user_id)
    return render(user_json(user), 201, cache=NO_STORE, headers={"Location": f"/user/{user_id}"})


@operation(
    bp,
    "/login",
    "POST",
    tag=TAG,
    body=Credentials,
    response=TokenPair,
    errors={401: "Wrong email or password"},
    idempotent_key=False,  # a replay would have to store the tokens it issued
)
def login(body: Credentials) -> Response:
    """Exchange email and password for a fresh access token and a refresh token"""
    row = (
        db.session()
        .execute(select(User.id, User.password_hash).where(User.email_key == folded(body.email)))
        .first()
    )
    if not verify_password(row.password_hash if row else None, body.password):
        raise Problem(
            401,
            "Wrong email or password",
            type="invalid-credentials",
            headers={"WWW-Authenticate": 'Bearer realm="storeapi"'},
        )
    return render(tokens.open_family(row.id), cache=NO_STORE)


@operation(bp, "/logout", "POST", tag=TAG, guard=ACCOUNT, status=204)
def logout() -> Response:
    """Revoke the presented access token and the refresh token issued with it"""
    tokens.revoke_family(current_caller().claims["fam"])
    return no_content()


@operation(bp, "/refresh", "POST", tag=TAG, guard=REFRESH, response=TokenPair, idempotent_key=False)
def refresh() -> Response:
    """Trade a refresh token for a new access token (not fresh) and a new refresh token

    The refresh token is rotated: presenting an older one again revokes the whole login.
    """
    return render(tokens.rotate(current_caller().claims), cache=NO_STORE)


def _user_or_404(user_id: int) -> User:
    user = db.session().get(User, user_id)
    if user is None:
        raise not_found("User")
    return user


@operation(
    bp,
    "/user/<int:user_id>",
    tag=TAG,
    guard=ADMIN,
    response=UserPublic,
    errors={404: "No such user"},
)
def get_user(user_id: int) -> Response:
    """Read a user (administrators only)"""
    return render(user_json(_user_or_404(user_id)), cache=NO_STORE)


@operation(
    bp,
    "/user/<int:user_id>",
    "DELETE",
    tag=TAG,
    guard=ADMIN_FRESH,
    status=204,
    errors={404: "No such user"},
)
def delete_user(user_id: int) -> Response:
    """Delete a user (administrators, fresh token); their stores are kept, ownerless"""
    _user_or_404(user_id)
    db.session().execute(delete(User).where(User.id == user_id))
    forget_after_commit(user_id=user_id)
    return no_content()
