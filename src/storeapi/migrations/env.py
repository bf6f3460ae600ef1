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


def _run_without_foreign_key_actions(connection: Connection) -> None:
    """On SQLite, migrate with foreign keys off, then check them all.

    A migration in batch mode recreates a table and drops the old copy, and with foreign keys
    on that drop runs the ON DELETE actions of every row (dropping `users` would delete every
    login). SQLite ignores this pragma inside a transaction, so it is set on the driver's
    connection before the migration's transaction begins, and put back after it."""
    driver = connection.connection.driver_connection
    driver.execute("PRAGMA foreign_keys=OFF")
    try:
        _run(connection)
        broken = driver.execute("PRAGMA foreign_key_check").fetchall()
        if broken:
            raise RuntimeError(f"the migration left rows with broken foreign keys: {broken}")
    finally:
        driver.execute("PRAGMA foreign_keys=ON")


def migrate(connection: Connection) -> None:
    if connection.dialect.name == "sqlite":
        _run_without_foreign_key_actions(connection)
    else:
        _run(connection)


connection = config.attributes.get("connection")
if connection is not None:
    migrate(connection)
else:
    engine = make_engine(config.get_main_option("sqlalchemy.url"))
    with engine.connect() as conn:
        migrate(conn)
    engine.dispose()
