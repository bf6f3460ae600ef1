"""Where pictures are kept: one small interface, a directory (`file://`) or S3 (`s3://`).

STORAGE_URL chooses: `file://./media` (the default) or `file:///var/lib/storeapi/media`, or
`s3://bucket/prefix` (media/s3.py). Names are content-addressed (`<sha256>[-<size>].webp`), so
a name's bytes never change: writing one again writes the same bytes.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from flask import Flask, current_app

from storeapi.settings import Settings

CHUNK = 64 * 1024
MEDIA_TYPES = {".webp": "image/webp"}  # a file's, by its name (S3 keeps it with the object)


class StorageUnavailable(Exception):
    """The storage did not answer or refused a write: the request is a 503, never a 500."""


@dataclass
class StoredFile:
    """A stored file being read: its length, media type and bytes in chunks; `close` when
    done."""

    size: int
    media_type: str
    chunks: Iterable[bytes]
    close: Callable[[], None]


class Storage(Protocol):
    def put(self, name: str, data: bytes) -> None:
        """Store `data` under `name` (written again when present, so that its time is new)."""

    def open(self, name: str) -> StoredFile | None:
        """The file, or None when there is none of that name."""

    def delete(self, names: Sequence[str]) -> None:
        """Delete these files; a name with no file is no error."""

    def names(self) -> Iterator[tuple[str, dt.datetime]]:
        """Every stored file's name and when it was last written (for `storeapi media gc`)."""

    def redirect_url(self, name: str, seconds: int) -> str | None:
        """A URL valid for `seconds` that serves the file itself, when the storage has one."""


class FileStorage:
    """Files in a directory, spread over subdirectories by the name's first two characters."""

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)

    def __repr__(self) -> str:
        return f"FileStorage({str(self.root)!r})"

    def path(self, name: str) -> Path:
        return self.root / name[:2] / name

    def put(self, name: str, data: bytes) -> None:
        path = self.path(name)
        try:
            if path.exists():  # the same bytes: only its time is renewed (see gc)
                os.utime(path)
                return
            path.parent.mkdir(parents=True, exist_ok=True)
            # Written aside and renamed into place: a reader never sees half a file.
            fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".upload-")
            try:
                with os.fdopen(fd, "wb") as out:
                    out.write(data)
                    out.flush()
                    os.fsync(out.fileno())
                os.replace(temporary, path)
            except BaseException:
                Path(temporary).unlink(missing_ok=True)
                raise
        except OSError as exc:
            raise StorageUnavailable(f"cannot write {name}: {exc.strerror}") from exc

    def open(self, name: str) -> StoredFile | None:
        try:
            handle = open(self.path(name), "rb")  # noqa: SIM115  (closed by the response)
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise StorageUnavailable(f"cannot read {name}: {exc.strerror}") from exc
        size = os.fstat(handle.fileno()).st_size
        media_type = MEDIA_TYPES.get(Path(name).suffix, "application/octet-stream")
        return StoredFile(size, media_type, iter(lambda: handle.read(CHUNK), b""), handle.close)

    def delete(self, names: Sequence[str]) -> None:
        try:
            for name in names:
                self.path(name).unlink(missing_ok=True)
        except OSError as exc:
            raise StorageUnavailable(f"cannot delete: {exc.strerror}") from exc

    def names(self) -> Iterator[tuple[str, dt.datetime]]:
        if not self.root.is_dir():
            return
        for path in self.root.glob("??/*.webp"):
            modified = dt.datetime.fromtimestamp(path.stat().st_mtime, dt.UTC)
            yield path.name, modified

    def redirect_url(self, name: str, seconds: int) -> str | None:
        return None


def open_storage(settings: Settings) -> Storage:
    """The storage STORAGE_URL names."""
    url = settings.storage_url
    if url.startswith("s3://"):
        from storeapi.media.s3 import S3Storage

        bucket, _, prefix = url.removeprefix("s3://").partition("/")
        return S3Storage(bucket, prefix, settings.s3_endpoint_url, settings.s3_region)
    return FileStorage(url.removeprefix("file://") or ".")


def storage() -> Storage:
    """The app's storage, made on first use (boto3 is loaded only by a worker that needs it)."""
    return storage_of(current_app)


def storage_of(app: Flask) -> Storage:
    found = app.extensions.get("media_storage")
    if found is None:
        found = app.extensions["media_storage"] = open_storage(app.extensions["settings"])
    return found
