"""Machine-readable outputs from the same model: the controller as JSON, and the cookie list
as an IAB TCF Device Storage Disclosure (``disclosures[{identifier, type, maxAgeSeconds,
cookieRefresh, domain, purposes}]``).
"""

from __future__ import annotations

import json
from typing import Any

from ..durations import parse_duration

TCF_SPEC = "IAB TCF Device Storage Disclosure v1.1"

# Our storage types -> TCF ``type``. Pixels and "other" store nothing on the device and
# have no TCF equivalent, so they are left out of the disclosure (they stay on the page).
_TCF_TYPES = {"cookie": "cookie", "local_storage": "web", "session_storage": "web"}

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


def controller_json(data: dict[str, Any]) -> str:
    """The controller as published JSON: the validated model, keys in file order."""
    public = {k: v for k, v in data.items() if k != "suppressions"}
    return json.dumps(public, ensure_ascii=False, indent=2) + "\n"


def max_age_seconds(lifetime: str | None) -> int | None:
    """``P13M`` -> seconds with calendar averages; ``session`` -> 0 would lie, so None.

    TCF reads a missing ``maxAgeSeconds`` as "not a cookie with an expiry"; a session cookie
    is given ``maxAgeSeconds: null`` as the specification allows for non-persistent storage.
    """
    duration = parse_duration(lifetime or "")
    if duration is None:
        return None
    return round(duration.approx_days * _SECONDS_PER_DAY)


def tcf_disclosures(data: dict[str, Any]) -> dict[str, Any]:
    """The cookie list of ``data`` as a TCF Device Storage Disclosure object."""
    cookies = data.get("cookies") or {}
    categories = {c["id"]: c for c in cookies.get("categories") or []}
    disclosures: list[dict[str, Any]] = []
    domains: dict[str, None] = {}
    for tracker in cookies.get("trackers") or []:
        tcf_type = _TCF_TYPES.get(tracker.get("type") or "cookie")
        if tcf_type is None or not tracker.get("name"):
            continue  # a tracker named by its provider alone has no identifier to disclose
        identifier = tracker["name"] + ("*" if tracker.get("match") == "prefix" else "")
        kind = (categories.get(tracker.get("category") or "") or {}).get("kind", "other")
        domain = tracker.get("domain") or "*"
        entry: dict[str, Any] = {
            "identifier": identifier,
            "type": tcf_type,
            "maxAgeSeconds": max_age_seconds(tracker.get("lifetime"))
            if tcf_type == "cookie"
            else None,
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


def tcf_json(data: dict[str, Any]) -> str:
    return json.dumps(tcf_disclosures(data), ensure_ascii=False, indent=2) + "\n"
