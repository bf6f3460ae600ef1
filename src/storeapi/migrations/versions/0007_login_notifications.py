"""PostgreSQL: NOTIFY the processes' caches of live logins (auth/live_logins.py) of changes.

A trigger sees every writer (the API, the admin panel, the CLI, SQL typed by hand), and its
notification is sent at commit, only if the change commits. One channel for the whole database;
each payload starts with the changed table's schema, so a process hears only its own schema's
changes (tests give each test a schema of its own in one database). A no-op on SQLite, where
the guard reads the database on every request.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-10
"""

from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

# Kept equal to auth/live_logins.py's CHANNEL (a migration does not import the app).
CHANNEL = "storeapi_logins"

FUNCTIONS = {
    # A login changed (revoked, rotated, shortened) or was deleted.
    "storeapi_family_changed": "OLD.id",
    # Rights, verification or password changed, or the user was deleted: all of the user's logins.
    "storeapi_user_changed": "'user ' || OLD.id",
}


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for name, what in FUNCTIONS.items():
        op.execute(
            f"""
            CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                PERFORM pg_notify('{CHANNEL}', TG_TABLE_SCHEMA || ' ' || {what});
                RETURN NULL;
            END $$
            """
        )
    # TRUNCATE fires no row trigger: every login of the schema is forgotten.
    op.execute(
        f"""
        CREATE FUNCTION storeapi_logins_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            PERFORM pg_notify('{CHANNEL}', TG_TABLE_SCHEMA || ' all');
            RETURN NULL;
        END $$
        """
    )
    op.execute(
        "CREATE TRIGGER storeapi_family_changed AFTER UPDATE OR DELETE ON token_families "
        "FOR EACH ROW EXECUTE FUNCTION storeapi_family_changed()"
    )
    op.execute(
        "CREATE TRIGGER storeapi_user_changed "
        "AFTER UPDATE OF is_admin, email_verified_at, password_hash ON users FOR EACH ROW "
        "WHEN (OLD.is_admin IS DISTINCT FROM NEW.is_admin "
        "OR OLD.email_verified_at IS DISTINCT FROM NEW.email_verified_at "
        "OR OLD.password_hash IS DISTINCT FROM NEW.password_hash) "
        "EXECUTE FUNCTION storeapi_user_changed()"
    )
    op.execute(
        "CREATE TRIGGER storeapi_user_deleted AFTER DELETE ON users "
        "FOR EACH ROW EXECUTE FUNCTION storeapi_user_changed()"
    )
    for table in ("token_families", "users"):
        op.execute(
            f"CREATE TRIGGER storeapi_logins_truncated AFTER TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION storeapi_logins_truncated()"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in ("token_families", "users"):
        op.execute(f"DROP TRIGGER storeapi_logins_truncated ON {table}")
    op.execute("DROP TRIGGER storeapi_user_deleted ON users")
    op.execute("DROP TRIGGER storeapi_user_changed ON users")
    op.execute("DROP TRIGGER storeapi_family_changed ON token_families")
    for name in (*FUNCTIONS, "storeapi_logins_truncated"):
        op.execute(f"DROP FUNCTION {name}()")
