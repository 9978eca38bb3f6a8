"""Client-facing options of the HTML report: its language, time zone, the agency's name and logo.

Every text of the HTML report is in its language's catalogue (`i18n`, `locales/*.yaml`);
the logo is embedded as a ``data:`` URI so the
report stays one file with no external asset.
"""

from __future__ import annotations

import argparse
import base64
import mimetypes
from pathlib import Path
from typing import Any

from privacy_audit.i18n import LANGUAGES
from privacy_audit.report.dates import TimezoneError, check_timezone

MAX_LOGO_BYTES = 512 * 1024
_LOGO_TYPES = ("image/png", "image/jpeg", "image/svg+xml", "image/webp")


class ReportOptionsError(ValueError):
    """A bad --lang or --agency-logo: one line naming the option, the value, what is allowed."""


def add_report_arguments(parser: argparse.ArgumentParser) -> None:
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
        help="time zone of the dates in the HTML report, an IANA name such as Europe/Paris "
        "(default: the zone of the controller's country, else UTC)",
    )


def report_options(args: argparse.Namespace) -> dict[str, Any]:
    """``lang``, ``agency_name``, ``agency_logo`` (a data: URI or None) and ``timezone`` (None:
    the controller's) for the reporters."""
    zone = getattr(args, "timezone", None)
    try:
        timezone = check_timezone(zone) if zone else None
    except TimezoneError as error:
        raise ReportOptionsError(str(error)) from None
    return {
        "timezone": timezone,
        "lang": getattr(args, "lang", "en") or "en",
        "agency_name": getattr(args, "agency_name", None),
        "agency_logo": logo_data_uri(args.agency_logo)
        if getattr(args, "agency_logo", None)
        else None,
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
