"""The metric values' store (telemetry/store.py): per-process files, added up at scrape time."""

from __future__ import annotations

import os
from pathlib import Path

from storeapi.telemetry.store import GAUGE, Store, read_totals

COUNTER = ("counter", "storeapi_http_not_modified", "/item/{item_id}")
IN_FLIGHT = (GAUGE, "storeapi_http_requests_in_flight")
SERIES = ("series", "/item/{item_id}", "GET", "2xx")


def test_a_process_adds_up_into_its_own_file(tmp_path: Path) -> None:
    store = Store(str(tmp_path))
    counter, gauge, series = store.slot(COUNTER), store.slot(IN_FLIGHT), store.slot(SERIES, 15)
    assert store.slot(COUNTER) == counter and len({counter, gauge, series}) == 3
    for _ in range(3):
        store.add(counter, 1.0)
    store.add(gauge, 2.0)
    store.add(series + 1, 0.25)
    assert (tmp_path / f"values_{os.getpid()}.db").exists()
    totals = read_totals(store)
    assert totals[COUNTER] == [3.0] and totals[IN_FLIGHT] == [2.0]
    assert totals[SERIES][:2] == [0.0, 0.25] and len(totals[SERIES]) == 15


def test_a_process_id_used_again_goes_on_from_the_counts_not_the_gauges(tmp_path: Path) -> None:
    first = Store(str(tmp_path))
    first.add(first.slot(COUNTER), 4.0)
    first.add(first.slot(IN_FLIGHT), 1.0)
    again = Store(str(tmp_path))  # the same id, the same file: as a worker whose id came back
    assert again.slot(COUNTER) == first.slot(COUNTER)
    totals = read_totals(again)
    assert totals[COUNTER] == [4.0] and totals[IN_FLIGHT] == [0.0]


def test_a_forked_child_counts_in_a_file_of_its_own_and_its_gauges_go_with_it(
    tmp_path: Path,
) -> None:
    store = Store(str(tmp_path))
    counter, gauge = store.slot(COUNTER), store.slot(IN_FLIGHT)
    store.add(counter, 1.0)
    pid = os.fork()
    if pid == 0:  # the child: the same offsets, its own values
        try:
            store.add(counter, 10.0)
            store.add(gauge, 1.0)
        finally:
            os._exit(0)
    os.waitpid(pid, 0)
    assert (tmp_path / f"values_{pid}.db").exists()
    totals = read_totals(store)
    assert totals[COUNTER] == [11.0]  # the exited child's counts stay in the totals
    assert totals[IN_FLIGHT] == [0.0]  # what it had in flight is not in flight any more


def test_files_that_are_not_ours_are_left_out(tmp_path: Path) -> None:
    (tmp_path / "values_1.db").write_bytes(b"\0" * 64)
    (tmp_path / "values_2.db").write_bytes(b"something else entirely" * 40_000)
    store = Store(str(tmp_path))
    store.add(store.slot(COUNTER), 1.0)
    assert read_totals(store) == {COUNTER: [1.0]}


def test_without_a_folder_the_values_are_this_processs_alone(tmp_path: Path) -> None:
    store = Store(None)
    store.add(store.slot(COUNTER), 2.0)
    assert read_totals(store) == {COUNTER: [2.0]}
    assert list(tmp_path.iterdir()) == []
