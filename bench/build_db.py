"""Build a benchmark database of a chosen size: stores, tags and links in proportion to items.

Schema through the real migrations; the owner through the real data layer (`create_user`);
the bulk rows through SQLAlchemy Core inserts in batches, with a progress bar. A database
already built for the same size is reused.

    python -m bench.build_db --items 100000 [--database-url URL] [--rebuild]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import time
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import click
from sqlalchemy import URL, Engine, delete, func, insert, make_url, select, text

from storeapi.app import create_app
from storeapi.db import make_engine, normalize_url
from storeapi.migrate import upgrade
from storeapi.models import Item, ItemTag, Store, Tag, User
from storeapi.resources.users import create_user, find_user_id_by_email
from storeapi.settings import Settings

ROOT = Path(__file__).resolve().parent
DATA = ROOT / ".data"
OWNER_EMAIL = "bench-owner@example.com"
OWNER_PASSWORD = "bench password 0123456789"
ITEMS_PER_STORE = 250
TAGS_PER_STORE = 8
BATCH = 20_000
ADJECTIVES = [
    "red",
    "blue",
    "green",
    "oak",
    "steel",
    "small",
    "large",
    "vintage",
    "modern",
    "soft",
    "heavy",
    "light",
    "smart",
    "classic",
    "folding",
    "wooden",
    "glass",
    "cotton",
    "leather",
    "brass",
]
NOUNS = [
    "chair",
    "table",
    "lamp",
    "desk",
    "shelf",
    "sofa",
    "rug",
    "mirror",
    "clock",
    "vase",
    "bench",
    "stool",
    "cabinet",
    "bed",
    "pillow",
    "curtain",
    "kettle",
    "mug",
    "plate",
    "bowl",
]
SEARCH_TERM = "chair"  # one noun in twenty: GET /item?q=chair matches 5 % of the items
BASE_TIME = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)


@dataclass(frozen=True)
class BenchData:
    url: str
    items: int
    stores: int
    tags: int
    links: int
    owner_email: str = OWNER_EMAIL
    owner_password: str = OWNER_PASSWORD
    search_term: str = SEARCH_TERM


def sqlite_url(items: int, folder: Path = DATA) -> str:
    return f"sqlite:///{folder / f'bench-{items}.db'}"


def postgres_url(base: str, items: int) -> str:
    """A schema of its own inside BENCH_DATABASE_URL's database, so nothing else is touched."""
    base = normalize_url(base)
    schema = f"storeapi_bench_{items}"
    admin = make_engine(base)
    try:
        with admin.begin() as conn:
            conn.execute(text("CREATE EXTENSION IF NOT EXISTS pg_trgm"))
            conn.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{schema}"'))
    finally:
        admin.dispose()
    sep = "&" if "?" in base else "?"
    return f"{base}{sep}options=-csearch_path%3D{schema},public"


PG_SOCKET_DIR = "/var/run/postgresql"
LOOPBACK = ("127.0.0.1", "localhost", "::1")


def through_local_socket(url: str) -> str:
    """`url` through PostgreSQL's Unix socket when it names this host over TCP and the socket
    is there, unless BENCH_PG_TCP=1: the way a database on the API's own host is best reached
    (docs/deployment.md). Any other URL is kept as given."""
    parsed = make_url(normalize_url(url))
    directory = os.environ.get("BENCH_PG_SOCKET_DIR", PG_SOCKET_DIR)
    socket = Path(directory, f".s.PGSQL.{parsed.port or 5432}")
    if os.environ.get("BENCH_PG_TCP") == "1" or parsed.host not in LOOPBACK or not socket.exists():
        return url
    query = {**parsed.query, "host": directory}
    local = URL.create(parsed.drivername, parsed.username, parsed.password, None, parsed.port)
    return local.set(database=parsed.database, query=query).render_as_string(False)


def counts_for(items: int) -> tuple[int, int]:
    stores = max(1, -(-items // ITEMS_PER_STORE))
    return stores, stores * TAGS_PER_STORE


def _existing(engine: Engine, items: int) -> BenchData | None:
    stores, tags = counts_for(items)
    with engine.connect() as conn:
        n_items = conn.scalar(select(func.count()).select_from(Item))
        n_stores = conn.scalar(select(func.count()).select_from(Store))
        n_links = conn.scalar(select(func.count()).select_from(ItemTag))
        owner = conn.scalar(select(User.id).where(User.email == OWNER_EMAIL))
    if owner is None or n_stores != stores or n_items < items:
        return None
    if n_items > items:  # earlier runs' POST scenario added some: back to the size asked for
        with engine.begin() as conn:
            conn.execute(delete(Item).where(Item.id > items))  # their links go by cascade
            n_links = conn.scalar(select(func.count()).select_from(ItemTag))
        click.echo(f"bench: removed {n_items - items} items added by earlier runs", err=True)
    # Earlier runs' writes leave dead rows and, on PostgreSQL, a trigram index that autovacuum
    # had not cleaned: one reused schema's search ran at 18 req/s, 450 after this.
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql(
            "VACUUM ANALYZE items, item_tags" if engine.dialect.name == "postgresql" else "ANALYZE"
        )
    return BenchData(str(engine.url), items, n_stores, tags, n_links)


def _batches(total: int, label: str, make_rows, engine: Engine, table) -> None:  # type: ignore
    with click.progressbar(length=total, label=label.ljust(7), width=40) as bar:
        for start in range(1, total + 1, BATCH):
            stop = min(total, start + BATCH - 1)
            rows = make_rows(start, stop)
            if rows:
                with engine.begin() as conn:
                    conn.execute(insert(table), rows)
            bar.update(stop - start + 1)


def build(url: str, items: int, *, rebuild: bool = False, seed: int = 1) -> BenchData:
    """Migrate `url` and fill it with `items` items (reusing a database of that size)."""
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    upgrade(url)
    engine = make_engine(url)
    try:
        if not rebuild and (found := _existing(engine, items)) is not None:
            click.echo(f"bench: reusing {found.items} items, {found.stores} stores", err=True)
            return found
        return _fill(engine, url, items, seed)
    finally:
        engine.dispose()


def _fill(engine: Engine, url: str, items: int, seed: int) -> BenchData:
    started = time.perf_counter()
    rng = random.Random(seed)
    n_stores, n_tags = counts_for(items)
    with engine.begin() as conn:
        for table in (ItemTag, Item, Tag, Store):
            conn.execute(delete(table))
        conn.execute(delete(User).where(User.email == OWNER_EMAIL))
    app = create_app(Settings.from_env(database_url=url, env="development", log_requests=False))
    with app.app_context():
        from storeapi.db import session

        owner = find_user_id_by_email(OWNER_EMAIL) or create_user(OWNER_EMAIL, OWNER_PASSWORD)
        session().commit()
    app.extensions["engine"].dispose()

    def stores(a: int, b: int) -> list[dict]:
        return [
            {
                "id": i,
                "name": f"Bench store {i}",
                "owner_id": owner,
                "version": 1,
                "created_at": BASE_TIME,
                "updated_at": BASE_TIME,
            }
            for i in range(a, b + 1)
        ]

    def tags(a: int, b: int) -> list[dict]:
        return [
            {
                "id": i,
                "store_id": (i - 1) // TAGS_PER_STORE + 1,
                "name": f"{NOUNS[i % len(NOUNS)]}-{(i - 1) % TAGS_PER_STORE}",
                "version": 1,
                "created_at": BASE_TIME,
                "updated_at": BASE_TIME,
            }
            for i in range(a, b + 1)
        ]

    def items_rows(a: int, b: int) -> list[dict]:
        out = []
        for i in range(a, b + 1):
            created = BASE_TIME + dt.timedelta(seconds=i)
            out.append(
                {
                    "id": i,
                    "store_id": (i - 1) // ITEMS_PER_STORE + 1,
                    "name": f"{rng.choice(ADJECTIVES)} {rng.choice(NOUNS)} {i}",
                    "price": Decimal(rng.randint(50, 99_999)) / 100,
                    "version": 1,
                    "created_at": created,
                    "updated_at": created,
                }
            )
        return out

    def link_rows(a: int, b: int) -> list[dict]:
        """Item i has i % 3 of its store's tags: one link per item on average."""
        out = []
        for i in range(a, b + 1):
            first_tag = ((i - 1) // ITEMS_PER_STORE) * TAGS_PER_STORE + 1
            for k in range(i % 3):
                out.append({"item_id": i, "tag_id": first_tag + (i + k) % TAGS_PER_STORE})
        return out

    _batches(n_stores, "stores", stores, engine, Store)
    _batches(n_tags, "tags", tags, engine, Tag)
    _batches(items, "items", items_rows, engine, Item)
    _batches(items, "links", link_rows, engine, ItemTag)
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            for table in ("stores", "tags", "items"):
                conn.exec_driver_sql(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT coalesce(max(id), 1) FROM {table}))"
                )
            conn.exec_driver_sql("ANALYZE")
        else:
            conn.exec_driver_sql("ANALYZE")
        n_links = conn.scalar(select(func.count()).select_from(ItemTag))
    click.echo(
        f"bench: built {items} items, {n_stores} stores, {n_tags} tags, {n_links} links "
        f"in {time.perf_counter() - started:.1f} s",
        err=True,
    )
    return BenchData(url, items, n_stores, n_tags, n_links or 0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--database-url", help="default: a SQLite file under bench/.data")
    parser.add_argument("--rebuild", action="store_true", help="build even if one exists")
    args = parser.parse_args()
    url = args.database_url or os.environ.get("BENCH_DATABASE_URL")
    url = postgres_url(url, args.items) if url else sqlite_url(args.items)
    build(url, args.items, rebuild=args.rebuild)


if __name__ == "__main__":
    main()
