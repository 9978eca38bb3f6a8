"""ISO 8601 durations as used in controller files (P13M, P5Y, P36M, session)."""

from __future__ import annotations

import re
from dataclasses import dataclass

_DURATION = re.compile(r"^P(?!$)(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?$")


@dataclass(frozen=True)
class Duration:
    years: int = 0
    months: int = 0
    weeks: int = 0
    days: int = 0

    @property
    def approx_days(self) -> float:
        """Length in days, with the calendar averages a regulator would use."""
        return self.years * 365.25 + self.months * 30.4375 + self.weeks * 7 + self.days

    @property
    def total_months(self) -> float:
        return self.approx_days / 30.4375


def parse_duration(text: str) -> Duration | None:
    """A Duration, or None for ``session`` or anything not an ISO duration."""
    match = _DURATION.match(text or "")
    if not match:
        return None
    years, months, weeks, days = (int(g) if g else 0 for g in match.groups())
    return Duration(years, months, weeks, days)
