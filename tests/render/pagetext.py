"""Reading built pages as a person sees them: visible text, normalised."""

from __future__ import annotations

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
    page = soup(path)
    article = page.select_one("article") or page
    return normalise(article.get_text(" "))


def article_hrefs(path: Path) -> set[str]:
    page = soup(path)
    article = page.select_one("article") or page
    return {a.get("href", "") for a in article.select("a[href]")}


def controller_pages(site: Path, controller_id: str, lang: str) -> list[Path]:
    folder = site / "clients" / controller_id / lang
    pages = [folder / "index.html"] + [
        folder / name / "index.html" for name in ("privacy", "cookies", "legal-notice")
    ]
    return [page for page in pages if page.is_file()]  # only documents the file covers
