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
from collections.abc import Callable, Mapping
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

from privacy_audit.history.runs import site_report
from privacy_audit.history.sites import (
    MATCHING_NOTE,
    SITES_FILE,
    combined_exit_code,
    combined_verdict,
    drop_seen_elsewhere,
    merge_since_last,
    site_folders,
    site_summary,
    verdict_name,
    write_sites_document,
)
from privacy_audit.portfolio.audit_all import PortfolioUsageError, PreviousReport, check_webhook
from privacy_audit.settings import AuditSettings, SettingsError, parse_resolve
from privacy_pages.atomic import atomic_directory
from privacy_pages.diagnostics import ExitCode, Severity

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
OBSERVATIONS_FILE = "observations.json"


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
    from privacy_audit.portfolio.audit_all import add_portfolio_arguments
    from privacy_audit.report.options import add_report_arguments

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
        if args.shard or args.keep or args.run_id:
            raise UsageError("--shard, --keep and --run-id go with --all CONTENT_DIR")
        out_dir = Path(args.out or DEFAULT_OUT)
        result = _audit_one(Path(args.controller), args, out_dir, _previous_in(out_dir))
        return _single_exit_code(args, result)
    except (UsageError, PortfolioUsageError) as error:
        _error(str(error))
        return ExitCode.FAILURE
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
    sites: list[AuditResult] | None = None  # one result per website when there are several
    folder: str = ""  # the site's report sub-folder when the controller has several sites

    @property
    def verdict(self) -> str:
        if self.sites:
            return combined_verdict([site.verdict for site in self.sites])
        return verdict_name(self.exit_code, bool(self.started_at))


@dataclass(frozen=True)
class _Job:
    """What every site of one controller's audit shares."""

    path: Path
    data: Mapping[str, Any]
    knowledge: Any
    severities: Mapping[str, Any]
    formats: list[str]
    quiet: bool
    presentation: Mapping[str, Any] | None

    def progress(self) -> Callable[[str], None] | None:
        if self.quiet:
            return None
        return lambda message: print(f"audit: {message}", file=sys.stderr)


def _previous_in(out_dir: Path) -> PreviousReport:
    """The report a new audit into ``out_dir`` replaces: the "last audit" of each site."""

    def previous(folder: str, url: str) -> Path | None:
        return site_report(out_dir, folder, url)

    return previous


def _single_exit_code(args: argparse.Namespace, result: AuditResult) -> int:
    """One controller: 3 when it got worse than the report it replaced (and --webhook posts)."""
    from privacy_audit.portfolio.audit_all import post_worse

    unaudited = result.exit_code in (ExitCode.FAILURE, ExitCode.NOT_AUDITED)
    if unaudited or not (result.since_last or {}).get("worse"):
        return result.exit_code
    if args.webhook:
        post_worse(args.webhook, Path(result.controller).stem, result, result.out_dir, None)
    return ExitCode.WORSE


def _audit_one(
    path: Path, args: argparse.Namespace, out_dir: Path, previous: PreviousReport | None = None
) -> AuditResult:
    """Audit the controller's site, or each of its websites into its own sub-folder."""
    from privacy_pages.model.content import ContentError, require_controller

    if not path.is_file():
        raise UsageError(f"{path}: no such controller file")
    try:
        data = require_controller(path).data or {}
    except ContentError as error:
        raise UsageError(str(error)) from None
    from privacy_audit.report.write import parse_formats

    try:
        formats = parse_formats(args.format)
    except ValueError as error:
        raise UsageError(f"--format: {error}") from None
    knowledge = _load_knowledge(args.knowledge_base)
    severities = _severities(args.severity)
    _check_out_dir(out_dir)
    with ExitStack() as stack:
        urls = _target_urls(path, data, args, stack)
        settings = [_settings(url, args) for url in urls]
        from privacy_audit.report.options import ReportOptionsError, report_options

        try:
            presentation = report_options(args)
        except ReportOptionsError as error:
            raise UsageError(str(error)) from None
        if args.all_dir and "json" not in formats:
            formats.append("json")  # the portfolio and the next run's diff read it
        job = _Job(path, data, knowledge, severities, formats, args.quiet, presentation)
        if len(settings) == 1:
            last = previous("", settings[0].url) if previous else None
            return _collect_and_report(job, settings[0], out_dir, last)
        return _audit_sites(job, settings, out_dir, previous)


def _settings(url: str, args: argparse.Namespace) -> AuditSettings:
    try:
        return AuditSettings(
            url=url,
            pages=args.pages,
            timeout=args.timeout,
            budget=args.budget,
            concurrency=args.concurrency,
            resolve=parse_resolve(args.resolve),
            ignore_https_errors=args.ignore_https_errors,
            browser=args.browser,
            user_agent_tag=args.user_agent_tag,
            **_timing_overrides(args),
        )
    except SettingsError as error:
        raise UsageError(str(error)) from None


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
    if names and not names & {OBSERVATIONS_FILE, SITES_FILE}:
        raise UsageError(
            f"--out: {out_dir} is not empty and holds no previous audit report; the report "
            "folder is replaced whole, so give a new or report folder"
        )


def _target_urls(
    path: Path, data: Mapping[str, Any], args: argparse.Namespace, stack: ExitStack
) -> list[str]:
    """What to audit: the --serve folder or --url (one each), else every website of the file."""
    if args.serve:
        if args.url:
            raise UsageError(
                "--serve and --url exclude each other: --serve audits the folder it serves"
            )
        folder = Path(args.serve)
        if not folder.is_dir():
            raise UsageError(f"--serve: {args.serve}: no such folder")
        from privacy_audit.collect.serve import StaticServer

        websites = _websites(path, data)
        server = stack.enter_context(StaticServer(folder))
        return [urljoin(server.url(), urlsplit(websites[0] if websites else "/").path or "/")]
    if args.url:
        return [str(args.url)]
    urls = _websites(path, data)
    if not urls:
        raise UsageError(
            f"{path}: the controller has no `website` to audit; add `website: https://...` "
            "to the file or pass --url"
        )
    return urls


def _websites(path: Path, data: Mapping[str, Any]) -> list[str]:
    """The controller's websites (apps left out), checked: a malformed one names the file."""
    from privacy_pages.model import Controller

    urls = Controller(data).audited_websites
    for url in urls:
        try:
            parts = urlsplit(url)
            valid = parts.scheme in ("http", "https") and bool(parts.hostname)
        except ValueError:
            valid = False
        if not valid:
            field = "website" if url == str(data.get("website")) else "websites"
            raise UsageError(
                f"{path}: {field}: {url!r} is not a valid http(s) URL; fix `{field}:` "
                "in the file or pass --url"
            )
    return urls


def _severities(values: list[str]) -> dict[str, Any]:
    from privacy_audit.rules import parse_severity_overrides

    try:
        return parse_severity_overrides(",".join(values))
    except ValueError as error:
        raise UsageError(f"--severity: {error}") from None


def _load_knowledge(sources: list[str]) -> Any:
    from privacy_pages.model.knowledge import KnowledgeError, load_knowledge

    try:
        return load_knowledge(sources)
    except KnowledgeError as error:
        raise UsageError(f"--knowledge-base: {error}") from None


def _collect_and_report(
    job: _Job, settings: AuditSettings, out_dir: Path, previous: Path | None
) -> AuditResult:
    """One site: its three phases and its reports, directly in ``out_dir``."""
    from privacy_audit.collect.browser import BrowserNotFound
    from privacy_audit.collect.collector import AuditError

    result = AuditResult(
        controller=str(job.path), url=settings.url, out_dir=out_dir, exit_code=ExitCode.FAILURE
    )
    try:
        with atomic_directory(out_dir) as staging:
            observations = _observe(job, settings, staging)
            findings = _inspect(job, observations)
            written, since_last = _write_site(job, staging, observations, findings, previous)
    except (BrowserNotFound, AuditError) as error:
        _error(str(error))
        result.error = str(error)
        return result
    _judge_site(job, result, observations, findings, since_last, written)
    return result


def _audit_sites(
    job: _Job, all_settings: list[AuditSettings], out_dir: Path, previous: PreviousReport | None
) -> AuditResult:
    """Several websites: one audit each into ``out_dir/<site>/``, one combined verdict.

    Every site is observed before any is reported, so that a declared cookie seen on one
    site is not called unseen on another (`sites.drop_seen_elsewhere`).
    """
    from privacy_audit.collect.browser import BrowserNotFound
    from privacy_audit.collect.collector import AuditError

    urls = [settings.url for settings in all_settings]
    folders = site_folders(urls)
    combined = AuditResult(
        controller=str(job.path), url=urls[0], out_dir=out_dir, exit_code=ExitCode.FAILURE
    )
    sites: list[AuditResult] = []
    try:
        with atomic_directory(out_dir) as staging:
            observed = []
            for settings in all_settings:
                site_dir = staging / folders[settings.url]
                site_dir.mkdir()
                observed.append((settings, site_dir, _observe(job, settings, site_dir)))
            all_findings = drop_seen_elsewhere(
                [_inspect(job, observations, suppress=False) for _, _, observations in observed],
                [_observed_whole(site[2]) for site in observed],
            )
            for (settings, site_dir, observations), findings in zip(observed, all_findings):
                findings = _suppress(job, findings)
                folder = folders[settings.url]
                last = previous(folder, settings.url) if previous else None
                site = AuditResult(
                    str(job.path), settings.url, out_dir / folder, ExitCode.FAILURE, folder=folder
                )
                written, since_last = _write_site(
                    job, site_dir, observations, findings, last, site_note=(urls, settings.url)
                )
                _judge_site(job, site, observations, findings, since_last, written)
                sites.append(site)
            _combine(combined, sites)
            write_sites_document(staging, _sites_document(combined))
    except (BrowserNotFound, AuditError) as error:
        _error(str(error))
        combined.error = str(error)
        return combined
    print(
        f"{job.path}: {len(sites)} websites: {combined.verdict}; {MATCHING_NOTE}"
        + f"\n  sites: {out_dir / SITES_FILE}"
    )
    return combined


def _observed_whole(observations: Any) -> bool:
    """Every phase saw pages: only then does "declared, never seen" (DC02) say anything."""
    from privacy_audit.observations import phase_observed

    return bool(observations.phases) and all(map(phase_observed, observations.phases))


def _observe(job: _Job, settings: AuditSettings, folder: Path) -> Any:
    from privacy_audit.collect.collector import collect

    observations = collect(settings, folder, job.progress())
    (folder / OBSERVATIONS_FILE).write_text(observations.to_json(), encoding="utf-8")
    return observations


def _inspect(job: _Job, observations: Any, suppress: bool = True) -> list[Any]:
    from privacy_audit.analyze.inspect import inspect

    findings = inspect(observations, job.data, job.knowledge, severities=job.severities)
    return _suppress(job, findings) if suppress else findings


def _suppress(job: _Job, findings: list[Any]) -> list[Any]:
    from privacy_audit.analyze.suppressions import apply_suppressions

    return apply_suppressions(findings, job.data)


def _write_site(
    job: _Job,
    folder: Path,
    observations: Any,
    findings: list[Any],
    previous: Path | None,
    site_note: tuple[list[str], str] | None = None,
) -> tuple[dict[str, Path], dict[str, Any] | None]:
    """The site's reports, with "since the last audit" against ``previous``."""
    from privacy_audit.history.diff import since_last_audit
    from privacy_audit.report.write import write_reports

    presentation = dict(job.presentation or {})
    if site_note is not None:
        presentation["sites"], presentation["site"] = site_note
    since_last = since_last_audit(previous, observations, findings)
    written = write_reports(
        folder,
        observations,
        findings,
        job.formats,
        job.data,
        knowledge=job.knowledge,
        since_last=since_last,
        presentation=presentation,
    )
    return written, since_last


def _judge_site(
    job: _Job,
    result: AuditResult,
    observations: Any,
    findings: list[Any],
    since_last: dict[str, Any] | None,
    written: Mapping[str, Path],
) -> None:
    """Fill ``result`` from one site's run and print its lines."""
    from privacy_audit.verdict import judge

    result.started_at, result.finished_at = observations.started_at, observations.finished_at
    result.pages = sum(len(phase.pages) for phase in observations.phases)
    active = [f for f in findings if not f.suppressed]
    result.counts = {s.label: sum(1 for f in active if f.severity is s) for s in Severity}
    result.findings = [_finding_row(f) for f in active]
    result.since_last = since_last
    verdict = judge(observations, findings)
    result.exit_code = verdict.exit_code
    if verdict.faults:
        result.error = f"{result.url}: incomplete, {verdict.reason}"
        _error(result.error)
    counts = ", ".join(f"{n} {label}" for label, n in sorted(result.counts.items(), reverse=True))
    suppressed = len(findings) - len(active)
    print(
        f"{job.path}: {result.url}: {len(active)} finding(s) ({counts}) "
        f"in {result.pages} page visit(s)"
        + (f"; {suppressed} suppressed with a reason" if suppressed else "")
    )
    for name, file in written.items():
        print(f"  {name}: {result.out_dir / file.name}")


def _combine(combined: AuditResult, sites: list[AuditResult]) -> None:
    """The controller's result: the worst site wins, counts and findings of every site.

    A finding about the declaration itself (no phase) is the same on every site: counted once.
    """
    combined.sites = sites
    combined.exit_code = combined_exit_code(site.exit_code for site in sites)
    combined.started_at = min(site.started_at for site in sites)
    combined.finished_at = max(site.finished_at for site in sites)
    combined.pages = sum(site.pages for site in sites)
    findings: list[dict[str, Any]] = []
    declaration: set[tuple[str, str]] = set()
    for site in sites:
        for row in site.findings or []:
            if row.get("phase") is None:
                key = (str(row.get("rule")), str(row.get("subject")))
                if key in declaration:
                    continue
                declaration.add(key)
            findings.append({**row, "site": site.url})
    combined.findings = findings
    combined.counts = {
        s.label: sum(1 for f in findings if f.get("severity") == s.label) for s in Severity
    }
    combined.since_last = merge_since_last([site.since_last for site in sites])
    errors = [site.error for site in sites if site.error]
    combined.error = "; ".join(errors) or None


def _sites_document(combined: AuditResult) -> dict[str, Any]:
    return {
        "controller": combined.controller,
        "verdict": combined.verdict,
        "exit_code": combined.exit_code,
        "started_at": combined.started_at,
        "finished_at": combined.finished_at,
        "counts": combined.counts,
        "note": MATCHING_NOTE,
        "sites": [site_summary(site) for site in combined.sites or []],
    }


def _run_all(args: argparse.Namespace) -> int:
    """Every controller with a website (or one shard of them), each into a new dated run."""
    from privacy_audit.portfolio.audit_all import run_all

    if args.controller or args.serve or args.url:
        raise UsageError(
            "--all audits each controller's own website: no CONTROLLER, --url or --serve"
        )
    return run_all(args, _audit_one_of_many)


def _audit_one_of_many(
    path: Path, args: argparse.Namespace, out_dir: Path, previous: PreviousReport
) -> AuditResult:
    """One controller of --all: its bad input is its own failure, never the others'."""
    try:
        return _audit_one(path, args, out_dir, previous)
    except UsageError as error:
        _error(str(error))
        return AuditResult(str(path), "", out_dir, ExitCode.FAILURE, error=str(error))


def _finding_row(finding: Any) -> dict[str, Any]:
    from privacy_audit.history.diff import finding_subject

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
    from privacy_audit.collect.proctree import descendants

    for pid in descendants(os.getpid()):
        try:
            os.kill(pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
