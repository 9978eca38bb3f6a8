"""Orejime 3 (``window.orejimeConfig``): one purpose per service, grouped by category.

Orejime ships one bundle per language (``orejime-standard-fr.js``) with its own interface
strings; the configuration holds each language's titles and descriptions and takes those of
the page's ``<html lang>``. Scripts are wrapped the library's way:
``<template data-purpose="<service>"><script src="..."></script></template>``. Orejime shows
descriptions as HTML, so they are HTML-escaped.
"""

from __future__ import annotations

import html
from typing import Any

from privacy_pages.banner import js
from privacy_pages.banner.base import BannerFormat, cookie_patterns
from privacy_pages.banner.model import Banner, Purpose, Service


class Orejime(BannerFormat):
    name = "orejime"
    title = "Orejime 3"
    package = "orejime"
    consent_cookie = "orejime"
    file_name = "orejime-config.js"

    def config(self, banner: Banner) -> str:
        by_lang = {lang: self._settings(banner, lang) for lang in banner.languages}
        return (
            self.header(banner)
            + "(function () {\n"
            + f"  var configs = {js.literal(by_lang, 1)};\n"
            + '  var lang = (document.documentElement.lang || "").toLowerCase().split("-")[0];\n'
            + f"  window.orejimeConfig = configs[lang] || configs[{js.string(banner.default_language)}];\n"
            + "})();\n"
        )

    def _settings(self, banner: Banner, lang: str) -> dict[str, Any]:
        cookie: dict[str, Any] = {"name": self.consent_cookie}
        if banner.choice_days:
            cookie["duration"] = banner.choice_days
        return {
            "privacyPolicyUrl": banner.policy_urls[lang],
            "cookie": cookie,
            "purposes": [self._purpose(banner, lang, p) for p in banner.purposes],
        }

    def _purpose(self, banner: Banner, lang: str, purpose: Purpose) -> dict[str, Any]:
        services = [self._service(banner, lang, purpose, s) for s in purpose.services]
        if len(services) == 1 and purpose.services[0].key == purpose.id:
            entry = services[0]
            if lang in purpose.descriptions:
                entry["description"] = html.escape(purpose.descriptions[lang])
            entry["title"] = purpose.titles[lang]
            return entry
        group: dict[str, Any] = {"id": purpose.id, "title": purpose.titles[lang]}
        if lang in purpose.descriptions:
            group["description"] = html.escape(purpose.descriptions[lang])
        group["purposes"] = services
        return group

    def _service(
        self, banner: Banner, lang: str, purpose: Purpose, service: Service
    ) -> dict[str, Any]:
        entry: dict[str, Any] = {
            "id": service.key,
            "title": service.titles[lang],
            "description": html.escape(banner.listing(lang, service)),
            "cookies": [] if purpose.required else cookie_patterns(service.cookies),
            "isMandatory": purpose.required,
            "default": False,
        }
        return entry

    def script_tag(self, service: Service) -> str:
        return (
            f'<template data-purpose="{html.escape(service.key)}">'
            '<script src="…"></script></template>'
        )

    def head(self, config_url: str) -> list[str]:
        return [
            '<link rel="stylesheet" href="…/orejime/dist/orejime-standard.css">',
            f'<script src="{html.escape(config_url)}"></script>',
            '<script src="…/orejime/dist/orejime-standard-fr.js"></script>  (the page\'s language)',
        ]
