"""`privacy-pages generate`: every controller's pages as Markdown in a docs folder, for site
generators that do not run MkDocs plugins (Zensical, MkDocs 2) or for sites that prefer files.

Reads ./mkdocs.yml (or --config-file) when there is one, for ``use_directory_urls``, the
theme's language, and to say which lines the site still lacks (``extra_css``,
``markdown_extensions``); MkDocs itself is not needed.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

import yaml

from privacy_pages.config import ConfigError, page_check_options
from privacy_pages.diagnostics import ExitCode
from privacy_pages.site.generate import (
    REQUIRED_EXTENSIONS,
    GenerateError,
    UnpublishedContent,
    check_prefix,
    generate,
)

HELP = (
    "write every controller's pages as Markdown into a docs folder, for any MkDocs-compatible "
    "site generator (Zensical...)"
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--into", metavar="DOCS_DIR", required=True, help="the site's docs folder (docs_dir)"
    )
    parser.add_argument(
        "--url-prefix",
        metavar="PREFIX",
        default="clients",
        help="folder of the docs folder the pages go under (default: clients)",
    )
    parser.add_argument(
        "--content", metavar="DIR", default="content", help="controller files (default: content/)"
    )
    parser.add_argument(
        "--config-file",
        metavar="FILE",
        default=None,
        help="the site's mkdocs.yml (default: ./mkdocs.yml if present), read for "
        "use_directory_urls, theme.language and the lines it lacks",
    )
    parser.add_argument(
        "--no-directory-urls",
        action="store_true",
        help="link pages as page.html, as a site with use_directory_urls: false serves them",
    )
    parser.add_argument(
        "--lang", metavar="LANG[,LANG]", default=None, help="only these languages (default: all)"
    )
    parser.add_argument(
        "--index-language",
        metavar="LANG",
        default=None,
        help="language of the index of controllers (default: the theme's, else en)",
    )
    parser.add_argument(
        "--search",
        action="store_true",
        help="let the site search index the client pages (default: excluded)",
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
    parser.add_argument(
        "--config",
        metavar="FILE",
        help="project configuration (default: .privacy-pages.yaml here or in a parent folder)",
    )


class _TolerantLoader(yaml.SafeLoader):
    """mkdocs.yml may hold tags (``!ENV``, ``!!python/name:``) only MkDocs resolves."""


_TolerantLoader.add_multi_constructor("", lambda loader, suffix, node: None)
_TolerantLoader.add_multi_constructor(
    "tag:yaml.org,2002:python/", lambda loader, suffix, node: None
)


def _read_config(path: Path) -> dict[str, Any]:
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_TolerantLoader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        raise GenerateError(f"privacy-pages generate: {path}: cannot read it ({error})") from None
    return data if isinstance(data, dict) else {}


def _names(entries: Any) -> set[str]:
    """Extension names of a ``markdown_extensions`` list (strings or one-key mappings)."""
    names = set()
    for entry in entries if isinstance(entries, list) else []:
        name = next(iter(entry), "") if isinstance(entry, dict) else entry
        names.add(str(name).rsplit(".", 1)[-1])
    return names


def run(args: argparse.Namespace) -> int:
    config_file = Path(args.config_file) if args.config_file else Path("mkdocs.yml")
    try:
        options = page_check_options(args.as_of, args.config)
    except ConfigError as error:
        print(f"privacy-pages generate: error: {error}", file=sys.stderr)
        return ExitCode.FAILURE
    try:
        check_prefix(args.url_prefix)
        if args.config_file and not config_file.is_file():
            raise GenerateError(f"privacy-pages generate: {config_file}: no such file")
        config = _read_config(config_file) if config_file.is_file() else {}
        theme = config.get("theme") if isinstance(config.get("theme"), dict) else {}
        directory_urls = bool(config.get("use_directory_urls", True)) and not args.no_directory_urls
        languages = [x.strip() for x in args.lang.split(",")] if args.lang else None
        result = generate(
            Path(args.content),
            Path(args.into),
            prefix=args.url_prefix,
            directory_urls=directory_urls,
            draft=args.draft,
            languages=languages,
            index_lang=args.index_language or str(theme.get("language") or "en"),
            search=args.search,
            options=options,
        )
    except UnpublishedContent as error:
        print(str(error), file=sys.stderr)
        return ExitCode.FINDINGS
    except GenerateError as error:
        print(str(error), file=sys.stderr)
        return ExitCode.FAILURE
    except OSError as error:
        print(f"privacy-pages generate: {error}", file=sys.stderr)
        return ExitCode.FAILURE
    site = result.site
    removed = f", {len(result.removed)} old file(s) removed" if result.removed else ""
    print(
        f"privacy-pages generate: {len(site.pages)} pages of {len(site.controllers)} "
        f"controller(s) written into {result.folder}{removed}"
    )
    if site.drafts:
        print(f"published as drafts (marked, noindex): {', '.join(sorted(site.drafts))}")
    for problem in site.skipped:
        print(f"left out: {problem.location}: {problem.rule} {problem.message}", file=sys.stderr)
    print(_lines_to_add(config, config_file, result.stylesheet))
    return ExitCode.OK


def _lines_to_add(config: dict[str, Any], config_file: Path, stylesheet: str) -> str:
    """The mkdocs.yml (or zensical.toml) lines the site needs and does not have yet."""
    has_css = stylesheet in (config.get("extra_css") or [])
    missing = [e for e in REQUIRED_EXTENSIONS if e not in _names(config.get("markdown_extensions"))]
    if config and has_css and not missing:
        return f"{config_file} already loads the stylesheet and the Markdown extensions needed"
    where = config_file if config else "mkdocs.yml"
    lines = [f"add to {where} (Zensical reads it too):"]
    if not has_css:
        lines += ["extra_css:", f"  - {stylesheet}"]
    if missing or not config:
        lines += [
            "markdown_extensions:",
            *(f"  - {name}" for name in missing or REQUIRED_EXTENSIONS),
        ]
    return "\n".join(lines)
