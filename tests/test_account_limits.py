"""The rate limits of the routes that send mail (http/limits.py): `MAIL_RATE_LIMIT` per client
address on `/password-reset` and `/verify-email/resend` together, `PASSWORD_RESET_EMAIL_RATE_LIMIT`
per target address across client addresses, and a resend's budget per account. A refusal is a
429 problem that queues no mail. tests/security/test_probe_limits.py tries the per-target budget
against a live server with two workers."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func

from storeapi.models import MailOutbox
from tests.conftest import Account, count_rows, make_account
from tests.test_rate_limits import (  # noqa: F401 (make_app and prefix: the fixtures)
    REDIS_URL,
    assert_rate_limited,
    at,
    make_app,
    needs_redis,
    prefix,
)

PER_ADDRESS = 3
PER_TARGET = 2


@pytest.fixture
def limited(make_app) -> FlaskClient:  # type: ignore[no-untyped-def]  # noqa: F811
    """tests/test_rate_limits.py's `make_app` (limits on, a prefix of the test's own) with
    small mail budgets."""
    app = make_app(
        mail_rate_limit=f"{PER_ADDRESS} per minute",
        password_reset_email_rate_limit=f"{PER_TARGET} per minute",
    )
    return app.test_client()


def reset(client: FlaskClient, email: str, address: str):  # type: ignore[no-untyped-def]
    return client.post("/password-reset", json={"email": email}, **at(address))


def resend(client: FlaskClient, account: Account, address: str):  # type: ignore[no-untyped-def]
    return client.post("/verify-email/resend", headers=account.headers, **at(address))


def queued(client: FlaskClient, email: str, kind: str = "password-reset") -> int:
    """Mails of `kind` queued for `email`, in whatever case it was written."""
    to = func.lower(MailOutbox.recipient) == email.lower()
    return count_rows(client, MailOutbox.__table__, to, MailOutbox.kind == kind)


def test_reset_requests_are_limited_per_client_address(limited):
    for n in range(PER_ADDRESS):  # a new target each time: only the address's budget runs out
        r = reset(limited, f"a{n}@example.com", "10.0.1.1")
        assert r.status_code == 202, r.get_json()
        assert r.headers["RateLimit-Limit"] == str(PER_ADDRESS)
        assert r.headers["RateLimit-Remaining"] == str(PER_ADDRESS - 1 - n)
    refused = reset(limited, "a9@example.com", "10.0.1.1")
    body = assert_rate_limited(refused, PER_ADDRESS)
    assert f"{PER_ADDRESS} per 1 minute" in body["detail"]
    assert queued(limited, "a9@example.com") == 0  # refused before anything was queued
    assert reset(limited, "a9@example.com", "10.0.1.2").status_code == 202  # another address


def test_the_per_address_budget_is_shared_by_reset_and_resend(limited):
    account = make_account(limited, "resender@example.com")
    assert resend(limited, account, "10.0.2.1").status_code == 202
    for n in range(PER_ADDRESS - 1):
        assert reset(limited, f"b{n}@example.com", "10.0.2.1").status_code == 202
    assert_rate_limited(resend(limited, account, "10.0.2.1"), PER_ADDRESS)
    assert_rate_limited(reset(limited, "b9@example.com", "10.0.2.1"), PER_ADDRESS)
    assert queued(limited, account.email, "verify-email") == 2  # registration's, and the resend


@pytest.mark.parametrize("target", ["owner@example.com", "nobody@example.com"])
def test_reset_requests_are_limited_per_target_address_from_any_address(limited, user, target):
    """The budget of one mailbox, whoever asks from wherever; an address with no account has
    the same budget, so a 429 does not tell whether it has one."""
    for n, spelling in enumerate([target, f"  {target.upper()} "][:PER_TARGET]):
        assert reset(limited, spelling, f"10.0.3.{n}").status_code == 202
    refused = reset(limited, target.capitalize(), "10.0.3.99")
    assert_rate_limited(refused, PER_TARGET)
    assert reset(limited, "someone-else@example.com", "10.0.3.99").status_code == 202
    assert queued(limited, target) == PER_TARGET  # for the unknown address too (then dropped)


def test_a_resend_also_spends_its_accounts_budget(limited):
    account = make_account(limited, "many-hosts@example.com")
    for n in range(PER_ADDRESS):  # a new address each time: only the account's budget runs out
        r = resend(limited, account, f"10.0.4.{n}")
        assert r.status_code == 202, r.get_json()
    assert_rate_limited(resend(limited, account, "10.0.4.99"), PER_ADDRESS)
    other = make_account(limited, "someone@example.com")
    assert resend(limited, other, "10.0.4.99").status_code == 202
    assert queued(limited, account.email, "verify-email") == 1 + PER_ADDRESS


@pytest.mark.parametrize("setting", ["mail_rate_limit", "password_reset_email_rate_limit"])
def test_a_malformed_mail_limit_is_refused_at_start(make_app, setting):  # noqa: F811
    from storeapi.settings import SettingsError

    with pytest.raises(SettingsError, match=setting.upper()):
        make_app(**{setting: "a few"})


@needs_redis
def test_two_instances_share_the_per_target_budget_through_redis(make_app):  # noqa: F811
    budgets = {
        "redis_url": REDIS_URL,
        "mail_rate_limit": "50 per minute",
        "password_reset_email_rate_limit": f"{PER_TARGET} per minute",
    }
    first, second = (make_app(**budgets).test_client() for _ in range(2))
    assert reset(first, "shared@example.com", "10.0.5.1").status_code == 202
    assert reset(second, "shared@example.com", "10.0.5.2").status_code == 202
    assert_rate_limited(reset(first, "shared@example.com", "10.0.5.3"), PER_TARGET)
    assert_rate_limited(reset(second, "shared@example.com", "10.0.5.4"), PER_TARGET)
