"""`privacy-pages audit`: argparse, then the validated options, the pipeline, the exit code.

Exit codes: 0 no error finding, 1 error findings, 2 the audit could not run (bad input, no
browser, no page of the site could be loaded). Playwright is imported only when an audit
runs: the CLI imports this module to build its --help.
"""

from __future__ import annotations

import argparse
import os
import signal
from pathlib import Path
from typing import TYPE_CHECKING

from privacy_audit.report.options import add_report_arguments
from privacy_audit.settings import AuditSettings
from privacy_pages.diagnostics import ExitCode

if TYPE_CHECKING:
    from privacy_audit.pipeline import AuditOptions, AuditResult, Console, PreviousReport

HELP = (
    "audit a live site in a real Chromium: cookies before consent, after refusal, after acceptance"
)

EPILOG = (
    "privacy-pages audit diff OLD NEW: what changed between two audits. "
    "Exit codes: 0 no error finding, 1 error findings, 2 the audit could not run, "
    "3 a client got worse than its previous run (new error findings)."
)
DEFAULT_OUT = "audit-report"
DEFAULT_FORMATS = "html,json,junit"


class UsageError(Exception):
    """Bad input: one line, exit code 2."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "controller",
        nargs="?",
        metavar="CONTROLLER.yaml",
        help="the controller whose sites to audit: its `website` and `websites`, each apart",
    )
    parser.add_argument(
        "--url", help="audit this one page's site only (default: each of the controller's websites)"
    )
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
        help="seconds for the audit of each site, all phases (default 600)",
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
        "--user-agent-tag",
        metavar="TEXT",
        help="append TEXT to the browser's User-Agent (e.g. 'AgencyAudit/1.0 "
        "(+https://agency.example/)'), so that a client's firewall can let the audit through",
    )
    parser.add_argument(
        "--locale",
        metavar="TAG",
        help="the browser's language, as the client's visitors' (default: the controller's "
        "first language and country, e.g. fr-FR)",
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
        help="seconds to stay on each page at least, after its load or the choice (default: "
        "until its network, cookie and storage writes and short timers are quiet)",
    )
    parser.add_argument(
        "--as-of",
        metavar="YYYY-MM-DD",
        help="judge the site by the law in force on this day (default: today); "
        "`privacy-pages rules --sources` lists the dated sources",
    )
    parser.add_argument("--quiet", action="store_true", help="print only the summary and errors")
    parser.add_argument(
        "--shard",
        metavar="I/N",
        help="with --all: audit only shard I of N (stable by controller id, I from 1)",
    )
    parser.add_argument(
        "--keep",
        type=int,
        metavar="N",
        help="with --all: keep the N newest dated runs of each controller, remove older ones",
    )
    parser.add_argument(
        "--webhook",
        metavar="URL",
        help="POST a JSON summary to URL for each client that got worse than its previous run",
    )
    parser.add_argument(
        "--run-id",
        metavar="ID",
        help="with --all: this scheduled run's label (a CI run id, a Job's uid); a client "
        "already audited with it is skipped, so a retry adds no second dated run",
    )
    add_report_arguments(parser)


def run(args: argparse.Namespace) -> int:
    from privacy_audit.pipeline import AuditInputError, Console, Target, audit_controller
    from privacy_audit.portfolio.audit_all import PortfolioUsageError, check_webhook

    console = Console(quiet=args.quiet)
    try:
        if args.webhook:
            check_webhook(args.webhook)
        if args.all_dir:
            return _run_all(args, console)
        if not args.controller:
            raise UsageError("give a CONTROLLER.yaml file, or --all CONTENT_DIR")
        if args.shard is not None or args.keep is not None or args.run_id is not None:
            raise UsageError("--shard, --keep and --run-id go with --all CONTENT_DIR")
        options = _options(args)
        out_dir = Path(args.out or DEFAULT_OUT)
        target = Target(url=args.url, serve=Path(args.serve) if args.serve else None)
        result = audit_controller(
            Path(args.controller),
            options,
            out_dir,
            previous=_previous_in(out_dir),
            target=target,
            console=console,
        )
        return _single_exit_code(args.webhook, result, console, args.budget)
    except (UsageError, AuditInputError, PortfolioUsageError) as error:
        console.error(str(error))
        return ExitCode.FAILURE
    except KeyboardInterrupt:
        _reap_children()
        raise


def _options(args: argparse.Namespace) -> AuditOptions:
    """The command line as the pipeline's options: every value checked, one line per error."""
    from privacy_audit.pipeline import AuditOptions
    from privacy_audit.report.options import ReportOptions, ReportOptionsError
    from privacy_audit.report.write import parse_formats
    from privacy_audit.rules import parse_severity_overrides
    from privacy_audit.settings import CrawlSettings, SettingsError, parse_resolve
    from privacy_pages.model.knowledge import KnowledgeError, load_knowledge
    from privacy_pages.rules.sources import parse_day

    try:
        formats = tuple(parse_formats(args.format))
    except ValueError as error:
        raise UsageError(f"--format: {error}") from None
    try:
        knowledge = load_knowledge(args.knowledge_base)
    except KnowledgeError as error:
        raise UsageError(f"--knowledge-base: {error}") from None
    try:
        severities = parse_severity_overrides(",".join(args.severity))
    except ValueError as error:
        raise UsageError(f"--severity: {error}") from None
    try:
        as_of = parse_day(args.as_of) if args.as_of is not None else None
    except ValueError as error:
        raise UsageError(f"--as-of: {error}") from None
    timings = {"consent_wait": args.consent_wait, "settle": args.settle}
    try:
        crawl = CrawlSettings(
            pages=args.pages,
            timeout=args.timeout,
            budget=args.budget,
            concurrency=args.concurrency,
            resolve=parse_resolve(args.resolve),
            ignore_https_errors=args.ignore_https_errors,
            browser=args.browser,
            user_agent_tag=args.user_agent_tag,
            locale=args.locale,
            # AuditSettings keeps its defaults for the timings not given.
            **{name: value for name, value in timings.items() if value is not None},
        )
    except SettingsError as error:
        raise UsageError(str(error)) from None
    try:
        report = ReportOptions.from_args(args)
    except ReportOptionsError as error:
        raise UsageError(str(error)) from None
    return AuditOptions(crawl, knowledge, severities, formats, report.presentation(), as_of)


def _previous_in(out_dir: Path) -> PreviousReport:
    """The report a new audit into ``out_dir`` replaces: the "last audit" of each site."""
    from privacy_audit.history.sites import site_report

    def previous(folder: str, url: str) -> Path | None:
        return site_report(out_dir, folder, url)

    return previous


def _single_exit_code(
    webhook: str | None, result: AuditResult, console: Console, budget: float | None = None
) -> int:
    """One controller: 3 when it got worse than the report it replaced (and --webhook posts)."""
    from privacy_audit.portfolio.audit_all import post_worse

    if result.exit_code in (ExitCode.FAILURE, ExitCode.NOT_AUDITED) or not result.worse:
        return result.exit_code
    if webhook:
        stem = Path(result.controller).stem
        if post_worse(webhook, stem, result, result.out_dir, None, console, budget):
            return ExitCode.FAILURE  # the alert was not delivered (said on its own line)
    return ExitCode.WORSE


def _run_all(args: argparse.Namespace, console: Console) -> int:
    """Every controller with a website (or one shard of them), each into a new dated run."""
    from privacy_audit.portfolio.audit_all import PortfolioSettings, run_all

    if args.controller or args.serve or args.url:
        raise UsageError(
            "--all audits each controller's own website: no CONTROLLER, --url or --serve"
        )
    settings = PortfolioSettings.read(
        args.all_dir,
        args.out or "audits",
        shard=args.shard,
        keep=args.keep,
        webhook=args.webhook,
        run_id=args.run_id,
    )
    return run_all(settings, _options(args), console)


def _reap_children() -> None:
    """After Ctrl-C, end any browser process this run started that is still alive.

    Playwright closes its browsers when interrupted; this is the belt to its braces, and it
    only touches descendants of this very process, by their id.
    """
    from privacy_audit.collect.proctree import descendants

    for pid in descendants(os.getpid()):
        try:
            os.kill(pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
