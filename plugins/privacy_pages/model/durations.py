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


def max_days_in_months(months: int) -> int:
    """The longest run of ``months`` consecutive calendar months, in days (a leap February
    included): a limit "of 13 months" is met by anything this long or shorter."""
    lengths = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] * 8
    for year in range(0, 8, 4):  # one leap February in each four-year cycle
        lengths[year * 12 + 1] = 29
    return max(sum(lengths[start : start + months]) for start in range(len(lengths) - months))


SIX_MONTHS_DAYS = max_days_in_months(6)
"""184 days: the CNIL's recommended lifetime of the visitor's choice (CK010)."""
THIRTEEN_MONTHS_DAYS = max_days_in_months(13)
"""397 days: the CNIL's lifetime limit of trackers (CK001, CK002, and the audit's RT03)."""
TWENTY_FIVE_MONTHS_DAYS = max_days_in_months(25)
"""The CNIL's limit on keeping exempt audience measurement data (CK002)."""
