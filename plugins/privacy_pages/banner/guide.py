"""What `export` tells a person after writing a banner configuration: how to load it, how to
mark each script, and what in the controller file the audit would still report."""

from __future__ import annotations

from pathlib import Path

from privacy_pages.banner.base import BannerFormat
from privacy_pages.banner.model import UNCATEGORISED, Banner


def banner_guide(banner: Banner, fmt: BannerFormat, config_url: str) -> str:
    """The lines to add to each page, then one marked script per service needing consent."""
    where = f"… is where you serve the npm package {fmt.package}"
    lines = [f"{fmt.title}: load it in each page's <head>, in this order ({where}):"]
    lines += [f"  {line}" for line in fmt.head(config_url)]
    consent = banner.consent_purposes
    if consent:
        lines.append("Mark each script that needs consent (… in src: the script's address):")
    lang = banner.default_language
    for purpose in consent:
        for service in purpose.services:
            names = ", ".join(service.tracker_names) or "-"
            lines.append(f"  {service.name} ({purpose.titles[lang]}: {names})")
            lines.append(f"    {fmt.script_tag(service)}")
    return "\n".join(lines)


def banner_warnings(banner: Banner, fmt: BannerFormat, path: Path, draft: bool) -> list[str]:
    """Gaps between the file and the banner that an audit of the page would report."""
    warnings = []
    if draft:
        warnings.append(
            f"{path}: `check` reports errors in this file; the banner is configured from it "
            "as it stands"
        )
    if banner.undeclared_consent_cookie:
        warnings.append(
            f"{path}: the file does not declare {fmt.title}'s own cookie {fmt.consent_cookie!r}; "
            "add it to cookies.trackers in a strictly necessary category, with the lifetime "
            "you choose (the audit reports an undeclared cookie, DC01)"
        )
    uncategorised = [p for p in banner.purposes if p.id.startswith(UNCATEGORISED)]
    for purpose in uncategorised:
        names = ", ".join(n for s in purpose.services for n in s.tracker_names)
        warnings.append(
            f"{path}: tracker(s) {names} have no category; the banner asks consent for them "
            "(give each a category in cookies.trackers)"
        )
    if not banner.consent_purposes:
        warnings.append(f"{path}: no declared tracker needs consent; the banner has nothing to ask")
    return warnings
