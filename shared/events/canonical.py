"""Canonical JSON: the exact bytes that are hashed and stored.

Keys sorted, no insignificant whitespace, UTF-8 without escaping (Chinese stays readable in the
stream), no NaN. Two equal documents always give the same bytes, so a hash can be recomputed
from the stored message alone, whatever library version wrote it.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any


def canonical_json(obj: Any) -> bytes:
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False).encode(
        "utf-8"
    )


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
