"""The Postman collection: in step with /openapi.json, and passing under newman against a real
server. newman is installed on first use into clients/postman/node_modules (npm ci)."""

from __future__ import annotations

import copy
import importlib.util
import json
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest
from flask.testing import FlaskClient

from tests.live import live_server

ROOT = Path(__file__).resolve().parent.parent
POSTMAN = ROOT / "clients" / "postman"
NEWMAN = POSTMAN / "node_modules" / ".bin" / "newman"


def load_generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("postman_generate", POSTMAN / "generate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


generate = load_generator()


@pytest.fixture(scope="session")
def newman() -> Path:
    """The newman executable, installed from package-lock.json when missing."""
    if NEWMAN.exists():
        return NEWMAN
    npm = shutil.which("npm")
    if npm is None or shutil.which("node") is None:
        pytest.fail(
            "node and npm are needed to run the Postman collection with newman: "
            "install Node.js 18+ (e.g. `apt-get install nodejs npm`)"
        )
    result = subprocess.run(
        [npm, "ci", "--no-audit", "--no-fund"],
        cwd=POSTMAN,
        capture_output=True,
        text=True,
        timeout=600,
    )
    if result.returncode != 0 or not NEWMAN.exists():
        pytest.fail(f"`npm ci` in {POSTMAN} failed:\n{result.stdout}\n{result.stderr}")
    return NEWMAN


# The tests that run a server also take `client`: its teardown empties the test database.


def run_newman(newman: Path, collection: Path, base_url: str, report: Path) -> dict:
    result = subprocess.run(
        [
            str(newman),
            "run",
            str(collection),
            "--environment",
            str(POSTMAN / "storeapi.postman_environment.json"),
            "--env-var",
            f"baseUrl={base_url}",
            "--reporters",
            "cli,json",
            "--reporter-json-export",
            str(report),
            "--color",
            "off",
            "--timeout-request",
            "10000",
        ],
        cwd=POSTMAN,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert report.exists(), f"newman wrote no report:\n{result.stdout}\n{result.stderr}"
    run = json.loads(report.read_text())["run"]
    run["cli_output"] = result.stdout + result.stderr
    run["returncode"] = result.returncode
    return run


def requests_in(collection: dict) -> list[str]:
    return [item["name"] for folder in collection["item"] for item in folder["item"]]


def test_committed_collection_is_generated_from_the_current_spec(client: FlaskClient) -> None:
    spec = client.get("/openapi.json").get_json()
    expected = generate.render(generate.build_collection(spec))
    committed = (POSTMAN / "storeapi.postman_collection.json").read_text()
    assert committed == expected, "run `python clients/postman/generate.py` and commit the result"


def test_collection_covers_every_operation_of_the_spec(client: FlaskClient) -> None:
    spec = client.get("/openapi.json").get_json()
    collection = json.loads((POSTMAN / "storeapi.postman_collection.json").read_text())
    sent = {
        (item["request"]["method"], "/" + "/".join(item["request"]["url"]["path"]))
        for folder in collection["item"]
        for item in folder["item"]
    }
    for path, operations in spec["paths"].items():
        postman_path = "/".join(f":{s[1:-1]}" if s.startswith("{") else s for s in path.split("/"))
        for method in operations:
            assert (method.upper(), postman_path or "/") in sent, (method, path)
    folders = [folder["name"] for folder in collection["item"]]
    assert folders.index("Users and tokens") < folders.index("Stores") < folders.index("Items")
    assert folders[-1] == "Refresh and log out"


def test_generation_refuses_a_spec_the_steps_do_not_fit(client: FlaskClient) -> None:
    spec = client.get("/openapi.json").get_json()

    renamed = copy.deepcopy(spec)
    renamed["paths"]["/store"]["post"]["operationId"] = "make_store"
    with pytest.raises(generate.SpecMismatch, match="create_store"):
        generate.build_collection(renamed)

    extra = copy.deepcopy(spec)
    extra["paths"]["/store/{store_id}"]["put"] = {
        **extra["paths"]["/store/{store_id}"]["delete"],
        "operationId": "update_store",
    }
    with pytest.raises(generate.SpecMismatch, match="update_store"):
        generate.build_collection(extra)

    stricter = copy.deepcopy(spec)
    stricter["components"]["schemas"]["StoreCreate"]["required"].append("city")
    with pytest.raises(generate.SpecMismatch, match="city"):
        generate.build_collection(stricter)

    undocumented = copy.deepcopy(spec)
    del undocumented["paths"]["/item/{item_id}"]["get"]["responses"]["304"]
    with pytest.raises(generate.SpecMismatch, match="304"):
        generate.build_collection(undocumented)


def test_newman_runs_the_collection_with_no_failure(
    newman: Path, database_url: str, client: FlaskClient, tmp_path: Path
) -> None:
    collection = json.loads((POSTMAN / "storeapi.postman_collection.json").read_text())
    with live_server(database_url, RATE_LIMITS_ENABLED="true") as base:
        run = run_newman(
            newman, POSTMAN / "storeapi.postman_collection.json", base, tmp_path / "run.json"
        )
    failures = [f"{f['source']['name']}: {f['error']['message']}" for f in run.get("failures", [])]
    assert failures == [], "\n".join(failures) + "\n" + run["cli_output"][-4000:]
    stats = run["stats"]
    assert stats["requests"]["failed"] == 0
    assert stats["assertions"]["failed"] == 0
    assert stats["testScripts"]["failed"] == 0
    executed = [e["item"]["name"] for e in run["executions"]]
    assert executed == requests_in(collection)
    # each request asserts at least its status and the request id
    assert stats["assertions"]["total"] >= 2 * len(executed)
    assert run["returncode"] == 0


def test_newman_reports_a_failing_assertion(
    newman: Path, database_url: str, client: FlaskClient, tmp_path: Path
) -> None:
    """The run above can fail: the same harness catches a wrong expectation."""
    collection = json.loads((POSTMAN / "storeapi.postman_collection.json").read_text())
    discovery = collection["item"][0]
    home = discovery["item"][0]
    tests = next(e for e in home["event"] if e["listen"] == "test")["script"]["exec"]
    tests[0] = tests[0].replace("status(200)", "status(201)")
    collection["item"] = [discovery]
    broken = tmp_path / "broken.postman_collection.json"
    broken.write_text(json.dumps(collection))
    with live_server(database_url) as base:
        run = run_newman(newman, broken, base, tmp_path / "run.json")
    assert run["stats"]["assertions"]["failed"] == 1
    assert [f["error"]["test"] for f in run["failures"]] == ["status is 200"]
    assert run["returncode"] != 0
