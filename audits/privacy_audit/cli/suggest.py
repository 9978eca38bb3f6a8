"""`privacy-pages suggest REPORT CONTROLLER.yaml`: declare what the audit saw undeclared.

Prints a unified diff of the controller file; ``--write`` applies it (atomically, keeping
comments, key order and quoting). Exit codes: 0 nothing to declare or written, 1 a diff
was printed and not applied, 2 bad input.
"""

from __future__ import annotations

import argparse
import os
import stat
import sys
from pathlib import Path

from privacy_pages.atomic import write_text_atomic
from privacy_pages.diagnostics import ExitCode

HELP = "declare what an audit saw: a unified diff for the controller file (--write applies it)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("report", metavar="REPORT", help="audit report folder or report.json")
    parser.add_argument("controller", metavar="CONTROLLER.yaml", help="the file to complete")
    parser.add_argument("--write", action="store_true", help="apply the change to the file")
    parser.add_argument(
        "--knowledge-base",
        action="append",
        default=[],
        metavar="CSV",
        help="Open Cookie Database CSV naming providers and categories; repeatable",
    )


def run(args: argparse.Namespace) -> int:
    from privacy_audit.history.diff import DiffInputError, load_report
    from privacy_audit.portfolio.suggest import (
        SuggestError,
        apply,
        read_controller_text,
        suggestions,
        unified_diff,
    )
    from privacy_pages.model.content import ContentError, require_controller
    from privacy_pages.model.knowledge import KnowledgeError, load_knowledge

    path = Path(args.controller)
    try:
        report, _ = load_report(args.report)
        text = read_controller_text(path)
        data = require_controller(path).data or {}
        knowledge = load_knowledge(args.knowledge_base)
        entries = suggestions(report, data, knowledge)
        if not entries:
            print(f"{path}: nothing to declare: the audit saw no undeclared cookie or storage key")
            return ExitCode.OK
        updated = apply(text, entries, str(path))
    except ContentError as error:
        return _fail(f"{error}\n{path}: fix the file first (privacy-pages check)")
    except (DiffInputError, SuggestError, KnowledgeError) as error:
        return _fail(str(error))
    sys.stdout.write(unified_diff(text, updated, str(path)))
    todos = sum(1 for e in entries for v in e.entry.values() if str(v).startswith("TODO"))
    names = ", ".join(e.name for e in entries)
    if args.write:
        mode = stat.S_IMODE(path.stat().st_mode)
        write_text_atomic(path, updated)
        os.chmod(path, mode)  # the temporary file was private; keep the file's own mode
        print(
            f"{path}: declared {len(entries)} tracker(s): {names}; {todos} TODO(s) left for a "
            "person (privacy-pages check lists them)",
            file=sys.stderr,
        )
        return ExitCode.OK
    print(f"{path}: {len(entries)} tracker(s) to declare; --write applies it", file=sys.stderr)
    return ExitCode.FINDINGS


def _fail(message: str) -> int:
    for line in message.splitlines():
        print(f"privacy-pages suggest: error: {line}", file=sys.stderr)
    return ExitCode.FAILURE
