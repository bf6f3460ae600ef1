"""Migration 0006 (item pictures) on SQLite and PostgreSQL: existing items are kept, without a
picture; a picture can then be set; downgrading to 0005 keeps the items and drops the rest."""

from __future__ import annotations

from alembic import command
from sqlalchemy import inspect, text

from storeapi.app import create_app
from storeapi.db import make_engine
from storeapi.migrate import alembic_config, upgrade
from tests import pictures
from tests.conftest import create_store, make_account, test_settings
from tests.test_migrations_seed import empty_database  # noqa: F401  (the fixture)

NOW = "2027-01-01 00:00:00"


def test_upgrading_to_0006_keeps_items_and_downgrading_keeps_them_too(empty_database, tmp_path):  # noqa: F811
    upgrade(empty_database, "0005")
    engine = make_engine(empty_database)
    try:
        with engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO stores (name, name_key, version, created_at, updated_at) "
                    "VALUES ('Old Shop', 'old shop', 1, :now, :now)"
                ),
                {"now": NOW},
            )
            conn.execute(
                text(
                    "INSERT INTO items (store_id, name, price, version, created_at, updated_at) "
                    "SELECT id, 'Old Chair', 9.5, 1, :now, :now FROM stores"
                ),
                {"now": NOW},
            )
    finally:
        engine.dispose()
    upgrade(empty_database)
    app = create_app(test_settings(empty_database, storage_url=f"file://{tmp_path}"))
    client = app.test_client()
    try:
        old = client.get("/item?limit=5").get_json()["items"][0]
        assert (old["name"], old["image"]) == ("Old Chair", None)
        user = make_account(client, "new@example.com", admin=True)
        create_store(client, user)
        r = client.put(f"/item/{old['id']}/image", data=pictures.webp(), headers=user.headers)
        assert r.status_code == 201, r.get_data(True)
        client.delete(f"/item/{old['id']}/image", headers=user.headers)
    finally:
        app.extensions["engine"].dispose()

    command.downgrade(alembic_config(empty_database), "0005")
    engine = make_engine(empty_database)
    try:
        with engine.connect() as conn:
            assert conn.execute(text("SELECT name FROM items")).scalars().all() == ["Old Chair"]
            columns = {c["name"] for c in inspect(conn).get_columns("items")}
            assert not {"image_sha256", "image_width", "image_height"} & columns
            assert "images" not in inspect(conn).get_table_names()
    finally:
        engine.dispose()
