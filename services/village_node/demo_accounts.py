"""The demo accounts `liandong run` creates on an empty accounts table — for trying the system only.

Every demo account has the same printed password (``DEMO_PASSWORD``): disable them
(`liandong accounts disable <login>`) before real use.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncEngine

from services.village_node import accounts
from shared.catalog import Catalog
from shared.org import OrgTree

DEMO_PASSWORD = "demo1234"
DEMO_TOWNSHIP = "c01.t01"


@dataclass(frozen=True)
class DemoAccount:
    operator_id: str
    name: str
    node_id: str
    role: str


def demo_set(org: OrgTree, catalog: Catalog) -> list[DemoAccount]:
    """One operator per village of the demo township, one per township, one per department window
    the catalog uses, and the county's supervision office, an auditor and an administrator."""
    out = [
        DemoAccount(v.code.lower(), f"{v.name}代办员", v.id, "village_operator")
        for v in org.villages(DEMO_TOWNSHIP)
    ]
    out += [DemoAccount(t.code.lower(), f"{t.name}窗口", t.id, "township_operator") for t in org.townships()]
    used = catalog.department_keys()
    out += [
        DemoAccount(d.code.lower(), f"{d.name}窗口", d.id, "county_staff")
        for d in org.departments()
        if d.key in used
    ]
    county = org.county.id
    out += [
        DemoAccount("supervisor", "督查科", county, "supervision"),
        DemoAccount("auditor", "审计员", county, "auditor"),
        DemoAccount("admin", "系统管理员", county, "admin"),
    ]
    return out


async def seed_if_empty(engine: AsyncEngine, org: OrgTree, catalog: Catalog) -> list[DemoAccount]:
    """Create the demo set when there is no account at all; return what was created."""
    if await accounts.count(engine):
        return []
    created = demo_set(org, catalog)
    for a in created:
        await accounts.add(engine, org, a.operator_id, a.name, a.node_id, a.role, DEMO_PASSWORD)
    return created
