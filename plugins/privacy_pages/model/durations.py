"""ISO 8601 durations as used in controller files (P13M, P5Y, P36M, PT30M, session)."""

from __future__ import annotations

import re
from dataclasses import dataclass

_DURATION = re.compile(
    r"^P(?!$)(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?"
    r"(?:T(?=\d)(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$"
)


@dataclass(frozen=True)
class Duration:
    years: int = 0
    months: int = 0
    weeks: int = 0
    days: int = 0
    hours: int = 0
    minutes: int = 0
    seconds: int = 0

    @property
    def approx_days(self) -> float:
        """Length in days, with the calendar averages a regulator would use."""
        time = self.hours / 24 + self.minutes / 1440 + self.seconds / 86400
        return self.years * 365.25 + self.months * 30.4375 + self.weeks * 7 + self.days + time


def parse_duration(text: str) -> Duration | None:
    """A Duration, or None for ``session`` or anything not an ISO duration."""
    match = _DURATION.match(text or "")
    if not match:
        return None
    return Duration(*(int(g) if g else 0 for g in match.groups()))
