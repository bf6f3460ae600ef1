"""Initial schema: users, token families, stores, items, tags, books, frameworks, idempotency.

Revision ID: 0001
Revises:
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def _versioned() -> list[sa.Column]:
    return [
        sa.Column("version", sa.Integer(), nullable=False, server_default="1"),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("email", sa.String(254), nullable=False),
        sa.Column("password_hash", sa.String(255), nullable=False),
        sa.Column("is_admin", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("created_at", TS, nullable=False),
    )
    op.create_index("uq_users_email_lower", "users", [sa.text("lower(email)")], unique=True)

    op.create_table(
        "token_families",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column(
            "user_id", sa.Integer(), sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("refresh_jti", sa.String(36), nullable=False),
        sa.Column("revoked_at", TS, nullable=True),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("expires_at", TS, nullable=False),
    )
    op.create_index("ix_token_families_user_id", "token_families", ["user_id"])
    op.create_index("ix_token_families_expires_at", "token_families", ["expires_at"])

    op.create_table(
        "stores",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.String(80), nullable=False),
        sa.Column(
            "owner_id", sa.Integer(), sa.ForeignKey("users.id", ondelete="SET NULL"), nullable=True
        ),
        *_versioned(),
    )
    op.create_index("uq_stores_name_lower", "stores", [sa.text("lower(name)")], unique=True)
    op.create_index("ix_stores_owner_id", "stores", ["owner_id"])

    op.create_table(
        "items",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "store_id", sa.Integer(), sa.ForeignKey("stores.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("name", sa.String(80), nullable=False),
        sa.Column("price", sa.Numeric(12, 2), nullable=False),
        *_versioned(),
    )
    op.create_index("ix_items_store_id", "items", ["store_id", "id"])
    op.create_index("ix_items_price_id", "items", ["price", "id"])
    op.create_index("ix_items_name_id", "items", ["name", "id"])
    op.create_index("ix_items_created_id", "items", ["created_at", "id"])

    op.create_table(
        "tags",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "store_id", sa.Integer(), sa.ForeignKey("stores.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("name", sa.String(80), nullable=False),
        *_versioned(),
    )
    op.create_index(
        "uq_tags_store_name_lower", "tags", ["store_id", sa.text("lower(name)")], unique=True
    )
    op.create_index("ix_tags_name_lower", "tags", [sa.text("lower(name)")])

    op.create_table(
        "item_tags",
        sa.Column(
            "item_id", sa.Integer(), sa.ForeignKey("items.id", ondelete="CASCADE"), primary_key=True
        ),
        sa.Column("tag_id", sa.Integer(), sa.ForeignKey("tags.id"), primary_key=True),
    )
    op.create_index("ix_item_tags_tag_item", "item_tags", ["tag_id", "item_id"])

    op.create_table(
        "books",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("title", sa.String(250), nullable=False),
        sa.Column("author", sa.String(250), nullable=False),
        sa.Column("genre", sa.String(250), nullable=True),
        *_versioned(),
    )
    op.create_index("ix_books_author", "books", ["author"])
    op.create_index("ix_books_genre", "books", ["genre"])

    op.create_table(
        "frameworks",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.String(80), nullable=False),
        sa.Column("created", sa.Integer(), nullable=False),
        sa.Column("parent", sa.String(80), nullable=True),
        *_versioned(),
    )
    op.create_index("uq_frameworks_name_lower", "frameworks", [sa.text("lower(name)")], unique=True)
    op.create_index("ix_frameworks_parent", "frameworks", ["parent"])

    op.create_table(
        "idempotency_keys",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("scope", sa.String(64), nullable=False),
        sa.Column("key", sa.String(255), nullable=False),
        sa.Column("request_hash", sa.String(64), nullable=False),
        sa.Column("status", sa.Integer(), nullable=False),
        sa.Column("body", sa.LargeBinary(), nullable=False),
        sa.Column("headers", sa.Text(), nullable=False),
        sa.Column("created_at", TS, nullable=False),
    )
    op.create_index("uq_idempotency_scope_key", "idempotency_keys", ["scope", "key"], unique=True)
    op.create_index("ix_idempotency_keys_created_at", "idempotency_keys", ["created_at"])

    if op.get_bind().dialect.name == "postgresql":
        # `q` is a substring search: trigrams keep it off a full scan on PostgreSQL.
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        op.execute("CREATE INDEX ix_items_name_trgm ON items USING gin (lower(name) gin_trgm_ops)")


def downgrade() -> None:
    for table in (
        "idempotency_keys",
        "frameworks",
        "books",
        "item_tags",
        "tags",
        "items",
        "stores",
        "token_families",
        "users",
    ):
        op.drop_table(table)
