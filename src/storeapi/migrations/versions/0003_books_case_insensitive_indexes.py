"""Case-insensitive filters on books use lower(author) and lower(genre): index those.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_books_author_lower", "books", [sa.text("lower(author)")])
    op.create_index("ix_books_genre_lower", "books", [sa.text("lower(genre)")])


def downgrade() -> None:
    op.drop_index("ix_books_genre_lower", "books")
    op.drop_index("ix_books_author_lower", "books")
