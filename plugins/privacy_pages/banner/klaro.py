"""Klaro! 0.7 (``window.klaroConfig``): purposes, one service per provider, translations.

Scripts are marked the library's way: ``type="text/plain" data-type="text/javascript"
data-name="<service>" data-src="..."``. ``htmlTexts`` stays false, so Klaro shows every
text as text.
"""

from __future__ import annotations

import html
from typing import Any

from privacy_pages.banner import js
from privacy_pages.banner.base import BannerFormat, cookie_patterns
from privacy_pages.banner.model import Banner, Purpose, Service


class Klaro(BannerFormat):
    name = "klaro"
    title = "Klaro! 0.7"
    package = "klaro"
    consent_cookie = "klaro"
    file_name = "klaro-config.js"

    def config(self, banner: Banner) -> str:
        settings: dict[str, Any] = {
            "version": 1,
            "elementID": "klaro",
            "storageMethod": "cookie",
            "cookieName": self.consent_cookie,
        }
        if banner.choice_days:
            settings["cookieExpiresAfterDays"] = banner.choice_days
        settings.update(
            {
                "htmlTexts": False,
                "embedded": False,
                "groupByPurpose": True,
                "default": False,
                "mustConsent": False,
                "acceptAll": True,
                "hideDeclineAll": False,
                "hideLearnMore": False,
                "noticeAsModal": False,
                "translations": {
                    "zz": {"privacyPolicyUrl": banner.policy_urls[banner.default_language]},
                    **{lang: self._translation(banner, lang) for lang in banner.languages},
                },
                "services": [
                    self._service(purpose.required, service)
                    for purpose in banner.purposes
                    for service in purpose.services
                ],
            }
        )
        return self.header(banner) + f"var klaroConfig = {js.literal(settings)};\n"

    def _service(self, required: bool, service: Service) -> dict[str, Any]:
        return {
            "name": service.key,
            "title": service.name,
            "purposes": [service.purpose_id],
            "cookies": [] if required else cookie_patterns(service.cookies),
            "required": required,
            "default": required,
            "optOut": False,
            "onlyOnce": True,
        }

    def _translation(self, banner: Banner, lang: str) -> dict[str, Any]:
        text = banner.texts[lang]
        translation: dict[str, Any] = {
            "privacyPolicyUrl": banner.policy_urls[lang],
            "consentNotice": {"description": text["description"]},
            "consentModal": {"title": text["title"]},
            "acceptAll": text["accept_all"],
            "decline": text["reject_all"],
            "purposes": {
                p.id: {"title": p.titles[lang], **_description(p, lang)} for p in banner.purposes
            },
        }
        for service in banner.services:
            translation[service.key] = {
                "title": service.titles[lang],
                "description": banner.listing(lang, service),
            }
        return translation

    def script_tag(self, service: Service) -> str:
        return (
            '<script type="text/plain" data-type="text/javascript" '
            f'data-name="{html.escape(service.key)}" data-src="…"></script>'
        )

    def head(self, config_url: str) -> list[str]:
        return [
            f'<script src="{html.escape(config_url)}"></script>',
            '<script defer src="…/klaro/dist/klaro.js"></script>',
        ]


def _description(purpose: Purpose, lang: str) -> dict[str, str]:
    return {"description": purpose.descriptions[lang]} if lang in purpose.descriptions else {}
