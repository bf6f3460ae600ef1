"""Spec-driven fuzzing: schemathesis against a real server's own /openapi.json.

Every operation, with authentication, all checks on (schemathesis.toml: `[checks] enabled`,
plus `state_dependent_422_only` from tests/fuzz_hooks.py), in the examples, coverage (boundary
values, missing parameters, unsupported methods) and fuzzing phases, then the stateful phase that
follows the links between operations (create a store, read it, tag an item, delete it, ...).
The CI variant is bounded and deterministic; `--run-slow` runs many more, random, examples.

Each operation gets a token of the right kind: the fuzz user's for everything, the
administrator's for /user/{user_id}, a refresh token for /refresh. Tokens are fetched for every
case, so a fuzzed POST /logout or DELETE /user/{id} never starves the cases after it.
"""

from __future__ import annotations

import contextlib
import os
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, settings
from hypothesis.errors import Flaky, FlakyStrategyDefinition
from schemathesis.config import SchemathesisConfig
from sqlalchemy import create_engine, update

import tests.fuzz_hooks  # noqa: F401  (registers the state_dependent_422_only check)
from storeapi.db import normalize_url
from storeapi.models import User
from tests.live import live_server
from tests.pgserver import fresh_database

if not hasattr(pytest.Function, "_nodeid"):
    # schemathesis' lazy loader labels each operation's subtest through `node._nodeid`, which
    # pytest 9 no longer has; give it a writable stand-in that defaults to the real node id.
    pytest.Function._nodeid = property(  # type: ignore[attr-defined]
        lambda node: node.__dict__.get("_schemathesis_nodeid", node.nodeid),
        lambda node, value: node.__dict__.__setitem__("_schemathesis_nodeid", value),
    )

CONFIG = Path(__file__).resolve().parent.parent / "schemathesis.toml"
FUZZ_USER = ("fuzz@example.com", "fuzz password 1")
FUZZ_ADMIN = ("fuzz-admin@example.com", "fuzz password 2")
# schemathesis.toml names the CLI's account through these; this module uses its own auth.
os.environ.setdefault("STOREAPI_FUZZ_EMAIL", FUZZ_USER[0])
os.environ.setdefault("STOREAPI_FUZZ_PASSWORD", FUZZ_USER[1])
CI_EXAMPLES, SLOW_EXAMPLES = 8, 150
TOKENS_HANDED_OUT: Counter[str] = Counter()
CI_STEPS, SLOW_STEPS = 20, 200


class Accounts:
    """Logs in on demand, re-creating an account that a fuzzed DELETE /user removed."""

    def __init__(self, base: str, database_url: str) -> None:
        self.http = httpx.Client(base_url=base, timeout=10)
        self.database_url = database_url

    def tokens(self, account: tuple[str, str], admin: bool = False) -> dict[str, str]:
        email, password = account
        r = self.http.post("/login", json={"email": email, "password": password})
        if r.status_code == 401:
            self.create(account, admin)
            r = self.http.post("/login", json={"email": email, "password": password})
        assert r.status_code == 200, r.text
        return r.json()

    def create(self, account: tuple[str, str], admin: bool) -> int:
        email, password = account
        r = self.http.post("/register", json={"email": email, "password": password})
        assert r.status_code == 201, r.text
        user_id = r.json()["id"]
        if admin:
            engine = create_engine(normalize_url(self.database_url))
            with engine.begin() as conn:
                conn.execute(update(User).where(User.id == user_id).values(is_admin=True))
            engine.dispose()
        return user_id


def fuzz_config(examples: int, steps: int) -> SchemathesisConfig:
    """schemathesis.toml as the CLI reads it, with this run's sizes."""
    config = SchemathesisConfig.from_path(str(CONFIG))
    project = config.projects.default
    project.generation.update(max_examples=examples, deterministic=examples == CI_EXAMPLES)
    project.phases.stateful.max_steps = steps
    return config


@pytest.fixture(scope="module")
def fuzz_target(
    database_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, str]]:
    """A live server on a database of its own (PostgreSQL when the run has it, else SQLite)."""
    if os.environ.get("TEST_DATABASE_URL") and database_url.startswith("sqlite"):
        pytest.skip("fuzzed on PostgreSQL in this run (the production database)")
    base_url = os.environ.get("TEST_DATABASE_URL") if database_url.startswith("postgres") else None
    with (
        fresh_database(base_url, tmp_path_factory.mktemp("fuzz")) as url,
        live_server(url, workers=1, THREADS=4) as base,
    ):
        yield base, url


@pytest.fixture(scope="module")
def api_schema(fuzz_target: tuple[str, str], request: pytest.FixtureRequest):  # type: ignore[no-untyped-def]
    base, database_url = fuzz_target
    slow = request.config.getoption("--run-slow")
    accounts = Accounts(base, database_url)
    accounts.create(FUZZ_USER, admin=False)
    accounts.create(FUZZ_ADMIN, admin=True)
    seed_objects(accounts)
    config = fuzz_config(SLOW_EXAMPLES if slow else CI_EXAMPLES, SLOW_STEPS if slow else CI_STEPS)
    schema = schemathesis.openapi.from_url(f"{base}/openapi.json", config=config)

    @schema.auth(refresh_interval=None)
    class PerOperationToken:
        def get(self, case, context):  # type: ignore[no-untyped-def]
            path = context.operation.path
            if path.startswith("/user/"):
                TOKENS_HANDED_OUT["admin"] += 1
                return accounts.tokens(FUZZ_ADMIN, admin=True)["access_token"]
            tokens = accounts.tokens(FUZZ_USER)
            kind = "refresh" if path == "/refresh" else "access"
            TOKENS_HANDED_OUT[kind] += 1
            return tokens[f"{kind}_token"]

        def set(self, case, token, context):  # type: ignore[no-untyped-def]
            case.headers = {**(case.headers or {}), "Authorization": f"Bearer {token}"}

    return schema


def seed_objects(accounts: Accounts) -> None:
    """A store with an item and a tag of the fuzz user, and a book, so that small generated ids
    (1, 2, ...) find real objects and the handlers behind 404 are reached too."""
    token = accounts.tokens(FUZZ_USER)["access_token"]
    auth = {"Authorization": f"Bearer {token}"}
    http = accounts.http
    store = http.post("/store", json={"name": "Fuzz Shop"}, headers=auth).json()
    item = http.post(
        "/item", json={"name": "Chair", "price": "15.99", "store_id": store["id"]}, headers=auth
    ).json()
    tag = http.post(f"/store/{store['id']}/tag", json={"name": "sale"}, headers=auth).json()
    assert http.post(f"/item/{item['id']}/tag/{tag['id']}", headers=auth).status_code == 201
    book = {"title": "Dune", "author": "Frank Herbert"}
    assert http.post("/books", json=book, headers=auth).status_code == 201


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(
    deadline=None,
    suppress_health_check=list(HealthCheck),
    phases=[Phase.explicit, Phase.generate],
)
def test_every_operation_conforms_to_the_spec(case: schemathesis.Case) -> None:
    case.call_and_validate(timeout=15)


def test_the_cases_carried_the_right_kind_of_token(api_schema) -> None:  # type: ignore[no-untyped-def]
    """Runs after the per-operation test: its cases got user, refresh and admin tokens from
    `PerOperationToken` (not the CLI's single account from schemathesis.toml)."""
    if not TOKENS_HANDED_OUT:
        pytest.skip("only meaningful after test_every_operation_conforms_to_the_spec")
    assert all(TOKENS_HANDED_OUT[kind] for kind in ("access", "refresh", "admin")), (
        TOKENS_HANDED_OUT
    )


def test_link_following_workflows_conform_to_the_spec(api_schema) -> None:  # type: ignore[no-untyped-def]
    """Scenarios that follow the spec's links (inferred from Location headers and ids), every
    response checked. Failures are collected rather than raised, so Hypothesis never replays a
    scenario against a server whose state has moved on (which it would call a flaky strategy);
    such a replay artifact ends a round and the next round starts with a fresh seed, as
    `schemathesis run` does."""
    steps: list[str] = []
    failures: list[str] = []

    class Workflow(api_schema.as_state_machine()):  # type: ignore[misc, valid-type]
        def validate_response(self, response, case, additional_checks=None, **kwargs):  # type: ignore[no-untyped-def]
            steps.append(f"{case.operation.label} -> {response.status_code}")
            try:
                super().validate_response(response, case, additional_checks, **kwargs)
            except (Exception, BaseExceptionGroup) as exc:  # FailureGroup is a BaseExceptionGroup
                failures.append(f"{case.operation.label}: {exc}")

    config = api_schema.config
    scenarios = config.generation.max_examples
    wanted = scenarios * 10  # scenarios end early at random, so fewer than max_steps each
    for _ in range(5):
        with contextlib.suppress(FlakyStrategyDefinition, Flaky):
            Workflow.run(
                settings=settings(
                    max_examples=config.generation.max_examples,
                    stateful_step_count=config.phases.stateful.max_steps,
                    deadline=None,
                    suppress_health_check=list(HealthCheck),
                    phases=[Phase.generate],
                    database=None,
                )
            )
        if failures or len(steps) >= wanted:
            break
    assert not failures, "\n".join(failures)
    followed = {s.split(" -> ")[0] for s in steps}
    assert len(steps) >= scenarios * 2 and len(followed) >= 10, sorted(followed)


def test_the_spec_covers_every_route_of_the_app(fuzz_target: tuple[str, str]) -> None:
    spec = httpx.get(f"{fuzz_target[0]}/openapi.json").json()
    operations = [(m, p) for p, ops in spec["paths"].items() for m in ops]
    assert len(operations) >= 39
    assert all(op.get("operationId") for ops in spec["paths"].values() for op in ops.values())


def test_the_state_dependent_422_check_is_registered_and_enabled() -> None:
    from schemathesis.checks import CHECKS

    assert "state_dependent_422_only" in CHECKS.get_all_names()
    config = fuzz_config(CI_EXAMPLES, CI_STEPS).projects.default
    assert config.checks.get_by_name(name="state_dependent_422_only").enabled
    assert config.checks.positive_data_acceptance.enabled
    assert config.checks.negative_data_rejection.enabled
