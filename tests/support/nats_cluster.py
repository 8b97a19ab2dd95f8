"""The county's 3-node JetStream cluster, started from deploy/nats/ with ports rewritten.

The configuration files are the ones deployed (cluster.conf and accounts.conf); only what names
this machine changes: listen addresses and route URLs become free loopback ports, the store moves
to a temporary directory. Users and permissions are exactly those of deploy/nats/accounts.conf,
with passwords made up for the run.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import signal
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from tests.support.nats_server import free_port, nats_server_binary, wait_for_port

DEPLOY = Path(__file__).resolve().parents[2] / "deploy" / "nats"
USERS = ("intake", "node", "routing", "audit", "admin", "leaf_T01V01")
SERVICE_USER = {"intake": "intake", "node": "node", "routing": "routing", "audit": "audit"}


@dataclass
class ClusterNode:
    name: str
    client_port: int
    route_port: int
    http_port: int
    leaf_port: int
    workdir: Path
    env: dict[str, str]
    proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"nats://127.0.0.1:{self.client_port}"

    @property
    def conf(self) -> Path:
        return self.workdir / "cluster.conf"

    def start(self) -> None:
        log = (self.workdir / "nats.log").open("ab")
        self.proc = subprocess.Popen(
            [nats_server_binary(), "-c", str(self.conf)], env=self.env, stdout=log, stderr=subprocess.STDOUT
        )
        wait_for_port(self.client_port, timeout=20)

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def kill(self) -> None:
        """kill -9, as after a power cut."""
        if self.alive():
            assert self.proc is not None
            os.kill(self.proc.pid, signal.SIGKILL)
            self.proc.wait()

    def stop(self) -> None:
        if self.alive():
            assert self.proc is not None
            self.proc.terminate()
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.kill()


def render(text: str, node: ClusterNode, routes: list[int]) -> str:
    """deploy/nats/cluster.conf for one node on this machine."""
    out = text.replace("listen: 0.0.0.0:4222", f"listen: 127.0.0.1:{node.client_port}")
    out = out.replace("http: 0.0.0.0:8222", f"http: 127.0.0.1:{node.http_port}")
    out = out.replace("listen: 0.0.0.0:6222", f"listen: 127.0.0.1:{node.route_port}")
    out = out.replace("listen: 0.0.0.0:7422", f"listen: 127.0.0.1:{node.leaf_port}")
    out = re.sub(
        r"nats-route://nats-(\d):6222", lambda m: f"nats-route://127.0.0.1:{routes[int(m[1]) - 1]}", out
    )
    out = out.replace('store_dir: "/data/jetstream"', f'store_dir: "{node.workdir / "store"}"')
    out = re.sub(r"max_file_store: \S+", "max_file_store: 4GB", out)
    for must in (str(node.client_port), str(node.route_port), str(node.workdir / "store")):
        if must not in out:
            raise AssertionError(f"deploy/nats/cluster.conf changed shape: {must} not rendered")
    return out


@dataclass
class NatsCluster:
    workdir: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="liandong-cluster-")))
    size: int = 3
    passwords: dict[str, str] = field(default_factory=lambda: {u: secrets.token_hex(12) for u in USERS})
    nodes: list[ClusterNode] = field(default_factory=list)

    def _env(self, name: str) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("NATS_", "LIANDONG_NATS"))}
        env["NATS_SERVER_NAME"] = name
        env["NATS_SYS_PASSWORD"] = secrets.token_hex(12)
        for user, pw in self.passwords.items():
            env[f"LIANDONG_NATS_PASSWORD_{user.upper()}"] = pw
        return env

    def start(self) -> NatsCluster:
        template = (DEPLOY / "cluster.conf").read_text(encoding="utf-8")
        routes = [free_port() for _ in range(self.size)]
        for i in range(self.size):
            name = f"nats-{i + 1}"
            wd = self.workdir / name
            wd.mkdir(parents=True, exist_ok=True)
            node = ClusterNode(name, free_port(), routes[i], free_port(), free_port(), wd, self._env(name))
            shutil.copy(DEPLOY / "accounts.conf", wd / "accounts.conf")
            node.conf.write_text(render(template, node, routes), encoding="utf-8")
            self.nodes.append(node)
        for node in self.nodes:
            node.start()
        return self

    @property
    def url(self) -> str:
        return ",".join(n.url for n in self.nodes)

    def credentials(self, user: str) -> tuple[str, str]:
        login = "liandong-admin" if user == "admin" else user
        return login, self.passwords[user]

    def service_env(self, service: str) -> dict[str, str]:
        user, pw = self.credentials(SERVICE_USER[service])
        return {
            "LIANDONG_NATS_USER": user,
            "LIANDONG_NATS_PASSWORD": pw,
            "LIANDONG_NATS_MANAGE_STREAMS": "false",
            "LIANDONG_STREAM_REPLICAS": "3",
        }

    def admin_env(self) -> dict[str, str]:
        user, pw = self.credentials("admin")
        return {"LIANDONG_NATS_USER": user, "LIANDONG_NATS_PASSWORD": pw, "LIANDONG_STREAM_REPLICAS": "3"}

    def cleanup(self) -> None:
        for node in self.nodes:
            node.stop()
        shutil.rmtree(self.workdir, ignore_errors=True)
