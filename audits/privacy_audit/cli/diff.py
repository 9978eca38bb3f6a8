"""`privacy-pages audit diff OLD NEW`: what changed between two audits of one site.

OLD and NEW are report folders, ``report.json`` files, or a controller's folder of dated
runs (its latest run). Audits of a controller with several websites compare site by site. Exit codes: 0 NEW is not worse, 3 NEW has new error findings,
2 a report could not be read.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from privacy_audit.history.diff import (
    AuditDiff,
    DiffInputError,
    compare,
    format_text,
    load_report,
    site_reports,
    snapshot,
)
from privacy_pages.diagnostics import ExitCode, printable

HELP = "what changed between two audits: cookies, storage, third parties, findings"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("old", metavar="OLD", help="the earlier report (folder or report.json)")
    parser.add_argument("new", metavar="NEW", help="the later report (folder or report.json)")
    parser.add_argument(
        "--format", choices=("text", "json"), default="text", help="output format (default text)"
    )


def run(args: argparse.Namespace) -> int:
    try:
        old_sites, new_sites = site_reports(args.old), site_reports(args.new)
        if old_sites is not None or new_sites is not None:
            return _run_sites(args, old_sites, new_sites)
        result = _compare(args.old, args.new)
    except DiffInputError as error:
        print(f"privacy-pages audit diff: error: {printable(str(error))}", file=sys.stderr)
        return ExitCode.FAILURE
    if args.format == "json":
        sys.stdout.write(json.dumps(result.to_dict(), indent=2, ensure_ascii=False) + "\n")
    else:
        sys.stdout.write(format_text(result))
    return ExitCode.WORSE if result.worse else ExitCode.OK


def _compare(old_path: str | Path, new_path: str | Path) -> AuditDiff:
    old, old_label = load_report(old_path)
    new, new_label = load_report(new_path)
    return compare(snapshot(old), snapshot(new), old_label, new_label)


def _run_sites(
    args: argparse.Namespace, old: dict[str, Path] | None, new: dict[str, Path] | None
) -> int:
    """Audits of a controller with several websites: compared site by site, by URL.

    A site present on one side only is listed as such; NEW is worse when any site is.
    """
    old = old if old is not None else _one_site(args.old)
    new = new if new is not None else _one_site(args.new)
    diffs = {url: _compare(old[url], new[url]) for url in old if url in new}
    only = {url: "old" for url in old if url not in new}
    only.update({url: "new" for url in new if url not in old})
    worse = any(diff.worse for diff in diffs.values())
    if args.format == "json":
        document = {
            "worse": worse,
            "sites": {url: diff.to_dict() for url, diff in diffs.items()},
            "only_in": only,
        }
        sys.stdout.write(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
    else:
        for url, diff in diffs.items():
            sys.stdout.write(f"site {printable(url)}:\n" + format_text(diff))
        for url, side in only.items():
            sys.stdout.write(f"site {printable(url)}: only in the {side} audit\n")
    return ExitCode.WORSE if worse else ExitCode.OK


def _one_site(path: str | Path) -> dict[str, Path]:
    """A report of one site, keyed by the URL it audited, to compare with a several-site one."""
    report, _ = load_report(path)
    file = Path(path) / "report.json" if Path(path).is_dir() else Path(path)
    return {str(report.get("target_url") or ""): file}
