"""Reading built pages as a person sees them: visible text, normalised."""

from __future__ import annotations

import functools
import re
import unicodedata
from pathlib import Path

from bs4 import BeautifulSoup

_SPACES = re.compile(r"\s+")


def normalise(text: str) -> str:
    """Collapse every kind of space (Babel uses narrow no-break spaces) and unify quotes."""
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\u2019", "'").replace("\u00a0", " ").replace("\u202f", " ")
    return _SPACES.sub(" ", text).strip()


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def article_text(path: Path) -> str:
    """The text of the page's main content (Material's article), normalised."""
    return _article(path, *_version(path))[0]


def article_hrefs(path: Path) -> set[str]:
    return set(_article(path, *_version(path))[1])


def _version(path: Path) -> tuple[int, int]:
    stat = path.stat()
    return stat.st_mtime_ns, stat.st_size


@functools.lru_cache(maxsize=512)
def _article(path: Path, mtime_ns: int, size: int) -> tuple[str, frozenset[str]]:
    """The article's text and links, parsed once per version of the file: the fact checks
    read each built page several times (html.parser is most of their time)."""
    page = soup(path)
    article = page.select_one("article") or page
    hrefs = frozenset(a.get("href", "") for a in article.select("a[href]"))
    return normalise(article.get_text(" ")), hrefs


def controller_pages(site: Path, controller_id: str, lang: str) -> list[Path]:
    folder = site / "clients" / controller_id / lang
    pages = [folder / "index.html"] + [
        folder / name / "index.html" for name in ("privacy", "cookies", "legal-notice")
    ]
    return [page for page in pages if page.is_file()]  # only documents the file covers
