"""Demo data for `storeapi seed-demo`: a demo user owning stores with priced, tagged items
with pictures (drawn by media/demo.py), plus books and frameworks.

Every demo row has a fixed identity (the user's email, a store's name, an item's name within
its store, a tag's name within its store, a book's title and author, a framework's name), so
running the seed again adds only what is missing: the same sizes add nothing, larger sizes add
the difference. Rows that other people created under a demo name are left alone. Each store
is committed on its own, so an interrupted run resumes where it stopped.
"""

from __future__ import annotations

import random
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import Engine, func, insert, select
from sqlalchemy.orm import Session

from storeapi.demo_catalogue import BOOKS, CATALOGUE, FRAMEWORKS
from storeapi.migrate import pending

if TYPE_CHECKING:  # Pillow is loaded only when pictures are drawn
    from storeapi.media.demo import DemoPictures
from storeapi.models import Book, Framework, Item, ItemTag, Store, Tag, User, utcnow
from storeapi.names import folded
from storeapi.resources.users import insert_user

DEMO_EMAIL = "demo@example.com"

# The demo stores, in order; --stores beyond them repeats them as "Riverside Hardware 2", ...
STORE_NAMES = tuple(CATALOGUE)

TAG_NAMES = ("sale", "new", "eco-friendly", "bestseller", "gift idea", "clearance")


@dataclass
class SeedResult:
    """What a run added (zero everywhere on a repeated run with the same sizes)."""

    user_id: int = 0
    password: str | None = None  # set when the run created the demo user
    stores: int = 0
    items: int = 0
    tags: int = 0
    links: int = 0
    books: int = 0
    frameworks: int = 0
    pictures: int = 0  # items given a picture
    skipped_stores: list[str] = field(default_factory=list)

    @property
    def added(self) -> int:
        return self.stores + self.items + self.tags + self.links + self.books + self.frameworks


class NotMigrated(RuntimeError):
    """The database is not at the code's migration head."""


def store_name(index: int) -> str:
    base = STORE_NAMES[index % len(STORE_NAMES)]
    return base if index < len(STORE_NAMES) else f"{base} {index // len(STORE_NAMES) + 1}"


def store_items(store_index: int, count: int) -> list[tuple[str, Decimal]]:
    """The store's items from its catalogue: names unique within the store (past the
    catalogue's end, "Claw Hammer (2)"), prices reproducible."""
    products = CATALOGUE[STORE_NAMES[store_index % len(STORE_NAMES)]]
    rng = random.Random(f"storeapi-demo-{store_index}")
    out = []
    for i in range(count):
        name, typical = products[i % len(products)]
        if i >= len(products):
            name = f"{name} ({i // len(products) + 1})"
        factor = Decimal(rng.randint(80, 125)) / 100
        price = (Decimal(typical) * factor).quantize(Decimal("1")) - Decimal("0.01")  # 92.99
        out.append((name, max(price, Decimal("0.99"))))
    return out


def item_tag_names(item_index: int) -> set[str]:
    """One or two tags per item, the same on every run."""
    first = TAG_NAMES[item_index % len(TAG_NAMES)]
    if item_index % 3:
        return {first}
    return {first, TAG_NAMES[(item_index // 3 + 2) % len(TAG_NAMES)]}


def check_migrated(engine: Engine) -> None:
    current, head = pending(engine)
    if current != head:
        raise NotMigrated(
            f"the database is at migration {current or 'none'}, the code needs {head}: "
            "run `storeapi db upgrade` first"
        )


def ensure_demo_user(session: Session, password: str | None) -> tuple[int, str | None]:
    """The demo user's id, and its password when this call created the user."""
    user_id = session.scalar(select(User.id).where(User.email_key == folded(DEMO_EMAIL)))
    if user_id is not None:
        return user_id, None
    password = password or secrets.token_urlsafe(12)
    return insert_user(session, DEMO_EMAIL, password), password


def _demo_store_id(session: Session, name: str, owner_id: int, result: SeedResult) -> int | None:
    """The demo store's id, created when missing; None when another user owns the name."""
    row = session.execute(
        select(Store.id, Store.owner_id).where(Store.name_key == folded(name))
    ).first()
    if row is not None:
        if row.owner_id != owner_id:
            result.skipped_stores.append(name)
            return None
        return row.id
    now = utcnow()
    result.stores += 1
    return session.execute(
        insert(Store)
        .values(name=name, owner_id=owner_id, version=1, created_at=now, updated_at=now)
        .returning(Store.id)
    ).scalar_one()


def seed_store(
    session: Session, index: int, items: int, owner_id: int, result: SeedResult
) -> int | None:
    """One store with its tags, items and item-tag links; adds only what is missing. The
    store's id; None when another user owns its name."""
    store_id = _demo_store_id(session, store_name(index), owner_id, result)
    if store_id is None:
        return None
    now = utcnow()
    tags = {
        name.lower(): tag_id
        for tag_id, name in session.execute(
            select(Tag.id, Tag.name).where(Tag.store_id == store_id)
        )
    }
    new_tags = [n for n in TAG_NAMES if n not in tags]
    if new_tags:
        session.execute(
            insert(Tag),
            [
                {
                    "store_id": store_id,
                    "name": n,
                    "version": 1,
                    "created_at": now,
                    "updated_at": now,
                }
                for n in new_tags
            ],
        )
        result.tags += len(new_tags)
        tags = dict(
            session.execute(select(func.lower(Tag.name), Tag.id).where(Tag.store_id == store_id))
            .tuples()
            .all()
        )

    wanted = store_items(index, items)
    existing = set(session.scalars(select(Item.name).where(Item.store_id == store_id)))
    new_items = [(n, p) for n, p in wanted if n not in existing]
    if new_items:
        session.execute(
            insert(Item),
            [
                {
                    "store_id": store_id,
                    "name": n,
                    "price": p,
                    "version": 1,
                    "created_at": now,
                    "updated_at": now,
                }
                for n, p in new_items
            ],
        )
        result.items += len(new_items)

    item_ids = dict(
        session.execute(select(Item.name, Item.id).where(Item.store_id == store_id)).tuples().all()
    )
    linked = set(
        session.execute(
            select(ItemTag.item_id, ItemTag.tag_id)
            .join(Item, Item.id == ItemTag.item_id)
            .where(Item.store_id == store_id)
        ).tuples()
    )
    links = [
        {"item_id": item_ids[name], "tag_id": tags[tag]}
        for i, (name, _) in enumerate(wanted)
        for tag in sorted(item_tag_names(i))
        if (item_ids[name], tags[tag]) not in linked
    ]
    if links:
        session.execute(insert(ItemTag), links)
        result.links += len(links)
    return store_id


def seed_books(session: Session, result: SeedResult) -> None:
    existing = set(session.execute(select(Book.title, Book.author)).tuples())
    now = utcnow()
    rows = [
        {
            "title": t,
            "author": a,
            "genre": g,
            "version": 1,
            "created_at": now,
            "updated_at": now,
        }
        for t, a, g in BOOKS
        if (t, a) not in existing
    ]
    if rows:
        session.execute(insert(Book), rows)
        result.books += len(rows)


def seed_frameworks(session: Session, result: SeedResult) -> None:
    existing = set(session.scalars(select(Framework.name_key)))
    now = utcnow()
    rows = [
        {
            "name": n,
            "created": year,
            "parent": parent,
            "version": 1,
            "created_at": now,
            "updated_at": now,
        }
        for n, year, parent in FRAMEWORKS
        if folded(n) not in existing
    ]
    if rows:
        session.execute(insert(Framework), rows)
        result.frameworks += len(rows)


def totals(engine: Engine) -> dict[str, int]:
    """What the database holds now, demo or not: what a run's summary ends with."""
    tables = {"stores": Store, "items": Item, "tags": Tag, "item tags": ItemTag}
    tables |= {"books": Book, "frameworks": Framework}
    with engine.connect() as conn:
        return {
            name: conn.scalar(select(func.count()).select_from(table)) or 0
            for name, table in tables.items()
        }


def seed(
    engine: Engine,
    *,
    stores: int,
    items: int,
    password: str | None = None,
    on_store: Callable[[], None] = lambda: None,
    pictures: DemoPictures | None = None,
) -> SeedResult:
    """Fill the database; `on_store` is called after each store (e.g. to advance a bar);
    `pictures` gives items without a picture their product's."""
    check_migrated(engine)
    result = SeedResult()
    with Session(engine) as session:
        with session.begin():
            result.user_id, result.password = ensure_demo_user(session, password)
            seed_books(session, result)
            seed_frameworks(session, result)
        for index in range(stores):
            with session.begin():
                store_id = seed_store(session, index, items, result.user_id, result)
                if pictures is not None and store_id is not None:
                    pictures.add_to_store(session, store_id)
            if pictures is not None:
                pictures.release(engine)
            on_store()
    result.pictures = pictures.added if pictures is not None else 0
    return result
