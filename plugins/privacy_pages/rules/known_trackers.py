"""Which cookie names are well-known analytics or advertising trackers.

The check reads the same curated list the audit uses (`privacy_pages/data/known_trackers.yaml`
through `privacy_pages.model.knowledge`), loaded once on first use.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass


@dataclass(frozen=True)
class KnownTracker:
    name: str
    vendor: str
    kind: str  # strictly_necessary, functional, analytics, advertising, social_media, other


@functools.cache
def _knowledge():  # type: ignore[no-untyped-def]
    from privacy_pages.model.knowledge import load_knowledge

    return load_knowledge()


def known_tracker(name: str, kind: str = "cookie") -> KnownTracker | None:
    """The built-in knowledge base's entry for ``name`` (exact, then longest prefix)."""
    entry = _knowledge().lookup(name, kind)
    if entry is None:
        return None
    return KnownTracker(entry.name, entry.vendor, entry.category)
