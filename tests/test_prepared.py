"""db.Prepared: hot reads on the driver's cursor give exactly what SQLAlchemy's execution gives,
see the request's own writes, and fail the way `db.execute` fails."""

from __future__ import annotations

import datetime as dt
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import pytest
from sqlalchemy import bindparam, event, literal_column, select, table
from sqlalchemy import exc as sa_exc

from storeapi import db
from storeapi.db.unit_of_work import reader
from storeapi.models import Item, Store
from tests.conftest import create_item, create_store, statements

COLUMNS = (Item.id, Item.name, Item.price, Item.created_at, Item.updated_at, Item.version)
BY_ID = select(*COLUMNS).where(Item.id == bindparam("item_id"))
PRICED = select(*COLUMNS).where(Item.price >= bindparam("min", type_=Item.price.type))


@pytest.fixture
def items(client, user):  # type: ignore[no-untyped-def]
    store = create_store(client, user)
    prices = ["0.10", "15.99", "1000000.00", "7"]
    return [create_item(client, user, store["id"], f"thing {p}", p) for p in prices]


def test_rows_equal_sqlalchemys_own(app, items):  # type: ignore[no-untyped-def]
    prepared = db.Prepared(BY_ID)
    with app.test_request_context("/"):
        for item in items:
            expected = db.execute(BY_ID, {"item_id": item["id"]}).one()
            (row,) = prepared.rows({"item_id": item["id"]})
            assert tuple(row) == tuple(expected)
            assert row.price == Decimal(str(item["price"])).quantize(Decimal("0.01"))
            assert row.price.as_tuple().exponent == -2  # two decimals, as the column says
            assert row.created_at.utcoffset() == dt.timedelta(0)


def test_parameters_go_through_bind_processors(app, items):  # type: ignore[no-untyped-def]
    prepared = db.Prepared(PRICED)
    with app.test_request_context("/"):
        found = {r.name for r in prepared.rows({"min": Decimal("15.99")})}
        expected = {r.name for r in db.execute(PRICED, {"min": Decimal("15.99")}).all()}
    assert found == expected == {"thing 15.99", "thing 1000000.00"}


def test_values_written_into_the_statement_are_used(app, items):  # type: ignore[no-untyped-def]
    prepared = db.Prepared(select(Item.name).where(Item.id == items[1]["id"]))
    with app.test_request_context("/"):
        assert [r.name for r in prepared.rows({})] == ["thing 15.99"]


def test_a_missing_parameter_is_an_error_not_a_null(app, items):  # type: ignore[no-untyped-def]
    with app.test_request_context("/"), pytest.raises((KeyError, sa_exc.DBAPIError)):
        db.Prepared(BY_ID).rows({})


def test_expanding_parameters_are_refused(app):  # type: ignore[no-untyped-def]
    prepared = db.Prepared(select(Item.id).where(Item.id.in_(bindparam("ids", expanding=True))))
    with app.test_request_context("/"), pytest.raises(TypeError, match="expand"):
        prepared.rows({"ids": [1]})


def test_a_read_inside_a_write_sees_the_write(app, items):  # type: ignore[no-untyped-def]
    prepared = db.Prepared(BY_ID)
    with app.test_request_context("/", method="PUT"):
        db.begin()
        db.execute(Item.__table__.update().where(Item.id == items[0]["id"]).values(name="renamed"))
        assert prepared.first({"item_id": items[0]["id"]}).name == "renamed"
        db.rollback()
    with app.test_request_context("/"):
        assert prepared.first({"item_id": items[0]["id"]}).name == "thing 0.10"


def test_listeners_see_every_statement(app, items):  # type: ignore[no-untyped-def]
    with statements(app) as seen, app.test_request_context("/"):
        db.Prepared(select(Store.name).where(Store.id == bindparam("id"))).rows({"id": 1})
    assert len(seen) == 1 and "FROM stores" in seen[0][0]


def test_a_connection_keeps_one_cursor_for_its_reads_and_a_replaced_one_gets_its_own(app, items):  # type: ignore[no-untyped-def]
    """Reads reuse their connection's cursor, also after a failed statement; a connection that
    is invalidated and replaced starts with a new cursor, on the new connection."""
    engine = app.extensions["engine"]
    cursors: list[object] = []
    grab = lambda _c, cursor, *_args: cursors.append(cursor)  # noqa: E731
    broken = db.Prepared(select(literal_column("1")).select_from(table("no_such_table")))
    by_id = db.Prepared(BY_ID)
    event.listen(engine, "before_cursor_execute", grab)
    try:
        with app.test_request_context("/"):
            first = [by_id.first({"item_id": item["id"]}).id for item in items]
            with pytest.raises(sa_exc.DBAPIError):
                broken.rows({})
            again = by_id.first({"item_id": items[0]["id"]})
            pooled = reader(app)
            pooled.invalidate()
        with app.test_request_context("/"):
            replaced = by_id.first({"item_id": items[0]["id"]})
            new_driver = reader(app).dbapi_connection
    finally:
        event.remove(engine, "before_cursor_execute", grab)
    assert first == [item["id"] for item in items] and again.id == replaced.id == items[0]["id"]
    assert len(set(map(id, cursors[:-1]))) == 1  # the four reads, the failed one, the next
    assert cursors[-1] is not cursors[0] and cursors[-1].connection is new_driver


def test_driver_errors_arrive_as_sqlalchemys(app):  # type: ignore[no-untyped-def]
    broken = db.Prepared(select(literal_column("1")).select_from(table("no_such_table")))
    with app.test_request_context("/"), pytest.raises(sa_exc.DBAPIError) as caught:
        broken.rows({})
    assert not db.is_unavailable(caught.value)  # a bug (500), not an outage (503)


def test_a_thread_keeps_its_sqlite_connection_and_a_failed_write_leaves_it_clean(
    app, client, user, other_user, database_url
):  # type: ignore[no-untyped-def]
    """On a SQLite file a thread's requests share one connection (its prepared reads' own);
    a write refused halfway (403 after the owner check inside the transaction) ends its
    transaction and lets the next writer in, on this thread and on another."""
    if not database_url.startswith("sqlite"):
        pytest.skip("PostgreSQL connections come from the pool, per request")
    store = create_store(client, user)
    seen = []
    for _ in range(2):
        with app.test_request_context("/item", method="POST"):
            seen.append(db.connection().connection.dbapi_connection)
    assert seen[0] is seen[1]
    refused = client.post(
        "/item",
        json={"name": "not yours", "price": "1.00", "store_id": store["id"]},
        headers=other_user.headers,
    )
    assert refused.status_code == 403
    driver = seen[0]
    assert not driver.in_transaction
    with ThreadPoolExecutor(1) as pool:  # the writers' queue is free: another thread writes
        elsewhere = pool.submit(create_item, client, user, store["id"], "from another thread")
        assert elsewhere.result(timeout=10)["name"] == "from another thread"
    assert create_item(client, user, store["id"], "here")["name"] == "here"
