"""The operations kit in deploy/ and compose.yaml's `observability` profile: every file parses,
the pieces point at each other, and every metric the dashboard and the alerts use is one a
live server exposes (a misspelt metric is a panel that stays empty, an alert that never fires).
There is no Docker engine here: compose.yaml is read for what matters."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import yaml

from tests.conftest import PASSWORD
from tests.live import LiveServer, live_server
from tests.telemetry.scraping import scrape

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
DASHBOARD = DEPLOY / "grafana" / "dashboards" / "storeapi.json"
ALERTS = DEPLOY / "prometheus" / "alerts.yml"
PROMETHEUS = DEPLOY / "prometheus" / "prometheus.yml"
METRIC = re.compile(r"\b(storeapi_[a-z0-9_]+|up)\b")
MADE_BY_PROMETHEUS = {"up"}  # per target, by the scrape itself


def dashboard_queries() -> list[str]:
    dashboard = json.loads(DASHBOARD.read_text())
    queries = [t["expr"] for p in dashboard["panels"] for t in p.get("targets", [])]
    queries += [v["definition"] for v in dashboard["templating"]["list"] if "definition" in v]
    return queries


def alert_rules() -> list[dict]:
    return [
        rule for group in yaml.safe_load(ALERTS.read_text())["groups"] for rule in group["rules"]
    ]


def test_the_dashboard_shows_rate_errors_latency_and_saturation() -> None:
    dashboard = json.loads(DASHBOARD.read_text())
    assert dashboard["uid"] == "storeapi"
    titles = " ".join(p["title"] for p in dashboard["panels"]).lower()
    for topic in ("request rate per route", "errors per route", "p99 latency per route", "pool"):
        assert topic in titles, topic
    queries = " ".join(dashboard_queries())
    assert "histogram_quantile(0.99" in queries and 'status="5xx"' in queries
    assert "storeapi_db_pool_waiting" in queries and "storeapi_sqlite_writers_waiting" in queries
    ids = [p["id"] for p in dashboard["panels"]]
    assert len(ids) == len(set(ids))


def test_the_alerts_cover_errors_latency_and_readiness() -> None:
    rules = {rule["alert"]: rule for rule in alert_rules()}
    for name in ("StoreapiHighErrorRate", "StoreapiHighLatencyP99", "StoreapiNotReady"):
        assert name in rules, name
    assert "histogram_quantile(0.99" in rules["StoreapiHighLatencyP99"]["expr"]
    assert 'status="5xx"' in rules["StoreapiHighErrorRate"]["expr"]
    for rule in rules.values():
        assert rule["annotations"]["summary"] and rule["labels"]["severity"], rule["alert"]
    documented = (ROOT / "docs" / "operations.md").read_text()
    assert all(name in documented for name in rules)  # each one's meaning is written down


def test_prometheus_scrapes_every_replica_with_the_token_and_loads_the_alerts() -> None:
    config = yaml.safe_load(PROMETHEUS.read_text())
    assert config["rule_files"] == ["/etc/prometheus/alerts.yml"]
    job = next(j for j in config["scrape_configs"] if j["job_name"] == "storeapi")
    assert job["metrics_path"] == "/metrics"
    assert job["authorization"]["credentials_file"] == "/run/secrets/metrics_token"
    assert job["dns_sd_configs"] == [
        {"names": ["api"], "type": "A", "port": 8000, "refresh_interval": "15s"}
    ]


def test_grafana_is_provisioned_with_the_data_source_and_the_dashboard() -> None:
    provisioning = DEPLOY / "grafana" / "provisioning"
    source = yaml.safe_load((provisioning / "datasources" / "prometheus.yml").read_text())
    assert source["datasources"][0]["url"] == "http://prometheus:9090"
    provider = yaml.safe_load((provisioning / "dashboards" / "storeapi.yml").read_text())
    assert provider["providers"][0]["options"]["path"] == "/etc/grafana/dashboards"


def test_compose_has_prometheus_and_grafana_in_the_observability_profile() -> None:
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text())
    services = compose["services"]
    for name in ("prometheus", "grafana"):
        assert services[name]["profiles"] == ["observability"], name
        for port in services[name]["ports"]:
            assert port.startswith("127.0.0.1:"), port  # this machine only
        for volume in services[name]["volumes"]:
            source = volume.split(":")[0]
            if source.startswith("./"):
                assert (ROOT / source).exists(), source
    assert all(
        "profiles" not in s for n, s in services.items() if n not in ("prometheus", "grafana")
    )
    mounts = services["prometheus"]["volumes"] + services["grafana"]["volumes"]
    assert "./deploy/prometheus:/etc/prometheus:ro" in mounts
    assert "./deploy/grafana/dashboards:/etc/grafana/dashboards:ro" in mounts
    assert services["prometheus"]["secrets"] == ["metrics_token"]
    assert compose["secrets"]["metrics_token"] == {"environment": "METRICS_TOKEN"}
    env = services["api"]["environment"]
    assert env["METRICS_ENABLED"] == "${METRICS_ENABLED:-true}"
    assert env["METRICS_TOKEN"] == "${METRICS_TOKEN:-}"


# Every metric they use, in a live server's scrape


@pytest.fixture
def busy_server(database_url: str, client) -> Iterator[LiveServer]:  # type: ignore[no-untyped-def]
    """A server that has answered every kind of request a metric counts: a 304, an idempotent
    replay, a 429, a registration that queued a mail. (`client` empties the database after.)"""
    env = {
        "METRICS_ENABLED": "true",
        "RATE_LIMITS_ENABLED": "true",
        "DEFAULT_RATE_LIMIT": "40 per minute",
    }
    with live_server(database_url, workers=2, **env) as base, httpx.Client(base_url=base) as http:
        account = {"email": "kit@example.com", "password": PASSWORD}
        assert http.post("/register", json=account).status_code == 201
        auth = {
            "Authorization": f"Bearer {http.post('/login', json=account).json()['access_token']}"
        }
        store = http.post("/store", json={"name": "Kit"}, headers=auth).json()
        body = {"name": "Lamp", "price": 3, "store_id": store["id"]}
        once = {**auth, "Idempotency-Key": "kit"}
        item = http.post("/item", json=body, headers=once).json()
        assert http.post("/item", json=body, headers=once).headers["Idempotent-Replayed"] == "true"
        etag = http.get(f"/item/{item['id']}").headers["ETag"]
        assert http.get(f"/item/{item['id']}", headers={"If-None-Match": etag}).status_code == 304
        statuses = [http.get("/item/999999").status_code for _ in range(45)]
        assert 429 in statuses
        yield base


def test_every_metric_the_dashboard_and_alerts_use_is_exposed(busy_server: LiveServer) -> None:
    exposed = {s.name for s in scrape(busy_server)}
    used = {m for q in dashboard_queries() for m in METRIC.findall(q)}
    used |= {m for rule in alert_rules() for m in METRIC.findall(rule["expr"])}
    assert {"storeapi_http_requests_total", "storeapi_db_pool_capacity"} <= used
    missing = used - exposed - MADE_BY_PROMETHEUS
    assert not missing, f"used but not exposed: {sorted(missing)}"
