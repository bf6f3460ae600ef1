"""pyproject.toml declares what the code imports, and the lock files pin all of it with hashes."""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib.metadata import distribution, packages_distributions
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
# Needed at run time, never imported by name: SQLAlchemy loads the driver for
# postgresql+psycopg URLs, and /docs reads Swagger UI's files out of flask-openapi3-swagger
# with importlib.resources.
LOADED_BY_OTHERS = {"psycopg", "flask-openapi3-swagger"}


def locked(lock: str) -> dict[str, tuple[str, list[str]]]:
    """name -> (version, hashes) of a `uv pip compile --generate-hashes` file."""
    text = (ROOT / "requirements" / lock).read_text()
    pins: dict[str, tuple[str, list[str]]] = {}
    for block in re.split(r"\n(?=[A-Za-z0-9])", text):
        match = re.match(r"([A-Za-z0-9_.\-\[\]]+)==([^\s;\\]+)", block)
        if match:
            name = canonicalize_name(match.group(1).split("[")[0])
            pins[name] = (match.group(2), re.findall(r"--hash=sha256:[0-9a-f]{64}", block))
    return pins


def _owners(module: str, providers: dict[str, list[str]]) -> list[str]:
    """The distributions that provide `module` (dotted). A namespace package that several
    share (`opentelemetry`: the API, the SDK, each exporter and instrumentation) is resolved
    to those whose files hold the module itself."""
    top = module.split(".")[0]
    candidates = providers.get(top, [top])
    if len(candidates) <= 1:
        return candidates
    parts = module.split(".")
    while len(parts) > 1:  # `opentelemetry.trace.SpanKind` is a name in opentelemetry.trace
        path = "/".join(parts)
        owners = [
            name
            for name in candidates
            if any(
                str(f).startswith(path + "/") or str(f) == path + ".py"
                for f in distribution(name).files or []
            )
        ]
        if owners:
            return owners
        parts.pop()
    return candidates


def imported_distributions(folder: Path) -> set[str]:
    """The distributions that provide the modules the code imports."""
    modules: set[str] = set()
    for path in folder.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                modules.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                # `from opentelemetry import trace` imports the module opentelemetry.trace
                modules.update(f"{node.module}.{alias.name}" for alias in node.names)
    providers = packages_distributions()
    # (`_typeshed` exists only for type checkers, under `if TYPE_CHECKING`)
    ignored = set(sys.stdlib_module_names) | {"storeapi", "__future__", "_typeshed"}
    external = {m for m in modules if m.split(".")[0] not in ignored}
    return {canonicalize_name(d) for m in external for d in _owners(m, providers)}


def declared(requirements: list[str]) -> dict[str, Requirement]:
    return {canonicalize_name(r.name): r for r in map(Requirement, requirements)}


def test_the_package_declares_exactly_what_it_imports():
    runtime = declared(PROJECT["dependencies"])
    imported = imported_distributions(ROOT / "src" / "storeapi")
    assert imported - set(runtime) == set(), "imported but not declared"
    assert set(runtime) - imported - LOADED_BY_OTHERS == set(), "declared but never imported"


def test_every_declared_requirement_is_locked_with_hashes_and_in_range():
    extras = PROJECT["optional-dependencies"]
    for lock, requirements in (
        ("app.txt", PROJECT["dependencies"]),
        ("dev.txt", PROJECT["dependencies"] + extras["test"] + extras["bench"]),
    ):
        pins = locked(lock)
        for name, requirement in declared(requirements).items():
            assert name in pins, f"{name} is not in requirements/{lock}"
            version, _ = pins[name]
            assert requirement.specifier.contains(version, prereleases=True), (name, version)
        assert all(hashes for _, hashes in pins.values()), f"a pin without hashes in {lock}"


def test_the_runtime_lock_holds_no_test_tools():
    assert not {"pytest", "hypothesis", "ruff", "playwright"} & set(locked("app.txt"))
