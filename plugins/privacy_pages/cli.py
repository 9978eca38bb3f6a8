"""The `privacy-pages` command: one subcommand per job, each in its own module.

A module listed here provides ``HELP`` (one line), ``add_arguments(parser)`` and
``run(args) -> int``. Exit codes: 0 clean, 1 problems found, 2 the run itself failed.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from . import __version__

SUBCOMMANDS: dict[str, str] = {
    "check": "privacy_pages.check_command",
    "rules": "privacy_pages.rules_command",
    "build": "privacy_pages.build_command",
    "export": "privacy_pages.export_command",
    "audit": "privacy_audit.cli",
    "portfolio": "privacy_audit.portfolio_command",
    "suggest": "privacy_audit.suggest_command",
    "init": "privacy_pages.init_command",
}

NESTED: dict[tuple[str, str], str] = {
    ("audit", "diff"): "privacy_audit.diff_command",
}
"""Commands under a command (``audit diff``), routed before the parent's own arguments."""

EXIT_OK, EXIT_FINDINGS, EXIT_FAILURE = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    """Bad options are one line and exit code 2, as argparse does, but never a traceback."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(EXIT_FAILURE, f"{self.prog}: error: {message} (see --help)\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="privacy-pages",
        description="Declare, check, render and audit a company's privacy information.",
    )
    parser.add_argument("--version", action="version", version=f"privacy-pages {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    subparsers.required = True
    for name, module_name in SUBCOMMANDS.items():
        module = importlib.import_module(module_name)
        sub = subparsers.add_parser(
            name, help=module.HELP, description=module.HELP, epilog=getattr(module, "EPILOG", None)
        )
        module.add_arguments(sub)
        sub.set_defaults(run=module.run)
    return parser


def _nested_parser(words: tuple[str, str]) -> argparse.ArgumentParser:
    module = importlib.import_module(NESTED[words])
    parser = _Parser(prog=f"privacy-pages {' '.join(words)}", description=module.HELP)
    module.add_arguments(parser)
    parser.set_defaults(run=module.run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    words = tuple(argv[:2])
    if words in NESTED:
        parser = _nested_parser(words)  # type: ignore[arg-type]
        argv = argv[2:]
    else:
        parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.run(args))
    except KeyboardInterrupt:
        print("privacy-pages: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
