"""The folder `privacy-pages build` (and `mkdocs build` with the plugin) replaces whole.

The rule, new, empty or marked as ours, is `privacy_pages.owned`, the same for the
portfolio and the audit's reports; this module names the site folder's marker.
"""

from __future__ import annotations

from privacy_pages.owned import OwnedFolder

SITE_FOLDER = OwnedFolder(
    marker=".privacy-pages-site",
    command="privacy-pages build",
    noun="site folder",
    example="site/",
)
MARKER = SITE_FOLDER.marker
