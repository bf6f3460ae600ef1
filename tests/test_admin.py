"""The admin panel at /admin: its login, who gets in, and that writes follow the API's rules."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from html import unescape
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select, update

from storeapi.app import create_app
from storeapi.models import Item, Store, User
from tests.conftest import (
    PASSWORD,
    Account,
    assert_problem,
    create_item,
    create_store,
    create_tag,
    make_account,
    test_settings,
)

ROOT = Path(__file__).resolve().parent.parent
CSRF = re.compile(r'name="csrf_token"[^>]*?value="([^"]+)"')


def csrf_token(client: FlaskClient, url: str) -> str:
    r = client.get(url)
    assert r.status_code == 200, (url, r.status_code)
    return CSRF.search(r.get_data(True)).group(1)


def log_in(client: FlaskClient, email: str, password: str = PASSWORD, **extra: str):  # type: ignore[no-untyped-def]
    token = csrf_token(client, "/admin/login/")
    data = {"csrf_token": token, "email": email, "password": password, **extra}
    return client.post("/admin/login/", data=data)


@pytest.fixture
def panel(client: FlaskClient, admin: Account) -> FlaskClient:
    """The test client logged in to the panel as an administrator."""
    r = log_in(client, admin.email)
    assert r.status_code == 302 and r.headers["Location"] == "/admin/", r.get_data(True)
    return client


def submit(client: FlaskClient, url: str, data: dict, form_url: str | None = None):  # type: ignore[no-untyped-def]
    """Post a form of the panel with the CSRF token taken from its page."""
    token = csrf_token(client, form_url or url)
    return client.post(url, data={"csrf_token": token, **data})


def field_errors(html: str, field: str | None = None) -> list[str]:
    """The error messages under the form's fields (or under one field)."""
    before = rf'id="{field}"[^>]*>\s*<div class="invalid-feedback">\s*' if field else ""
    blocks = re.findall(before + r'<ul class="form-text text-danger[^"]*">(.*?)</ul>', html, re.S)
    return [unescape(e.strip()) for b in blocks for e in re.findall(r"<li>(.*?)</li>", b, re.S)]


def filter_arg(html: str, group: str, operation: str) -> str:
    groups = json.loads(re.search(r'id="filter-groups-data" class="d-none">(.*?)</div>', html)[1])
    return next(f["arg"] for f in groups[group] if f["operation"] == operation)


def table_rows(app, model, **where):  # type: ignore[no-untyped-def]
    with app.extensions["engine"].connect() as conn:
        stmt = select(model).filter_by(**where)
        return conn.execute(stmt).all()


# Who gets in


@pytest.mark.parametrize(
    "path",
    [
        "/admin/",
        "/admin/users/",
        "/admin/stores/",
        "/admin/items/new/",
        "/admin/users/details/?id=1",
        "/admin/frameworks/",
    ],
)
def test_anonymous_visitors_get_the_login_page_and_no_data(client, user, path):
    create_store(client, user, "Secret Supplies")
    r = client.get(path)
    assert r.status_code == 302
    assert r.headers["Location"].startswith("/admin/login/?next=")
    page = client.get(r.headers["Location"]).get_data(True)
    assert "Administrator login" in page
    assert "Secret Supplies" not in page and "owner@example.com" not in page
    assert "Flask" not in page  # frameworks seeded by the migration stay hidden


def test_the_login_page_is_titled_as_such(client):
    page = client.get("/admin/login/").get_data(True)
    assert re.search(r"<title>\s*Log in - storeapi admin\s*</title>", page)
    assert "<title>Home" not in page


@pytest.mark.parametrize(
    "collection, title",
    [
        ("users", "Users"),
        ("stores", "Stores"),
        ("items", "Items"),
        ("tags", "Tags"),
        ("books", "Books"),
        ("frameworks", "Frameworks"),
        ("mail", "Mail"),
    ],
)
def test_each_table_is_at_admin_slash_its_name_with_its_title(panel, collection, title):
    r = panel.get(f"/admin/{collection}/")
    assert r.status_code == 200
    assert re.search(rf"<title>\s*{title} - storeapi admin\s*</title>", r.get_data(True))
    home = panel.get("/admin/").get_data(True)
    assert f'href="/admin/{collection}/"' in home
    assert panel.get(f"/admin/admin_{collection}/").status_code == 404


def test_anonymous_writes_are_refused(client, user):
    store = create_store(client, user, "Keep Me")
    r = client.post("/admin/stores/new/", data={"name": "Injected"})
    assert r.status_code == 302 and "/admin/login/" in r.headers["Location"]
    r = client.post("/admin/stores/delete/", data={"id": store["id"]})
    assert r.status_code == 302 and "/admin/login/" in r.headers["Location"]
    assert [s["name"] for s in client.get("/store").get_json()["stores"]] == ["Keep Me"]


def test_a_non_admin_is_refused_at_login(client, user):
    create_store(client, user, "Private Shop")
    r = log_in(client, user.email)
    assert r.status_code == 200
    page = r.get_data(True)
    assert "Wrong email or password, or not an administrator." in page
    r = client.get("/admin/stores/")
    assert r.status_code == 302 and "/admin/login/" in r.headers["Location"]


def test_wrong_password_and_unknown_email_get_the_same_answer(client, admin):
    wrong = log_in(client, admin.email, "not the password").get_data(True)
    unknown = log_in(client, "nobody@example.com").get_data(True)
    for page in (wrong, unknown):
        assert "Wrong email or password, or not an administrator." in page
    assert client.get("/admin/").status_code == 302


def test_login_without_the_csrf_token_is_refused(client, admin):
    r = client.post("/admin/login/", data={"email": admin.email, "password": PASSWORD})
    assert r.status_code == 200
    assert "The CSRF token is missing." in r.get_data(True)
    r = client.post(
        "/admin/login/", data={"csrf_token": "forged", "email": admin.email, "password": PASSWORD}
    )
    assert "The CSRF token is invalid." in r.get_data(True)
    assert client.get("/admin/").status_code == 302


def test_session_cookie_is_httponly_and_samesite(client, admin):
    r = log_in(client, admin.email)
    cookie = r.headers["Set-Cookie"]
    assert cookie.startswith("session=")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Secure" not in cookie  # SECURE_COOKIES is off in development and tests


def test_session_cookie_is_secure_when_served_over_https(database_url, client, admin):
    app = create_app(test_settings(database_url, secure_cookies=True))
    https = app.test_client()
    token = csrf_token(https, "https://localhost/admin/login/")
    r = https.post(
        "https://localhost/admin/login/",
        data={"csrf_token": token, "email": admin.email, "password": PASSWORD},
    )
    assert r.status_code == 302
    cookie = r.headers["Set-Cookie"]
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert https.get("https://localhost/admin/").status_code == 200
    app.extensions["engine"].dispose()


def test_next_only_leads_inside_the_panel(client, admin):
    token = csrf_token(client, "/admin/login/")
    data = {"csrf_token": token, "email": admin.email, "password": PASSWORD}
    r = client.post("/admin/login/?next=//evil.example/steal", data=data)
    assert r.headers["Location"] == "/admin/"
    client.get("/admin/")
    token = csrf_token(client, "/admin/")
    client.post("/admin/logout/", data={"csrf_token": token})
    token = csrf_token(client, "/admin/login/")
    data["csrf_token"] = token
    r = client.post("/admin/login/?next=/admin/items/", data=data)
    assert r.headers["Location"] == "/admin/items/"


def test_logout_needs_the_csrf_token_and_ends_the_session(panel):
    r = panel.post("/admin/logout/", data={})
    assert r.status_code == 302
    assert panel.get("/admin/").status_code == 200  # a forged logout did nothing
    r = submit(panel, "/admin/logout/", {}, form_url="/admin/")
    assert r.status_code == 302
    assert panel.get("/admin/").status_code == 302


def test_a_demoted_admin_is_out_on_the_next_request(panel, admin):
    assert panel.get("/admin/users/").status_code == 200
    with panel.application.extensions["engine"].begin() as conn:
        conn.execute(update(User).where(User.id == admin.id).values(is_admin=False))
    r = panel.get("/admin/users/")
    assert r.status_code == 302 and "/admin/login/" in r.headers["Location"]


def test_changing_the_password_ends_admin_sessions(panel, admin):
    r = submit(
        panel,
        f"/admin/users/edit/?id={admin.id}",
        {"email": admin.email, "is_admin": "y", "new_password": "a brand new secret"},
    )
    assert r.status_code == 302
    r = panel.get("/admin/")
    assert r.status_code == 302 and "/admin/login/" in r.headers["Location"]
    assert log_in(panel, admin.email, "a brand new secret").status_code == 302


# What admins see


def test_every_list_renders_with_search_and_filters(panel, user):
    store = create_store(panel, user, "Corner Shop")
    create_item(panel, user, store["id"], "Chair", "15.99")
    create_tag(panel, user, store["id"], "furniture")
    for path, expected in [
        ("/admin/users/", "owner@example.com"),
        ("/admin/stores/", "Corner Shop"),
        ("/admin/items/", "Chair"),
        ("/admin/tags/", "furniture"),
        ("/admin/books/", "Books"),
        ("/admin/frameworks/", "Django"),
    ]:
        r = panel.get(path)
        assert r.status_code == 200, path
        page = r.get_data(True)
        assert expected in page
        assert 'name="search"' in page and 'id="filter-groups-data"' in page


def test_item_search_and_filters_narrow_the_list(panel, user):
    a = create_store(panel, user, "Alpha")
    b = create_store(panel, user, "Beta")
    create_item(panel, user, a["id"], "Oak chair", "15.99")
    create_item(panel, user, b["id"], "Pine table", "99.50")
    create_item(panel, user, b["id"], "Oak table", "120.00")
    page = panel.get("/admin/items/?search=oak").get_data(True)
    assert "Oak chair" in page and "Oak table" in page and "Pine table" not in page
    html = panel.get("/admin/items/").get_data(True)
    arg = filter_arg(html, "Store", "equals")
    page = panel.get(f"/admin/items/?flt0_{arg}=Beta").get_data(True)
    assert "Pine table" in page and "Oak table" in page and "Oak chair" not in page
    arg = filter_arg(html, "Price", "greater than")
    page = panel.get(f"/admin/items/?flt0_{arg}=100").get_data(True)
    assert "Oak table" in page and "Pine table" not in page and "Oak chair" not in page


def test_user_search_and_admin_filter(panel, user, other_user):
    page = panel.get("/admin/users/?search=other").get_data(True)
    assert "other@example.com" in page and "owner@example.com" not in page
    html = panel.get("/admin/users/").get_data(True)
    arg = filter_arg(html, "Is Admin", "equals")
    page = panel.get(f"/admin/users/?flt0_{arg}=1").get_data(True)
    assert "admin@example.com" in page and "owner@example.com" not in page


def test_password_hashes_are_never_shown_or_editable(panel, user):
    for path in [
        "/admin/users/",
        f"/admin/users/details/?id={user.id}",
        f"/admin/users/edit/?id={user.id}",
        "/admin/users/new/",
        "/admin/users/?search=argon2",
    ]:
        page = panel.get(path).get_data(True)
        assert "$argon2" not in page and "password_hash" not in page.lower(), path
        assert "Password Hash" not in page
    form = panel.get(f"/admin/users/edit/?id={user.id}").get_data(True)
    assert re.search(r'<input[^>]*name="new_password"[^>]*type="password"', form) or re.search(
        r'<input[^>]*type="password"[^>]*name="new_password"', form
    )
    assert not re.search(r'value="[^"]', re.search(r"<input[^>]*new_password[^>]*>", form)[0])


def test_pages_use_only_local_assets(panel):
    page = panel.get("/admin/items/new/").get_data(True)
    assets = re.findall(r'(?:src|href)="([^"#]+)"', page)
    assert assets and not [a for a in assets if re.match(r"(?:https?:)?//", a)]
    for asset in {a for a in assets if a.startswith("/admin/static/")}:
        assert panel.get(asset).status_code == 200, asset


# Writes follow the API's rules


def test_store_created_in_the_panel_is_in_the_api(panel, admin):
    r = submit(panel, "/admin/stores/new/", {"name": "  Panel Store  ", "owner": admin.id})
    assert r.status_code == 302, field_errors(r.get_data(True))
    stores = panel.get("/store").get_json()["stores"]
    assert [(s["name"], s["owner_id"]) for s in stores] == [("Panel Store", admin.id)]


@pytest.mark.parametrize("name", ["corner shop", "CORNER SHOP"])
def test_duplicate_store_name_is_a_form_error(panel, user, name):
    create_store(panel, user, "Corner Shop")
    r = submit(panel, "/admin/stores/new/", {"name": name})
    assert r.status_code == 200
    assert "a store with this name already exists" in field_errors(r.get_data(True))
    assert len(table_rows(panel.application, Store)) == 1


def test_renaming_a_store_onto_another_is_refused(panel, user):
    create_store(panel, user, "First")
    second = create_store(panel, user, "Second")
    url = f"/admin/stores/edit/?id={second['id']}"
    r = submit(panel, url, {"name": "FIRST"})
    assert "a store with this name already exists" in field_errors(r.get_data(True))
    assert panel.get(f"/store/{second['id']}").get_json()["name"] == "Second"


@pytest.mark.parametrize(
    ("price", "message"),
    [
        ("1.234", "Price should be 1 to 10 digits, then at most 2 decimals, like 15 or 15.99"),
        ("-1", "Price should be 1 to 10 digits, then at most 2 decimals, like 15 or 15.99"),
        ("abc", "Not a valid decimal value."),
        ("", "This field is required."),
    ],
)
def test_bad_prices_are_refused_as_in_the_api(panel, user, price, message):
    store = create_store(panel, user)
    r = submit(
        panel,
        "/admin/items/new/",
        {"name": "Chair", "price": price, "store": store["id"]},
    )
    assert r.status_code == 200
    assert message in field_errors(r.get_data(True), "price")
    assert panel.get("/item").get_json()["items"] == []


def test_item_created_in_the_panel_is_in_the_api_with_its_tags(panel, user):
    store = create_store(panel, user)
    tag = create_tag(panel, user, store["id"], "sale")
    r = submit(
        panel,
        "/admin/items/new/",
        {"name": "Lamp", "price": "15.99", "store": store["id"], "tags": tag["id"]},
    )
    assert r.status_code == 302, field_errors(r.get_data(True))
    (item,) = panel.get("/item").get_json()["items"]
    assert (item["name"], item["store_id"]) == ("Lamp", store["id"])
    assert b'"price":15.99' in panel.get(f"/item/{item['id']}").data
    assert [t["name"] for t in item["tags"]] == ["sale"]


def test_tags_of_another_store_are_refused(panel, user):
    mine = create_store(panel, user, "Mine")
    theirs = create_store(panel, user, "Theirs")
    foreign = create_tag(panel, user, theirs["id"], "foreign")
    r = submit(
        panel,
        "/admin/items/new/",
        {"name": "Lamp", "price": "1.00", "store": mine["id"], "tags": foreign["id"]},
    )
    assert "not tags of this item's store: foreign" in field_errors(r.get_data(True))
    assert table_rows(panel.application, Item) == []


def test_editing_an_item_changes_its_etag_and_keeps_its_store(panel, user):
    store = create_store(panel, user)
    other = create_store(panel, user, "Elsewhere")
    item = create_item(panel, user, store["id"], "Chair", "15.99")
    before = panel.get(f"/item/{item['id']}")
    etag = before.headers["ETag"]
    url = f"/admin/items/edit/?id={item['id']}"
    r = submit(panel, url, {"name": "Armchair", "price": "20.50", "store": other["id"]})
    assert r.status_code == 302, field_errors(r.get_data(True))
    after = panel.get(f"/item/{item['id']}")
    assert after.headers["ETag"] != etag
    body = after.get_json()
    assert (body["name"], body["store_id"]) == ("Armchair", store["id"])
    assert b'"price":20.5' in after.data
    assert body["updated_at"] > before.get_json()["updated_at"]
    assert panel.get(f"/item/{item['id']}", headers={"If-None-Match": etag}).status_code == 200
    r = panel.put(
        f"/item/{item['id']}",
        json={"price": "1.00"},
        headers={**user.headers, "If-Match": etag},
    )
    assert r.status_code == 412


def test_an_invalid_edit_changes_nothing(panel, user):
    store = create_store(panel, user)
    item = create_item(panel, user, store["id"], "Chair", "15.99")
    etag = panel.get(f"/item/{item['id']}").headers["ETag"]
    r = submit(panel, f"/admin/items/edit/?id={item['id']}", {"name": "", "price": "2.999"})
    errors = field_errors(r.get_data(True))
    assert "This field is required." in errors
    assert panel.get(f"/item/{item['id']}").headers["ETag"] == etag


def test_duplicate_tag_in_a_store_is_refused_and_linked_tags_are_kept(panel, user):
    store = create_store(panel, user)
    tag = create_tag(panel, user, store["id"], "sale")
    r = submit(panel, "/admin/tags/new/", {"name": "SALE", "store": store["id"]})
    assert "this store already has a tag with this name" in field_errors(r.get_data(True))
    item = create_item(panel, user, store["id"])
    assert (
        panel.post(f"/item/{item['id']}/tag/{tag['id']}", headers=user.headers).status_code == 201
    )
    r = submit(panel, "/admin/tags/delete/", {"id": tag["id"]}, form_url="/admin/tags/")
    assert r.status_code == 302
    page = panel.get(r.headers["Location"]).get_data(True)
    assert "is linked to 1 item(s): unlink them first." in page
    assert panel.get(f"/tag/{tag['id']}").status_code == 200


def test_deleting_needs_the_csrf_token(panel, user):
    store = create_store(panel, user)
    r = panel.post("/admin/stores/delete/", data={"id": store["id"]})
    assert r.status_code == 302
    assert panel.get(f"/store/{store['id']}").status_code == 200
    r = submit(panel, "/admin/stores/delete/", {"id": store["id"]}, form_url="/admin/stores/")
    assert r.status_code == 302
    assert panel.get(f"/store/{store['id']}").status_code == 404


def test_users_created_in_the_panel_can_log_in_with_an_argon2_hash(panel):
    r = submit(
        panel,
        "/admin/users/new/",
        {"email": "new@example.com", "new_password": "a fine long password"},
    )
    assert r.status_code == 302, field_errors(r.get_data(True))
    ((stored,),) = [
        (u.password_hash,) for u in table_rows(panel.application, User, email="new@example.com")
    ]
    assert stored.startswith("$argon2id$")
    creds = {"email": "new@example.com", "password": "a fine long password"}
    assert panel.post("/login", json=creds).status_code == 200


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"email": "new@example.com", "new_password": ""}, "new_password", "needs a password"),
        ({"email": "new@example.com", "new_password": "short"}, "new_password", "8 characters"),
        ({"email": "not-an-email", "new_password": "long enough pw"}, "email", ""),
        ({"email": "OWNER@example.com", "new_password": "long enough pw"}, "email", "exists"),
    ],
)
def test_bad_users_are_refused_as_in_the_api(panel, user, data, field, message):
    r = submit(panel, "/admin/users/new/", data)
    assert r.status_code == 200
    errors = field_errors(r.get_data(True), field)
    assert errors and all(message in e for e in errors), errors
    assert len(table_rows(panel.application, User)) == 2


def test_a_new_password_replaces_the_old_one(panel, user):
    r = submit(
        panel,
        f"/admin/users/edit/?id={user.id}",
        {"email": user.email, "new_password": "replaced password"},
    )
    assert r.status_code == 302, field_errors(r.get_data(True))
    old = {"email": user.email, "password": PASSWORD}
    assert panel.post("/login", json=old).status_code == 401
    new = {"email": user.email, "password": "replaced password"}
    assert panel.post("/login", json=new).status_code == 200


def test_an_empty_new_password_keeps_the_old_one(panel, user):
    r = submit(panel, f"/admin/users/edit/?id={user.id}", {"email": user.email, "new_password": ""})
    assert r.status_code == 302, field_errors(r.get_data(True))
    assert panel.post("/login", json={"email": user.email, "password": PASSWORD}).status_code == 200


def test_admins_cannot_lock_themselves_out(panel, admin):
    r = submit(panel, f"/admin/users/edit/?id={admin.id}", {"email": admin.email})
    assert "you cannot take administrator rights from yourself" in field_errors(r.get_data(True))
    r = submit(panel, "/admin/users/delete/", {"id": admin.id}, form_url="/admin/users/")
    assert "You cannot delete your own account here." in panel.get(r.headers["Location"]).get_data(
        True
    )
    assert table_rows(panel.application, User, id=admin.id)[0].is_admin


def test_books_and_frameworks_follow_the_api_rules(panel):
    r = submit(panel, "/admin/books/new/", {"title": "x" * 251, "author": "Someone"})
    assert any("250 characters" in e for e in field_errors(r.get_data(True)))
    r = submit(panel, "/admin/books/new/", {"title": "Dune", "author": "Herbert", "genre": ""})
    assert r.status_code == 302
    (book,) = panel.get("/books").get_json()["books"]
    assert (book["title"], book["genre"]) == ("Dune", None)
    r = submit(panel, "/admin/frameworks/new/", {"name": "flask", "created": "2011"})
    assert "a framework with this name already exists" in field_errors(r.get_data(True))
    r = submit(panel, "/admin/frameworks/new/", {"name": "Pyramid", "created": "2008"})
    assert r.status_code == 302, field_errors(r.get_data(True))
    assert panel.get("/frameworks/Pyramid").get_json()["created"] == 2008


def test_other_users_accounts_can_be_managed(panel, user):
    account = make_account(panel, "third@example.com")
    r = submit(panel, "/admin/users/delete/", {"id": account.id}, form_url="/admin/users/")
    assert r.status_code == 302
    assert table_rows(panel.application, User, id=account.id) == []


def test_admin_sessions_expire(panel):
    with panel.session_transaction("/admin/") as cookie:  # sessions exist under /admin only
        cookie["admin"] = {**cookie["admin"], "at": cookie["admin"]["at"] - 9 * 3600}
    r = panel.get("/admin/")
    assert r.status_code == 302 and "/admin/login/" in r.headers["Location"]


def test_login_attempts_are_rate_limited_per_address(database_url, client, admin):
    app = create_app(
        test_settings(database_url, rate_limits_enabled=True, login_rate_limit="2 per minute")
    )
    browser = app.test_client()
    for _ in range(2):
        assert log_in(browser, admin.email, "wrong password").status_code == 200
    r = log_in(browser, admin.email)
    assert_problem(r, 429)
    assert int(r.headers["Retry-After"]) > 0
    assert browser.get("/admin/login/").status_code == 200  # the form itself stays readable


def test_behind_a_proxy_login_attempts_are_counted_per_forwarded_address(database_url, admin):
    settings = test_settings(
        database_url, rate_limits_enabled=True, login_rate_limit="1 per minute", trusted_proxies=1
    )
    app = create_app(settings)
    browser = app.test_client()

    def attempt(address: str, email: str) -> int:
        data = {"csrf_token": csrf_token(browser, "/admin/login/"), "email": email}
        data["password"] = "wrong password"
        headers = {"X-Forwarded-For": address}
        return browser.post("/admin/login/", data=data, headers=headers).status_code

    # Other accounts each time: the account tried has a budget of its own (tests/security).
    tries = (("203.0.113.1", admin.email), ("203.0.113.1", "b@example.com"))
    tries += (("203.0.113.2", "c@example.com"),)
    first, again, another = (attempt(*a) for a in tries)
    assert (first, again, another) == (200, 429, 200)
    app.extensions["engine"].dispose()


def test_the_panel_is_made_by_the_first_request_under_admin(database_url):
    """A server worker that never serves the panel does not load Flask-Admin and WTForms."""
    script = f"""
import sys
from storeapi.app import create_app
from tests.conftest import test_settings
app = create_app(test_settings({database_url!r}))
client = app.test_client()
print([client.get(path).status_code for path in ("/healthz", "/store", "/administrator")])
print("flask_admin" in sys.modules, "wtforms" in sys.modules)
print(client.get("/admin").status_code, "flask_admin" in sys.modules)
app.extensions["engine"].dispose()
"""
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert done.stdout.splitlines() == ["[200, 200, 404]", "False False", "302 True"], done.stderr


def test_panel_assets_do_not_spend_the_general_rate_limit(database_url, client):
    app = create_app(
        test_settings(database_url, rate_limits_enabled=True, default_rate_limit="3 per minute")
    )
    browser = app.test_client()
    page = browser.get("/admin/login/").get_data(True)
    assets = re.findall(r'(?:src|href)="(/admin/static/[^"]+)"', page)
    assert len(assets) > 3
    assert [browser.get(a).status_code for a in assets] == [200] * len(assets)
    assert [browser.get("/store").status_code for _ in range(3)][-1] == 429
    app.extensions["engine"].dispose()


def test_renaming_a_store_changes_the_etags_of_its_items(panel, user):
    store = create_store(panel, user)
    other = create_store(panel, user, "Elsewhere")
    mine = create_item(panel, user, store["id"], "Chair")
    theirs = create_item(panel, user, other["id"], "Table")
    etags = {i: panel.get(f"/item/{i}").headers["ETag"] for i in (mine["id"], theirs["id"])}
    r = submit(panel, f"/admin/stores/edit/?id={store['id']}", {"name": "High Street"})
    assert r.status_code == 302, field_errors(r.get_data(True))
    fresh = panel.get(f"/item/{mine['id']}", headers={"If-None-Match": etags[mine["id"]]})
    assert fresh.status_code == 200
    assert fresh.get_json()["store"] == {"id": store["id"], "name": "High Street"}
    same = panel.get(f"/item/{theirs['id']}", headers={"If-None-Match": etags[theirs["id"]]})
    assert same.status_code == 304


def test_renaming_a_tag_changes_the_etags_of_its_items(panel, user):
    store = create_store(panel, user)
    tag = create_tag(panel, user, store["id"], "sale")
    linked = create_item(panel, user, store["id"], "Chair")
    unlinked = create_item(panel, user, store["id"], "Table")
    panel.post(f"/item/{linked['id']}/tag/{tag['id']}", headers=user.headers)
    etags = {i: panel.get(f"/item/{i}").headers["ETag"] for i in (linked["id"], unlinked["id"])}
    r = submit(panel, f"/admin/tags/edit/?id={tag['id']}", {"name": "clearance"})
    assert r.status_code == 302, field_errors(r.get_data(True))
    fresh = panel.get(f"/item/{linked['id']}", headers={"If-None-Match": etags[linked["id"]]})
    assert fresh.status_code == 200
    assert [t["name"] for t in fresh.get_json()["tags"]] == ["clearance"]
    same = panel.get(f"/item/{unlinked['id']}", headers={"If-None-Match": etags[unlinked["id"]]})
    assert same.status_code == 304
