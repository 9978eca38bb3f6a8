"""tarteaucitron.js (``tarteaucitron.init`` and one custom service per provider).

tarteaucitron has no convention for marking a page's own scripts: each service's ``js``
function loads them. The generated services run the page's scripts marked
``type="text/plain" data-service="<service>"`` when the visitor accepts. tarteaucitron
deletes a refused service's cookies by exact name only; names declared as prefixes are
deleted by the service's ``fallback`` and on its ``_disallowed`` event. Service names are
shown as HTML, so they are HTML-escaped.
"""

from __future__ import annotations

import html
from typing import Any

from privacy_pages.banner import js
from privacy_pages.banner.base import BannerFormat
from privacy_pages.banner.model import Banner, Purpose, Service

_TYPES = {
    "analytics": "analytic",
    "advertising": "ads",
    "social_media": "social",
    "functional": "api",
}
"""Category kind -> tarteaucitron's service type (its own translated group headings)."""

_RUNTIME = """\
  var lang = (document.documentElement.lang || "").toLowerCase().split("-")[0];
  var texts = TEXTS;
  var here = texts[lang] || texts[DEFAULT];
  if (texts[lang]) { window.tarteaucitronForceLanguage = lang; }
  var started = {};
  function activate(key) {
    if (started[key]) { return; }
    started[key] = true;
    var marked = document.querySelectorAll('script[type="text/plain"][data-service="' + key + '"]');
    Array.prototype.forEach.call(marked, function (old) {
      var script = document.createElement("script");
      Array.prototype.forEach.call(old.attributes, function (a) {
        if (a.name !== "type") { script.setAttribute(a.name, a.value); }
      });
      script.text = old.text;
      old.parentNode.replaceChild(script, old);
    });
  }
  function purge(prefixes) {
    document.cookie.split(";").forEach(function (pair) {
      var name = pair.split("=")[0].trim();
      prefixes.forEach(function (prefix) {
        if (name.indexOf(prefix) === 0) {
          [location.hostname, "." + location.hostname, ""].forEach(function (domain) {
            document.cookie = name + "=; expires=Thu, 01 Jan 1970 00:00:00 GMT; path=/" +
              (domain ? "; domain=" + domain : "");
          });
        }
      });
    });
  }
"""


class Tarteaucitron(BannerFormat):
    name = "tarteaucitron"
    title = "tarteaucitron.js 1.x"
    package = "tarteaucitronjs"
    consent_cookie = "tarteaucitron"
    file_name = "tarteaucitron-config.js"

    def config(self, banner: Banner) -> str:
        texts = {lang: {"privacyUrl": banner.policy_urls[lang]} for lang in banner.languages}
        runtime = _RUNTIME.replace("TEXTS", js.literal(texts, 1)).replace(
            "DEFAULT", js.string(banner.default_language)
        )
        settings = {
            "privacyUrl": js.Code("here.privacyUrl"),
            "bodyPosition": "top",
            "hashtag": "#tarteaucitron",
            "cookieName": self.consent_cookie,
            "orientation": "middle",
            "groupServices": False,
            "serviceDefaultState": "wait",
            "showAlertSmall": False,
            "cookieslist": True,
            "closePopup": False,
            "showIcon": True,
            "iconPosition": "BottomRight",
            "adblocker": False,
            "DenyAllCta": True,
            "AcceptAllCta": True,
            "highPrivacy": True,
            "handleBrowserDNTRequest": False,
            "removeCredit": True,
            "moreInfoLink": True,
            "useExternalCss": False,
            "useExternalJs": False,
            "mandatory": True,
            "mandatoryCta": False,
            "googleConsentMode": False,
            "partnersList": False,
        }
        lines = [self.header(banner), "(function () {\n", runtime]
        if banner.choice_days:
            # tarteaucitron reads this global when it writes its cookie (days, below 365).
            days = min(banner.choice_days, 364)
            lines.append(f"  window.tarteaucitronForceExpire = {days};\n")
        lines.append(f"  tarteaucitron.init({js.literal(settings, 1)});\n")
        keys = []
        for purpose in banner.consent_purposes:
            for service in purpose.services:
                keys.append(service.key)
                lines.append(
                    f"  tarteaucitron.services[{js.string(service.key)}] = "
                    f"{js.literal(self._service(purpose, service), 1)};\n"
                )
                prefixes = [c.name for c in service.cookies if c.prefix]
                if prefixes:
                    lines.append(
                        f"  document.addEventListener({js.string(service.key + '_disallowed')}, "
                        f"function () {{ purge({js.inline(prefixes)}); }});\n"
                    )
        lines.append(
            f"  (tarteaucitron.job = tarteaucitron.job || []).push({', '.join(map(js.string, keys))});\n"
        )
        lines.append("})();\n")
        return "".join(lines)

    def _service(self, purpose: Purpose, service: Service) -> dict[str, Any]:
        exact = [c.name for c in service.cookies if not c.prefix]
        prefixes = [c.name for c in service.cookies if c.prefix]
        settings = {
            "key": service.key,
            "type": _TYPES.get(purpose.kind or "", "other"),
            "name": html.escape(service.name),
            "uri": js.Code("here.privacyUrl"),
            "needConsent": True,
            "cookies": exact,
            "js": js.Code(f"function () {{ activate({js.string(service.key)}); }}"),
        }
        if prefixes:
            settings["fallback"] = js.Code(f"function () {{ purge({js.inline(prefixes)}); }}")
        return settings

    def script_tag(self, service: Service) -> str:
        return (
            f'<script type="text/plain" data-service="{html.escape(service.key)}" src="…"></script>'
        )

    def head(self, config_url: str) -> list[str]:
        return [
            '<script src="…/tarteaucitronjs/tarteaucitron.js"></script>',
            f'<script src="{html.escape(config_url)}"></script>',
        ]
