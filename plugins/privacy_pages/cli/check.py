"""`privacy-pages check`: validate and lint controller files, report in the chosen format."""

from __future__ import annotations

import argparse
import datetime
import math
import sys
from pathlib import Path

from privacy_pages.atomic import write_text_atomic
from privacy_pages.check import CheckOptions, run_check
from privacy_pages.config import ConfigError, project_config
from privacy_pages.diagnostics import ExitCode, Severity, printable
from privacy_pages.reporters import REPORTERS, ReportContext
from privacy_pages.rules import REGISTRY
from privacy_pages.rules.registry import RemovedRule
from privacy_pages.rules.sources import parse_day

HELP = (
    "validate controller files and lint them against GDPR, the French legal notice and cookie rules"
)
DEFAULT_PATHS = ["content"]


class _OptionError(Exception):
    """A bad option value; the message is one line."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "paths", nargs="*", metavar="PATH", help="controller files or folders (default: content/)"
    )
    parser.add_argument(
        "--format",
        "-f",
        choices=sorted(REPORTERS),
        default="text",
        help="output format: "
        + "; ".join(f"{name}: {cls.description}" for name, cls in sorted(REPORTERS.items())),
    )
    parser.add_argument(
        "--output",
        "-o",
        metavar="FILE",
        help="write the report to FILE (atomically) instead of standard output",
    )
    parser.add_argument(
        "--select",
        action="append",
        default=[],
        metavar="RULES",
        help="only these rules: IDs, names or prefixes, comma-separated (PN,CK001)",
    )
    parser.add_argument(
        "--ignore",
        action="append",
        default=[],
        metavar="RULES",
        help="skip these rules: IDs, names or prefixes, comma-separated",
    )
    parser.add_argument(
        "--severity",
        action="append",
        default=[],
        metavar="RULE=LEVEL",
        help="override a rule's severity (error, warning, info), e.g. PN007=error",
    )
    parser.add_argument(
        "--as-of",
        metavar="YYYY-MM-DD",
        help="check against the law in force on this day (default: today); "
        "`privacy-pages rules --sources` lists the dated sources",
    )
    parser.add_argument("--strict", action="store_true", help="warnings make the run fail too")
    parser.add_argument(
        "--color",
        choices=["auto", "always", "never"],
        default="auto",
        help="colour in text output (default: when writing to a terminal)",
    )
    parser.add_argument(
        "--config",
        metavar="FILE",
        help="project configuration (default: .privacy-pages.yaml here or in a parent folder)",
    )
    parser.add_argument(
        "--max-file-size",
        type=float,
        default=5.0,
        metavar="MIB",
        help="largest controller file to read, in MiB (default: 5)",
    )


def _rule_set(values: list[str], option: str) -> frozenset[str]:
    keys = [key for value in values for key in value.split(",") if key.strip()]
    try:
        return frozenset(REGISTRY.select(keys))
    except RemovedRule as error:
        raise _OptionError(f"{option}: {error}") from None
    except KeyError as error:
        raise _OptionError(
            f"{option}: unknown rule {error.args[0]!r}; `privacy-pages rules` lists them"
        ) from None


def _severities(values: list[str]) -> dict[str, Severity]:
    try:
        return REGISTRY.scoped("check").parse_severities(values)
    except ValueError as error:
        raise _OptionError(f"--severity: {error}") from None


MAX_FILE_SIZE_MIB = 1024


def options_from_args(args: argparse.Namespace) -> CheckOptions:
    size = args.max_file_size
    if not math.isfinite(size) or not 0 < size <= MAX_FILE_SIZE_MIB:
        raise _OptionError(
            f"--max-file-size {size}: give a number of MiB above 0 and at most {MAX_FILE_SIZE_MIB}"
        )
    try:
        config = project_config(Path.cwd(), Path(args.config) if args.config else None)
    except ConfigError as error:
        raise _OptionError(str(error)) from None
    return config.check_options(
        select=_rule_set(args.select, "--select") if args.select else None,
        ignore=_rule_set(args.ignore, "--ignore"),
        severities=_severities(args.severity),
        max_bytes=int(args.max_file_size * 1024 * 1024),
        as_of=_as_of(args.as_of),
    )


def _as_of(value: str | None) -> datetime.date | None:
    """``--as-of`` as a day; a bad date is one line (an ``_OptionError``)."""
    if value is None:
        return None
    try:
        return parse_day(value)
    except ValueError as error:
        raise _OptionError(f"--as-of: {error}") from None


def run(args: argparse.Namespace) -> int:
    try:
        options = options_from_args(args)
    except _OptionError as error:
        print(f"privacy-pages check: error: {error}", file=sys.stderr)
        return ExitCode.FAILURE
    result = run_check(args.paths or DEFAULT_PATHS, options)
    if not result.files and not result.failures:
        result.failures.append(
            f"no controller files (*.yaml, *.yml) in {', '.join(args.paths or DEFAULT_PATHS)}"
        )
    color = args.color == "always" or (
        args.color == "auto" and args.output is None and sys.stdout.isatty()
    )
    context = ReportContext(result=result, strict=args.strict, color=color)
    text = REPORTERS[args.format]().render(context)
    if args.output:
        try:
            write_text_atomic(args.output, text)
        except OSError as error:
            print(
                f"privacy-pages check: error: cannot write {args.output}: {error.strerror}",
                file=sys.stderr,
            )
            return ExitCode.FAILURE
    else:
        sys.stdout.write(text)
    if result.failures and args.format != "text":
        for failure in result.failures:
            print(f"privacy-pages check: error: {printable(failure)}", file=sys.stderr)
    return context.exit_code
