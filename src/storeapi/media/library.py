"""Which pictures are kept: the `images` rows and their files, with no orphans left behind.

A picture's files are stored once under its SHA-256, however many items show it. Its row
lives while an item refers to it or an upload has it pinned; the files go with the row.

- An upload pins the row first (`pin`: inserted or re-pinned, `pinned_until` a lease ahead),
  then writes the files, then points the item at it in its own transaction, then unpins
  (`release`). A pinned row is never deleted, so an upload of the same picture as one being
  deleted waits for that deletion (the row's lock) and then writes the files anew. Callers
  already inside a write transaction (the admin panel, seed-demo) pin in it (`keep_in`) and
  release after their commit.
- `collect` deletes unused rows (no item, no live pin) and then their files, one batch per
  transaction, in one statement that both checks and deletes, and holds the rows' locks while
  the files go: no upload can re-pin a picture between the check and the deletion. A failure
  leaves the row for next time.
- A crash can leave a pinned row without an item (collected once the lease ends) or, rarely,
  files without a row; `gc` (`storeapi media gc`) removes both.
"""

from __future__ import annotations

import datetime as dt
import importlib
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from flask import current_app
from sqlalchemy import Engine, delete, exists, select, update
from sqlalchemy.orm import Session

from storeapi.media.names import VARIANTS, media_name
from storeapi.media.storage import Storage, StorageUnavailable, storage_of
from storeapi.models import Image, Item, utcnow

if TYPE_CHECKING:  # not at run time: Pillow is loaded only where uploads are decoded
    from storeapi.media.images import Picture

LEASE = dt.timedelta(minutes=15)  # longer than any upload takes to write its files
BATCH = 100  # rows per collecting transaction (S3 deletes up to 1000 files in one call)
log = logging.getLogger("storeapi.media")


def _pinning(dialect_name: str, picture: Picture) -> tuple[Any, dt.datetime]:
    """The statement that inserts the picture's row or re-pins it until a lease from now,
    and that lease's end (the pin, for `release`)."""
    dialect = importlib.import_module(f"sqlalchemy.dialects.{dialect_name}")
    until = utcnow() + LEASE
    statement = (
        dialect.insert(Image)
        .values(
            sha256=picture.sha256,
            stored_bytes=picture.stored_bytes,
            created_at=utcnow(),
            pinned_until=until,
        )
        .on_conflict_do_update(index_elements=[Image.sha256], set_={"pinned_until": until})
    )
    return statement, until


def pin(engine: Engine, picture: Picture) -> dt.datetime:
    """Insert or re-pin the picture's row, in a transaction of its own; the pin's end."""
    with engine.begin() as conn:
        statement, until = _pinning(conn.dialect.name, picture)
        conn.execute(statement)
    return until


def keep_in(session: Session, storage: Storage, picture: Picture) -> dt.datetime:
    """For a caller already in a write transaction (the admin panel, seed-demo): the picture's
    row, pinned, in that transaction, then its files; the pin's end, to `release` after the
    commit. (Pinned, not only locked: a collection waiting for the lock re-checks the row once
    it is free, but may not see an item that the same commit pointed at it.) A transaction
    that then fails leaves files of no row, for `gc`."""
    statement, until = _pinning(session.get_bind().dialect.name, picture)
    session.execute(statement)
    store(storage, picture)
    return until


def store(storage: Storage, picture: Picture) -> None:
    """Write the picture's files (the smallest first: a thumbnail is what lists show)."""
    for variant in reversed(VARIANTS):
        storage.put(media_name(picture.sha256, variant), picture.renditions[variant])


def release(engine: Engine, storage: Storage, sha256: str, pinned: dt.datetime) -> None:
    """End this upload's pin (unless another upload has pinned the picture since), and delete
    the picture if no item shows it (the upload failed)."""
    with engine.begin() as conn:
        conn.execute(
            update(Image)
            .where(Image.sha256 == sha256, Image.pinned_until == pinned)
            .values(pinned_until=None)
        )
    collect(engine, storage, [sha256])


def collect(engine: Engine, storage: Storage, shas: Iterable[str | None]) -> int:
    """Delete these pictures where unused (no item, no live pin), files first; how many went.
    Never raises for the storage: what it could not delete stays for the next collect or gc."""
    wanted = sorted({s for s in shas if s})
    deleted = 0
    for start in range(0, len(wanted), BATCH):
        try:
            deleted += _collect_batch(engine, storage, wanted[start : start + BATCH])
        except StorageUnavailable as exc:
            log.warning("media: unused pictures left for `storeapi media gc`: %s", exc)
    return deleted


def release_picture(sha256: str, pinned: dt.datetime) -> None:
    """`release` with the app's database and storage."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    release(app.extensions["engine"], storage_of(app), sha256, pinned)


def collect_pictures(shas: Iterable[str | None]) -> int:
    """`collect` with the app's database and storage: call after the request's commit."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    return collect(app.extensions["engine"], storage_of(app), shas)


def _collect_batch(engine: Engine, storage: Storage, shas: list[str]) -> int:
    now = utcnow()
    with engine.begin() as conn:
        # One statement decides and deletes, so no pin or item can come between the check and
        # the deletion (SQLite has no row locks: a SELECT ... FOR UPDATE there holds nothing).
        # The files go before the commit, while the deleted rows are still locked: a storage
        # failure rolls the rows back for the next collect, and an upload of the same picture
        # waits, then inserts its row anew and writes the files again.
        unused = list(
            conn.execute(
                delete(Image)
                .where(
                    Image.sha256.in_(shas),
                    (Image.pinned_until.is_(None)) | (Image.pinned_until < now),
                    ~exists().where(Item.image_sha256 == Image.sha256),
                )
                .returning(Image.sha256)
            ).scalars()
        )
        if unused:
            storage.delete([media_name(s, v) for s in unused for v in VARIANTS])
    return len(unused)


@dataclass
class GcReport:
    rows: int = 0  # unused pictures deleted with their files
    stray_files: int = 0  # files that no row accounts for, deleted


def gc(engine: Engine, storage: Storage, grace: dt.timedelta = LEASE) -> GcReport:
    """Delete what a crash left: unused rows (their pins expired) with their files, and files
    of no row that are older than `grace` (younger ones may belong to an upload under way)."""
    report = GcReport()
    with engine.connect() as conn:  # closed before collecting: SQLite has one writer at a time
        unused = select(Image.sha256).where(~exists().where(Item.image_sha256 == Image.sha256))
        candidates = list(conn.execute(unused).scalars())
    report.rows = collect(engine, storage, candidates)
    cutoff = utcnow() - grace
    old: dict[str, list[str]] = {}
    for name, modified in storage.names():
        if modified < cutoff:
            old.setdefault(name[:64], []).append(name)
    shas = sorted(old)
    for start in range(0, len(shas), BATCH):
        claimed = _claim_strays(engine, storage, shas[start : start + BATCH], old)
        report.stray_files += sum(len(old[sha]) for sha in claimed)
    return report


def _claim_strays(
    engine: Engine, storage: Storage, shas: list[str], files: dict[str, list[str]]
) -> list[str]:
    """Delete the files of the pictures among `shas` that have no row. Each is given a row for
    the time of the deletion, as an upload would: an upload of the same picture meanwhile
    waits for this transaction, then writes its files anew."""
    with engine.begin() as conn:
        dialect = importlib.import_module(f"sqlalchemy.dialects.{conn.dialect.name}")
        now = utcnow()
        claimed = list(
            conn.execute(
                dialect.insert(Image)
                .values([{"sha256": s, "stored_bytes": 0, "created_at": now} for s in shas])
                .on_conflict_do_nothing(index_elements=[Image.sha256])
                .returning(Image.sha256)
            ).scalars()
        )
        if claimed:
            storage.delete([name for sha in claimed for name in files[sha]])
            conn.execute(delete(Image).where(Image.sha256.in_(claimed)))
    return claimed
