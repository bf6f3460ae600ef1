"""The Dockerfile and compose.yaml, correct by construction.

There is no Docker engine on our machines, so these tests read the files for the properties
that matter, run the image's health check command against a real server, and run
`docker compose config` when a compose client is there. The commands the containers run
(`storeapi db upgrade`, `storeapi serve`) are tested as real processes in test_serve.py.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml

from tests.live import free_port, live_server

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "src" / "storeapi"


def dockerfile_stages() -> list[list[tuple[str, str]]]:
    """The Dockerfile as stages of (INSTRUCTION, arguments), continuation lines joined."""
    text = re.sub(r"\\\n", " ", (ROOT / "Dockerfile").read_text())
    stages: list[list[tuple[str, str]]] = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        instruction, _, args = line.partition(" ")
        if instruction.upper() == "FROM":
            stages.append([])
        if stages:
            stages[-1].append((instruction.upper(), args.strip()))
    return stages


def instructions(stage: list[tuple[str, str]], name: str) -> list[str]:
    return [args for instruction, args in stage if instruction == name]


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((ROOT / "compose.yaml").read_text())


# Dockerfile


def test_dockerfile_is_multi_stage_on_a_slim_base():
    stages = dockerfile_stages()
    assert len(stages) >= 2
    final = stages[-1]
    (base,) = instructions(final, "FROM")
    assert re.match(r"python:\$\{PYTHON_VERSION\}-slim\b", base)
    assert "ARG PYTHON_VERSION=3.11" in (ROOT / "Dockerfile").read_text()
    copied = instructions(final, "COPY")
    assert copied and all(c.startswith("--from=build ") for c in copied)


def test_final_image_has_no_build_tools():
    final = dockerfile_stages()[-1]
    runs = " ".join(instructions(final, "RUN"))
    for tool in ("apt-get install", "apk add", "gcc", "build-essential", "pip install"):
        assert tool not in runs
    assert "pip uninstall -y pip" in runs


def test_final_image_runs_as_a_non_root_user():
    final = dockerfile_stages()[-1]
    users = instructions(final, "USER")
    assert users, "no USER in the final stage"
    user = users[-1].split(":")[0]
    assert user not in {"0", "root"}
    assert "useradd --system --uid 10001" in " ".join(instructions(final, "RUN"))
    # nothing after USER switches back to root
    after = final[[i for i, (ins, _) in enumerate(final) if ins == "USER"][-1] :]
    assert not [args for ins, args in after if ins == "USER" and args.split(":")[0] == "root"]


def test_image_serves_with_the_same_command_as_developers():
    final = dockerfile_stages()[-1]
    (cmd,) = instructions(final, "CMD")
    assert json.loads(cmd) == ["storeapi", "serve"]
    env = " ".join(instructions(final, "ENV"))
    assert "STOREAPI_ENV=production" in env and "HOST=0.0.0.0" in env
    assert instructions(final, "STOPSIGNAL") == ["SIGTERM"]


def healthcheck_command() -> list[str]:
    final = dockerfile_stages()[-1]
    (check,) = instructions(final, "HEALTHCHECK")
    options, _, command = check.partition("CMD ")
    assert "--interval=" in options and "--timeout=" in options
    return json.loads(command)


def test_health_check_passes_against_a_live_server_and_fails_without_one(database_url):
    command = healthcheck_command()
    assert command[0] == "python"
    argv = [sys.executable, *command[1:]]
    with live_server(database_url) as base:
        port = base.rsplit(":", 1)[1]
        ok = subprocess.run(argv, env={**os.environ, "PORT": port}, capture_output=True)
        assert ok.returncode == 0, ok.stderr
    dead = subprocess.run(argv, env={**os.environ, "PORT": str(free_port())}, capture_output=True)
    assert dead.returncode != 0


def test_build_context_holds_what_the_image_copies():
    ignore = (ROOT / ".dockerignore").read_text().splitlines()
    assert "*" in ignore and "!pyproject.toml" in ignore and "!src/" in ignore
    assert "!requirements/app.txt" in ignore
    build = dockerfile_stages()[0]
    sources = [shlex.split(c)[0] for c in instructions(build, "COPY")]
    assert sources == ["requirements/app.txt", "pyproject.toml", "src"]
    for source in sources:
        assert (ROOT / source).exists()


def test_image_installs_the_locked_versions_only():
    """Hashes checked, no resolution at build time: two builds a week apart are the same."""
    runs = instructions(dockerfile_stages()[0], "RUN")
    assert any("--require-hashes --no-deps -r requirements/app.txt" in r for r in runs)
    assert any("pip install --no-deps ." in r for r in runs)


def test_wheel_ships_templates_and_migrations():
    """The image installs the package (not editable): every data file must be package data."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    patterns = config["tool"]["setuptools"]["package-data"]["storeapi"]
    shipped = {p for pattern in patterns for p in PACKAGE.glob(pattern) if p.is_file()}
    needed = {
        p
        for p in PACKAGE.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc"
        if p.suffix != ".py" or not (p.parent / "__init__.py").exists()
    }
    needed -= {p for p in needed if p.name == "script.py.mako"}  # only for writing migrations
    assert needed - shipped == set()
    assert PACKAGE / "templates" / "admin" / "storeapi_login.html" in shipped
    assert any(p.parent.name == "versions" for p in shipped)


# compose.yaml


def test_compose_has_postgres_redis_replicas_and_a_load_balancer(compose):
    services = compose["services"]
    assert services["postgres"]["image"].startswith("postgres:")
    assert services["redis"]["image"].startswith("redis:")
    assert services["api"]["deploy"]["replicas"] >= 2
    assert "ports" not in services["api"]  # reached only through the load balancer
    lb = services["lb"]
    assert lb["image"].startswith("nginx:")
    assert "./deploy/nginx.conf:/etc/nginx/conf.d/default.conf:ro" in lb["volumes"]
    assert lb["depends_on"]["api"]["condition"] == "service_healthy"


def test_migrations_run_once_before_the_api(compose):
    services = compose["services"]
    migrate, api = services["migrate"], services["api"]
    assert migrate["command"] == ["storeapi", "db", "upgrade"]
    assert migrate["restart"] == "no" and "deploy" not in migrate
    assert migrate["depends_on"]["postgres"]["condition"] == "service_healthy"
    assert api["command"] == ["storeapi", "serve"]
    assert api["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    assert migrate["image"] == api["image"]


def test_secrets_come_from_the_environment(compose):
    text = (ROOT / "compose.yaml").read_text()
    env = compose["services"]["api"]["environment"]
    assert compose["services"]["migrate"]["environment"] == env
    assert env["JWT_SECRET_KEY"].startswith("${JWT_SECRET_KEY:?")
    assert "${POSTGRES_PASSWORD:?" in env["DATABASE_URL"]
    assert compose["services"]["postgres"]["environment"]["POSTGRES_PASSWORD"].startswith(
        "${POSTGRES_PASSWORD:?"
    )
    assert env["STOREAPI_ENV"] == "production"
    assert env["REDIS_URL"] == "redis://redis:6379/0"
    assert env["TRUSTED_PROXIES"] == "1"  # exactly one proxy: the nginx in front
    assert not re.search(r"(?i)(password|secret)[^\n]*:\s*['\"]?[A-Za-z0-9]{12,}['\"]?\s*$", text)


def test_a_worker_service_sends_the_mail_with_the_apis_settings(compose):
    services = compose["services"]
    worker, api = services["worker"], services["api"]
    assert worker["command"] == ["storeapi", "worker"]
    assert worker["image"] == api["image"] and worker["environment"] == api["environment"]
    assert worker["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    assert worker["restart"] == "unless-stopped"
    assert int(worker["stop_grace_period"].rstrip("s")) > 30  # the SMTP timeout: mail in hand
    env = api["environment"]
    for name in ("PUBLIC_URL", "SMTP_HOST", "SMTP_PORT", "SMTP_USERNAME", "SMTP_PASSWORD"):
        assert env[name].startswith(f"${{{name}"), name  # from the deployment's environment
    assert env["MAIL_FROM"].startswith("${MAIL_FROM")


def test_api_stops_gracefully_within_compose_grace_period(compose):
    grace = compose["services"]["api"]["stop_grace_period"]
    assert int(grace.rstrip("s")) > 30  # storeapi serve's default GRACEFUL_TIMEOUT


def test_nginx_balances_over_every_api_replica():
    conf = (ROOT / "deploy" / "nginx.conf").read_text()
    assert re.search(r"upstream storeapi \{[^}]*server api:8000 resolve", conf)
    assert "resolver 127.0.0.11" in conf  # Docker's DNS: one address per replica
    assert "proxy_pass http://storeapi;" in conf
    assert "X-Forwarded-For $proxy_add_x_forwarded_for" in conf
    assert "X-Forwarded-Proto $scheme" in conf
    assert "non_idempotent" not in conf  # a POST is never sent twice
    # picture uploads pass (MAX_IMAGE_BYTES is 5 MiB), other bodies stay small
    assert re.search(r"location ~ \^/item/\[0-9\]\+/image\$ \{\s*client_max_body_size 6m;", conf)


def test_pictures_are_kept_on_a_volume_every_replica_mounts(compose):
    env = compose["services"]["api"]["environment"]
    assert env["STORAGE_URL"] == "${STORAGE_URL:-file:///var/lib/storeapi/media}"
    assert "media:/var/lib/storeapi/media" in compose["services"]["api"]["volumes"]
    assert "media" in compose["volumes"]
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "STORAGE_URL=file:///var/lib/storeapi/media" in dockerfile
    assert "install -d -o 10001 -g 10001 -m 0750 /var/lib/storeapi/media" in dockerfile


def docker_compose_available() -> bool:
    try:
        done = subprocess.run(
            ["docker", "compose", "version"], capture_output=True, text=True, timeout=20
        )
    except (OSError, subprocess.TimeoutExpired):
        return False
    return done.returncode == 0


@pytest.mark.skipif(
    not docker_compose_available(), reason="no `docker compose` client on this machine"
)
def test_docker_compose_config_accepts_the_file():
    env = {**os.environ, "POSTGRES_PASSWORD": "pw-for-config-check", "JWT_SECRET_KEY": "k" * 40}
    done = subprocess.run(
        ["docker", "compose", "-f", "compose.yaml", "config", "-q"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    env.pop("JWT_SECRET_KEY")
    done = subprocess.run(
        ["docker", "compose", "-f", "compose.yaml", "config", "-q"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode != 0 and "JWT_SECRET_KEY" in done.stderr
