"""API6:2023 Unrestricted Access to Sensitive Business Flows.

The flows worth automating against storeapi are signing up many accounts (to escape per-token
limits or squat on names), probing which emails are registered (/register answers 409 for a
taken email, /login 401 alike for both), and grabbing many store names. Sign-up and login are
limited per client address, and everything else per token, so each flow runs at a bounded rate.
"""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from storeapi.app import create_app
from storeapi.models import Store, User
from tests.conftest import PASSWORD, assert_problem, test_settings


@pytest.fixture
def limited(database_url, client):  # type: ignore[no-untyped-def]
    app = create_app(
        test_settings(
            database_url,
            rate_limits_enabled=True,
            register_rate_limit="3 per minute",
            login_rate_limit="3 per minute",
            default_rate_limit="5 per minute",
        )
    )
    yield app.test_client()
    app.extensions["engine"].dispose()


def count(client, model) -> int:  # type: ignore[no-untyped-def]
    with client.application.extensions["engine"].connect() as conn:
        return conn.execute(select(func.count()).select_from(model)).scalar_one()


def test_mass_sign_up_from_one_address_is_cut_off(limited) -> None:
    statuses = [
        limited.post(
            "/register", json={"email": f"bot{i}@example.com", "password": PASSWORD}
        ).status_code
        for i in range(6)
    ]
    assert statuses == [201, 201, 201, 429, 429, 429]
    assert count(limited, User) == 3  # a refused sign-up creates nothing


def test_probing_for_registered_emails_is_rate_limited_too(limited, user) -> None:
    probes = [
        limited.post("/register", json={"email": email, "password": PASSWORD})
        for email in (user.email, "a@example.com", "b@example.com", "c@example.com")
    ]
    assert [r.status_code for r in probes][:1] == [409]
    assert probes[-1].status_code == 429
    assert_problem(probes[-1], 429)


def test_grabbing_store_names_is_bounded_per_token(limited, user) -> None:
    statuses = [
        limited.post("/store", json={"name": f"Squat {i}"}, headers=user.headers).status_code
        for i in range(8)
    ]
    assert statuses == [201] * 5 + [429] * 3
    assert count(limited, Store) == 5
