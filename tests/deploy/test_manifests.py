"""deploy/ cannot run here (no Docker engine, no cluster): validate it instead.

- the compose file against the Compose Specification schema (vendored by check-jsonschema),
- the Kubernetes manifests against the Kubernetes 1.33 OpenAPI schemas (kubernetes-validate),
- the NATS configurations with ``nats-server -t``,
- and what the schemas cannot know: replicas, probes, users, secrets and files that must exist.
"""

from __future__ import annotations

import copy
import importlib.resources
import json
import os
import re
import subprocess
from pathlib import Path
from typing import Any

import jsonschema
import kubernetes_validate
import pytest
import yaml

from tests.support.nats_server import nats_server_binary

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
SERVICES = {"intake": 8001, "node": 8002, "routing": 8003, "audit": 8004}
K8S_VERSION = "1.33.0"


def compose() -> dict[str, Any]:
    return yaml.safe_load((DEPLOY / "compose.yaml").read_text(encoding="utf-8"))


def compose_schema() -> dict[str, Any]:
    vendored = importlib.resources.files("check_jsonschema.builtin_schemas.vendor") / "compose-spec.json"
    return json.loads(vendored.read_text(encoding="utf-8"))


def k8s_documents() -> list[tuple[str, dict[str, Any]]]:
    out = []
    for path in sorted((DEPLOY / "k8s").glob("*.yaml")):
        out += [(path.name, d) for d in yaml.safe_load_all(path.read_text(encoding="utf-8")) if d]
    return out


def env_example() -> set[str]:
    lines = (DEPLOY / "env.example").read_text(encoding="utf-8").splitlines()
    return {line.split("=", 1)[0] for line in lines if re.match(r"^[A-Z_0-9]+=", line)}


# -- compose -------------------------------------------------------------------------------------


def test_compose_file_follows_the_compose_specification() -> None:
    schema = compose_schema()
    validator = jsonschema.validators.validator_for(schema)(schema)
    errors = [f"{list(e.path)}: {e.message}" for e in validator.iter_errors(compose())]
    assert errors == []
    broken = copy.deepcopy(compose())
    broken["services"]["intake"]["deploy"] = {"replicas": "two"}
    broken["services"]["node"]["healthcheck"] = {"tests": ["CMD", "true"]}
    assert len(list(validator.iter_errors(broken))) >= 2  # the check has teeth


def test_compose_runs_the_whole_system_with_two_replicas_of_every_service() -> None:
    doc = compose()
    svc = doc["services"]
    assert {"nats-1", "nats-2", "nats-3", "nats-init", "postgres", "otel-collector"} <= set(svc)
    for name, port in SERVICES.items():
        s = svc[name]
        assert s["command"] == [name]
        assert s["deploy"]["replicas"] == 2, name
        env = s["environment"]
        assert env["LIANDONG_NATS_USER"] == name
        assert env["LIANDONG_NATS_PASSWORD"] == f"${{LIANDONG_NATS_PASSWORD_{name.upper()}}}"
        assert env["PORT"] == str(port) and "/ready" in " ".join(s["healthcheck"]["test"])
        assert env["LIANDONG_STREAM_REPLICAS"] == "3" and env["LIANDONG_NATS_MANAGE_STREAMS"] == "false"
        assert (
            env["LIANDONG_TRACE_EXPORTER"] == "otlp"
            and "otel-collector" in env["OTEL_EXPORTER_OTLP_ENDPOINT"]
        )
        assert s["depends_on"]["nats-init"]["condition"] == "service_completed_successfully"
    for i in (1, 2, 3):
        nats = svc[f"nats-{i}"]
        assert nats["environment"]["NATS_SERVER_NAME"] == f"nats-{i}"
        assert {c["target"] for c in nats["configs"]} == {"/etc/nats/cluster.conf", "/etc/nats/accounts.conf"}
    assert svc["nats-init"]["command"] == ["streams"]
    assert svc["nats-init"]["environment"]["LIANDONG_NATS_USER"] == "liandong-admin"


def test_compose_names_only_files_and_variables_that_exist() -> None:
    doc = compose()
    for section in ("configs", "secrets"):
        for name, item in doc[section].items():
            path = DEPLOY / item["file"]
            assert path.exists() or section == "secrets", f"{section}.{name}: {path} missing"
    text = (DEPLOY / "compose.yaml").read_text(encoding="utf-8")
    used = set(re.findall(r"\$\{([A-Z_0-9]+)", text)) - {"LIANDONG_IMAGE"}
    assert used <= env_example(), f"not in deploy/env.example: {used - env_example()}"
    accounts = (DEPLOY / "nats" / "accounts.conf").read_text(encoding="utf-8")
    nats_env = set(re.findall(r"\$([A-Z_][A-Z_0-9]+)(?![.\w])", accounts))
    nats_env -= {"INTAKE_PERMISSIONS", "NODE_PERMISSIONS", "ROUTING_PERMISSIONS", "AUDIT_PERMISSIONS"}
    nats_env -= {"LEAF_PERMISSIONS"}
    assert nats_env <= set(doc["x-nats-env"]), nats_env - set(doc["x-nats-env"])


# -- Kubernetes ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "doc"), k8s_documents(), ids=lambda v: v if isinstance(v, str) else v["metadata"]["name"]
)
def test_kubernetes_manifest_is_valid(source: str, doc: dict[str, Any]) -> None:
    kubernetes_validate.validate(doc, K8S_VERSION, strict=True)


def test_kubernetes_rejects_what_is_wrong() -> None:
    bad = copy.deepcopy(next(d for _s, d in k8s_documents() if d["kind"] == "Deployment"))
    bad["spec"]["replicas"] = "two"
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(bad, K8S_VERSION, strict=True)


def test_kubernetes_runs_every_service_twice_with_health_and_readiness_probes() -> None:
    docs = [d for _s, d in k8s_documents()]
    deployments = {d["metadata"]["name"]: d for d in docs if d["kind"] == "Deployment"}
    services = {d["metadata"]["name"] for d in docs if d["kind"] == "Service"}
    secrets = {
        d["metadata"]["name"]: set(d["stringData"]) for _s, d in k8s_documents() if d["kind"] == "Secret"
    }
    for name, port in SERVICES.items():
        dep = deployments[name]
        assert dep["spec"]["replicas"] == 2 and name in services
        c = dep["spec"]["template"]["spec"]["containers"][0]
        assert c["args"] == [name] and c["ports"][0]["containerPort"] == port
        assert c["readinessProbe"]["httpGet"]["path"] == "/ready"
        assert c["livenessProbe"]["httpGet"]["path"] == "/health"
        user = next(e["value"] for e in c["env"] if e["name"] == "LIANDONG_NATS_USER")
        assert user == name
    nats = next(d for d in docs if d["kind"] == "StatefulSet" and d["metadata"]["name"] == "nats")
    assert nats["spec"]["replicas"] == 3 and nats["spec"]["ordinals"]["start"] == 1
    assert {"nats-1", "nats-2", "nats-3"} <= services  # the route names in cluster.conf
    for d in docs:
        for ref in re.findall(r"'secretKeyRef': \{'name': '([\w-]+)', 'key': '(\w+)'\}", str(d)):
            assert ref[1] in secrets[ref[0]], f"secret {ref[0]} has no key {ref[1]}"


def test_kustomization_names_files_that_exist() -> None:
    k = yaml.safe_load((DEPLOY / "kustomization.yaml").read_text(encoding="utf-8"))
    for res in k["resources"]:
        assert (DEPLOY / res).exists(), res
    for gen in k["configMapGenerator"]:
        for f in gen["files"]:
            assert (DEPLOY / f.split("=")[-1]).exists(), f
    assert "k8s/secrets.example.yaml" not in k["resources"]


# -- NATS ----------------------------------------------------------------------------------------


def _nats_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NATS_", "LIANDONG_NATS"))}
    env.update({k: "x" for k in compose()["x-nats-env"]})
    env.update(
        NATS_SERVER_NAME="nats-1",
        VILLAGE_CODE="T01V01",
        **{f"NATS_HUB_{i}": f"nats-leaf://leaf-T01V01:x@county-nats-{i}:7422" for i in (1, 2, 3)},
    )
    return env


@pytest.mark.parametrize("conf", ["cluster.conf", "leaf-village.conf"])
def test_nats_configuration_is_accepted_by_nats_server(conf: str) -> None:
    done = subprocess.run(
        [nats_server_binary(), "-t", "-c", str(DEPLOY / "nats" / conf)],
        env=_nats_env(),
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_cluster_configuration_is_durable_and_replicated() -> None:
    text = (DEPLOY / "nats" / "cluster.conf").read_text(encoding="utf-8")
    assert re.search(r"^\s*sync_interval:\s*always\s*$", text, re.M)
    assert len(re.findall(r"nats-route://nats-\d:6222", text)) == 3
    assert "leafnodes" in text and "include ./accounts.conf" in text
