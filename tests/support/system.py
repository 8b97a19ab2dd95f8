"""The four services as real subprocesses (``liandong <service>``) against a given NATS and database."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from tests.support.auth import bearer, default_role, mint, new_test_secret, seed_account
from tests.support.nats_server import free_port

SERVICES = ("intake", "routing", "node", "audit")


@dataclass
class ServiceProcess:
    name: str
    port: int
    env: dict[str, str]
    log: Path
    proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        cli = str(Path(sys.executable).parent / "liandong")
        out = self.log.open("ab")
        self.proc = subprocess.Popen([cli, self.name], env=self.env, stdout=out, stderr=subprocess.STDOUT)

    def wait_healthy(self, timeout: float = 60.0) -> None:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if self.proc and self.proc.poll() is not None:
                raise RuntimeError(
                    f"{self.name} exited with {self.proc.returncode}:\n{self.log.read_text()[-3000:]}"
                )
            try:
                if httpx.get(f"{self.url}/health", timeout=1).status_code < 500:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        raise TimeoutError(f"{self.name} not healthy after {timeout}s:\n{self.log.read_text()[-3000:]}")

    def kill(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait()

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.kill()


@dataclass
class System:
    nats_url: str
    database_url: str
    workdir: Path
    extra_env: dict[str, str] = field(default_factory=dict)
    services: dict[str, ServiceProcess] = field(default_factory=dict)
    auth_secret: str = field(default_factory=new_test_secret)
    ports: dict[str, int] = field(default_factory=dict)
    _tokens: dict[tuple[str, str, str], str] = field(default_factory=dict)
    _bound: dict[str, tuple[str, str]] = field(default_factory=dict)

    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("LIANDONG_")}
        env.update(
            {
                "LIANDONG_NATS_URL": self.nats_url,
                "DATABASE_URL": self.database_url,
                "LIANDONG_DATA_DIR": str(self.workdir / "data"),
                "LIANDONG_LOG_LEVEL": "INFO",
                "PYTHONUNBUFFERED": "1",
                "LIANDONG_AUTH_SECRET": self.auth_secret,
            }
        )
        if "intake" in self.ports:
            env["LIANDONG_INTAKE_URL"] = f"http://127.0.0.1:{self.ports['intake']}"
        env.update(self.extra_env)
        return env

    def start(self, names: tuple[str, ...] = SERVICES) -> System:
        for name in names:
            self.ports.setdefault(name, free_port())
        env = self.env()
        for name in names:
            port = self.ports[name]
            env_s = {
                **env,
                f"LIANDONG_{'NODE' if name == 'node' else name.upper()}_PORT": str(port),
                "LIANDONG_TRACE_EXPORTER": f"file:{self.workdir / f'spans-{name}.jsonl'}",
            }
            svc = ServiceProcess(name, port, env_s, self.workdir / f"{name}.log")
            self.services[name] = svc
            svc.start()
        for name in names:
            self.services[name].wait_healthy()
        return self

    def url(self, name: str) -> str:
        return self.services[name].url

    def stop(self) -> None:
        for svc in self.services.values():
            svc.stop()

    def spans(self, name: str) -> list[dict[str, object]]:
        path = self.workdir / f"spans-{name}.jsonl"
        if not path.exists():
            return []
        return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]

    def cli(self, *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
        cli = str(Path(sys.executable).parent / "liandong")
        return subprocess.run([cli, *args], env=self.env(), capture_output=True, text=True, timeout=timeout)

    def token(self, operator: str, node: str, role: str | None = None) -> str:
        """A real token for this operator, whose account exists in the node service's database."""
        role = role or default_role(node)
        key = (operator, node, role)
        if key not in self._tokens:
            account = operator
            if self._bound.setdefault(operator, (node, role)) != (node, role):
                # an account belongs to one node: the same name elsewhere is another person
                account = f"{operator}@{node}" if role == default_role(node) else f"{operator}@{node}.{role}"
                self._bound[account] = (node, role)
            seed_account(self.database_url, self.workdir / "data", account, node, role)
            self._tokens[key] = mint(self.auth_secret, account, node, role)
        return self._tokens[key]

    def who(self, operator: str, node: str, role: str | None = None) -> dict[str, str]:
        return bearer(self.token(operator, node, role))
