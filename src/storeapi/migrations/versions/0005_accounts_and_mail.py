"""Accounts for real users: verified addresses, mail-link tokens and the mail outbox.

The new tables never reuse an id on SQLite (AUTOINCREMENT), as 0004 made every other table.

Revision ID: 0005
Revises: 0004
Create Date: 2027-01-10
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)
NEVER_REUSE_IDS = {"sqlite_autoincrement": True}  # ignored by PostgreSQL (sequences)


def upgrade() -> None:
    op.add_column("users", sa.Column("email_verified_at", TS, nullable=True))
    op.create_table(
        "link_tokens",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("purpose", sa.String(32), nullable=False),
        sa.Column(
            "user_id",
            sa.Integer(),
            sa.ForeignKey("users.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
        sa.Column("binding", sa.String(64), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("expires_at", TS, nullable=False, index=True),
        sa.Column("used_at", TS, nullable=True),
        **NEVER_REUSE_IDS,
    )
    # A named unique index, as every other table's: a bare UNIQUE gets a name of the database's.
    op.create_index("uq_link_tokens_token_hash", "link_tokens", ["token_hash"], unique=True)
    op.create_table(
        "mail_outbox",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column(
            "user_id",
            sa.Integer(),
            sa.ForeignKey("users.id", ondelete="CASCADE"),
            nullable=True,
            index=True,
        ),
        sa.Column("recipient", sa.String(254), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", TS, nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("sent_at", TS, nullable=True),
        **NEVER_REUSE_IDS,
    )
    op.create_index("ix_mail_outbox_due", "mail_outbox", ["status", "next_attempt_at"])


def downgrade() -> None:
    op.drop_index("ix_mail_outbox_due", "mail_outbox")
    op.drop_table("mail_outbox")
    op.drop_table("link_tokens")
    # A recreate on SQLite: keep the AUTOINCREMENT that 0004 gave the table.
    with op.batch_alter_table("users", table_kwargs=NEVER_REUSE_IDS) as batch:
        batch.drop_column("email_verified_at")
