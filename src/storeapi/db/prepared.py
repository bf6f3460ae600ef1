"""Prepared: a hot read compiled once per dialect and run on the driver's cursor."""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from flask import Flask, current_app
from sqlalchemy import Select
from sqlalchemy.engine import Dialect
from sqlalchemy.pool import PoolProxiedConnection
from sqlalchemy.sql.dml import UpdateBase

from storeapi.db.errors import as_sqlalchemy_error
from storeapi.db.liveness import note_disconnect
from storeapi.db.unit_of_work import reader, writer


class Prepared:
    """A hot read: a SQLAlchemy select compiled once per dialect and run on the driver's cursor.

    SQLAlchemy's execution path (connection, autobegin, execution context, result metadata)
    costs several times what the query itself does (bench/README.md, GET /item/{id}). The
    statement is still written with SQLAlchemy; parameters and values still go through the
    column types' own bind and result processors (so rows equal those of `execute`); driver
    errors still arrive as SQLAlchemy's `DBAPIError` (a lost connection is invalidated, 503);
    and `before_cursor_execute` and `after_cursor_execute` listeners still see every statement
    (`_show_to_listeners`).
    Expanding parameters (`IN` a list) are refused when it compiles: give each value its own
    bindparam.
    """

    def __init__(self, stmt: Select[Any] | UpdateBase) -> None:
        self.stmt = stmt
        # A select's columns, or an INSERT's or UPDATE's RETURNING columns
        self.columns = list(
            stmt.selected_columns if isinstance(stmt, Select) else stmt.exported_columns
        )
        self.row = namedtuple("Row", [c.key for c in self.columns], rename=True)  # type: ignore[misc]
        self._compiled: dict[str, _Compiled] = {}
        self._processors: dict[str, list[Callable[[Any], Any] | None]] = {}

    def _compile(self, dialect: Dialect) -> _Compiled:
        compiled = self.stmt.compile(dialect=dialect)
        binds: dict[str, Callable[[Any], Any]] = {}
        defaults: dict[str, Any] = {}
        for bind, name in compiled.bind_names.items():
            if bind.expanding:
                raise TypeError(f"Prepared cannot expand {name}: use one bindparam per value")
            if (process := bind.type.dialect_impl(dialect).bind_processor(dialect)) is not None:
                binds[name] = process
            if not bind.required:
                defaults[name] = bind.effective_value
        order = tuple(compiled.positiontup) if compiled.positional else None  # type: ignore[arg-type]
        found = _Compiled(compiled.string, order, defaults, binds)
        self._compiled[dialect.name] = found
        return found

    def _processors_for(self, dialect: Dialect, description: Any) -> list[Any]:
        types = [c.type.dialect_impl(dialect) for c in self.columns]
        found = [t.result_processor(dialect, d[1]) for t, d in zip(types, description, strict=True)]
        self._processors[dialect.name] = found
        return found

    def rows(self, params: Mapping[str, Any]) -> list[Any]:
        """Every row, as named tuples, in the request's unit of work."""
        app = current_app._get_current_object()  # type: ignore[attr-defined]
        return self._run(app, reader(app), params)

    def write(self, params: Mapping[str, Any]) -> list[Any]:
        """The rows of a write that is the request's only statement to change anything: on
        PostgreSQL outside a transaction it commits by itself (db/unit_of_work.py `writer`)."""
        app = current_app._get_current_object()  # type: ignore[attr-defined]
        return self._run(app, writer(app), params)

    def _run(
        self, app: Flask, pooled: PoolProxiedConnection, params: Mapping[str, Any]
    ) -> list[Any]:
        engine = app.extensions["engine"]
        dialect = engine.dialect
        c = self._compiled.get(dialect.name) or self._compile(dialect)
        values = {**c.defaults, **params} if c.defaults else params
        if c.binds:
            values = {k: (c.binds[k](v) if k in c.binds else v) for k, v in values.items()}
        sql = c.sql
        args = tuple(values[name] for name in c.order) if c.order is not None else values
        driver = pooled.dbapi_connection  # (the driver's own: only sync drivers are used)
        # One cursor per connection, kept in its `info` (cleared when the connection is
        # replaced): psycopg's cursor creation is costly (bench/README.md, "Prepared reads keep
        # one cursor per connection").
        cursor = pooled.info.get("prepared_cursor")
        if cursor is None:
            cursor = pooled.info["prepared_cursor"] = driver.cursor()
        try:
            events = engine.dispatch  # (no call at all when nothing listens: the usual case)
            if events.before_cursor_execute:
                _show_to_listeners(events.before_cursor_execute, cursor, sql, args)
            cursor.execute(sql, args)
            if events.after_cursor_execute:
                _show_to_listeners(events.after_cursor_execute, cursor, sql, args)
            raw = cursor.fetchall()
            procs = self._processors.get(dialect.name) or self._processors_for(
                dialect, cursor.description
            )
        except dialect.loaded_dbapi.Error as exc:
            if dialect.is_disconnect(exc, driver, cursor):
                pooled.invalidate(exc)
                note_disconnect(engine)
            raise as_sqlalchemy_error(exc, dialect, sql, args) from exc
        make = self.row._make
        active = [(i, p) for i, p in enumerate(procs) if p is not None]
        if not active:
            return [make(r) for r in raw]
        rows = []
        for r in raw:
            values = list(r)
            for i, process in active:
                values[i] = process(values[i])
            rows.append(make(values))
        return rows

    def first(self, params: Mapping[str, Any]) -> Any:
        found = self.rows(params)
        return found[0] if found else None


@dataclass(frozen=True)
class _Compiled:
    sql: str
    order: tuple[str, ...] | None  # positional drivers (SQLite): the parameters' order
    defaults: dict[str, Any]  # values written into the statement itself (`col == 5`)
    binds: dict[str, Callable[[Any], Any]]  # bind processors of the parameters that have one


def _show_to_listeners(listeners: Any, cursor: Any, sql: str, args: Any) -> None:
    """Hand the statement to the engine's `before_cursor_execute` (or, once it has run,
    `after_cursor_execute`) listeners, as SQLAlchemy's own execution would: tests and tracing
    (telemetry/tracing.py) rely on seeing every statement.

    SQLAlchemy's event API is public for adding and removing listeners, not for firing them;
    this calls the engine's listeners (`engine.dispatch`, what a `Connection` calls) with the
    arguments a `Connection` passes, `conn` and `context` None as there are none here. A
    listener cannot rewrite the statement (`retval=True`): the prepared one runs as compiled.
    A statement that fails reaches no `after_cursor_execute` listener, as in SQLAlchemy.
    """
    listeners(None, cursor, sql, args, None, False)
