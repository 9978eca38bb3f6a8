"""`--shard I/N`: a stable share of the controllers, so N machines each audit one share.

A controller's shard depends on its id alone (SHA-256 of the id, modulo N): adding or
removing a client never moves another, and every machine computes the same split without
talking to the others. Shards are numbered from 1, as Playwright and pytest-shard do; a
Kubernetes Indexed Job passes ``$((JOB_COMPLETION_INDEX + 1))/N``.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass

_SHARD = re.compile(r"^\s*([0-9]{1,9})\s*/\s*([0-9]{1,9})\s*$")
MAX_SHARDS = 10_000


class ShardError(ValueError):
    """A ``--shard`` value that is not I/N with 1 <= I <= N."""


@dataclass(frozen=True)
class Shard:
    index: int  # 1-based
    count: int

    def __str__(self) -> str:
        return f"{self.index}/{self.count}"

    def holds(self, controller_id: str) -> bool:
        return shard_of(controller_id, self.count) == self.index


def parse_shard(text: str) -> Shard:
    """``"2/3"`` to a `Shard`; a one-line error naming what is allowed otherwise."""
    match = _SHARD.match(text)
    if not match:
        shown = repr(text) if len(text) <= 40 else repr(text[:37] + "...")
        raise ShardError(f"--shard: {shown} is not I/N; write it like 2/3 (shard 2 of 3)")
    index, count = int(match.group(1)), int(match.group(2))
    if not 1 <= count <= MAX_SHARDS:
        raise ShardError(f"--shard: {text!r}: N must be 1 to {MAX_SHARDS}")
    if not 1 <= index <= count:
        raise ShardError(f"--shard: {text!r}: I must be 1 to {count} (shards count from 1)")
    return Shard(index, count)


def shard_of(controller_id: str, count: int) -> int:
    """The 1-based shard of a controller id among ``count`` shards."""
    digest = hashlib.sha256(controller_id.encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") % count + 1


def select(controller_ids: Iterable[str], shard: Shard | None) -> list[str]:
    """The ids of ``shard`` (all of them without a shard), in their given order."""
    return [cid for cid in controller_ids if shard is None or shard.holds(cid)]
