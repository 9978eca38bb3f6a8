"""Every file a site of controllers holds besides its pages' HTML: shared by the MkDocs plugin
and `privacy-pages generate`, so that both publish the same pages, exports and index."""

from __future__ import annotations

from collections.abc import Sequence
from importlib import resources
from pathlib import Path

from privacy_pages.render import Layout, RenderedPage, render_index
from privacy_pages.render.exports import controller_json, published_gaps, tcf_json
from privacy_pages.render.formatting import language_autonym
from privacy_pages.site.loading import LoadedSite


def stylesheet() -> str:
    """The pages' stylesheet (screen, narrow screens, print)."""
    css = resources.files("privacy_pages.render").joinpath("assets", "privacy-pages.css")
    return css.read_text(encoding="utf-8")


def site_files(
    site: LoadedSite,
    layout: Layout,
    *,
    exports: bool,
    index: bool,
    index_lang: str,
    languages: Sequence[str] | None,
    root: Path,
) -> list[tuple[str, str]]:
    """Every generated file as (path in the site, content): pages, exports, the index.

    A draft's exports carry its gaps, each file named relative to ``root`` (the project)."""
    generated = [(page.src_path, page.markdown) for page in site.pages]
    if exports:
        for model in site.controllers:
            gaps = published_gaps(site.drafts.get(model.id, ()), root)
            generated.append(
                (layout.export_path(model.id, "controller_json"), controller_json(model, gaps))
            )
            generated.append((layout.export_path(model.id, "tcf_json"), tcf_json(model, gaps)))
    if index and site.controllers:
        page = render_index(site.controllers, index_lang, layout, languages, drafts=site.drafts)
        generated.append((layout.index_src_path(), page))
    return generated


def alternates(pages: Sequence[RenderedPage]) -> dict[str, list[dict[str, str]]]:
    """For each page, the same page in every language of its controller: ``name`` (the
    language's own name), ``link`` (site-root relative URL) and ``lang`` (Material's format)."""
    by_slot: dict[tuple[str, str], list[RenderedPage]] = {}
    for page in pages:
        by_slot.setdefault((page.controller_id, page.kind), []).append(page)
    result: dict[str, list[dict[str, str]]] = {}
    for siblings in by_slot.values():
        links = [
            {"name": language_autonym(p.lang), "link": p.url or "./", "lang": p.lang}
            for p in siblings
        ]
        for page in siblings:
            result[page.src_path] = links
    return result
