"""vanilla-cookieconsent 3 (``CookieConsent.run``): categories, services, cookie tables.

Scripts are marked ``type="text/plain" data-category="<purpose>"`` (and ``data-service``),
the library's own convention. It shows titles, descriptions and table cells as HTML, so
every text is HTML-escaped here before it becomes a JavaScript string.
"""

from __future__ import annotations

import html
from typing import Any

from privacy_pages.banner import js
from privacy_pages.banner.base import BannerFormat
from privacy_pages.banner.model import Banner, CookiePattern, Purpose, Service
from privacy_pages.i18n import translate

_COLUMNS = ("name", "provider", "lifetime", "purpose")


def _clear(patterns: tuple[CookiePattern, ...]) -> list[dict[str, Any]]:
    cookies = []
    for pattern in patterns:
        cookie: dict[str, Any] = {"name": js.RegExp(pattern.regex)}
        if pattern.domain:
            cookie["domain"] = pattern.domain
        cookies.append(cookie)
    return cookies


class CookieConsent(BannerFormat):
    name = "cookieconsent"
    title = "vanilla-cookieconsent 3"
    package = "vanilla-cookieconsent"
    consent_cookie = "cc_cookie"
    file_name = "cookieconsent-config.js"

    def config(self, banner: Banner) -> str:
        cookie: dict[str, Any] = {"name": self.consent_cookie}
        if banner.choice_days:
            cookie["expiresAfterDays"] = banner.choice_days
        settings = {
            "mode": "opt-in",
            "revision": 0,
            "cookie": cookie,
            "guiOptions": {
                "consentModal": {"layout": "box", "equalWeightButtons": True},
                "preferencesModal": {"layout": "box", "equalWeightButtons": True},
            },
            "categories": {
                p.id: self._category(p, banner.default_language) for p in banner.purposes
            },
            "language": {
                "default": banner.default_language,
                "autoDetect": "document",
                "translations": {
                    lang: self._translation(banner, lang) for lang in banner.languages
                },
            },
        }
        return self.header(banner) + f"CookieConsent.run({js.literal(settings)});\n"

    def _category(self, purpose: Purpose, lang: str) -> dict[str, Any]:
        if purpose.required:
            return {"enabled": True, "readOnly": True}
        category: dict[str, Any] = {"enabled": False, "readOnly": False}
        if purpose.cookies:
            category["autoClear"] = {"cookies": _clear(purpose.cookies)}
        services = {
            s.key: {"label": html.escape(s.titles[lang]), "cookies": _clear(s.cookies)}
            for s in purpose.services
            if s.key != purpose.id
        }
        if services:
            category["services"] = services
        return category

    def _translation(self, banner: Banner, lang: str) -> dict[str, Any]:
        text = {key: html.escape(value) for key, value in banner.texts[lang].items()}
        link = '<a href="{}">{}</a>'.format(
            html.escape(banner.policy_urls[lang]), text["policy_link"]
        )
        sections: list[dict[str, Any]] = [{"description": f"{text['description']} {link}"}]
        for purpose in banner.purposes:
            section: dict[str, Any] = {
                "title": html.escape(purpose.titles[lang]),
                "linkedCategory": purpose.id,
            }
            if lang in purpose.descriptions:
                section["description"] = html.escape(purpose.descriptions[lang])
            rows = banner.table(lang, purpose)
            if rows:
                section["cookieTable"] = {
                    "headers": {c: html.escape(translate(f"col.{c}", lang)) for c in _COLUMNS},
                    "body": [{c: html.escape(getattr(row, c)) for c in _COLUMNS} for row in rows],
                }
            sections.append(section)
        return {
            "consentModal": {
                "title": text["title"],
                "description": text["description"],
                "acceptAllBtn": text["accept_all"],
                "acceptNecessaryBtn": text["reject_all"],
                "showPreferencesBtn": text["customise"],
                "footer": link,
            },
            "preferencesModal": {
                "title": text["title"],
                "acceptAllBtn": text["accept_all"],
                "acceptNecessaryBtn": text["reject_all"],
                "savePreferencesBtn": text["save"],
                "closeIconLabel": text["close"],
                "sections": sections,
            },
        }

    def script_tag(self, service: Service) -> str:
        marks = f'data-category="{html.escape(service.purpose_id)}"'
        if service.key != service.purpose_id:
            marks += f' data-service="{html.escape(service.key)}"'
        return f'<script type="text/plain" {marks} src="…"></script>'

    def head(self, config_url: str) -> list[str]:
        return [
            '<link rel="stylesheet" href="…/vanilla-cookieconsent/dist/cookieconsent.css">',
            '<script defer src="…/vanilla-cookieconsent/dist/cookieconsent.umd.js"></script>',
            f'<script defer src="{html.escape(config_url)}"></script>',
        ]
