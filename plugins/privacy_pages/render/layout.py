"""Where each generated page and file lives, and relative links between them.

Pure path arithmetic shared by the MkDocs plugin and `privacy-pages export`, so that links
inside page bodies (raw HTML, which MkDocs does not rewrite) are right in both.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from pathlib import PurePosixPath

from privacy_pages.confined import confined_path, split_relative

PAGE_KINDS = ("landing", "privacy", "cookies", "legal_notice")
_SLUGS = {
    "landing": "index",
    "privacy": "privacy",
    "cookies": "cookies",
    "legal_notice": "legal-notice",
}
EXPORT_FILES = {"controller_json": "controller.json", "tcf_json": "tcf-disclosures.json"}


@dataclass(frozen=True)
class Layout:
    """URL scheme: ``<prefix>/<controller>/<lang>/<page>``, exports in ``<prefix>/<controller>/``.

    With ``page_folders``, each page is the ``index.md`` of its own folder: the same URLs,
    but a link relative to the page is also relative to its source file, which is how
    generators that rewrite links in raw HTML (Zensical) read it.

    Every path is built by `confined_path`: an id, a language or a prefix that would leave
    the site's folder (``..``, ``/``, a separator) raises `UnsafePath`, whatever let it in.
    """

    prefix: str = "clients"
    directory_urls: bool = True
    page_folders: bool = False

    def __post_init__(self) -> None:
        split_relative(self.prefix, "url_prefix")

    def _join(self, *names: str, what: str) -> str:
        root = PurePosixPath(*split_relative(self.prefix, "url_prefix"))
        return str(confined_path(root, *names, what=what)).removeprefix("./")

    def src_path(self, controller_id: str, lang: str, kind: str) -> str:
        base = self._join(controller_id, lang, what="controller id or language")
        if self.page_folders and _SLUGS[kind] != "index":
            return f"{base}/{_SLUGS[kind]}/index.md"
        return f"{base}/{_SLUGS[kind]}.md"

    def index_src_path(self) -> str:
        return self._join("index.md", what="file")

    def export_path(self, controller_id: str, name: str) -> str:
        return self._join(controller_id, what="controller id") + f"/{EXPORT_FILES[name]}"

    def url_of(self, src_path: str) -> str:
        """The URL (relative to the site root) MkDocs gives a source path."""
        if not src_path.endswith(".md"):
            return src_path
        stem = src_path[:-3]
        if not self.directory_urls:
            return f"{stem}.html"
        if posixpath.basename(stem) == "index":
            directory = posixpath.dirname(stem)
            return f"{directory}/" if directory else ""
        return f"{stem}/"

    def page_url(self, controller_id: str, lang: str, kind: str) -> str:
        return self.url_of(self.src_path(controller_id, lang, kind))

    def index_url(self) -> str:
        return self.url_of(self.index_src_path())

    def relative(self, from_url: str, to_url: str) -> str:
        """Link from the page at ``from_url`` to ``to_url`` (both site-root relative)."""
        base = from_url[:-1] if from_url.endswith("/") else posixpath.dirname(from_url)
        is_dir = to_url == "" or to_url.endswith("/")
        rel = posixpath.relpath(to_url.rstrip("/") or ".", base or ".")
        if is_dir:
            return "./" if rel == "." else f"{rel}/"
        return rel
