"""The README's walk-through runs as written against a live server, so the docs cannot rot.

Executed: the `sh` blocks of "Demo data", then every `sh` block from "A first session with
curl" up to "The same in Python" (any subsection added there is executed too), as one bash
session; then the `python` blocks of that stretch, as one script. Where the README says
http://127.0.0.1:8000 the test's server answers. Every curl call must succeed (an HTTP error
fails the run) and every Python block must run without raising.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from tests.live import ROOT, live_server, server_env

README = ROOT / "README.md"
BIN = Path(sys.executable).parent
README_URL = "http://127.0.0.1:8000"
FENCE = re.compile(r"^```(\w*)\n(.*?)^```", re.MULTILINE | re.DOTALL)
HEADING = re.compile(r"^(#{2,3}) (.+)$", re.MULTILINE)
WALK_START, WALK_END = "A first session with curl", "The same in Python"
DEMO = "Demo data"
# curl that fails on an HTTP error (and says so), so a broken example fails the test.
PREAMBLE = """set -euo pipefail
curl() { command curl --fail-with-body --show-error --max-time 20 "$@"; }
"""


@dataclass
class Section:
    level: int
    title: str
    body: str

    def blocks(self, language: str) -> list[str]:
        return [code for lang, code in FENCE.findall(self.body) if lang == language]


def sections(text: str) -> list[Section]:
    found = list(HEADING.finditer(text))
    return [
        Section(
            len(m.group(1)),
            m.group(2).strip(),
            text[m.end() : found[i + 1].start() if i + 1 < len(found) else len(text)],
        )
        for i, m in enumerate(found)
    ]


def walkthrough(text: str) -> list[Section]:
    """From the curl session to the end of the Python section (the next `##` heading)."""
    all_sections = sections(text)
    titles = [s.title for s in all_sections]
    assert WALK_START in titles and WALK_END in titles, titles
    start, end = titles.index(WALK_START), titles.index(WALK_END)
    after_end = next(
        (i for i in range(end + 1, len(all_sections)) if all_sections[i].level == 2),
        len(all_sections),
    )
    return all_sections[start:after_end]


def for_server(code: str, base: str) -> str:
    return code.replace(README_URL, base).replace(".venv/bin/", f"{BIN}/")


@pytest.fixture
def server(database_url: str, client: FlaskClient) -> Iterator[str]:
    """A live server with its rate limits on (emptied afterwards by the `client` fixture)."""
    with live_server(database_url, RATE_LIMITS_ENABLED="true") as base:
        yield base


def test_walkthrough_sections_hold_examples() -> None:
    text = README.read_text()
    demo = next(s for s in sections(text) if s.title == DEMO)
    assert any("storeapi seed-demo" in b for b in demo.blocks("sh"))
    walk = walkthrough(text)
    assert sum(len(s.blocks("sh")) for s in walk) >= 2
    assert len([b for s in walk for b in s.blocks("python")]) >= 1
    assert all(README_URL in b for b in walk[0].blocks("sh")[:1])


def test_commands_are_written_one_way_with_the_venv_active() -> None:
    text = README.read_text()
    assert ". .venv/bin/activate" in text
    commands = [
        line
        for lang, code in FENCE.findall(text)
        if lang == "sh"
        for line in code.splitlines()
        if "storeapi " in line and "docker" not in line
    ]
    assert commands and all(line.lstrip().startswith("storeapi ") for line in commands), commands
    assert ".venv/bin/" not in text.replace(". .venv/bin/activate", "")


def test_readme_shell_examples_run(server: str, database_url: str, tmp_path: Path) -> None:
    for tool in ("bash", "curl", "jq", "python3"):
        if shutil.which(tool) is None:
            pytest.fail(f"the README's examples need `{tool}` on PATH")
    text = README.read_text()
    demo = next(s for s in sections(text) if s.title == DEMO)
    blocks = demo.blocks("sh") + [b for s in walkthrough(text) for b in s.blocks("sh")]
    script = tmp_path / "readme.sh"
    script.write_text(PREAMBLE + "\n".join(for_server(b, server) for b in blocks))
    env = server_env(database_url)
    env["PATH"] = f"{BIN}:{env.get('PATH', '')}"  # as `. .venv/bin/activate` does
    result = subprocess.run(
        ["bash", "-x", str(script)],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-5000:]
    out = result.stdout
    assert "Demo user: demo@example.com  password: " in out  # seed-demo ran
    totals = re.search(r"`(The database now has [^`]+)`", demo.body)
    assert totals and totals[1] in out  # what the README says seed-demo ends with
    assert '"name":"Chair"' in out and '"name":"furniture"' in out  # the search found it
    assert out.count('"name":"Kiosk"') == 2  # the idempotent retry replayed the store
    assert '"@context"' in out  # the JSON-LD framework


def test_readme_python_examples_run(server: str, tmp_path: Path) -> None:
    code = [b for s in walkthrough(README.read_text()) for b in s.blocks("python")]
    script = tmp_path / "readme.py"
    script.write_text("\n".join(for_server(b, server) for b in code))
    result = subprocess.run(
        [sys.executable, str(script)], cwd=tmp_path, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.splitlines()[:3] == ["Bell 4.50", "Pump 19.99", "Helmet 59.00"]
    assert "already exists" in result.stdout


def test_a_failing_example_fails_the_run(server: str, database_url: str, tmp_path: Path) -> None:
    """The harness is not blind: an example that hits an HTTP error stops the script."""
    script = tmp_path / "broken.sh"
    script.write_text(PREAMBLE + f"curl -s {server}/store/999999\necho unreachable\n")
    result = subprocess.run(
        ["bash", str(script)], env=server_env(database_url), capture_output=True, text=True
    )
    assert result.returncode != 0
    assert "unreachable" not in result.stdout
    assert "404" in result.stderr


ENV_READ = re.compile(
    # the process environment's, not a request's WSGI environ (`request.environ.get("HTTP_…")`)
    r"""(?:(?<!request\.)environ\.get|_int|_bool|_list|_env_int)\(\s*"([A-Z][A-Z0-9_]+)"|envvar="([A-Z_]+)\""""
)


def test_configuration_reference_names_every_variable_the_code_reads() -> None:
    source = "\n".join(p.read_text() for p in (ROOT / "src" / "storeapi").rglob("*.py"))
    read = {a or b for a, b in ENV_READ.findall(source)}
    assert {"DATABASE_URL", "JWT_SECRET_KEY", "DEMO_PASSWORD"} <= read
    documented = (ROOT / "docs" / "configuration.md").read_text()
    assert sorted(v for v in read if f"`{v}`" not in documented) == []


def test_local_links_of_the_readme_and_docs_resolve() -> None:
    pages = [README, *(ROOT / "docs").glob("*.md"), *(ROOT / "clients").rglob("README.md")]
    pages = [p for p in pages if "node_modules" not in p.parts]
    broken = []
    for page in pages:
        for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", page.read_text()):
            if (
                not target.startswith(("http://", "https://"))
                and not (page.parent / target).exists()
            ):
                broken.append(f"{page.relative_to(ROOT)} -> {target}")
    assert broken == []
