"""Every controller's pages as Markdown files in a docs folder, for any MkDocs-compatible
generator (Zensical, MkDocs without the plugin, MkDocs 2).

The same pages as the plugin's, through the same publish gate and draft marks, written as
files, each page the ``index.md`` of its own folder (so that its links, relative to the page,
are also relative to its file, as Zensical reads links in raw HTML): each page wrapped in ``<div lang="..." markdown>`` (so the page says its language
whatever the site's), a line linking the same page in the controller's other languages,
the index of controllers, the JSON exports and the stylesheet. The Markdown needs the
``attr_list`` and ``md_in_html`` extensions, which `REQUIRED_EXTENSIONS` names.

What is written is listed in a manifest (`MANIFEST`) in the folder written to. The next run
replaces and removes only files the manifest lists, and refuses to write over any other
file: an agency's own page is never replaced, whatever the prefix.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from markupsafe import Markup, escape

from privacy_pages.atomic import write_text_atomic
from privacy_pages.check import CheckOptions
from privacy_pages.i18n import translate
from privacy_pages.render import Layout, RenderedPage
from privacy_pages.render.draft import NOINDEX
from privacy_pages.render.formatting import language_autonym
from privacy_pages.site.files import site_files, stylesheet
from privacy_pages.site.loading import LoadedSite, load_site

MANIFEST = ".privacy-pages-generated"
MANIFEST_HEADER = (
    "# Written by privacy-pages generate: the files below are replaced or removed by its next\n"
    "# run; no other file in this folder is ever touched. Do not edit.\n"
)
STYLESHEET = "privacy-pages.css"
REQUIRED_EXTENSIONS = ("attr_list", "md_in_html")


class GenerateError(Exception):
    """Nothing was written; ``str(error)`` says why, one line per problem."""


class UnpublishedContent(GenerateError):
    """The publish gate stopped the run: errors `check` reports (or no content folder)."""


@dataclass
class Generated:
    """What a run wrote into the docs folder."""

    site: LoadedSite
    folder: Path
    written: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    stylesheet: str = ""


def check_prefix(prefix: str) -> str:
    """The URL prefix as a relative folder (``clients``, ``a/b``, or ``""``); raises
    `GenerateError` for anything that would leave the docs folder."""
    cleaned = prefix.strip().strip("/")
    parts = PurePosixPath(cleaned).parts if cleaned else ()
    if "\\" in cleaned or "\0" in cleaned or any(p in ("..", ".") for p in parts):
        raise GenerateError(f"--url-prefix {prefix!r}: give a folder inside the docs folder")
    return "/".join(parts)


def generate(
    content_dir: Path,
    into: Path,
    *,
    prefix: str = "clients",
    directory_urls: bool = True,
    draft: bool = False,
    languages: Sequence[str] | None = None,
    index_lang: str = "en",
    search: bool = False,
    root: Path | None = None,
    options: CheckOptions | None = None,
) -> Generated:
    """Write the pages of every controller under ``content_dir`` into ``into/prefix``.

    Raises `GenerateError` (nothing written) when the publish gate stops the build or a
    file to write exists without being ours; `LoadedSite.error_report` is then the message.
    """
    prefix = check_prefix(prefix)
    layout = Layout(prefix, directory_urls, page_folders=True)
    site = load_site(content_dir, layout, languages, drafts=draft, options=options)
    if site.errors or site.missing_folder:
        raise UnpublishedContent(site.error_report())
    folder = into / prefix if prefix else into
    drafts = {p.src_path for p in site.pages if p.controller_id in site.drafts}
    pages = {page.src_path: page for page in site.pages}
    siblings: dict[tuple[str, str], list[RenderedPage]] = {}
    for page in site.pages:
        siblings.setdefault((page.controller_id, page.kind), []).append(page)
    files: dict[str, str] = {}
    for src, content in site_files(
        site, layout, exports=True, index=True, index_lang=index_lang,
        languages=languages, root=root or Path.cwd(),
    ):  # fmt: skip
        if src.endswith(".md"):
            page = pages.get(src)
            lang = page.lang if page else index_lang
            others = ""
            if page is not None:
                others = _other_languages(page, siblings[(page.controller_id, page.kind)], layout)
            content = _as_document(content, lang, others, search, noindex=src in drafts)
        files[src] = content
    css = f"{prefix}/{STYLESHEET}" if prefix else STYLESHEET
    files[css] = stylesheet()
    result = Generated(site, folder, stylesheet=css)
    _refuse_outside(into, folder)
    previous = _read_manifest(folder)
    _refuse_foreign(into, files, previous)
    for src, content in files.items():
        target = into / src
        target.parent.mkdir(parents=True, exist_ok=True)
        write_text_atomic(target, content)
        result.written.append(src)
    for src in sorted(previous - set(files)):
        path = into / src
        if path.is_file() and not path.is_symlink():
            path.unlink()
            result.removed.append(src)
            _prune(path.parent, folder)
    folder.mkdir(parents=True, exist_ok=True)
    write_text_atomic(folder / MANIFEST, MANIFEST_HEADER + "".join(f"{s}\n" for s in files))
    return result


def _refuse_outside(into: Path, folder: Path) -> None:
    """The folder written to must be inside the docs folder, links followed."""
    base = into.resolve()
    resolved = folder.resolve()
    if resolved != base and base not in resolved.parents:
        raise GenerateError(
            f"privacy-pages generate: {folder} leads outside {into} (a link); "
            "choose another --url-prefix"
        )


def _read_manifest(folder: Path) -> set[str]:
    """The files a previous run wrote (paths relative to the docs folder)."""
    manifest = folder / MANIFEST
    if not manifest.is_file() or manifest.is_symlink():
        return set()
    lines = (line.strip() for line in manifest.read_text(encoding="utf-8").splitlines())
    paths = (PurePosixPath(line) for line in lines if line and not line.startswith("#"))
    return {str(p) for p in paths if not p.is_absolute() and ".." not in p.parts}


def _refuse_foreign(into: Path, files: Iterable[str], previous: set[str]) -> None:
    """Stop before writing anything over a file (or through a link) a previous run of ours
    did not write."""
    foreign = []
    for src in files:
        path = into / src
        if (
            path.is_symlink()
            or (os.path.lexists(path) and src not in previous)
            or path.exists()
            and not path.is_file()
        ):
            foreign.append(src)
    if foreign:
        shown = ", ".join(str(into / s) for s in sorted(foreign)[:5])
        more = f" and {len(foreign) - 5} more" if len(foreign) > 5 else ""
        raise GenerateError(
            f"privacy-pages generate: {shown}{more} already exist(s) and were not written by "
            "privacy-pages generate; they are never replaced: move them, or choose another "
            "--url-prefix"
        )


def _prune(folder: Path, stop: Path) -> None:
    """Remove folders left empty by a removed page, up to (not including) ``stop``."""
    while folder != stop and stop in folder.parents:
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent


def _other_languages(page: RenderedPage, siblings: list[RenderedPage], layout: Layout) -> str:
    """A line linking the page in the controller's other languages (the landing page has
    its own)."""
    others = [other for other in siblings if other.lang != page.lang]
    if not others or page.kind == "landing":
        return ""
    here = layout.url_of(page.src_path)
    items = Markup(" · ").join(
        Markup('<a href="{}" hreflang="{}" lang="{}">{}</a>').format(
            layout.relative(here, layout.url_of(other.src_path)), other.lang, other.lang,
            language_autonym(other.lang),
        )
        for other in others
    )  # fmt: skip
    label = translate("page.other_languages", page.lang) + translate("punctuation.colon", page.lang)
    return str(Markup('<p class="pp-languages"><strong>{}</strong> {}</p>').format(label, items))


def _as_document(markdown: str, lang: str, others: str, search: bool, noindex: bool) -> str:
    """A page as a file: front matter, then the page in its language."""
    front = "---\nsearch:\n  exclude: true\n---\n\n" if not search else ""
    title, _, body = markdown.partition("\n")
    head = "\n\n".join(part for part in (NOINDEX if noindex else "", title, others) if part)
    return (
        f'{front}<div class="pp-page" lang="{escape(lang)}" markdown>\n\n'
        f"{head}\n\n{body.strip()}\n\n</div>\n"
    )
