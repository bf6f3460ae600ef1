"""resources/account.py: the caller's account, password change and reset, verification; the
mail goes through the outbox to a real SMTP server (aiosmtpd), sent by the worker in-process
(tests/test_mail_worker.py runs it as a real process)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select, update

from storeapi.mail.link_tokens import RESET, VERIFY, issue
from storeapi.models import LinkToken, MailOutbox, Store, User, utcnow
from tests.conftest import PASSWORD, assert_problem, count_rows, make_account, non_fresh
from tests.mailbox import Mailbox, deliver, smtp_server

NEW_PASSWORD = "a new and better secret"


@pytest.fixture
def mailbox() -> Iterator[tuple[Mailbox, int]]:
    with smtp_server() as server:
        yield server


def send_mail(client: FlaskClient, mailbox: tuple[Mailbox, int]) -> Mailbox:
    box, port = mailbox
    deliver(client.application, port)
    return box


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def reset_token(client: FlaskClient, mailbox: tuple[Mailbox, int], email: str) -> str:
    r = client.post("/password-reset", json={"email": email})
    assert r.status_code == 202, r.get_json()
    return send_mail(client, mailbox).to(email)[-1].token("reset-password")


def test_registration_mail_verifies_the_address_once(client, mailbox):
    account = make_account(client, "new@example.com")
    me = client.get("/user/me", headers=account.headers)
    assert me.status_code == 200 and me.get_json()["email_verified"] is False
    assert me.headers["Cache-Control"] == "no-store"
    [mail] = send_mail(client, mailbox).to("new@example.com")
    assert "Welcome to storeapi" in mail.message["Subject"]
    assert "did not create an account" in mail.text and "did not create an account" in mail.html
    token = mail.token("verify-email")
    assert token in mail.html  # the same link in both parts
    assert client.post("/verify-email", json={"token": token}).status_code == 204
    assert client.get("/user/me", headers=account.headers).get_json()["email_verified"] is True
    body = assert_problem(client.post("/verify-email", json={"token": token}), 422)
    assert body["type"].endswith("/invalid-link-token") and body["errors"][0]["field"] == "token"


def test_mail_html_has_no_remote_resources(client, mailbox):
    make_account(client, "html@example.com")
    [mail] = send_mail(client, mailbox).to("html@example.com")
    html = mail.html
    assert not re.search(r"""(src|background)\s*=|<link|<img|<script|@import|url\(""", html, re.I)
    assert [h for h in re.findall(r'href="([^"]+)"', html) if "/verify-email?token=" not in h] == []


def test_the_reset_mail_has_a_text_and_an_html_part_saying_the_same(client, mailbox, user):
    token = reset_token(client, mailbox, user.email)
    [mail] = [m for m in send_mail(client, mailbox).to(user.email) if "Reset" in m.text]
    assert mail.message.get_content_type() == "multipart/alternative"
    assert mail.message["Subject"] == "Reset your storeapi password"
    link = f"/reset-password?token={token}"
    for part in (mail.text, mail.html):
        assert "storeapi" in part and link in part and "30 minutes" in part
        assert "If you did not ask for this, ignore this mail" in part
    assert f'href="http://127.0.0.1:8000{link}"' in mail.html  # PUBLIC_URL's default
    assert not re.search(r"""(src|background)\s*=|<link|<img|<script|@import|url\(""", mail.html)


def test_only_hashes_of_link_tokens_are_stored(client, mailbox):
    make_account(client, "hash@example.com")
    token = send_mail(client, mailbox).to("hash@example.com")[0].token("verify-email")
    with client.application.extensions["engine"].connect() as conn:
        stored = conn.execute(select(LinkToken.token_hash)).scalars().all()
        queued = conn.execute(select(MailOutbox.recipient, MailOutbox.kind)).all()
    assert len(stored) == 1 and token not in stored[0] and len(stored[0]) == 64
    assert all(token not in str(row) for row in queued)


def test_reset_revokes_every_login_and_changes_the_password(client, mailbox, user):
    second = make_account(client, "second@example.com")
    other_login = client.post("/login", json={"email": user.email, "password": PASSWORD})
    token = reset_token(client, mailbox, user.email)
    r = client.post("/password-reset/confirm", json={"token": token, "password": NEW_PASSWORD})
    assert r.status_code == 204, r.get_json()
    for access in (user.access, other_login.get_json()["access_token"]):
        assert_problem(client.get("/user/me", headers=bearer(access)), 401)
    assert_problem(client.post("/refresh", headers=bearer(user.refresh)), 401)
    assert client.get("/user/me", headers=second.headers).status_code == 200  # not theirs
    old = client.post("/login", json={"email": user.email, "password": PASSWORD})
    assert_problem(old, 401)
    new = client.post("/login", json={"email": user.email, "password": NEW_PASSWORD})
    assert new.status_code == 200
    me = client.get("/user/me", headers=bearer(new.get_json()["access_token"])).get_json()
    assert me["email_verified"] is True  # the link reached the mailbox
    again = client.post("/password-reset/confirm", json={"token": token, "password": PASSWORD})
    assert_problem(again, 422)


def test_unknown_address_gets_the_same_answer_and_no_mail(client, mailbox, user):
    known = client.post("/password-reset", json={"email": user.email})
    unknown = client.post("/password-reset", json={"email": "nobody@example.com"})
    assert (known.status_code, known.get_data()) == (unknown.status_code, unknown.get_data())
    assert known.status_code == 202
    box = send_mail(client, mailbox)
    assert box.to("nobody@example.com") == []
    assert len(box.to(user.email)) == 2  # registration, then the reset
    assert (
        count_rows(client, MailOutbox.__table__, MailOutbox.recipient == "nobody@example.com") == 0
    )


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/password-reset", {}, "email"),
        ("/password-reset", {"email": "not an address"}, "email"),
        ("/password-reset", {"email": ["a@example.com"]}, "email"),
        ("/password-reset", {"email": "a@example.com", "extra": 1}, "extra"),
        ("/password-reset/confirm", {"token": "A" * 43}, "password"),
        ("/password-reset/confirm", {"token": "A" * 43, "password": "short"}, "password"),
        ("/verify-email", {}, "token"),
    ],
)
def test_bad_requests_are_422_with_the_field_in_errors(client, path, body, field):
    problem = assert_problem(client.post(path, json=body), 422)
    assert problem["type"].endswith("/validation-error")
    assert [e["field"] for e in problem["errors"]] == [field]


def _expire(client: FlaskClient) -> None:
    with client.application.extensions["engine"].begin() as conn:
        past = utcnow() - dt.timedelta(seconds=1)
        conn.execute(update(LinkToken).values(expires_at=past))


def test_expired_forged_reused_and_wrong_purpose_tokens_are_422(client, mailbox, user):
    verify = send_mail(client, mailbox).to(user.email)[0].token("verify-email")
    reset = reset_token(client, mailbox, user.email)
    confirm = "/password-reset/confirm"
    # wrong purpose, both ways
    assert_problem(client.post(confirm, json={"token": verify, "password": NEW_PASSWORD}), 422)
    assert_problem(client.post("/verify-email", json={"token": reset}), 422)
    # forged: well formed, unknown; and malformed
    forged = "A" * 43
    assert_problem(client.post(confirm, json={"token": forged, "password": NEW_PASSWORD}), 422)
    for bad in ("", "short", "x" * 44, "é" * 43, 42, None, "A" * 42 + "="):
        body = assert_problem(client.post("/verify-email", json={"token": bad}), 422)
        assert body["errors"][0]["field"] == "token"
    # expired
    _expire(client)
    assert_problem(client.post(confirm, json={"token": reset, "password": NEW_PASSWORD}), 422)
    assert_problem(client.post("/verify-email", json={"token": verify}), 422)
    assert (
        client.post("/login", json={"email": user.email, "password": PASSWORD}).status_code == 200
    )


def _lifetimes(client: FlaskClient) -> dict[str, dt.timedelta]:
    with client.application.extensions["engine"].connect() as conn:
        rows = conn.execute(select(LinkToken.purpose, LinkToken.created_at, LinkToken.expires_at))
        return {purpose: expires - created for purpose, created, expires in rows}


@pytest.mark.parametrize(
    ("settings", "reset_for", "verify_for", "said"),
    [
        ({}, dt.timedelta(minutes=30), dt.timedelta(hours=48), ("30 minutes", "48 hours")),
        (
            {"reset_token_minutes": 90, "verify_token_hours": 2},
            dt.timedelta(minutes=90),
            dt.timedelta(hours=2),
            ("1.5 hours", "2 hours"),
        ),
    ],
    ids=["defaults", "configured"],
)
def test_links_live_as_long_as_configured(
    client, mailbox, user, settings, reset_for, verify_for, said
):
    assert client.post("/password-reset", json={"email": user.email}).status_code == 202
    box, port = mailbox
    deliver(client.application, port, **settings)
    assert _lifetimes(client) == {RESET: reset_for, VERIFY: verify_for}
    verify_mail, reset_mail = box.to(user.email)
    assert said[0] in reset_mail.text and said[1] in verify_mail.text


def test_a_token_dies_when_the_password_or_email_changes(client, app, user):
    engine, key = app.extensions["engine"], app.extensions["keys"].mail_token
    with engine.begin() as conn:
        row = conn.execute(select(User).where(User.id == user.id)).first()
        reset = issue(conn, key, row, RESET, dt.timedelta(hours=1))
        verify = issue(conn, key, row, VERIFY, dt.timedelta(hours=1))
    change = {"current_password": PASSWORD, "new_password": NEW_PASSWORD}
    assert client.put("/user/me/password", json=change, headers=user.headers).status_code == 204
    body = {"token": reset, "password": "yet another password"}
    assert_problem(client.post("/password-reset/confirm", json=body), 422)
    with engine.begin() as conn:
        conn.execute(update(User).where(User.id == user.id).values(email="moved@example.com"))
    assert_problem(client.post("/verify-email", json={"token": verify}), 422)


def test_changing_the_password_keeps_only_the_callers_login(client, user):
    other = client.post("/login", json={"email": user.email, "password": PASSWORD}).get_json()
    change = {"current_password": PASSWORD, "new_password": NEW_PASSWORD}
    assert client.put("/user/me/password", json=change, headers=user.headers).status_code == 204
    assert client.get("/user/me", headers=user.headers).status_code == 200
    assert client.post("/refresh", headers=bearer(user.refresh)).status_code == 200
    assert_problem(client.get("/user/me", headers=bearer(other["access_token"])), 401)
    assert_problem(client.post("/refresh", headers=bearer(other["refresh_token"])), 401)
    login = {"email": user.email, "password": NEW_PASSWORD}
    assert client.post("/login", json=login).status_code == 200


def test_changing_the_password_needs_the_current_one_and_a_fresh_token(client, user):
    wrong = {"current_password": "not it at all", "new_password": NEW_PASSWORD}
    body = assert_problem(client.put("/user/me/password", json=wrong, headers=user.headers), 403)
    assert body["type"].endswith("/wrong-current-password")
    short = {"current_password": PASSWORD, "new_password": "short"}
    body = assert_problem(client.put("/user/me/password", json=short, headers=user.headers), 422)
    assert body["errors"][0]["field"] == "new_password"
    stale = non_fresh(client, user)
    ok = {"current_password": PASSWORD, "new_password": NEW_PASSWORD}
    assert_problem(client.put("/user/me/password", json=ok, headers=stale.headers), 401)
    assert_problem(client.put("/user/me/password", json=ok), 401)
    assert (
        client.post("/login", json={"email": user.email, "password": PASSWORD}).status_code == 200
    )


def test_deleting_my_account_takes_my_stores_and_ends_my_tokens(client, user, other_user):
    mine = client.post("/store", json={"name": "Mine"}, headers=user.headers).get_json()
    theirs = client.post("/store", json={"name": "Theirs"}, headers=other_user.headers)
    assert client.delete("/user/me", headers=user.headers).status_code == 204
    assert_problem(client.get("/user/me", headers=user.headers), 401)
    assert_problem(client.get(f"/store/{mine['id']}"), 404)
    assert client.get(f"/store/{theirs.get_json()['id']}").status_code == 200
    assert count_rows(client, Store.__table__) == 1


def test_deleting_my_account_needs_a_fresh_token(client, user):
    assert_problem(client.delete("/user/me", headers=non_fresh(client, user).headers), 401)
    assert client.get("/user/me", headers=user.headers).status_code == 200


def test_resend_sends_a_new_link_until_verified(client, mailbox, user):
    r = client.post("/verify-email/resend", headers=user.headers)
    assert r.status_code == 202
    mails = send_mail(client, mailbox).to(user.email)
    assert len(mails) == 2
    assert (
        client.post("/verify-email", json={"token": mails[1].token("verify-email")}).status_code
        == 204
    )
    assert_problem(client.post("/verify-email/resend", headers=user.headers), 409)
    assert_problem(client.post("/verify-email/resend"), 401)


def test_forced_rollback_after_enqueueing_sends_nothing(client, mailbox, app):
    from storeapi import db
    from storeapi.mail import outbox

    with app.test_request_context("/register", method="POST"):
        outbox.enqueue("password-reset", "owner@example.com", None)
        db.rollback()
        db.commit()
    make_account(client, "owner@example.com")
    with app.test_request_context("/password-reset", method="POST"):
        outbox.enqueue("password-reset", "owner@example.com", None)
        db.session().flush()
        db.rollback()
    box = send_mail(client, mailbox)
    assert [m.message["Subject"] for m in box.received] == [
        "Welcome to storeapi: please confirm your email address"
    ]


def test_require_verified_email_refuses_writes_until_verified(make_app, mailbox):
    app = make_app(require_verified_email=True)
    client = app.test_client()
    account = make_account(client, "strict@example.com")
    body = assert_problem(client.post("/store", json={"name": "S"}, headers=account.headers), 403)
    assert body["type"].endswith("/email-not-verified")
    assert client.get("/store", headers=account.headers).status_code == 200  # reads still work
    assert client.get("/user/me", headers=account.headers).status_code == 200
    assert client.post("/verify-email/resend", headers=account.headers).status_code == 202
    box, port = mailbox
    deliver(app, port)
    token = box.to("strict@example.com")[-1].token("verify-email")
    assert client.post("/verify-email", json={"token": token}).status_code == 204
    assert client.post("/store", json={"name": "S"}, headers=account.headers).status_code == 201


def test_mail_that_keeps_failing_is_kept_failed_with_its_error(client, user):
    from tests.live import free_port
    from tests.mailbox import FAST_MAIL

    dead = free_port()  # nothing listens there
    for _ in range(FAST_MAIL["mail_max_attempts"]):
        deliver(client.application, dead, mail_retry_base_ms=1)
        with client.application.extensions["engine"].begin() as conn:
            conn.execute(update(MailOutbox).values(next_attempt_at=utcnow()))
    with client.application.extensions["engine"].connect() as conn:
        [row] = conn.execute(select(MailOutbox)).all()
    assert row.status == "failed" and row.attempts == FAST_MAIL["mail_max_attempts"]
    assert "ConnectionRefused" in row.last_error
    with smtp_server() as (_box, port):
        assert deliver(client.application, port) == 0  # failed mail is not retried by itself


def test_a_retried_reset_request_or_resend_queues_one_mail(client, user):
    """With an Idempotency-Key a retry replays the first 202 and queues nothing more."""
    key = {"Idempotency-Key": "reset-once"}
    first, again = (
        client.post("/password-reset", json={"email": user.email}, headers=key) for _ in range(2)
    )
    assert (first.status_code, first.get_data()) == (again.status_code, again.get_data())
    assert first.status_code == 202 and again.headers["Idempotent-Replayed"] == "true"
    resend = {**user.headers, "Idempotency-Key": "resend-once"}
    answers = [client.post("/verify-email/resend", headers=resend) for _ in range(2)]
    assert [r.status_code for r in answers] == [202, 202]
    assert answers[1].headers["Idempotent-Replayed"] == "true"
    kinds = [MailOutbox.recipient == user.email]
    assert count_rows(client, MailOutbox.__table__, *kinds, MailOutbox.kind == RESET) == 1
    assert count_rows(client, MailOutbox.__table__, *kinds, MailOutbox.kind == VERIFY) == 2


def test_a_retried_confirm_replays_its_204(client, mailbox, user):
    """A confirm whose answer was lost can be sent again: the same key and body get the first
    204 back, not a 422 for the token it used up; another body under that key is refused."""

    def confirm_twice(path: str, body: dict, changed: str) -> None:
        key = {"Idempotency-Key": f"confirm {path}"}
        first, again = (client.post(path, json=body, headers=key) for _ in range(2))
        assert [first.status_code, again.status_code] == [204, 204], again.get_json()
        assert again.headers["Idempotent-Replayed"] == "true"
        another = {**body, changed: "B" * 43}
        other = assert_problem(client.post(path, json=another, headers=key), 422)
        assert other["type"].endswith("/idempotency-key-reused")
        used = assert_problem(client.post(path, json=body), 422)  # no key: a new request
        assert used["type"].endswith("/invalid-link-token")

    verify = send_mail(client, mailbox).to(user.email)[0].token("verify-email")
    confirm_twice("/verify-email", {"token": verify}, "token")
    token = reset_token(client, mailbox, user.email)
    confirm_twice("/password-reset/confirm", {"token": token, "password": NEW_PASSWORD}, "password")
    login = {"email": user.email, "password": NEW_PASSWORD}
    assert client.post("/login", json=login).status_code == 200
