"""`privacy-pages rules`: the rule reference, from the rules' own documentation."""

from __future__ import annotations

import argparse
import json
import sys

from privacy_pages.diagnostics import ExitCode
from privacy_pages.rules import REGISTRY
from privacy_pages.rules.reference import SECTIONS, markdown_reference, text_reference

HELP = "list the rules of `check` and `audit` with their documentation"


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


def run(args: argparse.Namespace) -> int:
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
                "options": {o.name: o.default for o in r.options},
            }
            for r in rules
        ]
        sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    else:
        sys.stdout.write(text_reference(rules))
    return ExitCode.OK
