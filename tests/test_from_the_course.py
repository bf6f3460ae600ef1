"""docs/from-the-course.md is exactly true: a course-style session (tests/course_session.json,
written from the course's request list) is replayed against a live `storeapi serve`, and every
answer is the one the page's table gives, for the differences the table names; every
difference the page explains is shown by the session, and every step is in the table."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from flask.testing import FlaskClient

from tests.live import ROOT, live_server

PAGE = ROOT / "docs" / "from-the-course.md"
SESSION = ROOT / "tests" / "course_session.json"
PROBLEM = "application/problem+json"
PLACEHOLDER = re.compile(r"\{(\w+)\}")
TABLE_ROW = re.compile(r"^\| (\d+) \| (.+?) \| (.+?) \| (.+?) \|\s*(.*?)\s*\|$", re.M)


def steps() -> list[dict[str, Any]]:
    return json.loads(SESSION.read_text(encoding="utf-8"))["steps"]


def page_rows() -> dict[int, tuple[str, int, set[str]]]:
    """The page's session table: step -> (request, storeapi's status, the sections it links)."""
    rows = {}
    for n, request, _course, answer, see in TABLE_ROW.findall(PAGE.read_text(encoding="utf-8")):
        status = re.match(r"(\d{3})\b", answer)
        assert status, f"row {n}: the storeapi column must start with the status"
        rows[int(n)] = (request, int(status[1]), set(re.findall(r"\]\(#([\w-]+)\)", see)))
    return rows


def page_sections() -> set[str]:
    return set(re.findall(r'<a id="([\w-]+)"></a>', PAGE.read_text(encoding="utf-8")))


def shape(request: str) -> str:
    """`PUT /item/{id}` and `PUT /item/2000000000` alike: ids and placeholders as {}."""
    return re.sub(r"\{[^}]*\}|\d+", "{}", request)


def fill(value: Any, saved: dict[str, Any]) -> Any:
    """A step's value with {name} replaced by what an earlier step saved (a whole "{name}"
    keeps the saved value's type)."""
    if isinstance(value, str):
        whole = PLACEHOLDER.fullmatch(value)
        if whole:
            return saved[whole[1]]
        return PLACEHOLDER.sub(lambda m: str(saved[m[1]]), value)
    if isinstance(value, dict):
        return {k: fill(v, saved) for k, v in value.items()}
    if isinstance(value, list):
        return [fill(v, saved) for v in value]
    return value


def dig(body: Any, dotted: str) -> Any:
    for key in dotted.split("."):
        body = body[key]
    return body


def check(step: dict[str, Any], r: httpx.Response, saved: dict[str, Any]) -> None:
    """Assert that the answer is what the step expects."""
    expect, label = step["expect"], f"step {step['n']} {step['request']}"
    assert r.status_code == expect["status"], (label, r.status_code, r.text)
    if r.status_code >= 400:
        assert r.headers["Content-Type"] == PROBLEM, label
    body = r.json() if r.content else None
    if "problem" in expect:
        assert body["type"].endswith("/" + expect["problem"]), (label, body)
    if "errors" in expect:
        assert sorted(e["field"] for e in body["errors"]) == expect["errors"], (label, body)
    for key in expect.get("has", []):
        assert key in body, (label, key, body)
    for key in expect.get("lacks", []):
        assert key not in body, (label, key, body)
    if "list" in expect:
        entries = body[expect["list"]]
        assert isinstance(entries, list) and entries, (label, body)
        for entry in entries:
            assert set(expect.get("entries_have", [])) <= set(entry), (label, entry)
            assert not set(expect.get("entries_lack", [])) & set(entry), (label, entry)
    if expect.get("empty"):
        assert r.content == b"" and "Content-Type" not in r.headers, label
    if "raw_contains" in expect:
        assert expect["raw_contains"] in r.text, (label, r.text)
    for key, value in step.get("save", {}).items():
        saved[key] = dig(body, value)
    for dotted, value in expect.get("equals", {}).items():
        assert dig(body, dotted) == fill(value, saved), (label, dotted, body)
    if "location" in expect:
        assert r.headers["Location"] == fill(expect["location"], saved), label


@pytest.fixture
def server(database_url: str, client: FlaskClient) -> Iterator[str]:
    """A live server on the test database; `client` empties that database afterwards."""
    with live_server(database_url) as base:
        yield base


def test_the_course_session_answers_as_the_page_says(server: str) -> None:
    saved: dict[str, Any] = {}
    with httpx.Client(base_url=server, timeout=20) as http:
        for step in steps():
            method, path = step["request"].split(" ", 1)
            headers = {}
            if "token" in step:
                headers["Authorization"] = f"Bearer {saved[step['token']]}"
            body = fill(step["body"], saved) if "body" in step else None
            r = http.request(method, fill(path, saved), json=body, headers=headers)
            check(step, r, saved)


def test_every_step_is_in_the_page_with_its_status_and_sections() -> None:
    rows = page_rows()
    assert sorted(rows) == [s["n"] for s in steps()] == list(range(1, len(rows) + 1))
    for step in steps():
        request, status, sections = rows[step["n"]]
        assert shape(request.split("`")[1]) == shape(step["request"]), (step["n"], request)
        assert status == step["expect"]["status"], (step["n"], status)
        assert sections == set(step["differences"]), (step["n"], sections)


def test_every_difference_the_page_explains_is_shown_by_the_session() -> None:
    shown = {d for s in steps() for d in s["differences"]}
    assert shown == page_sections()
    text = PAGE.read_text(encoding="utf-8")
    for section in page_sections():
        block = text.split(f'<a id="{section}"></a>', 1)[1].split("<a id=", 1)[0]
        for part in ("**What**", "**Why**", "**Change**"):
            assert part in block, (section, part)


def test_the_eleven_are_the_issues_eleven() -> None:
    text = PAGE.read_text(encoding="utf-8")
    eleven = text.split("## The eleven differences", 1)[1].split("## What this API", 1)[0]
    assert len(re.findall(r"^### \d+\. ", eleven, re.M)) == 11
