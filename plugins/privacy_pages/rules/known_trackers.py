"""What the knowledge base knows of a declared tracker: by its name, its provider or its domain.

The check reads the same curated list the audit uses (`privacy_pages/data/known_trackers.yaml`
through `privacy_pages.model.knowledge`), loaded once on first use.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from privacy_pages.model import Tracker
    from privacy_pages.model.knowledge import KnowledgeBase

# The knowledge base's storage kinds for a tracker's declared type; pixels and others are
# looked up among names used for any storage.
_LOOKUP_KIND = {"cookie": "cookie", "local_storage": "local_storage"}


@dataclass(frozen=True)
class KnownTracker:
    name: str
    vendor: str
    kind: str  # strictly_necessary, functional, analytics, advertising, social_media, other
    consent_manager: bool = False
    by: str = "name"  # how it was recognised: name, provider or domain


@functools.cache
def _knowledge() -> KnowledgeBase:
    from privacy_pages.model.knowledge import load_knowledge

    return load_knowledge()


def known_tracker(name: str, kind: str = "cookie") -> KnownTracker | None:
    """The built-in knowledge base's entry for ``name`` (exact, then longest prefix)."""
    entry = _knowledge().lookup(name, kind)
    if entry is None:
        return None
    return KnownTracker(entry.name, entry.vendor, entry.category, entry.consent_manager)


def recognise(tracker: Tracker) -> KnownTracker | None:
    """What the knowledge base knows of a declared tracker: its name first (a known name
    says what the cookie does, whoever sets it: Cloudflare's `__cf_bm` on a third party's
    domain is still bot management), else its provider, else the host of its domain."""
    base = _knowledge()
    if tracker.name:
        known = known_tracker(tracker.name, _LOOKUP_KIND.get(tracker.type, "any"))
        if known is not None:
            return known
    vendor = base.vendor(tracker.provider or "")
    if vendor is not None:
        return KnownTracker(tracker.label, vendor.name, vendor.category, by="provider")
    host = base.host(tracker.domain.lstrip(".")) if tracker.domain else None
    if host is not None:
        return KnownTracker(tracker.label, host.vendor, host.category, by="domain")
    return None
