"""The `privacy-pages` command: one subcommand per job, each in its own module.

A module listed here provides ``HELP`` (one line), ``add_arguments(parser)`` and
``run(args) -> int``. Exit codes: 0 clean, 1 problems found, 2 the run itself failed.
"""

from __future__ import annotations

import argparse
import errno
import importlib
import os
import sys
from collections.abc import Sequence

from privacy_pages import __version__
from privacy_pages.diagnostics import ExitCode

SUBCOMMANDS: dict[str, str] = {
    "check": "privacy_pages.cli.check",
    "rules": "privacy_pages.cli.rules",
    "build": "privacy_pages.cli.build",
    "export": "privacy_pages.cli.export",
    "generate": "privacy_pages.cli.generate",
    "migrate": "privacy_pages.cli.migrate",
    "audit": "privacy_audit.cli.audit",
    "portfolio": "privacy_audit.cli.portfolio",
    "suggest": "privacy_audit.cli.suggest",
    "init": "privacy_pages.cli.init",
}

NESTED: dict[tuple[str, str], str] = {
    ("audit", "diff"): "privacy_audit.cli.diff",
}
"""Commands under a command (``audit diff``), routed before the parent's own arguments."""

_OUTPUT_ERRORS = {errno.ENOSPC, errno.EDQUOT, errno.EIO, errno.EFBIG, errno.EBADF}

EXTRAS: dict[str, str] = {
    "build": "site",
    "export": "site",
    "generate": "site",
    "audit": "audit",
    "portfolio": "audit",
    "suggest": "audit",
}
"""Commands beyond `check`, and the extra (pyproject.toml) that installs what they need."""
_EXTRA_MODULES = {
    "mkdocs", "material", "jinja2", "markupsafe", "babel", "playwright",
    "duckduckgo_autoconsent", "publicsuffixlist",
}  # fmt: skip


class _Parser(argparse.ArgumentParser):
    """Bad options are one line and exit code 2, as argparse does, but never a traceback."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(ExitCode.FAILURE, f"{self.prog}: error: {message} (see --help)\n")


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The whole parser, or with ``only`` one subcommand's module imported (``check`` must
    not load the crawler package just to build the audit's options)."""
    parser = _Parser(
        prog="privacy-pages",
        description="Declare, check, render and audit a company's privacy information.",
    )
    parser.add_argument("--version", action="version", version=f"privacy-pages {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    subparsers.required = True
    for name, module_name in SUBCOMMANDS.items():
        if only is not None and name != only:
            subparsers.add_parser(name)
            continue
        try:
            module = importlib.import_module(module_name)
            if only is None:  # --help lists every command: can this one build its options?
                module.add_arguments(_Parser())
        except ModuleNotFoundError as error:
            if only is not None or (error.name or "").split(".")[0] not in _EXTRA_MODULES:
                raise
            # The slim install: list the command, say what installs it.
            extra = EXTRAS.get(name, "site,audit")
            subparsers.add_parser(name, help=f"(needs: pip install 'privacy-pages[{extra}]')")
            continue
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
    try:
        return _main(argv)
    except ModuleNotFoundError as error:
        # `pip install privacy-pages` is the slim install of `check`: a command needing an
        # extra says which, in one line.
        top = (error.name or "").split(".")[0]
        if top not in _EXTRA_MODULES:
            raise
        command = argv[0] if argv and argv[0] in SUBCOMMANDS else "privacy-pages"
        extra = EXTRAS.get(command, "site,audit")
        print(
            f"privacy-pages {command}: needs the '{extra}' extra ({top} is not installed): "
            f"pip install 'privacy-pages[{extra}]'",
            file=sys.stderr,
        )
        return ExitCode.FAILURE


def _main(argv: list[str]) -> int:
    words = tuple(argv[:2])
    if words in NESTED:
        parser = _nested_parser(words)  # type: ignore[arg-type]
        argv = argv[2:]
    else:
        parser = build_parser(only=argv[0] if argv and argv[0] in SUBCOMMANDS else None)
    args = parser.parse_args(argv)
    try:
        code = int(args.run(args))
        sys.stdout.flush()  # a full disk or a closed pipe shows here, not at interpreter exit
        return code
    except KeyboardInterrupt:
        print("privacy-pages: interrupted", file=sys.stderr)
        return ExitCode.INTERRUPTED
    except BrokenPipeError:
        _silence_stdout()
        return ExitCode.OK
    except OSError as error:
        # Commands report their own file errors; what reaches here is, in practice, standard
        # output on a full or broken device (`check > /dev/full`): one line, never a traceback.
        if error.filename is None and error.errno in _OUTPUT_ERRORS:
            _silence_stdout()
            what = f"cannot write to standard output: {error.strerror}"
        else:
            what = f"{error.filename}: {error.strerror}" if error.filename else str(error)
        print(f"privacy-pages: error: {what}", file=sys.stderr)
        return ExitCode.FAILURE


def _silence_stdout() -> None:
    """Point stdout at /dev/null so that the interpreter's final flush fails no more."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):  # stdout is not a real file (tests)
        pass
