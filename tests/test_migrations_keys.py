"""Migration 0004 (ids never reused, folded name keys, idempotency records tied to users)
keeps every row of a database at 0003, on a new SQLite file and PostgreSQL schema."""

from __future__ import annotations

import datetime as dt

import pytest
from alembic import command
from sqlalchemy import Connection, Engine, inspect, select, text

from storeapi.app import create_app
from storeapi.db import make_engine
from storeapi.migrate import alembic_config, upgrade
from storeapi.models import Base, IdempotencyKey, TokenFamily
from tests.conftest import PASSWORD, assert_problem, make_account, test_settings
from tests.test_migrations_seed import empty_database  # noqa: F401  (the fixture)

NOW = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)
ROWS_AT_0003 = [
    "INSERT INTO users (id, email, password_hash, is_admin, created_at) VALUES "
    "(1, 'Ann@example.com', 'x', false, :now), (2, 'bob@example.com', 'x', true, :now), "
    "(5, 'gone@example.com', 'x', false, :now)",
    "DELETE FROM users WHERE id = 5",
    "INSERT INTO token_families (id, user_id, refresh_jti, created_at, expires_at) VALUES "
    "('fam-1', 1, 'jti-1', :now, :now)",
    "INSERT INTO stores (id, name, owner_id, version, created_at, updated_at) VALUES "
    "(1, 'ÉPICERIE', 1, 3, :now, :now), (2, 'Straße', 2, 1, :now, :now)",
    "INSERT INTO items (id, store_id, name, price, version, created_at, updated_at) VALUES "
    "(1, 1, 'Chair', 15.99, 2, :now, :now), (2, 2, 'Table', 40, 1, :now, :now)",
    "INSERT INTO tags (id, store_id, name, version, created_at, updated_at) VALUES "
    "(1, 1, 'Sale', 1, :now, :now), (2, 2, 'sale', 1, :now, :now)",
    "INSERT INTO item_tags (item_id, tag_id) VALUES (1, 1), (2, 2)",
    "INSERT INTO books (id, title, author, genre, version, created_at, updated_at) VALUES "
    "(1, 'Dune', 'Frank Herbert', 'SF', 1, :now, :now)",
    "INSERT INTO idempotency_keys (scope, key, request_hash, status, body, headers, created_at) "
    "VALUES ('user:1', 'k1', 'h', 201, :body, '{}', :now), "
    "('user:5', 'k1', 'h', 201, :body, '{\"Location\": \"/store/2\"}', :now), "
    "('addr:127.0.0.1', 'k1', 'h', 201, :body, '{}', :now)",
]


MODEL_INDEXES = {i.name for t in Base.metadata.sorted_tables for i in t.indexes}
INTEGER_IDS = {"users", "stores", "items", "tags", "books", "frameworks", "idempotency_keys"}
MADE_AFTER_0004 = {"link_tokens", "mail_outbox", "images"}  # by 0005 and 0006
KEYED_BY_TEXT = {"images"}  # the others have integer ids, AUTOINCREMENT from the start


def _index_names(conn: Connection) -> set[str]:
    """The indexes made by name (expression indexes too, which reflection skips on SQLite)."""
    if conn.dialect.name == "sqlite":
        query = "SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
    else:
        query = "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema()"
    names = set(conn.execute(text(query)).scalars())
    unnamed = {"alembic_version_pkc", "ix_items_name_trgm"}  # and primary keys
    return {n for n in names if not n.endswith("_pkey") and n not in unnamed}


LAST_IDS = {"users": 5, "stores": 2, "items": 2, "tags": 2, "books": 1, "idempotency_keys": 3}


def _engine(url: str) -> Engine:
    return make_engine(url)


def _seed_at_0003(url: str) -> dict[str, list[tuple]]:
    upgrade(url, "0003")
    engine = _engine(url)
    try:
        with engine.begin() as conn:
            for statement in ROWS_AT_0003:
                conn.execute(text(statement), {"now": NOW, "body": b"{}"})
            if conn.dialect.name == "postgresql":  # where the app would have left them
                for table, last in LAST_IDS.items():
                    conn.execute(
                        text("SELECT setval(pg_get_serial_sequence(:t, 'id'), :n)"),
                        {"t": table, "n": last},
                    )
        return _rows(engine)
    finally:
        engine.dispose()


COLUMNS_AT_0003: dict[str, list[str]] = {}


def _rows(engine: Engine) -> dict[str, list[tuple]]:
    """Every row of every table, in the columns the tables had at 0003 (read at the first
    call, made at 0003), in a comparable form."""
    out = {}
    with engine.connect() as conn:
        for table in Base.metadata.sorted_tables:
            if table.name in MADE_AFTER_0004:
                continue
            names = COLUMNS_AT_0003.setdefault(
                table.name, [c["name"] for c in inspect(conn).get_columns(table.name)]
            )
            columns = [table.c[n] for n in names]
            rows = conn.execute(select(*columns).order_by(*table.primary_key.columns)).all()
            out[table.name] = [tuple(str(v) for v in r) for r in rows]
    return out


def test_upgrading_from_0003_keeps_every_row_and_fills_the_keys(empty_database):  # noqa: F811
    before = _seed_at_0003(empty_database)
    upgrade(empty_database)
    engine = _engine(empty_database)
    try:
        after = _rows(engine)
        idem = after.pop("idempotency_keys")
        assert {k: v for k, v in before.items() if k != "idempotency_keys"} == after
        # The record of the user deleted before the upgrade went; the others stayed.
        assert sorted(r[1] for r in idem) == ["addr:127.0.0.1", "user:1"]
        with engine.connect() as conn:
            keys = conn.execute(text("SELECT name, name_key FROM stores ORDER BY id")).all()
            assert [tuple(k) for k in keys] == [("ÉPICERIE", "épicerie"), ("Straße", "strasse")]
            emails = conn.execute(text("SELECT email_key FROM users ORDER BY id")).scalars()
            assert list(emails) == ["ann@example.com", "bob@example.com"]
            owners = conn.execute(select(IdempotencyKey.scope, IdempotencyKey.user_id)).all()
            assert sorted(map(tuple, owners), key=str) == [("addr:127.0.0.1", None), ("user:1", 1)]
            assert conn.execute(select(TokenFamily.user_id)).scalars().all() == [1]
            assert _index_names(conn) == MODEL_INDEXES
            if conn.dialect.name == "sqlite":
                created = conn.execute(text("SELECT name, sql FROM sqlite_master")).all()
                autoincrement = {n for n, sql in created if sql and "AUTOINCREMENT" in sql}
                assert autoincrement == INTEGER_IDS | (MADE_AFTER_0004 - KEYED_BY_TEXT)
    finally:
        engine.dispose()


def test_after_the_upgrade_ids_are_not_reused_and_names_fold(empty_database):  # noqa: F811
    _seed_at_0003(empty_database)
    upgrade(empty_database)
    app = create_app(test_settings(empty_database))
    try:
        client = app.test_client()
        bob = make_account(client, "newcomer@example.com")
        assert bob.id > 2  # not 1 or 2; 5 was deleted before ids were kept from reuse
        r = client.post("/store", json={"name": "épicerie"}, headers=bob.headers)
        assert_problem(r, 409)
        r = client.post("/store", json={"name": "STRASSE"}, headers=bob.headers)
        assert_problem(r, 409)
        r = client.post("/login", json={"email": "ANN@example.com", "password": PASSWORD})
        assert_problem(r, 401)  # found by its folded email; the password is wrong
        r = client.post(
            "/store",
            json={"name": "New"},
            headers={**bob.headers, "Idempotency-Key": "k1"},
        )
        assert r.status_code == 201 and "Idempotent-Replayed" not in r.headers
        store = r.get_json()
        assert store["id"] > 2 and store["owner_id"] == bob.id
        r = client.get("/item", query_string={"tag": "SALE"})
        assert sorted(i["id"] for i in r.get_json()["items"]) == [1, 2]
    finally:
        app.extensions["engine"].dispose()


def test_names_that_collide_once_folded_stop_the_upgrade_unchanged(empty_database):  # noqa: F811
    upgrade(empty_database, "0003")
    engine = _engine(empty_database)
    try:
        with engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO stores (name, version, created_at, updated_at) VALUES "
                    "('Straße', 1, :now, :now), ('STRASSE', 1, :now, :now)"
                ),
                {"now": NOW},
            )
        with pytest.raises(RuntimeError, match=r"Straße.*STRASSE"):
            upgrade(empty_database)
        with engine.connect() as conn:
            version = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
            assert version == "0003"
            assert "name_key" not in {c["name"] for c in inspect(conn).get_columns("stores")}
    finally:
        engine.dispose()


def test_downgrading_0004_keeps_the_rows_and_restores_0003(empty_database):  # noqa: F811
    before = _seed_at_0003(empty_database)
    engine = _engine(empty_database)
    try:
        with engine.connect() as conn:
            indexes_at_0003 = _index_names(conn)
        upgrade(empty_database)
        command.downgrade(alembic_config(empty_database), "0003")
        # The record of the user deleted before 0004 stays deleted.
        before["idempotency_keys"] = [r for r in before["idempotency_keys"] if "user:5" not in r]
        assert _rows(engine) == before
        with engine.connect() as conn:
            assert _index_names(conn) == indexes_at_0003
            if conn.dialect.name == "sqlite":
                sql = conn.execute(text("SELECT group_concat(sql) FROM sqlite_master")).scalar()
                assert "AUTOINCREMENT" not in sql
    finally:
        engine.dispose()
    upgrade(empty_database)
