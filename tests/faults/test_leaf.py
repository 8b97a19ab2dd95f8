"""The hub is ready for village leaf nodes: a village's nats-server started from
deploy/nats/leaf-village.conf connects to the county cluster as its own ``leaf-T01V01`` user,
keeps its own JetStream domain, and may not publish case events into the county directly."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import urllib.request

import nats
import nats.aio.msg
import pytest

from tests.support.nats_cluster import DEPLOY, NatsCluster
from tests.support.nats_server import free_port, nats_server_binary, wait_for_port


def render_leaf(cluster: NatsCluster, port: int, http: int, store: str) -> str:
    text = (DEPLOY / "leaf-village.conf").read_text(encoding="utf-8")
    out = text.replace("listen: 127.0.0.1:4222", f"listen: 127.0.0.1:{port}")
    out = out.replace("http: 127.0.0.1:8222", f"http: 127.0.0.1:{http}")
    out = out.replace('store_dir: "/var/lib/liandong/nats"', f'store_dir: "{store}"')
    assert str(port) in out and store in out, "deploy/nats/leaf-village.conf changed shape"
    return out


def leafz(cluster: NatsCluster) -> list[dict[str, object]]:
    leafs: list[dict[str, object]] = []
    for node in cluster.nodes:
        with urllib.request.urlopen(f"http://127.0.0.1:{node.http_port}/leafz", timeout=5) as r:
            leafs += json.loads(r.read()).get("leafs") or []
    return leafs


async def test_a_village_leaf_node_joins_the_hub_as_its_own_user(
    cluster: NatsCluster, tmp_path_factory: pytest.TempPathFactory
) -> None:
    wd = tmp_path_factory.mktemp("leaf")
    port, http = free_port(), free_port()
    conf = wd / "leaf.conf"
    conf.write_text(render_leaf(cluster, port, http, str(wd / "store")), encoding="utf-8")
    _user, pw = cluster.credentials("leaf_T01V01")
    env = {k: v for k, v in os.environ.items() if not k.startswith("NATS_")}
    env["VILLAGE_CODE"] = "T01V01"
    for i, node in enumerate(cluster.nodes, start=1):
        env[f"NATS_HUB_{i}"] = f"nats-leaf://leaf-T01V01:{pw}@127.0.0.1:{node.leaf_port}"
    log = (wd / "leaf.log").open("ab")
    proc = subprocess.Popen([nats_server_binary(), "-c", str(conf)], env=env, stdout=log, stderr=log)  # noqa: ASYNC220
    try:
        wait_for_port(port)
        for _ in range(100):
            if leafz(cluster):
                break
            await asyncio.sleep(0.1)
        leafs = leafz(cluster)
        assert len(leafs) == 1 and leafs[0]["account"] == "LIANDONG", leafs
        admin_user, admin_pw = cluster.credentials("admin")
        hub = await nats.connect(cluster.url.split(","), user=admin_user, password=admin_pw)
        nc = await nats.connect(f"nats://127.0.0.1:{port}")
        try:
            # the village's own JetStream domain answers locally
            assert await nc.jetstream(domain="T01V01").account_info() is not None
            # what the leaf may send reaches the hub; a case event does not
            got: list[str] = []

            async def on(msg: nats.aio.msg.Msg) -> None:
                got.append(msg.subject)

            await hub.subscribe("village.>", cb=on)
            await hub.subscribe("case.>", cb=on)
            await hub.flush()
            await asyncio.sleep(0.5)  # interest propagates to the leaf
            await nc.publish("village.T01V01.hello", b"hi")
            await nc.publish("case.T01V01.01FORGEDBYLEAF000000000000000", b"{}")
            await nc.flush()
            for _ in range(30):
                if got:
                    break
                await asyncio.sleep(0.1)
            await asyncio.sleep(0.3)
            assert got == ["village.T01V01.hello"], got
        finally:
            await nc.close()
            await hub.close()
    finally:
        proc.terminate()
        proc.wait(10)
