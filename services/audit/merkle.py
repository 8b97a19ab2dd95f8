"""The Merkle tree over ledger entries (RFC 9162 hashing, as pymerkle computes it).

Leaf ``i`` (1-based ledger position) is the canonical JSON of ``{"event_hash", "stream_seq"}``,
hashed as ``SHA-256(0x00 ‖ data)``; inner nodes are ``SHA-256(0x01 ‖ left ‖ right)``. The
projection keeps only the *frontier* (the roots of the perfect subtrees, at most log₂ n hashes),
enough to compute the root at every checkpoint; proofs rebuild a pymerkle tree from the stored
leaf hashes.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from pymerkle import BaseMerkleTree

from shared.events import canonical_json

EMPTY_ROOT = hashlib.sha256(b"").hexdigest()


def leaf_data(stream_seq: int, event_hash: str) -> bytes:
    return canonical_json({"event_hash": event_hash, "stream_seq": stream_seq})


def leaf_hash(data: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


@dataclass
class Frontier:
    """Roots of the perfect subtrees covering leaves 1..size, largest first, with their heights."""

    size: int = 0
    nodes: list[tuple[int, bytes]] = field(default_factory=list)

    def append(self, leaf: bytes) -> None:
        self.nodes.append((0, leaf))
        self.size += 1
        while len(self.nodes) > 1 and self.nodes[-1][0] == self.nodes[-2][0]:
            (h, right), (_, left) = self.nodes.pop(), self.nodes.pop()
            self.nodes.append((h + 1, node_hash(left, right)))

    def root(self) -> str:
        if not self.nodes:
            return EMPTY_ROOT
        acc = self.nodes[-1][1]
        for _, left in reversed(self.nodes[:-1]):
            acc = node_hash(left, acc)
        return acc.hex()

    def dump(self) -> list[list[int | str]]:
        return [[h, d.hex()] for h, d in self.nodes]

    @classmethod
    def load(cls, size: int, dumped: Sequence[Sequence[int | str]]) -> Frontier:
        return cls(size, [(int(h), bytes.fromhex(str(d))) for h, d in dumped])


class LeafTree(BaseMerkleTree):
    """A pymerkle tree over already-hashed leaves (read from the ledger), for inclusion proofs."""

    def __init__(self, leaves: Iterable[bytes] = ()) -> None:
        self._leaves: list[bytes] = list(leaves)
        super().__init__("sha256")

    def _encode_entry(self, data: bytes) -> bytes:
        return data

    def _store_leaf(self, data: bytes, digest: bytes) -> int:
        self._leaves.append(digest)
        return len(self._leaves)

    def _get_leaf(self, index: int) -> bytes:
        return self._leaves[index - 1]

    def _get_leaves(self, offset: int, width: int) -> list[bytes]:
        return self._leaves[offset : offset + width]

    def _get_size(self) -> int:
        return len(self._leaves)
