"""Alembic environment: runs on the URL (or connection) that storeapi.migrate passes in."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from storeapi.db import make_engine
from storeapi.models import Base

config = context.config
target_metadata = Base.metadata


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        # The first schema on the search_path, not any schema it can see: a database whose
        # `public` is migrated must not make a new schema look migrated too.
        version_table_schema=connection.dialect.default_schema_name
        if connection.dialect.name == "postgresql"
        else None,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:
    engine = make_engine(config.get_main_option("sqlalchemy.url"))
    with engine.connect() as conn:
        _run(conn)
    engine.dispose()
