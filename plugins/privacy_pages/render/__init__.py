"""Rendering: controller data + language -> page content. Knows nothing of MkDocs.

`render_pages` gives the Markdown (headings in Markdown, bodies as escaped HTML blocks) of
the landing page, privacy notice, cookie policy and legal notice of one controller in each
of its languages; `render_index` the index of controllers; `exports` the JSON outputs.
"""

from __future__ import annotations

from privacy_pages.render.layout import PAGE_KINDS, Layout
from privacy_pages.render.pages import (
    RenderedPage,
    plain_name,
    render_index,
    render_page,
    render_pages,
)

__all__ = [
    "PAGE_KINDS",
    "Layout",
    "RenderedPage",
    "plain_name",
    "render_index",
    "render_page",
    "render_pages",
]
