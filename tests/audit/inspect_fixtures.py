"""Helpers for the inspect, report and knowledge tests: paths, compact observations, controllers.

Rule cases write observations compactly (only what a case is about); `build_observations`
fills in the rest with neutral defaults so that each case stays readable.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path
from typing import Any

from privacy_audit.observations import (
    BannerResult,
    CookieObservation,
    Observations,
    PageVisit,
    PhaseObservations,
    RequestObservation,
    StorageObservation,
)
from privacy_pages.model.content import require_controller
from privacy_pages.model.knowledge import KnowledgeBase, load_knowledge

REPO_ROOT = Path(__file__).resolve().parents[2]
DATA = REPO_ROOT / "tests" / "data" / "audit"
# A small Open Cookie Database file written for the tests (same columns, twelve rows): the
# suite needs nothing beside the repository. The full database, when a test wants it, comes
# from $PRIVACY_PAGES_OCD_CSV, which .ci/run sets when ../shared holds a copy.
OCD_CSV = DATA / "ocd-sample.csv"
OCD_SAMPLE_SIZE = 12
_FULL = os.environ.get("PRIVACY_PAGES_OCD_CSV", "")
OCD_FULL_CSV: Path | None = Path(_FULL) if _FULL else None
TARGET = "https://shop.example.fr/"
SITE = "example.fr"
DAY = 86400.0


@functools.cache
def builtin_knowledge() -> KnowledgeBase:
    return load_knowledge()


def controller(name: str) -> dict[str, Any]:
    """A controller fixture from tests/data/audit/controllers, schema-validated."""
    document = require_controller(DATA / "controllers" / f"{name}.yaml")
    assert isinstance(document.data, dict)
    return document.data


def build_observations(compact: dict[str, Any]) -> Observations:
    """Observations from a compact description: phases with cookies, storage, requests, banner."""
    target = compact.get("target_url", TARGET)
    site = compact.get("site_domain", SITE)
    phases = []
    for raw in compact.get("phases", []):
        first_page = raw.get("pages", [{}])[0].get("url", target) if raw.get("pages") else target
        phases.append(
            PhaseObservations(
                phase=raw["phase"],
                pages=[_page(p) for p in raw.get("pages", [{"url": target}])],
                cookies=[_cookie(c, site, first_page) for c in raw.get("cookies", [])],
                storage=[_storage(s, target, first_page) for s in raw.get("storage", [])],
                requests=[_request(r, first_page) for r in raw.get("requests", [])],
                banner=BannerResult(**raw["banner"]) if raw.get("banner") else None,
            )
        )
    return Observations(
        target_url=target,
        site_domain=site,
        started_at=compact.get("started_at", "2026-01-15T10:00:00Z"),
        finished_at=compact.get("finished_at", "2026-01-15T10:01:00Z"),
        browser=compact.get("browser", {"name": "chromium", "version": "130.0"}),
        settings=compact.get("settings", {}),
        close_probe=compact.get("close_probe"),
        phases=phases,
    )


def _page(raw: dict[str, Any]) -> PageVisit:
    defaults: dict[str, Any] = {
        "final_url": raw.get("url"),
        "status": 200,
        "title": "Page",
        "load_ms": 100.0,
        "links_privacy_page": True,
    }
    return PageVisit(**{**defaults, **raw})


def _cookie(raw: dict[str, Any], site: str, page_url: str) -> CookieObservation:
    data = dict(raw)
    days = data.pop("lifetime_days", None)
    domain = data.get("domain", "." + site)
    third = not domain.lstrip(".").endswith(site)
    defaults: dict[str, Any] = {
        "domain": domain,
        "path": "/",
        "session": days is None,
        "lifetime_seconds": days * DAY if days is not None else None,
        "http_only": False,
        "secure": True,
        "same_site": "Lax",
        "party": "third" if third else "first",
        "registrable_domain": ".".join(domain.lstrip(".").split(".")[-2:]),
        "page_url": page_url,
    }
    return CookieObservation(**{**defaults, **data})


def _storage(raw: dict[str, Any], target: str, page_url: str) -> StorageObservation:
    defaults: dict[str, Any] = {
        "kind": "local_storage",
        "origin": target.rstrip("/"),
        "party": "first",
        "page_url": page_url,
    }
    return StorageObservation(**{**defaults, **raw})


def _request(raw: dict[str, Any], page_url: str) -> RequestObservation:
    host = raw["host"]
    defaults: dict[str, Any] = {
        "registrable_domain": ".".join(host.split(".")[-2:]),
        "party": "third",
        "url": f"https://{host}/collect",
        "resource_type": "xhr",
        "count": 1,
        "page_url": page_url,
    }
    return RequestObservation(**{**defaults, **raw})
