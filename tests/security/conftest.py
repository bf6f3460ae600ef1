"""Shared by the OWASP modules: two users with their own objects, an admin, and a snapshot of
every table (to prove that a refused request changed nothing anywhere)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from storeapi.models import Base
from tests.conftest import Account, create_item, create_store, create_tag, make_account


@dataclass
class World:
    owner: Account
    other: Account
    admin: Account
    store: dict
    item: dict
    tag: dict  # linked to `item`
    free_tag: dict  # linked to nothing
    other_store: dict
    other_item: dict
    other_tag: dict


@pytest.fixture
def world(client: FlaskClient) -> World:
    owner = make_account(client, "owner@example.com")
    other = make_account(client, "other@example.com")
    admin = make_account(client, "admin@example.com", admin=True)
    store = create_store(client, owner, "Owner Shop")
    item = create_item(client, owner, store["id"], "Chair")
    tag = create_tag(client, owner, store["id"], "sale")
    free_tag = create_tag(client, owner, store["id"], "new")
    assert (
        client.post(f"/item/{item['id']}/tag/{tag['id']}", headers=owner.headers).status_code == 201
    )
    other_store = create_store(client, other, "Other Shop")
    other_item = create_item(client, other, other_store["id"], "Table")
    other_tag = create_tag(client, other, other_store["id"], "clearance")
    return World(
        owner, other, admin, store, item, tag, free_tag, other_store, other_item, other_tag
    )


def snapshot(client: FlaskClient) -> dict[str, list[tuple]]:
    """Every row of every table (token families and idempotency keys aside: a request that is
    refused may still have been authenticated or remembered)."""
    engine = client.application.extensions["engine"]
    skip = {"token_families", "idempotency_keys"}
    with engine.connect() as conn:
        return {
            table.name: sorted(tuple(map(str, row)) for row in conn.execute(select(table)))
            for table in Base.metadata.sorted_tables
            if table.name not in skip
        }


def walk(value: object):  # type: ignore[no-untyped-def]
    """Every (key, value) pair anywhere in a JSON document."""
    if isinstance(value, dict):
        for k, v in value.items():
            yield k, v
            yield from walk(v)
    elif isinstance(value, list):
        for v in value:
            yield from walk(v)
