"""`privacy-pages audit`: collect in a real Chromium, inspect against the YAML, write reports.

Exit codes: 0 no error finding, 1 error findings, 2 the audit could not run (bad input, no
browser, no page of the site could be loaded). Playwright is imported only when an audit
runs: the CLI imports this module to build its --help.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
from collections.abc import Mapping
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

from privacy_pages.atomic import atomic_directory
from privacy_pages.diagnostics import Severity

from .audit_all import PortfolioUsageError, check_webhook
from .settings import AuditSettings, SettingsError, parse_resolve

HELP = (
    "audit a live site in a real Chromium: cookies before consent, after refusal, after acceptance"
)

EPILOG = (
    "privacy-pages audit diff OLD NEW: what changed between two audits. "
    "Exit codes: 0 no error finding, 1 error findings, 2 the audit could not run, "
    "3 a client got worse than its previous run (new error findings)."
)
EXIT_OK, EXIT_FINDINGS, EXIT_FAILURE = 0, 1, 2
DEFAULT_OUT = "audit-report"
DEFAULT_FORMATS = "html,json,junit"
OBSERVATIONS_FILE = "observations.json"


class UsageError(Exception):
    """Bad input: one line, exit code 2."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "controller",
        nargs="?",
        metavar="CONTROLLER.yaml",
        help="the controller whose site to audit (its `website` is the default URL)",
    )
    parser.add_argument("--url", help="page to start from (default: the controller's website)")
    parser.add_argument(
        "--pages",
        type=int,
        default=10,
        metavar="N",
        help="same-site pages to visit per phase, from links and sitemap.xml (default 10)",
    )
    parser.add_argument(
        "--out",
        default=None,
        metavar="DIR",
        help=f"report folder, replaced whole when the audit succeeds (default {DEFAULT_OUT}/)",
    )
    parser.add_argument(
        "--format",
        default=DEFAULT_FORMATS,
        metavar="LIST",
        help=f"reports to write, comma-separated: html, json, junit (default {DEFAULT_FORMATS})",
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=30.0,
        metavar="S",
        help="seconds one page may take, load, banner, choice and reads included (default 30)",
    )
    parser.add_argument(
        "--budget",
        type=float,
        default=600.0,
        metavar="S",
        help="seconds for the whole audit, all phases (default 600)",
    )
    parser.add_argument(
        "--concurrency",
        type=int,
        default=2,
        metavar="N",
        help="pages loaded in parallel within a phase (default 2)",
    )
    parser.add_argument(
        "--resolve",
        action="append",
        default=[],
        metavar="HOST=IP",
        help="send HOST to IP (audit a staging server under its real name); repeatable",
    )
    parser.add_argument(
        "--ignore-https-errors",
        action="store_true",
        help="accept invalid TLS certificates (staging servers, tests)",
    )
    parser.add_argument(
        "--browser",
        metavar="PATH",
        help="Chromium to drive (default: $PRIVACY_PAGES_CHROMIUM, Playwright's, the system's)",
    )
    parser.add_argument(
        "--knowledge-base",
        action="append",
        default=[],
        metavar="CSV",
        help="Open Cookie Database CSV (path or URL) naming known cookies; repeatable",
    )
    parser.add_argument(
        "--serve",
        metavar="DIR",
        help="serve this static folder on 127.0.0.1 and audit it (demo, local builds)",
    )
    parser.add_argument(
        "--all",
        metavar="CONTENT_DIR",
        dest="all_dir",
        help="audit every controller with a website, each into <out>/<id>/<UTC time>/",
    )
    parser.add_argument(
        "--severity",
        action="append",
        default=[],
        metavar="RULE=LEVEL",
        help="override a rule's severity (error, warning, info), e.g. DC02=warning; repeatable",
    )
    parser.add_argument(
        "--consent-wait",
        type=float,
        default=None,
        metavar="S",
        help="seconds, at most, to look for the consent banner on the landing page "
        f"(default {AuditSettings.consent_wait:g}; ends as soon as it is found)",
    )
    parser.add_argument(
        "--settle",
        type=float,
        default=None,
        metavar="S",
        help="seconds, at most, for late scripts and beacons after each load "
        f"(default {AuditSettings.settle:g}; ends once the tab's network is quiet)",
    )
    parser.add_argument("--quiet", action="store_true", help="print only the summary and errors")
    from .audit_all import add_portfolio_arguments
    from .report_options import add_report_arguments

    add_portfolio_arguments(parser)
    add_report_arguments(parser)


def run(args: argparse.Namespace) -> int:
    try:
        if args.webhook:
            check_webhook(args.webhook)
        if args.all_dir:
            return _run_all(args)
        if not args.controller:
            raise UsageError("give a CONTROLLER.yaml file, or --all CONTENT_DIR")
        if args.shard or args.keep:
            raise UsageError("--shard and --keep go with --all CONTENT_DIR")
        out_dir = Path(args.out or DEFAULT_OUT)
        previous = out_dir / "report.json"
        result = _audit_one(
            Path(args.controller), args, out_dir, previous if previous.is_file() else None
        )
        return _single_exit_code(args, result)
    except (UsageError, PortfolioUsageError) as error:
        _error(str(error))
        return EXIT_FAILURE
    except KeyboardInterrupt:
        _reap_children()
        raise


@dataclass
class AuditResult:
    controller: str
    url: str
    out_dir: Path
    exit_code: int
    started_at: str = ""
    finished_at: str = ""
    pages: int = 0
    counts: Mapping[str, int] | None = None
    error: str | None = None
    findings: list[dict[str, Any]] | None = None  # active findings, as the JSON report has them
    since_last: dict[str, Any] | None = None  # diff.AuditDiff.to_dict() against the last run


def _single_exit_code(args: argparse.Namespace, result: AuditResult) -> int:
    """One controller: 3 when it got worse than the report it replaced (and --webhook posts)."""
    from .audit_all import EXIT_WORSE, post_worse

    if result.exit_code == EXIT_FAILURE or not (result.since_last or {}).get("worse"):
        return result.exit_code
    if args.webhook:
        post_worse(args.webhook, Path(result.controller).stem, result, result.out_dir, None)
    return EXIT_WORSE


def _audit_one(
    path: Path, args: argparse.Namespace, out_dir: Path, previous: Path | None = None
) -> AuditResult:
    from privacy_pages.content import ContentError, require_controller

    if not path.is_file():
        raise UsageError(f"{path}: no such controller file")
    try:
        data = require_controller(path).data or {}
    except ContentError as error:
        raise UsageError(str(error)) from None
    from .report import parse_formats

    try:
        formats = parse_formats(args.format)
    except ValueError as error:
        raise UsageError(f"--format: {error}") from None
    knowledge = _load_knowledge(args.knowledge_base)
    severities = _severities(args.severity)
    _check_out_dir(out_dir)
    with ExitStack() as stack:
        url = _target_url(path, data, args, stack)
        try:
            settings = AuditSettings(
                url=url,
                pages=args.pages,
                timeout=args.timeout,
                budget=args.budget,
                concurrency=args.concurrency,
                resolve=parse_resolve(args.resolve),
                ignore_https_errors=args.ignore_https_errors,
                browser=args.browser,
                **_timing_overrides(args),
            )
        except SettingsError as error:
            raise UsageError(str(error)) from None
        from .report_options import ReportOptionsError, report_options

        try:
            presentation = report_options(args)
        except ReportOptionsError as error:
            raise UsageError(str(error)) from None
        if args.all_dir and "json" not in formats:
            formats.append("json")  # the portfolio and the next run's diff read it
        return _collect_and_report(
            path,
            data,
            settings,
            knowledge,
            severities,
            formats,
            out_dir,
            args.quiet,
            previous=previous,
            presentation=presentation,
        )


def _timing_overrides(args: argparse.Namespace) -> dict[str, float]:
    """``--consent-wait`` and ``--settle`` when given; AuditSettings keeps the defaults."""
    given = {"consent_wait": args.consent_wait, "settle": args.settle}
    return {name: value for name, value in given.items() if value is not None}


def _check_out_dir(out_dir: Path) -> None:
    """The report folder is replaced whole: never a folder that holds anything but a report."""
    if not out_dir.exists():
        return
    if not out_dir.is_dir():
        raise UsageError(f"--out: {out_dir} is a file; give a folder for the report")
    names = {p.name for p in out_dir.iterdir()}
    if names and OBSERVATIONS_FILE not in names:
        raise UsageError(
            f"--out: {out_dir} is not empty and holds no previous audit report; the report "
            "folder is replaced whole, so give a new or report folder"
        )


def _target_url(
    path: Path, data: Mapping[str, Any], args: argparse.Namespace, stack: ExitStack
) -> str:
    if args.serve:
        if args.url:
            raise UsageError(
                "--serve and --url exclude each other: --serve audits the folder it serves"
            )
        folder = Path(args.serve)
        if not folder.is_dir():
            raise UsageError(f"--serve: {args.serve}: no such folder")
        from .serve import StaticServer

        website = _website(path, data) or "/"
        server = stack.enter_context(StaticServer(folder))
        return urljoin(server.url(), urlsplit(website).path or "/")
    if args.url:
        return str(args.url)
    url = _website(path, data)
    if not url:
        raise UsageError(
            f"{path}: the controller has no `website` to audit; add `website: https://...` "
            "to the file or pass --url"
        )
    return url


def _website(path: Path, data: Mapping[str, Any]) -> str | None:
    """The controller's `website`, checked: a malformed one is a line naming the file."""
    website = data.get("website")
    if not website:
        return None
    try:
        parts = urlsplit(str(website))
        valid = parts.scheme in ("http", "https") and bool(parts.hostname)
    except ValueError:
        valid = False
    if not valid:
        raise UsageError(
            f"{path}: website: {str(website)!r} is not a valid http(s) URL; fix `website:` "
            "in the file or pass --url"
        )
    return str(website)


def _severities(values: list[str]) -> dict[str, Any]:
    from .rules import parse_severity_overrides

    try:
        return parse_severity_overrides(",".join(values))
    except ValueError as error:
        raise UsageError(f"--severity: {error}") from None


def _load_knowledge(sources: list[str]) -> Any:
    from privacy_pages.knowledge import KnowledgeError, load_knowledge

    try:
        return load_knowledge(sources)
    except KnowledgeError as error:
        raise UsageError(f"--knowledge-base: {error}") from None


def _collect_and_report(
    path: Path,
    data: Mapping[str, Any],
    settings: AuditSettings,
    knowledge: Any,
    severities: Mapping[str, Any],
    formats: list[str],
    out_dir: Path,
    quiet: bool,
    previous: Path | None = None,
    presentation: Mapping[str, Any] | None = None,
) -> AuditResult:
    from .browser import BrowserNotFound
    from .collect import AuditError, collect
    from .diff import since_last_audit
    from .inspect import inspect
    from .verdict import judge
    from .report import write_reports
    from .suppressions import apply_suppressions

    progress = None if quiet else (lambda message: print(f"audit: {message}", file=sys.stderr))
    result = AuditResult(
        controller=str(path), url=settings.url, out_dir=out_dir, exit_code=EXIT_FAILURE
    )
    try:
        with atomic_directory(out_dir) as staging:
            observations = collect(settings, staging, progress)
            (staging / OBSERVATIONS_FILE).write_text(observations.to_json(), encoding="utf-8")
            findings = apply_suppressions(
                inspect(observations, data, knowledge, severities=severities), data
            )
            since_last = since_last_audit(previous, observations, findings)
            written = write_reports(
                staging,
                observations,
                findings,
                formats,
                data,
                knowledge=knowledge,
                since_last=since_last,
                presentation=presentation,
            )
    except (BrowserNotFound, AuditError) as error:
        _error(str(error))
        result.error = str(error)
        return result
    result.started_at, result.finished_at = observations.started_at, observations.finished_at
    result.pages = sum(len(phase.pages) for phase in observations.phases)
    active = [f for f in findings if not f.suppressed]
    result.counts = {s.label: sum(1 for f in active if f.severity is s) for s in Severity}
    result.findings = [_finding_row(f) for f in active]
    result.since_last = since_last
    verdict = judge(observations, findings)
    result.exit_code = verdict.exit_code
    if verdict.faults:
        result.error = f"{settings.url}: incomplete, {verdict.reason}"
        _error(result.error)
    counts = ", ".join(f"{n} {label}" for label, n in sorted(result.counts.items(), reverse=True))
    suppressed = len(findings) - len(active)
    print(
        f"{path}: {settings.url}: {len(active)} finding(s) ({counts}) "
        f"in {result.pages} page visit(s)"
        + (f"; {suppressed} suppressed with a reason" if suppressed else "")
    )
    for name, file in written.items():
        print(f"  {name}: {out_dir / file.name}")
    return result


def _run_all(args: argparse.Namespace) -> int:
    """Every controller with a website (or one shard of them), each into a new dated run."""
    from .audit_all import run_all

    if args.controller or args.serve or args.url:
        raise UsageError(
            "--all audits each controller's own website: no CONTROLLER, --url or --serve"
        )
    return run_all(args, _audit_one_of_many)


def _audit_one_of_many(
    path: Path, args: argparse.Namespace, out_dir: Path, previous: Path | None
) -> AuditResult:
    """One controller of --all: its bad input is its own failure, never the others'."""
    try:
        return _audit_one(path, args, out_dir, previous)
    except UsageError as error:
        _error(str(error))
        return AuditResult(str(path), "", out_dir, EXIT_FAILURE, error=str(error))


def _finding_row(finding: Any) -> dict[str, Any]:
    from .diff import finding_subject

    row = finding.to_dict()
    row["subject"] = finding_subject(row)
    return row


def _error(message: str) -> None:
    for line in message.splitlines() or [message]:
        print(f"privacy-pages audit: error: {line}", file=sys.stderr)


def _reap_children() -> None:
    """After Ctrl-C, end any browser process this run started that is still alive.

    Playwright closes its browsers when interrupted; this is the belt to its braces, and it
    only touches descendants of this very process, by their id.
    """
    from .proctree import descendants

    for pid in descendants(os.getpid()):
        try:
            os.kill(pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
