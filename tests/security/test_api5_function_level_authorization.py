"""API5:2023 Broken Function Level Authorization.

Administrator functions are the user routes of the API (`/user/{id}`; deleting needs a fresh
token) and the whole admin panel (`/admin`, its own login with a CSRF-protected form). Every
one of them is tried by nobody, by a regular user's bearer token and by a demoted admin: none
gets in. Admin rights are read from the database on every request, not trusted from the token.
"""

from __future__ import annotations

import re

import pytest
from sqlalchemy import update

from storeapi.admin import panel_app
from storeapi.http.api import OPERATIONS
from storeapi.models import User
from tests.conftest import assert_problem, non_fresh, once_seen

ADMIN_OPERATIONS = sorted(
    (op.method, op.rule) for op in OPERATIONS if op.guard is not None and op.guard.admin
)


def test_the_admin_operations_are_the_user_routes() -> None:
    assert ADMIN_OPERATIONS == [("DELETE", "/user/<int:user_id>"), ("GET", "/user/<int:user_id>")]


def _url(rule: str, user_id: int) -> str:
    return rule.replace("<int:user_id>", str(user_id))


@pytest.mark.parametrize("method, rule", ADMIN_OPERATIONS)
def test_admin_operations_refuse_everyone_else(client, user, other_user, method, rule) -> None:
    url = _url(rule, other_user.id)
    assert_problem(client.open(url, method=method), 401)
    assert_problem(client.open(url, method=method, headers=user.headers), 403)
    own = client.open(_url(rule, user.id), method=method, headers=user.headers)
    assert_problem(own, 403)  # not even on oneself


def test_admin_operations_work_for_an_admin_and_deleting_needs_a_fresh_token(
    client, admin, user
) -> None:
    assert client.get(f"/user/{user.id}", headers=admin.headers).status_code == 200
    stale = non_fresh(client, admin)
    assert_problem(client.delete(f"/user/{user.id}", headers=stale.headers), 401)
    assert client.delete(f"/user/{user.id}", headers=admin.headers).status_code == 204


def test_a_demoted_admins_token_loses_its_rights_at_once(client, admin, user) -> None:
    assert client.get(f"/user/{user.id}", headers=admin.headers).status_code == 200
    with client.application.extensions["engine"].begin() as conn:
        conn.execute(update(User).where(User.id == admin.id).values(is_admin=False))
    assert_problem(
        once_seen(lambda: client.get(f"/user/{user.id}", headers=admin.headers), 403), 403
    )


def admin_panel_urls(app) -> list[str]:  # type: ignore[no-untyped-def]
    urls = []
    for rule in app.url_map.iter_rules():
        path = rule.rule
        if not path.startswith("/admin") or "/login" in path or "static" in path:
            continue
        urls.append(re.sub(r"<[^>]+>", "1", path))
    return sorted(set(urls))


def test_no_admin_panel_page_opens_without_an_admin_session(client, user) -> None:
    urls = admin_panel_urls(panel_app(client.application))  # the panel is an app of its own
    assert len(urls) >= 10
    for url in urls:
        for headers in ({}, user.headers):  # a bearer token is no panel session
            r = client.get(url, headers=headers)
            assert r.status_code in (302, 401, 403, 404, 405), (url, r.status_code)
            if r.status_code == 302:
                assert "/admin/login/" in r.headers["Location"], url
            assert "owner@example.com" not in r.get_data(as_text=True), url
