"""docs/api.md, the API reference, stays true: its endpoint table lists exactly the operations
of /openapi.json, each with the documented success statuses and the need for a token, and its
code examples run. Nothing in the repository points outside it."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from tests.live import ROOT

REFERENCE = ROOT / "docs" / "api.md"
ROW = re.compile(r"^\| (GET|POST|PUT|DELETE|PATCH) \| `([^`]+)` \| ([^|]+) \| ([^|]+) \|", re.M)
FENCE = re.compile(r"^```(\w*)\n(.*?)^```", re.M | re.S)
METHODS = {"get", "put", "post", "delete", "patch"}
OUTSIDE = re.compile(r"\.\./shared|/work/" r"shared")  # split, so this line does not match


def table() -> dict[tuple[str, str], tuple[str, set[int]]]:
    text = REFERENCE.read_text(encoding="utf-8")
    endpoints = text[text.index("## Endpoints") : text.index("## Objects")]
    rows = ROW.findall(endpoints)
    documented = {
        (method, path): (who.strip(), {int(s) for s in re.findall(r"\d{3}", success)})
        for method, path, who, success in rows
    }
    assert len(documented) == len(rows), "an endpoint is listed twice"
    return documented


def operations(client: FlaskClient) -> dict[tuple[str, str], dict]:
    spec = client.get("/openapi.json").get_json()
    return {
        (method.upper(), path): op
        for path, ops in spec["paths"].items()
        for method, op in ops.items()
        if method in METHODS
    }


def test_the_table_lists_exactly_the_documents_operations(client: FlaskClient) -> None:
    documented, served = table(), operations(client)
    assert sorted(set(served) - set(documented)) == [], "undocumented in docs/api.md"
    assert sorted(set(documented) - set(served)) == [], "in docs/api.md, not in the API"


def test_each_row_has_the_operations_success_statuses_and_guard(client: FlaskClient) -> None:
    served = operations(client)
    for key, (who, statuses) in table().items():
        op = served[key]
        assert statuses == {int(s) for s in op["responses"] if s.startswith("2")}, key
        needs_token = "🔒" in who
        assert needs_token == bool(op.get("security")), (key, who)
        assert needs_token or who.startswith("anyone"), (key, who)


def test_the_readme_links_the_reference_and_nothing_points_outside_the_repo() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "](docs/api.md)" in readme
    tracked = subprocess.run(
        ["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    outside = [
        name
        for name in tracked
        if not name.endswith((".png", ".lock")) and (ROOT / name).is_file()
        for line in (ROOT / name).read_text(encoding="utf-8", errors="replace").splitlines()
        if OUTSIDE.search(line)
    ]
    assert outside == []


def _blocks(language: str) -> list[str]:
    return [code for lang, code in FENCE.findall(REFERENCE.read_text()) if lang == language]


def test_the_python_price_example_runs() -> None:
    [code] = _blocks("python")
    exec(compile(code, str(REFERENCE), "exec"), {})


def test_the_javascript_price_example_runs(tmp_path: Path) -> None:
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is needed to run docs/api.md's JavaScript example")
    [code] = _blocks("js")
    script = tmp_path / "prices.js"
    script.write_text(
        "const assert = require('node:assert');\n" + code.replace("console.assert", "assert")
    )
    done = subprocess.run([node, str(script)], capture_output=True, text=True, timeout=30)
    assert done.returncode == 0, done.stderr
