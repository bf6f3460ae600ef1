"""Migration 0002 seeds the guide's four frameworks on a new SQLite file and PostgreSQL schema."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest
from alembic import command
from sqlalchemy import create_engine, select, text

from storeapi.app import create_app
from storeapi.db import make_engine, normalize_url
from storeapi.migrate import alembic_config, upgrade
from storeapi.models import Framework
from tests.conftest import test_settings

SEEDED = [
    ("Flask", 2010, "Python"),
    ("Django", 2005, "Python"),
    ("Bottle", 2009, "Python"),
    ("Tornado", 2010, "Python"),
]


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_database(request: pytest.FixtureRequest, tmp_path) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """The URL of a database with no tables at all: a new SQLite file or PostgreSQL schema."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'new.db'}"
        return
    if not os.environ.get("TEST_DATABASE_URL"):
        pytest.skip("TEST_DATABASE_URL is not set")
    base = normalize_url(os.environ["TEST_DATABASE_URL"])
    schema = f"seed_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base)
    with admin.begin() as conn:
        conn.execute(text("CREATE EXTENSION IF NOT EXISTS pg_trgm"))
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in base else "?"
    try:
        yield f"{base}{sep}options=-csearch_path%3D{schema},public"
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def _frameworks(url: str) -> list[tuple]:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(
                select(
                    Framework.name,
                    Framework.created,
                    Framework.parent,
                    Framework.version,
                    Framework.created_at,
                    Framework.updated_at,
                ).order_by(Framework.id)
            ).all()
    finally:
        engine.dispose()
    for row in rows:
        assert row.version == 1 and row.created_at is not None
        assert row.created_at.tzinfo is not None and row.updated_at == row.created_at
    return [(r.name, r.created, r.parent) for r in rows]


def test_upgrading_a_new_database_seeds_exactly_the_four_frameworks(empty_database):
    upgrade(empty_database)
    assert _frameworks(empty_database) == SEEDED


def test_the_seeded_frameworks_are_served_over_http(empty_database):
    upgrade(empty_database)
    app = create_app(test_settings(empty_database))
    try:
        r = app.test_client().get("/frameworks")
        assert r.status_code == 200
        assert [(f["name"], f["created"], f["parent"]) for f in r.get_json()["frameworks"]] == (
            SEEDED
        )
    finally:
        app.extensions["engine"].dispose()


def test_downgrading_0002_removes_the_seed_and_upgrading_restores_it(empty_database):
    upgrade(empty_database, "0001")
    assert _frameworks(empty_database) == []
    upgrade(empty_database)
    assert _frameworks(empty_database) == SEEDED
    command.downgrade(alembic_config(empty_database), "0001")
    assert _frameworks(empty_database) == []
    upgrade(empty_database)
    assert _frameworks(empty_database) == SEEDED
