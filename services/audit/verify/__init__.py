"""``liandong audit verify``: the stream's per-case chains, the ledger's global chain, Merkle tree
and signed checkpoints, and the two compared event by event."""

from services.audit.verify.run import VerifyReport, verify

__all__ = ["VerifyReport", "verify"]
