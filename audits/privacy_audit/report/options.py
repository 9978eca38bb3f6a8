"""Client-facing options of the HTML report and the portfolio: the language, the time zone
of the dates, the agency's name and logo.

Every text of the HTML report is in its language's catalogue (`i18n`, `locales/*.yaml`);
the logo is embedded as a ``data:`` URI so the
report stays one file with no external asset.
"""

from __future__ import annotations

import argparse
import base64
import mimetypes
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from privacy_audit.i18n import LANGUAGES
from privacy_audit.report.dates import TimezoneError, check_timezone

MAX_LOGO_BYTES = 512 * 1024
_LOGO_TYPES = ("image/png", "image/jpeg", "image/svg+xml", "image/webp")


class ReportOptionsError(ValueError):
    """A bad --lang, --timezone or --agency-logo: one line naming the option, the value,
    what is allowed."""


def add_report_arguments(parser: argparse.ArgumentParser) -> None:
    """The options `audit` and `portfolio` share: --lang, --agency-name, --agency-logo and
    --timezone (read with `ReportOptions.from_args`)."""
    parser.add_argument(
        "--lang",
        default="en",
        choices=LANGUAGES,
        help="language of the HTML report: every text of ours (default en)",
    )
    parser.add_argument("--agency-name", metavar="NAME", help="agency named on the HTML report")
    parser.add_argument(
        "--agency-logo",
        metavar="FILE",
        help="agency logo on the HTML report (PNG, JPEG, SVG or WebP, embedded, 512 KiB max)",
    )
    parser.add_argument(
        "--timezone",
        metavar="ZONE",
        help="time zone of the dates, an IANA name such as Europe/Paris (default: the zone "
        "of the controller's country, else UTC)",
    )


@dataclass(frozen=True)
class ReportOptions:
    """The report's language, time zone (None: the controller's) and the agency's name and
    logo (a ``data:`` URI), validated."""

    lang: str = "en"
    agency_name: str | None = None
    agency_logo: str | None = None
    timezone: str | None = None

    def __post_init__(self) -> None:
        if self.lang not in LANGUAGES:
            raise ReportOptionsError(
                f"--lang: {self.lang!r} is not a report language; use one of: "
                + ", ".join(LANGUAGES)
            )
        if self.timezone is not None:
            try:
                check_timezone(self.timezone)
            except TimezoneError as error:
                raise ReportOptionsError(str(error)) from None

    @classmethod
    def read(
        cls,
        lang: str | None,
        agency_name: str | None,
        agency_logo: str | Path | None,
        timezone: str | None = None,
    ) -> ReportOptions:
        """The options as given on the command line: the logo is read and embedded here."""
        logo = logo_data_uri(agency_logo) if agency_logo else None
        return cls(lang=lang or "en", agency_name=agency_name, agency_logo=logo, timezone=timezone)

    @classmethod
    def from_args(cls, args: argparse.Namespace) -> ReportOptions:
        """From the options `add_report_arguments` added."""
        return cls.read(args.lang, args.agency_name, args.agency_logo, args.timezone)

    def presentation(self) -> dict[str, Any]:
        """``lang``, ``agency_name``, ``agency_logo`` and ``timezone`` as the reporters read
        them."""
        return {
            "lang": self.lang,
            "agency_name": self.agency_name,
            "agency_logo": self.agency_logo,
            "timezone": self.timezone,
        }


def logo_data_uri(path: str | Path) -> str:
    file = Path(path)
    kind = mimetypes.guess_type(file.name)[0]
    if kind not in _LOGO_TYPES:
        raise ReportOptionsError(
            f"--agency-logo: {file}: not a PNG, JPEG, SVG or WebP file (by its extension)"
        )
    try:
        data = file.read_bytes()
    except OSError as error:
        raise ReportOptionsError(f"--agency-logo: {file}: cannot read ({error.strerror})") from None
    if len(data) > MAX_LOGO_BYTES:
        raise ReportOptionsError(
            f"--agency-logo: {file}: {len(data)} bytes; give a logo of at most {MAX_LOGO_BYTES}"
        )
    return f"data:{kind};base64," + base64.b64encode(data).decode("ascii")
