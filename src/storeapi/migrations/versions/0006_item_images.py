"""Item pictures: the `images` kept in media storage, and each item's picture and its size.

`items.image_sha256` refers to `images` without an ON DELETE action: a picture still shown
by an item cannot be deleted (storeapi.media.library deletes only unused ones).

Revision ID: 0006
Revises: 0005
Create Date: 2027-01-20
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)
NEVER_REUSE_IDS = {"sqlite_autoincrement": True}  # ignored by PostgreSQL (sequences)


def upgrade() -> None:
    op.create_table(
        "images",
        sa.Column("sha256", sa.String(64), primary_key=True),
        sa.Column("stored_bytes", sa.Integer(), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("pinned_until", TS, nullable=True),
    )
    # A recreate on SQLite (a foreign key cannot be added in place): keep its AUTOINCREMENT.
    with op.batch_alter_table("items", table_kwargs=NEVER_REUSE_IDS) as batch:
        batch.add_column(sa.Column("image_sha256", sa.String(64), nullable=True))
        batch.add_column(sa.Column("image_width", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("image_height", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            "fk_items_image_sha256_images", "images", ["image_sha256"], ["sha256"]
        )
        batch.create_index("ix_items_image_sha256", ["image_sha256"])


def downgrade() -> None:
    with op.batch_alter_table("items", table_kwargs=NEVER_REUSE_IDS) as batch:
        batch.drop_index("ix_items_image_sha256")
        batch.drop_constraint("fk_items_image_sha256_images", type_="foreignkey")
        batch.drop_column("image_height")
        batch.drop_column("image_width")
        batch.drop_column("image_sha256")
    op.drop_table("images")
