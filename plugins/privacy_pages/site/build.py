"""The MkDocs build behind `privacy-pages build`, for users who never open mkdocs.yml.

Uses a project's mkdocs.yml when there is one, else a built-in site (Material with the
privacy-pages overrides, the pages of one content folder only). The site is built into a
staging folder that replaces the site folder only when the build succeeded: a failed build
leaves the previous site whole. `cli/build.py` turns the command line into these calls.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from privacy_pages import shipped
from privacy_pages.atomic import atomic_directory, temporary_folder
from privacy_pages.config import find_config
from privacy_pages.site.site_dir import SITE_FOLDER

PLUGIN_NAME = "privacy-pages"


def overrides_dir() -> Path:
    """The Material overrides: inside the wheel, or `site_overrides/` in a source checkout."""
    return shipped("site_overrides")


def default_config(workdir: Path, content: Path, project: Path | None = None) -> Path:
    """A minimal mkdocs.yml in ``workdir`` (a new folder): the index of controllers is the
    home page, the pages those of ``content``, the rules as ``project`` (the project
    configuration file, found from the working folder) sets them."""
    docs = workdir / "docs"
    docs.mkdir()
    config = workdir / "mkdocs.yml"
    project_line = f"      config_file: {str(project.resolve())!r}\n" if project else ""
    config.write_text(
        "site_name: Privacy pages\n"
        "docs_dir: docs\n"
        "theme:\n"
        "  name: material\n"
        f"  custom_dir: {str(overrides_dir())!r}\n"
        "  font: false\n"
        "  features: [navigation.footer]\n"
        "plugins:\n"
        "  - search\n"
        f"  - {PLUGIN_NAME}:\n"
        f"      content_dir: {str(content.resolve())!r}\n"
        "      url_prefix: ''\n"
        f"{project_line}"
        "markdown_extensions: [toc, attr_list, admonition]\n",
        encoding="utf-8",
    )
    return config


class BuildError(Exception):
    """A path given to the build does not exist; ``str(error)`` is one line."""


class ContentBuildError(Exception):
    """The build stopped on errors in the controller files (MkDocs has logged them)."""


def build_site(
    config_file: Path,
    site_dir: Path | None,
    *,
    content: Path | None = None,
    strict: bool = False,
    draft: bool = False,
    as_of: str | None = None,
) -> Path:
    """Build ``config_file`` atomically into ``site_dir`` (``as_of``: the law of that day).

    Raises `ContentBuildError` when controller files are wrong, `NotOurFolder` when the
    target holds files no build of ours wrote; MkDocs' own exceptions otherwise propagate.
    On any failure the previous ``site_dir`` is left as it was.
    """
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort

    config: Any = load_config(config_file=str(config_file), strict=strict)
    target = Path(site_dir) if site_dir else Path(config.site_dir)
    if content is not None and PLUGIN_NAME in config.plugins:
        config.plugins[PLUGIN_NAME].config.content_dir = str(content.resolve())
    kept = [Path(config_file), Path(config.docs_dir)]
    if PLUGIN_NAME in config.plugins:
        base = Path(config_file).resolve().parent
        kept.append(base / config.plugins[PLUGIN_NAME].config.content_dir)
    SITE_FOLDER.check(target, keep=kept)
    if draft and PLUGIN_NAME in config.plugins:
        config.plugins[PLUGIN_NAME].config.draft = True
    if as_of is not None and PLUGIN_NAME in config.plugins:
        config.plugins[PLUGIN_NAME].config.as_of = as_of
    with atomic_directory(target) as staging:
        config.site_dir = str(staging)
        config.plugins.on_startup(command="build", dirty=False)
        try:
            build(config)
            SITE_FOLDER.mark(staging)
        except Abort:
            site = getattr(config.plugins.get(PLUGIN_NAME), "site", None)
            if site is not None and (site.errors or site.missing_folder):
                raise ContentBuildError(site.error_report()) from None
            raise
        finally:
            config.plugins.on_shutdown()
    return target


def build_project(
    *,
    config_file: Path | None = None,
    content: Path | None = None,
    site_dir: Path | None = None,
    strict: bool = False,
    draft: bool = False,
    as_of: str | None = None,
) -> Path:
    """Build ``config_file`` (default ./mkdocs.yml when there is one, else the built-in site
    of ``content``, default content/) into ``site_dir``; returns the site folder.

    Raises `BuildError` for a missing file or folder, and what `build_site` raises.
    """
    if config_file is not None and not config_file.is_file():
        raise BuildError(f"{config_file}: no such file")
    config_file = config_file or Path("mkdocs.yml")
    with temporary_folder("build") as tmp:
        if not config_file.is_file():
            content = content or Path("content")
            config_file = default_config(Path(tmp), content, find_config(Path.cwd()))
            site_dir = (site_dir or Path("site")).resolve()
        elif site_dir is not None:
            site_dir = site_dir.resolve()
        if content is not None and not content.is_dir():
            raise BuildError(f"{content}: no such folder")
        return build_site(
            config_file, site_dir, content=content, strict=strict, draft=draft, as_of=as_of
        )
