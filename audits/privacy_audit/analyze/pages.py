"""TX01, TX02, LK01: pages served or forms sent over plain http, pages without a link to the
privacy policy."""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from privacy_audit.analyze.context import Context, ordered_phases
from privacy_audit.findings import Subject
from privacy_audit.i18n import text


def check_pages(context: Context) -> None:
    insecure: list[tuple[str, str]] = []
    seen_urls: set[str] = set()
    for phase in ordered_phases(context):
        for page in phase.pages:
            url = page.final_url or page.url
            if page.error is None and _plain_http(url):
                insecure.append((phase.phase, url))
            if page.links_privacy_page is False and page.error is None and url not in seen_urls:
                seen_urls.add(url)
                context.add(
                    "LK01",
                    url,
                    text("message.no_policy_link"),
                    phase=phase.phase,
                    subject=Subject("page", url),
                    hint=text("hint.no_policy_link"),
                )
    forms: dict[str, tuple[str, list[str]]] = {}
    for phase in ordered_phases(context):
        for page in phase.pages:
            for action in page.insecure_forms:
                if _plain_http(action) and action not in forms:
                    forms[action] = (phase.phase, [])
                if action in forms and page.url not in forms[action][1]:
                    forms[action][1].append(page.url)
    for action, (phase_name, pages) in forms.items():
        context.add(
            "TX02",
            pages[0],
            text("message.insecure_form", action=action),
            phase=phase_name,
            subject=Subject("page", action),
            hint=text("hint.insecure_form"),
        )
    if insecure:
        urls = sorted({u for _, u in insecure})
        context.add(
            "TX01",
            insecure[0][1],
            text("message.plain_http", n=len(urls)),
            phase=insecure[0][0],
            phases=[p for p, _ in insecure],
            subject=Subject("site", urlsplit(insecure[0][1]).hostname or ""),
            hint=text("hint.plain_http"),
        )


def _plain_http(url: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme != "http":
        return False
    host = (parts.hostname or "").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return False
    try:
        return not ipaddress.ip_address(host).is_loopback
    except ValueError:
        return True
