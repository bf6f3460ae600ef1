"""What a database error means: the database is unavailable (503), or a transient conflict.

http/problems.py turns these into answers; this module knows nothing of HTTP, so the database
layer never imports the web layer.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import Dialect

TRANSIENT_CONFLICTS = {"40P01", "40001"}  # PostgreSQL: deadlock detected, serialization failure
SQLITE_UNAVAILABLE = ("locked", "busy", "unable to open", "disk i/o error")


def as_sqlalchemy_error(
    exc: Exception, dialect: Dialect, sql: str | None = None, args: Any = None
) -> sa_exc.DBAPIError:
    """A driver's error as SQLAlchemy reports it, for code that runs on the driver directly:
    callers then see one kind of error (IntegrityError -> 409, unavailable -> 503)."""
    return sa_exc.DBAPIError.instance(sql, args, exc, dialect.loaded_dbapi.Error, dialect=dialect)


def is_unavailable(exc: BaseException) -> bool:
    """True for errors that mean the database cannot be reached or is busy, not a bug."""
    if isinstance(exc, sa_exc.TimeoutError):
        return True
    if isinstance(exc, sa_exc.DBAPIError):
        if exc.connection_invalidated or isinstance(exc, sa_exc.InterfaceError):
            return True
        if isinstance(exc, sa_exc.OperationalError):
            # SQLite raises OperationalError for a bad statement ("no such table") as well as
            # for a busy or unreachable file; only the latter are worth a retry (503).
            if type(exc.orig).__module__ == "sqlite3":
                return any(s in str(exc.orig).lower() for s in SQLITE_UNAVAILABLE)
            return True
    return False


def is_transient_conflict(exc: BaseException) -> bool:
    """Two transactions collided and the database chose this one to fail: worth a retry."""
    return getattr(getattr(exc, "orig", None), "sqlstate", None) in TRANSIENT_CONFLICTS
