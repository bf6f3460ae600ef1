"""Seed the frameworks of the "Creating Python APIs" guide: Flask, Django, Bottle, Tornado.

The rows live here, not imported from the application, so this migration stays what it was
when the application changes. The tests restore exactly these rows, `FRAMEWORKS` (see
tests/conftest.py).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26
"""

import datetime as dt

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

FRAMEWORKS = (
    {"name": "Flask", "created": 2010, "parent": "Python"},
    {"name": "Django", "created": 2005, "parent": "Python"},
    {"name": "Bottle", "created": 2009, "parent": "Python"},
    {"name": "Tornado", "created": 2010, "parent": "Python"},
)

frameworks = sa.table(
    "frameworks",
    sa.column("name", sa.String(80)),
    sa.column("created", sa.Integer()),
    sa.column("parent", sa.String(80)),
    sa.column("version", sa.Integer()),
    sa.column("created_at", sa.DateTime(timezone=True)),
    sa.column("updated_at", sa.DateTime(timezone=True)),
)


def insert_frameworks(conn: sa.Connection) -> None:
    """Insert the seed rows (in this order, so a new database lists them as the guide does)."""
    now = dt.datetime.now(dt.UTC)
    for row in FRAMEWORKS:
        conn.execute(sa.insert(frameworks).values(**row, version=1, created_at=now, updated_at=now))


def upgrade() -> None:
    insert_frameworks(op.get_bind())


def downgrade() -> None:
    names = [row["name"].lower() for row in FRAMEWORKS]
    op.get_bind().execute(sa.delete(frameworks).where(sa.func.lower(frameworks.c.name).in_(names)))
