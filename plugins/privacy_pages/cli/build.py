"""`privacy-pages build`: the MkDocs build of mkdocs.yml, for users who never open it.

Uses ./mkdocs.yml (or --config-file) when there is one, else a built-in site (Material with
the privacy-pages overrides, the pages of --content only). The site is built into a staging
folder that replaces --site-dir only when the build succeeded: a failed build leaves the
previous site whole.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

from privacy_pages import shipped
from privacy_pages.atomic import atomic_directory
from privacy_pages.diagnostics import ExitCode
from privacy_pages.rules.sources import parse_day
from privacy_pages.site.site_dir import UnsafeSiteDir, check_site_dir, mark_site_dir

HELP = "build the privacy, cookie and legal-notice pages of every controller as a static site"

PLUGIN_NAME = "privacy-pages"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--content",
        metavar="DIR",
        help="folder of controller files (default: the one mkdocs.yml names, or content/)",
    )
    parser.add_argument(
        "--site-dir",
        metavar="DIR",
        default=None,
        help="where to write the site (default: mkdocs.yml's site_dir, or site/)",
    )
    parser.add_argument(
        "--config-file",
        metavar="FILE",
        default=None,
        help="MkDocs configuration (default: ./mkdocs.yml if present)",
    )
    parser.add_argument(
        "--strict",
        action="store_true",
        help="fail on any warning (broken links, unknown anchors...)",
    )
    parser.add_argument(
        "--draft",
        action="store_true",
        help="publish controllers that `check` rejects as drafts (a notice naming the gaps on "
        "every page, noindex) instead of stopping; unreadable files are left out",
    )
    parser.add_argument(
        "--as-of",
        metavar="YYYY-MM-DD",
        help="check and write the pages for the law in force on this day (default: today)",
    )
    parser.add_argument("--quiet", action="store_true", help="print only warnings and errors")


def overrides_dir() -> Path:
    """The Material overrides: inside the wheel, or `site_overrides/` in a source checkout."""
    return shipped("site_overrides")


def _default_config(workdir: Path, content: Path) -> Path:
    """A minimal mkdocs.yml: the index of controllers is the home page."""
    docs = workdir / "docs"
    docs.mkdir()
    config = workdir / "mkdocs.yml"
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
        "markdown_extensions: [toc, attr_list, admonition]\n",
        encoding="utf-8",
    )
    return config


def _log_to_stderr(quiet: bool) -> logging.Handler:
    handler = logging.StreamHandler(sys.stderr)
    handler.setLevel(logging.WARNING if quiet else logging.INFO)
    handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    return handler


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
    """Build ``config_file`` atomically into ``site_dir``.

    Raises `ContentBuildError` when controller files are wrong, `UnsafeSiteDir` when the
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
    check_site_dir(target, keep=tuple(kept))
    if draft and PLUGIN_NAME in config.plugins:
        config.plugins[PLUGIN_NAME].config.draft = True
    if as_of is not None and PLUGIN_NAME in config.plugins:
        config.plugins[PLUGIN_NAME].config.as_of = as_of
    with atomic_directory(target) as staging:
        config.site_dir = str(staging)
        config.plugins.on_startup(command="build", dirty=False)
        try:
            build(config)
            mark_site_dir(staging)
        except Abort:
            site = getattr(config.plugins.get(PLUGIN_NAME), "site", None)
            if site is not None and (site.errors or site.missing_folder):
                raise ContentBuildError(site.error_report()) from None
            raise
        finally:
            config.plugins.on_shutdown()
    return target


def run(args: argparse.Namespace) -> int:
    from mkdocs.exceptions import Abort, ConfigurationError, PluginError

    if args.as_of is not None:
        try:
            parse_day(args.as_of)
        except ValueError as error:
            print(f"privacy-pages build: error: --as-of: {error}", file=sys.stderr)
            return ExitCode.FAILURE
    handler = _log_to_stderr(args.quiet)
    try:
        with tempfile.TemporaryDirectory(prefix="privacy-pages-build.") as tmp:
            config_file = Path(args.config_file) if args.config_file else Path("mkdocs.yml")
            content = Path(args.content) if args.content else None
            site_dir: Path | None
            if args.config_file and not config_file.is_file():
                print(f"privacy-pages build: {config_file}: no such file", file=sys.stderr)
                return ExitCode.FAILURE
            if not config_file.is_file():
                content = content or Path("content")
                config_file = _default_config(Path(tmp), content)
                site_dir = Path(args.site_dir or "site").resolve()
            else:
                site_dir = Path(args.site_dir).resolve() if args.site_dir else None
            if content is not None and not content.is_dir():
                print(f"privacy-pages build: {content}: no such folder", file=sys.stderr)
                return ExitCode.FAILURE
            target = build_site(
                config_file,
                site_dir,
                content=content,
                strict=args.strict,
                draft=args.draft,
                as_of=args.as_of,
            )
    except ContentBuildError:
        return ExitCode.FINDINGS
    except UnsafeSiteDir as error:
        print(f"privacy-pages build: error: {error}", file=sys.stderr)
        return ExitCode.FAILURE
    except PluginError as error:
        print(str(error), file=sys.stderr)
        return ExitCode.FINDINGS
    except (Abort, ConfigurationError) as error:
        print(f"privacy-pages build: {error}", file=sys.stderr)
        return ExitCode.FAILURE
    except OSError as error:
        print(f"privacy-pages build: {error}", file=sys.stderr)
        return ExitCode.FAILURE
    finally:
        logging.getLogger("mkdocs").removeHandler(handler)
    print(f"privacy-pages build: site written to {target}")
    return ExitCode.OK
