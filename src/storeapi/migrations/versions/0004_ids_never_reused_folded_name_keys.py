"""Ids are never reused; unique names compare by a stored folded key; idempotency records go
with their user.

- SQLite gets AUTOINCREMENT on every integer primary key (a table recreate, batch mode): without
  it a deleted row's id went to the next row, and a new account inherited what was keyed on a
  deleted user's id. PostgreSQL's serial columns draw from sequences, which never go back.
- `users.email_key`, and `name_key` on stores, tags and frameworks: NFC plus full case folding,
  computed by the application (storeapi.names), with the unique indexes on them instead of on
  lower(), which folds ASCII only on SQLite and by the server's locale on PostgreSQL.
- `idempotency_keys.user_id`, deleted with the user; records of users already deleted go now.

The keys are computed here with the functions of this revision (copied, so that this migration
stays what it was). Names that already collide once folded ("Straße" and "STRASSE") stop the
upgrade with a list of them, before anything changes: which one to rename is a person's call.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-14
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

KEY_GROWTH = 3
# table: (column, its key column, the column's length, the old lower() index, the new one,
# columns the uniqueness is scoped by)
KEYED = {
    "users": ("email", "email_key", 254, "uq_users_email_lower", "uq_users_email_key", ()),
    "stores": ("name", "name_key", 80, "uq_stores_name_lower", "uq_stores_name_key", ()),
    "tags": (
        "name",
        "name_key",
        80,
        "uq_tags_store_name_lower",
        "uq_tags_store_name_key",
        ("store_id",),
    ),
    "frameworks": (
        "name",
        "name_key",
        80,
        "uq_frameworks_name_lower",
        "uq_frameworks_name_key",
        (),
    ),
}
INTEGER_IDS = ("users", "stores", "items", "tags", "books", "frameworks", "idempotency_keys")
# Indexes on expressions: batch mode cannot carry them through a table recreate on SQLite.
EXPRESSION_INDEXES = {
    "tags": [("ix_tags_name_lower", "lower(name)", "ix_tags_name_key", "name_key")],
    "books": [
        ("ix_books_author_lower", "lower(author)", None, None),
        ("ix_books_genre_lower", "lower(genre)", None, None),
    ],
}


def folded(value: str) -> str:
    nfc = unicodedata.normalize("NFC", value)
    return unicodedata.normalize("NFC", nfc.casefold())


def _keys(conn: sa.Connection, table: str) -> list[tuple[int, tuple, str, str]]:
    column, _, _, _, _, scope = KEYED[table]
    rows = conn.execute(
        sa.text(f"SELECT id, {column}{''.join(', ' + s for s in scope)} FROM {table}")
    ).all()
    return [(r[0], tuple(r[2:]), r[1], folded(r[1])) for r in rows]


def _refuse_collisions(conn: sa.Connection) -> None:
    clashes = []
    for table in KEYED:
        groups: dict[tuple, list[str]] = defaultdict(list)
        for _id, scope, value, key in _keys(conn, table):
            groups[(scope, key)].append(f"{value!r} (id {_id})")
        clashes += [f"{table}: {', '.join(g)}" for g in groups.values() if len(g) > 1]
    if clashes:
        raise RuntimeError(
            "these names are the same once case and Unicode form are folded; rename all but "
            "one of each, then upgrade again:\n  " + "\n  ".join(clashes)
        )


def _recreate() -> str:
    """SQLite sets AUTOINCREMENT only in CREATE TABLE: always recreate there."""
    return "always" if op.get_bind().dialect.name == "sqlite" else "auto"


def _link_idempotency_records_to_users(conn: sa.Connection) -> None:
    users = set(conn.execute(sa.text("SELECT id FROM users")).scalars())
    rows = conn.execute(
        sa.text("SELECT id, scope FROM idempotency_keys WHERE scope LIKE 'user:%'")
    ).all()
    owned = [(r.id, int(r.scope[5:])) for r in rows if r.scope[5:].isdecimal()]
    live = [{"id": i, "user_id": u} for i, u in owned if u in users]
    gone = [{"id": i} for i, u in owned if u not in users]
    if live:
        conn.execute(sa.text("UPDATE idempotency_keys SET user_id = :user_id WHERE id = :id"), live)
    if gone:
        conn.execute(sa.text("DELETE FROM idempotency_keys WHERE id = :id"), gone)


def upgrade() -> None:
    conn = op.get_bind()
    _refuse_collisions(conn)
    for table, indexes in EXPRESSION_INDEXES.items():
        for old, _, _, _ in indexes:
            op.drop_index(old, table)
    for table, (_, key, length, old, _, _) in KEYED.items():
        op.drop_index(old, table)
        op.add_column(table, sa.Column(key, sa.String(length * KEY_GROWTH), nullable=True))
        updates = [{"id": i, "key": k} for i, _, _, k in _keys(conn, table)]
        if updates:
            conn.execute(sa.text(f"UPDATE {table} SET {key} = :key WHERE id = :id"), updates)

    for table in INTEGER_IDS:
        with op.batch_alter_table(
            table, recreate=_recreate(), table_kwargs={"sqlite_autoincrement": True}
        ) as batch:
            if table in KEYED:
                _, key, length, _, new, scope = KEYED[table]
                batch.alter_column(
                    key, existing_type=sa.String(length * KEY_GROWTH), nullable=False
                )
                batch.create_index(new, [*scope, key], unique=True)
            if table == "idempotency_keys":
                batch.add_column(sa.Column("user_id", sa.Integer(), nullable=True))
                batch.create_foreign_key(
                    "fk_idempotency_keys_user_id_users",
                    "users",
                    ["user_id"],
                    ["id"],
                    ondelete="CASCADE",
                )
                batch.create_index("ix_idempotency_keys_user_id", ["user_id"])
    _link_idempotency_records_to_users(conn)

    for table, indexes in EXPRESSION_INDEXES.items():
        for old, expression, new, column in indexes:
            if new is None:
                op.create_index(old, table, [sa.text(expression)])
            else:
                op.create_index(new, table, [column])


def downgrade() -> None:
    for table, indexes in EXPRESSION_INDEXES.items():
        for old, _, new, _ in indexes:
            op.drop_index(new or old, table)
    for table in reversed(INTEGER_IDS):
        with op.batch_alter_table(
            table, recreate=_recreate(), table_kwargs={"sqlite_autoincrement": False}
        ) as batch:
            if table in KEYED:
                _, key, _, _, new, _ = KEYED[table]
                batch.drop_index(new)
                batch.drop_column(key)
            if table == "idempotency_keys":
                batch.drop_index("ix_idempotency_keys_user_id")
                batch.drop_constraint("fk_idempotency_keys_user_id_users", type_="foreignkey")
                batch.drop_column("user_id")
    for table, (column, _, _, old, _, scope) in KEYED.items():
        op.create_index(old, table, [*scope, sa.text(f"lower({column})")], unique=True)
    for table, indexes in EXPRESSION_INDEXES.items():
        for old, expression, _, _ in indexes:
            op.create_index(old, table, [sa.text(expression)])
