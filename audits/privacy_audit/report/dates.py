"""Moments said as the client says them: through Babel, in the report's language and in the
client's time zone ("6 décembre 2026 à 15 h 49", "December 6, 2026 at 3:49 PM").

The zone is ``--timezone`` when given, else the client's, as the audit's browser has it
(`privacy_audit.visitor`: the country of the controller's address or of its first language,
Europe/Paris for FR), else UTC.
The pattern of each language is in its catalogue (``dates.moment``).
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from datetime import datetime, timezone, tzinfo
from typing import Any

from babel.dates import format_datetime, get_timezone

from privacy_audit.i18n import translate
from privacy_audit.visitor import client_country, country_zone

UTC = "UTC"


class TimezoneError(ValueError):
    """An unknown --timezone; one line naming it and what to give."""


def check_timezone(name: str) -> str:
    """``name`` if Babel (the IANA database) knows it; `TimezoneError` otherwise."""
    try:
        get_timezone(name)
    except (LookupError, ValueError):
        raise TimezoneError(
            f"--timezone: {name!r} is not a time zone; give an IANA name such as Europe/Paris"
        ) from None
    return name


def client_zone(controller: Mapping[str, Any] | None, option: str | None = None) -> str:
    """The zone the client's report is written in (see the module's docstring)."""
    if option:
        return option
    return country_zone(client_country(controller or {})) or UTC


@functools.lru_cache(maxsize=32)
def _zone(name: str) -> tzinfo:
    return get_timezone(name)


def parse_moment(value: str | None) -> datetime | None:
    """An ISO 8601 timestamp as the audit writes them (``2026-12-06T14:49:03Z``)."""
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def say_moment(value: str | None, lang: str, zone: str) -> str:
    """``value`` in words in ``lang`` and ``zone``; as written when it is not a timestamp."""
    moment = parse_moment(value)
    if moment is None:
        return str(value or "")
    return format_datetime(moment, translate("dates.moment", lang), tzinfo=_zone(zone), locale=lang)
