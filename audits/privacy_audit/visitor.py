"""How the audit's browser presents itself: as the client's visitors' browsers do.

Sites adapt to the visitor's language (a multilingual WordPress sends a browser asking for
English from / to /en/) and some consent banners to the time zone (shown only in Europe, the
GDPR's reach guessed without a geolocation service). A browser left in English and in the
machine's time zone (UTC on most servers) would audit another site than the one the
client's visitors see. The language is the controller's first one, with its country (the
controller's address's, else the one CLDR takes the language to mean: fr, FR); the time zone
is that country's. The report's dates are said in the same zone.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from babel.core import get_global


def visitor_locale(
    controller: Mapping[str, Any], zone: str | None = None
) -> tuple[str, str | None]:
    """The language tag (``fr-FR``) and the time zone (``zone`` when given, else the
    country's: ``Europe/Paris``; None when it is not one zone) of the controller's visitors."""
    languages = controller.get("languages") or ["en"]
    language = str(languages[0]).split("-")[0].lower()
    country = client_country(controller)
    locale = f"{language}-{country}" if country else language
    return locale, zone or country_zone(country)


def client_country(controller: Mapping[str, Any]) -> str:
    """The controller's country: its address's, else its first language's likely one."""
    address = (controller.get("controller") or {}).get("address") or {}
    if isinstance(address, Mapping) and address.get("country"):
        return str(address["country"]).upper()
    languages = controller.get("languages") or ["en"]
    likely = get_global("likely_subtags").get(str(languages[0]).split("-")[0].lower())
    parts = str(likely).split("_") if likely else []  # fr_Latn_FR
    return parts[-1] if len(parts) > 1 and parts[-1].isalpha() and parts[-1].isupper() else ""


def country_zone(country: str) -> str | None:
    """The country's time zone: its only one, or its European one (one time of day: Europe/
    Berlin for DE); None when it spans several elsewhere (US, CA)."""
    zones = list(get_global("territory_zones").get(country) or ())
    if len(zones) == 1:
        return str(zones[0])
    european = sorted(zone for zone in zones if zone.startswith("Europe/"))
    meta = get_global("meta_zones")
    if european and len({meta.get(zone, zone) for zone in european}) == 1:
        return european[0]
    return None
