"""The tables. Every mutable resource carries a `version` that feeds its ETag.

Integer ids are never reused: AUTOINCREMENT on SQLite (without it SQLite hands a deleted
row's id to the next row), a sequence on PostgreSQL. A new account must not meet anything of
a deleted one's that is keyed on its id.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import ClassVar

from sqlalchemy import (
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    Numeric,
    String,
    Text,
    TypeDecorator,
    event,
    func,
)
from sqlalchemy.engine.default import DefaultExecutionContext
from sqlalchemy.orm import DeclarativeBase, Mapped, Mapper, mapped_column, relationship

from storeapi.names import KEY_GROWTH, folded


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class UTCDateTime(TypeDecorator[dt.datetime]):
    """Timezone-aware UTC on every backend (SQLite returns naive datetimes)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):  # type: ignore[no-untyped-def]
        if value is not None and value.tzinfo is not None:
            value = value.astimezone(dt.UTC)
        return value

    def process_result_value(self, value, dialect):  # type: ignore[no-untyped-def]
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=dt.UTC)
        return value

    def result_processor(self, dialect, coltype):  # type: ignore[no-untyped-def]
        """On SQLite, straight from the stored text (`2024-01-01 00:00:01.000000`, UTC) to an
        aware datetime: one C call per value instead of two layers of processors, which a
        list of 50 items pays 100 times."""
        if dialect.name != "sqlite":
            return super().result_processor(dialect, coltype)

        def process(value):  # type: ignore[no-untyped-def]
            if value is None:
                return None
            try:  # stored as UTC without an offset; parsing one in is 8x faster than .replace()
                return dt.datetime.fromisoformat(value + "+00:00")
            except ValueError:  # text written with an offset of its own
                parsed = dt.datetime.fromisoformat(value)
                return parsed.replace(tzinfo=dt.UTC) if parsed.tzinfo is None else parsed

        return process


class Money(TypeDecorator[Decimal]):
    """An exact amount with two decimals, NUMERIC(12, 2) on every backend."""

    impl = Numeric(12, 2)
    cache_ok = True

    def process_result_value(self, value, dialect):  # type: ignore[no-untyped-def]
        # SQLite keeps NUMERIC as a double: 12 significant digits round-trip exactly.
        if value is None:
            return None
        return Decimal(str(value)).quantize(Decimal("0.01"))

    def result_processor(self, dialect, coltype):  # type: ignore[no-untyped-def]
        """On SQLite, straight from the stored number to the two-decimal amount (formatting a
        double of at most 12 significant digits to 2 places is exact)."""
        if dialect.name != "sqlite":
            return super().result_processor(dialect, coltype)

        def process(value):  # type: ignore[no-untyped-def]
            return None if value is None else Decimal(f"{value:.2f}")

        return process


class Base(DeclarativeBase):
    type_annotation_map = {dt.datetime: UTCDateTime}


NEVER_REUSE_IDS = {"sqlite_autoincrement": True}


class FoldedKeys:
    """A table whose unique names are compared by a folded key column (storeapi.names).

    `FOLDED` maps each key column to the column it folds. A Core insert that does not give
    the key gets it from the column default; an ORM object (the admin panel) gets it on every
    flush; a Core update that renames must set it too (see `with_key`)."""

    FOLDED: ClassVar[dict[str, str]] = {}


def folded_key(source: str, length: int) -> Mapped[str]:
    """The key column of `source`: its folded form, filled in when an insert leaves it out."""

    def default(context: DefaultExecutionContext) -> str:
        return folded(context.get_current_parameters()[source])

    return mapped_column(String(length * KEY_GROWTH), default=default, nullable=False)


def with_key(model: type[FoldedKeys], changes: dict) -> dict:
    """`changes` for a Core UPDATE, with the key of each folded column that changes."""
    keys = {k: folded(changes[src]) for k, src in model.FOLDED.items() if src in changes}
    return {**changes, **keys}


@event.listens_for(Base, "before_insert", propagate=True)
@event.listens_for(Base, "before_update", propagate=True)
def _fold_keys(_mapper: Mapper, _connection: object, target: object) -> None:
    if isinstance(target, FoldedKeys):
        for key, source in target.FOLDED.items():
            setattr(target, key, folded(getattr(target, source)))


class Versioned:
    version: Mapped[int] = mapped_column(Integer, default=1, nullable=False)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow, nullable=False)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, nullable=False)


class User(FoldedKeys, Base):
    __tablename__ = "users"
    FOLDED = {"email_key": "email"}
    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), nullable=False)
    email_key: Mapped[str] = folded_key("email", 254)
    password_hash: Mapped[str] = mapped_column(String(255), nullable=False)
    is_admin: Mapped[bool] = mapped_column(default=False, nullable=False)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow, nullable=False)
    email_verified_at: Mapped[dt.datetime | None] = mapped_column(nullable=True)
    __table_args__ = (Index("uq_users_email_key", email_key, unique=True), NEVER_REUSE_IDS)

    def __str__(self) -> str:
        return self.email


class TokenFamily(Base):
    """One login: its refresh tokens rotate; re-use of a rotated one revokes the family."""

    __tablename__ = "token_families"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True, nullable=False
    )
    refresh_jti: Mapped[str] = mapped_column(String(36), nullable=False)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow, nullable=False)
    expires_at: Mapped[dt.datetime] = mapped_column(nullable=False, index=True)


class Store(FoldedKeys, Versioned, Base):
    __tablename__ = "stores"
    FOLDED = {"name_key": "name"}
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), nullable=False)
    name_key: Mapped[str] = folded_key("name", 80)
    owner_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True, nullable=True
    )
    items: Mapped[list[Item]] = relationship(back_populates="store", passive_deletes=True)
    tags: Mapped[list[Tag]] = relationship(back_populates="store", passive_deletes=True)
    owner: Mapped[User | None] = relationship()
    __table_args__ = (Index("uq_stores_name_key", name_key, unique=True), NEVER_REUSE_IDS)

    def __str__(self) -> str:
        return self.name


class ItemTag(Base):
    __tablename__ = "item_tags"
    item_id: Mapped[int] = mapped_column(
        ForeignKey("items.id", ondelete="CASCADE"), primary_key=True
    )
    # NO ACTION: a linked tag cannot be deleted (checked at statement end, so deleting a
    # whole store, which cascades to both items and tags, still works).
    tag_id: Mapped[int] = mapped_column(ForeignKey("tags.id"), primary_key=True)
    __table_args__ = (Index("ix_item_tags_tag_item", "tag_id", "item_id"),)


class Image(Base):
    """A picture kept in media storage once, whoever uploaded it (`storeapi.media`).

    Keyed by the SHA-256 of its re-encoded bytes; its renditions are stored under that key.
    A row lives while an item refers to it or an upload has it pinned (`pinned_until`), and
    its files are deleted with it (`media.library`)."""

    __tablename__ = "images"
    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    stored_bytes: Mapped[int] = mapped_column(Integer, nullable=False)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow, nullable=False)
    pinned_until: Mapped[dt.datetime | None] = mapped_column(nullable=True)


class Item(Versioned, Base):
    __tablename__ = "items"
    id: Mapped[int] = mapped_column(primary_key=True)
    store_id: Mapped[int] = mapped_column(
        ForeignKey("stores.id", ondelete="CASCADE"), nullable=False
    )
    name: Mapped[str] = mapped_column(String(80), nullable=False)
    price: Mapped[Decimal] = mapped_column(Money, nullable=False)
    # The picture, with its size copied here so that reading an item needs no join.
    image_sha256: Mapped[str | None] = mapped_column(
        ForeignKey("images.sha256", name="fk_items_image_sha256_images"), nullable=True, index=True
    )
    image_width: Mapped[int | None] = mapped_column(Integer, nullable=True)
    image_height: Mapped[int | None] = mapped_column(Integer, nullable=True)
    store: Mapped[Store] = relationship(back_populates="items")
    tags: Mapped[list[Tag]] = relationship(secondary="item_tags", back_populates="items")
    __table_args__ = (
        Index("ix_items_store_id", "store_id", "id"),
        Index("ix_items_price_id", "price", "id"),
        Index("ix_items_name_id", "name", "id"),
        Index("ix_items_created_id", "created_at", "id"),
        NEVER_REUSE_IDS,
    )

    def __str__(self) -> str:
        return self.name


class Tag(FoldedKeys, Versioned, Base):
    __tablename__ = "tags"
    FOLDED = {"name_key": "name"}
    id: Mapped[int] = mapped_column(primary_key=True)
    store_id: Mapped[int] = mapped_column(
        ForeignKey("stores.id", ondelete="CASCADE"), nullable=False
    )
    name: Mapped[str] = mapped_column(String(80), nullable=False)
    name_key: Mapped[str] = folded_key("name", 80)
    store: Mapped[Store] = relationship(back_populates="tags")
    items: Mapped[list[Item]] = relationship(secondary="item_tags", back_populates="tags")
    __table_args__ = (
        Index("uq_tags_store_name_key", "store_id", name_key, unique=True),
        Index("ix_tags_name_key", name_key),
        NEVER_REUSE_IDS,
    )

    def __str__(self) -> str:
        return self.name


class Book(Versioned, Base):
    __tablename__ = "books"
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(250), nullable=False)
    author: Mapped[str] = mapped_column(String(250), nullable=False, index=True)
    genre: Mapped[str | None] = mapped_column(String(250), nullable=True, index=True)
    __table_args__ = (
        Index("ix_books_author_lower", func.lower(author)),
        Index("ix_books_genre_lower", func.lower(genre)),
        NEVER_REUSE_IDS,
    )

    def __str__(self) -> str:
        return self.title


class Framework(FoldedKeys, Versioned, Base):
    __tablename__ = "frameworks"
    FOLDED = {"name_key": "name"}
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), nullable=False)
    name_key: Mapped[str] = folded_key("name", 80)
    created: Mapped[int] = mapped_column(Integer, nullable=False)
    parent: Mapped[str | None] = mapped_column(String(80), nullable=True, index=True)
    __table_args__ = (Index("uq_frameworks_name_key", name_key, unique=True), NEVER_REUSE_IDS)

    def __str__(self) -> str:
        return self.name


class IdempotencyKey(Base):
    """A POST's first response, replayed for a repeat with the same key and body. A user's
    go with the user (`user_id`); anonymous callers' are scoped by address alone."""

    __tablename__ = "idempotency_keys"
    id: Mapped[int] = mapped_column(primary_key=True)
    scope: Mapped[str] = mapped_column(String(64), nullable=False)
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True, nullable=True
    )
    key: Mapped[str] = mapped_column(String(255), nullable=False)
    request_hash: Mapped[str] = mapped_column(String(64), nullable=False)
    status: Mapped[int] = mapped_column(Integer, nullable=False)
    body: Mapped[bytes] = mapped_column(LargeBinary, nullable=False)
    headers: Mapped[str] = mapped_column(Text, nullable=False)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow, nullable=False, index=True)
    __table_args__ = (
        Index("uq_idempotency_scope_key", "scope", "key", unique=True),
        NEVER_REUSE_IDS,
    )


class LinkToken(Base):
    """A single-use token sent in a mail link; only its SHA-256 is kept (`mail.link_tokens`)."""

    __tablename__ = "link_tokens"
    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), nullable=False)
    purpose: Mapped[str] = mapped_column(String(32), nullable=False)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True, nullable=False
    )
    binding: Mapped[str] = mapped_column(String(64), nullable=False)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow, nullable=False)
    expires_at: Mapped[dt.datetime] = mapped_column(nullable=False, index=True)
    used_at: Mapped[dt.datetime | None] = mapped_column(nullable=True)
    __table_args__ = (Index("uq_link_tokens_token_hash", token_hash, unique=True), NEVER_REUSE_IDS)


class MailOutbox(Base):
    """A mail to send, written in the transaction that causes it (`mail.outbox`)."""

    __tablename__ = "mail_outbox"
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(32), nullable=False)
    # The account it is about; a password reset for an unknown address has none (never sent).
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True, nullable=True
    )
    recipient: Mapped[str] = mapped_column(String(254), nullable=False)
    status: Mapped[str] = mapped_column(String(16), nullable=False, default="pending")
    attempts: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    next_attempt_at: Mapped[dt.datetime] = mapped_column(nullable=False)
    last_error: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow, nullable=False)
    sent_at: Mapped[dt.datetime | None] = mapped_column(nullable=True)
    __table_args__ = (Index("ix_mail_outbox_due", "status", "next_attempt_at"), NEVER_REUSE_IDS)

    def __str__(self) -> str:
        return f"{self.kind} to {self.recipient}"
