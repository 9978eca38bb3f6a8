"""Which pages to visit: same-site links found on visited pages, and the site's sitemap.xml."""

from __future__ import annotations

import re
from collections.abc import Iterable
from html import unescape
from urllib.parse import urldefrag, urljoin, urlsplit, urlunsplit

from privacy_audit.collect.domains import Site, host_of, is_site_domain, registrable_domain

_SKIPPED = (
    ".pdf .zip .gz .tar .tgz .7z .rar .exe .dmg .msi .apk .iso .jpg .jpeg .png .gif .webp "
    ".svg .ico .bmp .tif .tiff .mp3 .mp4 .m4a .wav .ogg .webm .avi .mov .mkv .css .js .json "
    ".xml .txt .csv .doc .docx .xls .xlsx .ppt .pptx .odt .woff .woff2 .ttf .eot"
)
SKIPPED_EXTENSIONS = frozenset(_SKIPPED.split())
_LOC = re.compile(r"<loc>\s*([^<\s]+)\s*</loc>", re.IGNORECASE)
MAX_SITEMAP_BYTES = 5_000_000

# Link text or address of a privacy or cookie page, in the languages the audit knows.
PRIVACY_LINK = re.compile(
    r"privacy|privée|privee|confidentialit|cookie|données personnelles|donnees-personnelles|"
    r"donnees personnelles|datenschutz|privacidad|privacidade|riservatezza|informativa|"
    r"gegevensbescherming|privacyverklaring|rgpd|gdpr|dsgvo",
    re.IGNORECASE,
)


def normalise_url(url: str) -> str:
    """Without fragment, with a path (``/`` at least) and a lowercase scheme and host."""
    url, _ = urldefrag(url)
    parts = urlsplit(url)
    path = parts.path or "/"
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), path, parts.query, ""))


def same_site_page(url: str, site: Site) -> str | None:
    """``url`` normalised when it is an http(s) page of the site, else ``None``."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not is_site_domain(
        registrable_domain(host_of(url)), site
    ):
        return None
    last = parts.path.rsplit("/", 1)[-1].lower()
    if "." in last and "." + last.rsplit(".", 1)[-1] in SKIPPED_EXTENSIONS:
        return None
    return normalise_url(url)


def links_privacy_page(links: Iterable[dict[str, str]]) -> bool:
    """Whether one of the page's links names or points to a privacy or cookie page."""
    return any(
        PRIVACY_LINK.search(link.get("text", "")) or PRIVACY_LINK.search(link.get("href", ""))
        for link in links
    )


def sitemap_urls(xml_text: str, base_url: str) -> list[str]:
    """``<loc>`` addresses of a sitemap (or sitemap index), parsed without an XML parser.

    A regular expression cannot be made to expand entities, so a hostile sitemap cannot
    blow up memory the way an XML bomb would.
    """
    text = xml_text[:MAX_SITEMAP_BYTES]
    return [urljoin(base_url, unescape(m.group(1))) for m in _LOC.finditer(text)]


class Frontier:
    """Pages to visit, breadth first, each once, at most ``limit``."""

    def __init__(self, start: str, site: Site, limit: int) -> None:
        self.site = site
        self.limit = limit
        self._seen: set[str] = set()
        self._aliases: set[str] = set()
        self._queue: list[str] = []
        self.add([start])

    def add(self, urls: Iterable[str]) -> None:
        for raw in urls:
            if len(self._seen) >= self.limit:
                return
            url = same_site_page(raw, self.site)
            if url and url not in self._seen and url not in self._aliases:
                self._seen.add(url)
                self._queue.append(url)

    def pop(self) -> str | None:
        return self._queue.pop(0) if self._queue else None

    def mark_seen(self, url: str) -> None:
        """A redirect's final address counts as visited, so it is not queued again."""
        self._aliases.add(normalise_url(url))

    def __len__(self) -> int:
        return len(self._queue)
