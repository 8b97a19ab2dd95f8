"""The county org tree: county, townships, villages and county departments."""

from shared.org.loader import DEFAULT_ORG_FILE, load_org, parse_org
from shared.org.model import NodeKind, OrgError, OrgNode, OrgTree, Tier, UnknownNodeError

__all__ = [
    "DEFAULT_ORG_FILE",
    "NodeKind",
    "OrgError",
    "OrgNode",
    "OrgTree",
    "Tier",
    "UnknownNodeError",
    "load_org",
    "parse_org",
]
