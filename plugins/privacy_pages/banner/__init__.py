"""Consent-banner configurations from the controller file: one source for the policy and the
banner.

`model.read_banner` reads what every consent manager needs; one module per manager writes
its configuration. `FORMATS` maps a format name to its class and feeds the choices of
`privacy-pages export --format`.
"""

from __future__ import annotations

from privacy_pages.banner.base import BannerFormat
from privacy_pages.banner.cookieconsent import CookieConsent
from privacy_pages.banner.klaro import Klaro
from privacy_pages.banner.orejime import Orejime
from privacy_pages.banner.tarteaucitron import Tarteaucitron

FORMATS: dict[str, type[BannerFormat]] = {
    fmt.name: fmt for fmt in (CookieConsent, Tarteaucitron, Klaro, Orejime)
}

__all__ = ["FORMATS", "BannerFormat"]
