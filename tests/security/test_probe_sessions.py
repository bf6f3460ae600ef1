"""Issue 16, finding 2: a password set anywhere ends the user's logins, and a login ends at its
absolute lifetime (LOGIN_MAX_DAYS) however often it is refreshed. Each test failed before."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select, update

from storeapi.models import TokenFamily, utcnow
from tests.conftest import make_account, once_seen
from tests.test_admin import panel, submit  # noqa: F401 (the fixture)


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_a_password_set_in_the_admin_panel_revokes_the_users_tokens(panel, user):  # noqa: F811
    other_login = make_account(panel, "bystander@example.com")
    r = submit(
        panel,
        f"/admin/users/edit/?id={user.id}",
        {"email": user.email, "new_password": "set by the administrator"},
    )
    assert r.status_code == 302, r.get_data(True)
    assert panel.post("/store", json={"name": "After"}, headers=user.headers).status_code == 401
    assert panel.post("/refresh", headers=bearer(user.refresh)).status_code == 401
    assert panel.get("/user/me", headers=other_login.headers).status_code == 200
    login = {"email": user.email, "password": "set by the administrator"}
    assert panel.post("/login", json=login).status_code == 200


def test_an_admin_edit_without_a_new_password_keeps_the_tokens(panel, user):  # noqa: F811
    r = submit(panel, f"/admin/users/edit/?id={user.id}", {"email": user.email})
    assert r.status_code == 302
    assert panel.get("/user/me", headers=user.headers).status_code == 200


def _family_end(client, user) -> dt.datetime:  # type: ignore[no-untyped-def]
    with client.application.extensions["engine"].connect() as conn:
        return conn.execute(select(TokenFamily.expires_at)).scalar_one()


def test_a_login_lasts_login_max_days_and_refreshing_never_extends_it(make_app):
    client = make_app(login_max_days=2).test_client()
    user = make_account(client, "someone@example.com")
    end = _family_end(client, user)
    assert abs(end - (utcnow() + dt.timedelta(days=2))) < dt.timedelta(minutes=1)
    refresh = user.refresh
    for _ in range(3):
        r = client.post("/refresh", headers=bearer(refresh))
        assert r.status_code == 200
        refresh = r.get_json()["refresh_token"]
    assert _family_end(client, user) == end
    access = r.get_json()["access_token"]
    assert client.get("/user/me", headers=bearer(access)).status_code == 200
    with client.application.extensions["engine"].begin() as conn:  # two days later
        conn.execute(update(TokenFamily).values(expires_at=utcnow() - dt.timedelta(seconds=1)))
    assert once_seen(lambda: client.get("/user/me", headers=bearer(access)), 401).status_code == 401
    assert client.post("/store", json={"name": "Late"}, headers=bearer(access)).status_code == 401
    assert client.post("/refresh", headers=bearer(refresh)).status_code == 401
