"""`privacy-pages suggest REPORT CONTROLLER.yaml`: declare what the audit saw undeclared.

Prints a unified diff of the controller file; ``--write`` applies it: lines are only added
(line endings, indentation, byte-order mark, anchors and end markers stay), the file is
replaced atomically with its mode, and a read-only file or one changed since it was read
is refused. Exit codes: 0 nothing to declare or written, 1 a diff was printed and not
applied, 2 bad input.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from privacy_pages.diagnostics import ExitCode, printable

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
        decode_controller,
        read_controller_bytes,
        refuse_read_only,
        suggestions,
        unified_diff,
        write_unless_changed,
    )
    from privacy_pages.model.content import ContentError, require_controller
    from privacy_pages.model.knowledge import KnowledgeError, load_knowledge

    path = Path(args.controller)
    try:
        report, _ = load_report(args.report)
        raw = read_controller_bytes(path)
        text = decode_controller(raw, path)
        data = require_controller(path).data or {}
        knowledge = load_knowledge(args.knowledge_base)
        entries = suggestions(report, data, knowledge)
        if not entries:
            nothing = "nothing to declare: the audit saw no undeclared cookie or storage key"
            print(f"{_shown(path)}: {nothing}")
            return ExitCode.OK
        updated = apply(text, entries, _shown(path))
        if args.write:
            refuse_read_only(path)
    except ContentError as error:
        return _fail(f"{error}\n{_shown(path)}: fix the file first (privacy-pages check)")
    except (DiffInputError, SuggestError, KnowledgeError) as error:
        return _fail(str(error))
    sys.stdout.write(_printable_lines(unified_diff(text, updated, str(path))))
    todos = sum(1 for e in entries for v in e.entry.values() if str(v).startswith("TODO"))
    names = printable(", ".join(e.name for e in entries))
    if args.write:
        try:
            write_unless_changed(path, raw, updated.encode("utf-8"))
        except SuggestError as error:
            return _fail(str(error))
        print(
            f"{_shown(path)}: declared {len(entries)} tracker(s): {names}; {todos} TODO(s) left "
            "for a person (privacy-pages check lists them)",
            file=sys.stderr,
        )
        return ExitCode.OK
    print(
        f"{_shown(path)}: {len(entries)} tracker(s) to declare; --write applies it",
        file=sys.stderr,
    )
    return ExitCode.FINDINGS


def _shown(path: Path) -> str:
    return printable(str(path))


def _printable_lines(text: str) -> str:
    """``text`` with every control character escaped, line breaks kept."""
    return "".join(printable(line.rstrip("\n")) + "\n" for line in text.splitlines(True))


def _fail(message: str) -> int:
    for line in message.splitlines():
        print(f"privacy-pages suggest: error: {printable(line)}", file=sys.stderr)
    return ExitCode.FAILURE
