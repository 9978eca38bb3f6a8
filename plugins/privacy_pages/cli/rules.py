"""`privacy-pages rules`: the rule reference, from the rules' own documentation, with the
legal sources each enforces; `--sources` lists the registry of sources itself."""

from __future__ import annotations

import argparse
import json
import sys

from privacy_pages.diagnostics import ExitCode
from privacy_pages.rules import REGISTRY
from privacy_pages.rules.reference import (
    SECTIONS,
    citation_json,
    markdown_reference,
    source_json,
    sources_line,
    sources_table,
    text_reference,
    text_sources,
)
from privacy_pages.rules.sources import SOURCES

HELP = "list the rules of `check` and `audit` with their documentation and legal sources"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "rules", nargs="*", metavar="RULE", help="IDs, names or prefixes (default: all)"
    )
    parser.add_argument("--format", choices=["text", "markdown", "json"], default="text")
    parser.add_argument(
        "--scope",
        choices=["all", "check", "audit"],
        default="all",
        help="the rules of one command (markdown: the reference page of `check` by default)",
    )
    parser.add_argument(
        "--sources",
        action="store_true",
        help="list the legal sources the rules cite: kind, dates in force, last review",
    )


def _run_sources(fmt: str) -> int:
    if fmt == "json":
        data = [source_json(s, REGISTRY) for s in SOURCES]
        sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    elif fmt == "markdown":
        sys.stdout.write("\n".join(sources_table(SOURCES, REGISTRY)))
    else:
        sys.stdout.write(text_sources(SOURCES, REGISTRY))
    return ExitCode.OK


def run(args: argparse.Namespace) -> int:
    if args.sources:
        if args.rules:
            print(
                "privacy-pages rules: error: --sources lists every source; give no RULE",
                file=sys.stderr,
            )
            return ExitCode.FAILURE
        return _run_sources(args.format)
    try:
        chosen = REGISTRY.select(args.rules) if args.rules else {r.id for r in REGISTRY}
    except KeyError as error:
        print(f"privacy-pages rules: error: unknown rule {error.args[0]!r}", file=sys.stderr)
        return ExitCode.FAILURE
    rules = [r for r in REGISTRY if r.id in chosen and args.scope in ("all", r.scope)]
    if args.format == "markdown":
        sys.stdout.write(
            markdown_reference(REGISTRY, "check" if args.scope == "all" else args.scope)
            if not args.rules
            else "".join(
                f"## {r.id} {r.name}\n\n"
                + "\n".join(f"**{s}.** {r.section(s)}\n" for s in SECTIONS)
                + (f"\n**Sources.** {sources_line(r)}.\n" if r.citations else "")
                + "\n"
                for r in rules
            )
        )
    elif args.format == "json":
        data = [
            {
                "id": r.id,
                "name": r.name,
                "severity": r.severity.label,
                "family": r.family,
                "scope": r.scope,
                "status": r.lifecycle.status,
                "since": r.lifecycle.since,
                "deprecated": r.lifecycle.deprecated or None,
                "removed": r.lifecycle.removed or None,
                **{s.lower().replace(" ", "_"): r.section(s) for s in SECTIONS},
                "sources": [citation_json(c) for c in r.citations],
                "level_reason": r.level_reason,
                "options": {o.name: o.default for o in r.options},
            }
            for r in rules
        ]
        sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    else:
        sys.stdout.write(text_reference(rules))
    return ExitCode.OK
