"""The typed TypeScript client (clients/typescript): its types are generated from the served
/openapi.json, it type-checks, and its example runs against a real server under node's test
runner. Its packages are installed on first use (npm ci, from package-lock.json); the tests
are skipped only where Node.js is not installed."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from tests.live import ROOT, live_server

CLIENT = ROOT / "clients" / "typescript"
NODE = shutil.which("node")
pytestmark = pytest.mark.skipif(NODE is None, reason="Node.js is not installed")


def run(*command: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        command,
        cwd=CLIENT,
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, **(env or {})},
    )


def explain(result: subprocess.CompletedProcess) -> str:
    return f"{' '.join(result.args)} exited {result.returncode}:\n{result.stdout}\n{result.stderr}"


@pytest.fixture(scope="session")
def npm_packages() -> Path:
    """clients/typescript/node_modules, installed from package-lock.json when missing."""
    tsc = CLIENT / "node_modules" / ".bin" / "tsc"
    if not tsc.exists():
        npm = shutil.which("npm")
        if npm is None:
            pytest.fail("Node.js is installed without npm: install npm to test the client")
        result = run(npm, "ci", "--no-audit", "--no-fund")
        assert result.returncode == 0 and tsc.exists(), explain(result)
    return CLIENT / "node_modules"


def test_committed_types_are_generated_from_the_served_document(
    npm_packages: Path, database_url: str, client: FlaskClient
) -> None:
    with live_server(database_url) as base:
        result = run(str(NODE), "scripts/generate.mjs", "--check", f"{base}/openapi.json")
    assert result.returncode == 0, explain(result) + "\nrun `npm run generate` and commit"


def test_client_and_example_type_check(npm_packages: Path) -> None:
    result = run(str(npm_packages / ".bin" / "tsc"), "--noEmit")
    assert result.returncode == 0, explain(result)


def test_type_check_refuses_a_call_the_api_would_refuse(npm_packages: Path) -> None:
    """The types are the contract: an item without its price and store does not compile."""
    # A folder of its own, outside the client's tsconfig, so other checks never see the file.
    folder = Path(tempfile.mkdtemp(prefix=".refused-", dir=CLIENT))
    try:
        (folder / "tsconfig.json").write_text(
            '{"extends": "../tsconfig.json", "compilerOptions": {"noEmit": true, "rootDir": ".."},'
            ' "include": ["wrong.ts"]}'
        )
        (folder / "wrong.ts").write_text(
            'import { storeApi } from "../src/client.js";\n'
            'await storeApi("http://x").POST("/item", { body: { name: "Chair" } });\n'
        )
        result = run(str(npm_packages / ".bin" / "tsc"), "-p", str(folder))
    finally:
        shutil.rmtree(folder)
    assert result.returncode != 0
    assert "wrong.ts" in result.stdout and "price" in result.stdout, explain(result)


def test_example_runs_against_a_live_server(
    npm_packages: Path, database_url: str, client: FlaskClient
) -> None:
    build = run(str(npm_packages / ".bin" / "tsc"))
    assert build.returncode == 0, explain(build)
    with live_server(database_url) as base:
        result = run(str(NODE), "--test", "dist/test/session.test.js", env={"STOREAPI_URL": base})
    assert result.returncode == 0, explain(result)
    assert "# pass 3" in result.stdout and "# fail 0" in result.stdout, explain(result)
