"""Who may write what: every write endpoint by every kind of caller, in one table (API.md §1).

Callers: nobody (no token), another user, the owner of the store, an administrator, and the
owner holding a refreshed (non-fresh) access token. 🔒 endpoints accept any valid token,
🔒🔒 ones only a fresh one. A refused write must change nothing: the object is read back
before and after, and a successful one must show its effect in that same read.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from sqlalchemy import update

from storeapi.http.api import OPERATIONS
from storeapi.models import User
from tests import pictures
from tests.conftest import (
    Account,
    assert_problem,
    create_item,
    create_store,
    create_tag,
    make_account,
    non_fresh,
    once_seen,
)

CALLERS = ("anonymous", "other user", "owner", "admin", "non-fresh owner")


@dataclass
class World:
    owner: Account
    other: Account
    admin: Account
    non_fresh_owner: Account
    store: dict
    item: dict
    tag: dict  # unlinked: may be deleted
    linked_tag: dict  # linked to `item`

    def headers(self, caller: str) -> dict[str, str]:
        account = {
            "anonymous": None,
            "other user": self.other,
            "owner": self.owner,
            "admin": self.admin,
            "non-fresh owner": self.non_fresh_owner,
        }[caller]
        return account.headers if account else {}


@dataclass(frozen=True)
class Write:
    method: str
    rule: str  # the Flask rule, to check the table covers every write endpoint
    path: Callable[[World], str]
    body: Callable[[World], dict] | None
    witness: Callable[[World], str]  # a GET that shows whether the write happened
    witness_as_admin: bool = False
    raw: bytes | None = None  # a body that is a file, sent as it is


WRITES = {
    "POST /store": Write(
        "POST", "/store", lambda w: "/store", lambda w: {"name": "Second Shop"}, lambda w: "/store"
    ),
    "DELETE /store/{id}": Write(
        "DELETE",
        "/store/<int:store_id>",
        lambda w: f"/store/{w.store['id']}",
        None,
        lambda w: f"/store/{w.store['id']}",
    ),
    "POST /item": Write(
        "POST",
        "/item",
        lambda w: "/item",
        lambda w: {"name": "Lamp", "price": "5.00", "store_id": w.store["id"]},
        lambda w: f"/item?store_id={w.store['id']}",
    ),
    "PUT /item/{id}": Write(
        "PUT",
        "/item/<int:item_id>",
        lambda w: f"/item/{w.item['id']}",
        lambda w: {"name": "Renamed", "price": "9.99"},
        lambda w: f"/item/{w.item['id']}",
    ),
    "DELETE /item/{id}": Write(
        "DELETE",
        "/item/<int:item_id>",
        lambda w: f"/item/{w.item['id']}",
        None,
        lambda w: f"/item/{w.item['id']}",
    ),
    "POST /store/{id}/tag": Write(
        "POST",
        "/store/<int:store_id>/tag",
        lambda w: f"/store/{w.store['id']}/tag",
        lambda w: {"name": "new-tag"},
        lambda w: f"/store/{w.store['id']}/tag",
    ),
    "POST /item/{id}/tag/{tag_id}": Write(
        "POST",
        "/item/<int:item_id>/tag/<int:tag_id>",
        lambda w: f"/item/{w.item['id']}/tag/{w.tag['id']}",
        None,
        lambda w: f"/item/{w.item['id']}",
    ),
    "DELETE /item/{id}/tag/{tag_id}": Write(
        "DELETE",
        "/item/<int:item_id>/tag/<int:tag_id>",
        lambda w: f"/item/{w.item['id']}/tag/{w.linked_tag['id']}",
        None,
        lambda w: f"/item/{w.item['id']}",
    ),
    "PUT /item/{id}/image": Write(
        "PUT",
        "/item/<int:item_id>/image",
        lambda w: f"/item/{w.item['id']}/image",
        None,
        lambda w: f"/item/{w.item['id']}",
        raw=pictures.webp((120, 90)),
    ),
    "DELETE /item/{id}/image": Write(
        "DELETE",
        "/item/<int:item_id>/image",
        lambda w: f"/item/{w.item['id']}/image",
        None,
        lambda w: f"/item/{w.item['id']}",
    ),
    "DELETE /tag/{id}": Write(
        "DELETE",
        "/tag/<int:tag_id>",
        lambda w: f"/tag/{w.tag['id']}",
        None,
        lambda w: f"/tag/{w.tag['id']}",
    ),
    "DELETE /user/{id}": Write(
        "DELETE",
        "/user/<int:user_id>",
        lambda w: f"/user/{w.owner.id}",  # the "owner" here is the user being deleted
        None,
        lambda w: f"/user/{w.owner.id}",
        witness_as_admin=True,
    ),
}

# Expected status per caller, in the order of CALLERS.
# POST /store has no owner yet: any signed-in user may create a store, so "other user" succeeds.
# DELETE /user is for administrators only: the user themself is refused (403), and a non-fresh
# token is refused before the role is looked at (401, like every 🔒🔒 endpoint).
# fmt: off
TABLE: dict[str, tuple[int, int, int, int, int]] = {
    #                                  anonymous  other  owner  admin  non-fresh owner
    "POST /store":                     (401,       201,   201,   201,   201),  # 🔒
    "DELETE /store/{id}":              (401,       403,   204,   204,   401),  # 🔒🔒
    "POST /item":                      (401,       403,   201,   201,   201),  # 🔒
    "PUT /item/{id}":                  (401,       403,   200,   200,   200),  # 🔒
    "DELETE /item/{id}":               (401,       403,   204,   204,   401),  # 🔒🔒
    "POST /store/{id}/tag":            (401,       403,   201,   201,   201),  # 🔒
    "POST /item/{id}/tag/{tag_id}":    (401,       403,   201,   201,   201),  # 🔒
    "DELETE /item/{id}/tag/{tag_id}":  (401,       403,   204,   204,   204),  # 🔒
    "PUT /item/{id}/image":            (401,       403,   200,   200,   200),  # 🔒
    "DELETE /item/{id}/image":         (401,       403,   204,   204,   204),  # 🔒
    "DELETE /tag/{id}":                (401,       403,   204,   204,   401),  # 🔒🔒
    "DELETE /user/{id}":               (401,       403,   403,   204,   401),  # 🔒🔒 admin
}
# fmt: on

CASES = [
    pytest.param(name, caller, status, id=f"{name} as {caller}")
    for name, statuses in TABLE.items()
    for caller, status in zip(CALLERS, statuses, strict=True)
]

TOKEN_ENDPOINTS = {"/register", "/login", "/logout", "/refresh"}


@pytest.fixture
def world(client, user, other_user, admin) -> World:
    store = create_store(client, user)
    item = create_item(client, user, store["id"])
    tag = create_tag(client, user, store["id"], "spare")
    linked_tag = create_tag(client, user, store["id"], "linked")
    r = client.post(f"/item/{item['id']}/tag/{linked_tag['id']}", headers=user.headers)
    assert r.status_code == 201
    picture = pictures.png_with_alpha((80, 60))  # so that removing the item's picture shows
    r = client.put(f"/item/{item['id']}/image", data=picture, headers=user.headers)
    assert r.status_code == 201
    item = r.get_json()
    return World(user, other_user, admin, non_fresh(client, user), store, item, tag, linked_tag)


def read_back(client, world: World, write: Write) -> tuple[int, object]:
    headers = world.admin.headers if write.witness_as_admin else {}
    r = client.get(write.witness(world), headers=headers)
    return r.status_code, r.get_json()


@pytest.mark.parametrize("name, caller, status", CASES)
def test_write_authorization(client, world, name, caller, status):
    write = WRITES[name]
    before = read_back(client, world, write)
    assert before[0] == 200
    body = write.body(world) if write.body else None
    content = {"data": write.raw} if write.raw is not None else {"json": body}
    r = client.open(
        write.path(world), method=write.method, headers=world.headers(caller), **content
    )
    assert r.status_code == status, r.get_data(True)
    after = read_back(client, world, write)
    if status >= 400:
        problem = assert_problem(r, status)
        if status == 401:
            assert r.headers["WWW-Authenticate"].startswith("Bearer")
            expected = "missing-token" if caller == "anonymous" else "fresh-token-required"
            assert problem["type"].endswith(f"/{expected}")
        assert after == before, "a refused write changed the object"
    else:
        assert after != before, "a successful write left no trace"


def test_the_table_covers_every_write_endpoint_of_stores_items_tags_and_users():
    registered = {
        (op.method, op.rule)
        for op in OPERATIONS
        if op.method != "GET"
        and op.endpoint.split(".")[0] in {"stores", "items", "images", "tags", "users"}
        and op.rule not in TOKEN_ENDPOINTS
    }
    assert registered == {(w.method, w.rule) for w in WRITES.values()}
    assert set(TABLE) == set(WRITES)


def test_an_owner_cannot_write_into_another_owners_store(client, world):
    """Ownership is per store: owning one store gives no rights over another."""
    theirs = create_store(client, world.other, "Their Shop")
    their_item = create_item(client, world.other, theirs["id"], "Desk")
    r = client.post(
        "/item",
        json={"name": "Intruder", "price": "1.00", "store_id": theirs["id"]},
        headers=world.owner.headers,
    )
    assert_problem(r, 403)
    r = client.post(f"/item/{their_item['id']}/tag/{world.tag['id']}", headers=world.owner.headers)
    assert_problem(r, 403)
    r = client.post(f"/item/{world.item['id']}/tag/{world.tag['id']}", headers=world.other.headers)
    assert_problem(r, 403)
    assert client.get(f"/item?store_id={theirs['id']}").get_json()["items"] == [
        client.get(f"/item/{their_item['id']}").get_json()
    ]
    assert client.get(f"/item/{their_item['id']}").get_json()["tags"] == []


def test_a_user_made_admin_after_login_gets_admin_rights_at_once(client, world):
    r = client.delete(f"/item/{world.item['id']}", headers=world.other.headers)
    assert_problem(r, 403)
    with client.application.extensions["engine"].begin() as conn:
        conn.execute(update(User).where(User.id == world.other.id).values(is_admin=True))
    delete = lambda: client.delete(f"/item/{world.item['id']}", headers=world.other.headers)  # noqa: E731
    assert once_seen(delete, 204).status_code == 204


def test_ownerless_stores_are_writable_by_admins_only(client, world):
    """A deleted owner's stores are kept; only administrators may then change them."""
    assert client.delete(f"/user/{world.owner.id}", headers=world.admin.headers).status_code == 204
    newcomer = make_account(client, "newcomer@example.com")
    r = client.put(f"/item/{world.item['id']}", json={"name": "Mine"}, headers=newcomer.headers)
    assert_problem(r, 403)
    r = client.put(f"/item/{world.item['id']}", json={"name": "Kept"}, headers=world.admin.headers)
    assert r.status_code == 200 and r.get_json()["name"] == "Kept"
