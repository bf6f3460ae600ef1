"""The contract in the repository: docs/openapi.json is the document /openapi.json serves, so
every change to the API is a reviewed diff of that file (`make openapi` regenerates it)."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner
from flask.testing import FlaskClient

from storeapi.cli import main
from storeapi.http.openapi import TAGS

ROOT = Path(__file__).resolve().parent.parent
COMMITTED = ROOT / "docs" / "openapi.json"
CORE = ["Users and tokens", "Stores", "Items", "Tags"]
METHODS = {"get", "put", "post", "delete", "patch", "head", "options"}


def served(client: FlaskClient) -> dict:
    r = client.get("/openapi.json")
    assert r.status_code == 200
    return r.get_json()


def test_the_served_document_is_the_committed_one(client: FlaskClient) -> None:
    committed = json.loads(COMMITTED.read_text(encoding="utf-8"))
    assert served(client) == committed, (
        "the API's OpenAPI document changed: run `make openapi`, review docs/openapi.json's "
        "diff and commit it"
    )


def test_the_command_regenerates_exactly_the_committed_file(tmp_path: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(main, ["openapi", "--output", str(COMMITTED), "--check"]).exit_code == 0
    printed = runner.invoke(main, ["openapi"])
    assert printed.exit_code == 0 and printed.output == COMMITTED.read_text(encoding="utf-8")

    stale = tmp_path / "openapi.json"
    stale.write_text(COMMITTED.read_text(encoding="utf-8").replace('"3.1.0"', '"3.0.0"'))
    refused = runner.invoke(main, ["openapi", "--output", str(stale), "--check"])
    assert refused.exit_code == 1 and "make openapi" in refused.output
    assert runner.invoke(main, ["openapi", "--output", str(stale)]).exit_code == 0
    assert stale.read_text(encoding="utf-8") == COMMITTED.read_text(encoding="utf-8")


def test_the_core_resources_come_first_in_tags_and_paths(client: FlaskClient) -> None:
    spec = served(client)
    names = [t["name"] for t in spec["tags"]]
    assert names == list(TAGS) and names[:4] == CORE
    assert names.index("Tags") < names.index("Books") < names.index("Frameworks")
    used = [op["tags"][0] for ops in spec["paths"].values() for op in ops.values()]
    assert set(used) <= set(names)
    first_seen = list(dict.fromkeys(used))
    assert first_seen == [n for n in names if n in first_seen]  # paths grouped in tag order


def test_no_query_parameter_is_documented_as_nullable(client: FlaskClient) -> None:
    spec = served(client)
    nullable = [
        f"{method.upper()} {path} {param['name']}"
        for path, ops in spec["paths"].items()
        for method, op in ops.items()
        if method in METHODS
        for param in op.get("parameters", [])
        if param["in"] == "query" and '"type": "null"' in json.dumps(param["schema"])
    ]
    assert nullable == []
    cursor = next(p for p in spec["paths"]["/item"]["get"]["parameters"] if p["name"] == "cursor")
    assert cursor["schema"]["type"] == "string" and "anyOf" not in cursor["schema"]
