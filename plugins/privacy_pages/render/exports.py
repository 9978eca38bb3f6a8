"""Machine-readable outputs from the same model: the controller as JSON, and the cookie list
as an IAB TCF Device Storage Disclosure (``disclosures[{identifier, type, maxAgeSeconds,
cookieRefresh, domain, purposes}]``).

A controller published as a draft (with gaps `check` reports as errors) says so in both
files, first: ``"draft": true`` and its ``gaps`` as `check --format json` lists them
(``schemas/draft-mark.schema.json``), so that no system importing the JSON can take a draft
for a finished statement. A published controller's files carry no such key.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from privacy_pages.diagnostics import Diagnostic, sort_diagnostics
from privacy_pages.model import Controller, ControllerLike
from privacy_pages.model.durations import parse_duration

# Our storage types -> TCF ``type``. Pixels and "other" store nothing on the device and
# have no TCF equivalent, so they are left out of the disclosure (they stay on the page).
_TCF_TYPES = {
    "cookie": "cookie",
    "local_storage": "web",
    "session_storage": "web",
    "indexed_db": "web",
}

# Category kind -> TCF v2 purpose ids. 1 = store and/or access information on a device;
# 2-4, 7 = advertising; 8 = measure content performance. Strictly necessary storage
# discloses no purpose: TCF purposes are what needs consent or legitimate interest.
_TCF_PURPOSES: dict[str, list[int]] = {
    "strictly_necessary": [],
    "functional": [1],
    "analytics": [1, 8],
    "advertising": [1, 2, 3, 4, 7],
    "social_media": [1],
    "other": [1],
}
_SECONDS_PER_DAY = 86_400


def published_gaps(gaps: Sequence[Diagnostic], root: Path) -> list[Diagnostic]:
    """``gaps`` with their file named relative to ``root`` (the project, or the working
    folder), so that a published file never shows where the site was built; a file outside
    ``root`` is named by its file name alone."""
    published = []
    for gap in gaps:
        path = Path(gap.path)
        try:
            shown = path.resolve().relative_to(root.resolve()).as_posix()
        except (OSError, ValueError):
            shown = path.name
        published.append(dataclasses.replace(gap, path=shown))
    return published


def draft_mark(gaps: Sequence[Diagnostic]) -> dict[str, Any]:
    """The keys a draft's exports start with; empty for a controller without gaps."""
    if not gaps:
        return {}
    return {"draft": True, "gaps": [g.as_dict() for g in sort_diagnostics(list(gaps))]}


def _dump(document: dict[str, Any]) -> str:
    return json.dumps(document, ensure_ascii=False, indent=2, allow_nan=False) + "\n"


def controller_json(controller: ControllerLike, gaps: Sequence[Diagnostic] = ()) -> str:
    """The controller as published JSON: the validated model, keys in file order, after the
    draft mark when ``gaps`` is not empty (see `draft_mark`)."""
    data = Controller.of(controller).data
    public = {k: v for k, v in data.items() if k != "suppressions"}
    return _dump({**draft_mark(gaps), **public})


def max_age_seconds(lifetime: str | None) -> int | None:
    """``P13M`` -> seconds with calendar averages; ``session`` -> 0 would lie, so None.

    TCF reads a missing ``maxAgeSeconds`` as "not a cookie with an expiry"; a session cookie
    is given ``maxAgeSeconds: null`` as the specification allows for non-persistent storage.
    """
    duration = parse_duration(lifetime or "")
    if duration is None:
        return None
    return round(duration.approx_days * _SECONDS_PER_DAY)


def tcf_disclosures(controller: ControllerLike) -> dict[str, Any]:
    """The cookie list of ``controller`` as a TCF Device Storage Disclosure object."""
    disclosures: list[dict[str, Any]] = []
    domains: dict[str, None] = {}
    for tracker in Controller.of(controller).trackers:
        tcf_type = _TCF_TYPES.get(tracker.type)
        if tcf_type is None or not tracker.name:
            continue
        identifier = tracker.name + ("*" if tracker.match == "prefix" else "")
        kind = (tracker.category.kind if tracker.category else None) or "other"
        domain = tracker.domain or "*"
        entry: dict[str, Any] = {
            "identifier": identifier,
            "type": tcf_type,
            "maxAgeSeconds": max_age_seconds(tracker.lifetime) if tcf_type == "cookie" else None,
            "cookieRefresh": False,
            "domain": domain,
            "purposes": list(_TCF_PURPOSES.get(kind, [1])),
        }
        if tcf_type != "cookie":
            entry["maxAgeSeconds"] = None
        disclosures.append(entry)
        if domain != "*":
            domains[domain.lstrip(".")] = None
    result: dict[str, Any] = {"disclosures": disclosures}
    if domains:
        result["domains"] = [{"domain": d, "use": "Cookies"} for d in domains]
    return result


def tcf_json(controller: ControllerLike, gaps: Sequence[Diagnostic] = ()) -> str:
    """The TCF disclosure as JSON, after the draft mark when ``gaps`` is not empty."""
    return _dump({**draft_mark(gaps), **tcf_disclosures(controller)})
