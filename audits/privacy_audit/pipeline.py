"""The audit as one typed pipeline: collect, inspect, report and judge each site of a controller.

`audit_site` audits one website into a folder; `audit_controller` loads a controller file and
audits its website, or each of its websites into its own sub-folder with one combined
verdict. No argparse here: `cli.audit` validates the command line into `AuditOptions`, and
`portfolio.audit_all` calls `audit_controller` for each controller of a content folder.
"""

from __future__ import annotations

import datetime
import sys
from collections.abc import Callable, Mapping, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

from privacy_audit.analyze import inspect
from privacy_audit.analyze.suppressions import apply_suppressions
from privacy_audit.collect.browser import BrowserNotFound
from privacy_audit.collect.collector import AuditError, Progress, collect
from privacy_audit.collect.host import BrowserHost
from privacy_audit.findings import Finding
from privacy_audit.history.diff import finding_subject, since_last_audit
from privacy_audit.history.sites import (
    MATCHING_NOTE,
    SITES_FILE,
    combined_exit_code,
    combined_verdict,
    drop_seen_elsewhere,
    merge_since_last,
    site_folders,
    verdict_name,
    write_sites_document,
)
from privacy_audit.observations import Observations, phase_observed
from privacy_audit.report.write import write_reports
from privacy_audit.settings import AuditSettings, CrawlSettings, SettingsError
from privacy_audit.verdict import judge
from privacy_audit.visitor import visitor_locale
from privacy_pages.atomic import atomic_directory
from privacy_pages.confined import confined_path
from privacy_pages.diagnostics import ExitCode, Severity, printable
from privacy_pages.model import Controller
from privacy_pages.model.knowledge import KnowledgeBase
from privacy_pages.owned import NotOurFolder, OwnedFolder, holds_only

OBSERVATIONS_FILE = "observations.json"

PreviousReport = Callable[[str, str], "Path | None"]
"""(site sub-folder or "", site URL) to the report.json of that site's last audit, if any."""
Observe = Callable[[AuditSettings, Path, "Progress | None"], Observations]
"""Collect one site into a folder (screenshots): `collect.collector.collect`, or recorded
observations in the pipeline's tests."""


class AuditInputError(Exception):
    """Bad input for one controller's audit (its file, its websites, the report folder):
    one line, exit code 2."""


@dataclass(frozen=True)
class Console:
    """The audit's terminal: progress (unless quiet) and errors on stderr, results on stdout."""

    quiet: bool = False

    def progress(self) -> Progress | None:
        if self.quiet:
            return None
        return lambda message: print(f"audit: {printable(message)}", file=sys.stderr)

    @staticmethod
    def error(message: str) -> None:
        for line in message.splitlines() or [message]:
            print(f"privacy-pages audit: error: {printable(line)}", file=sys.stderr)

    @staticmethod
    def say(message: str) -> None:
        """Lines for the user: what a file or a site named in them is escaped."""
        for line in message.splitlines() or [message]:
            print(printable(line))


@dataclass(frozen=True)
class AuditOptions:
    """Everything an audit needs besides the controller and its sites, validated once."""

    crawl: CrawlSettings
    knowledge: KnowledgeBase
    severities: Mapping[str, Severity]
    formats: tuple[str, ...]
    presentation: Mapping[str, Any]  # report.options.ReportOptions.presentation()
    as_of: datetime.date | None = None  # the law of that day judges the site (None: today)


@dataclass(frozen=True)
class Target:
    """What to audit instead of the controller's websites: one URL, or a folder served on
    127.0.0.1 (with the path of the controller's first website)."""

    url: str | None = None
    serve: Path | None = None


@dataclass(frozen=True)
class ControllerFile:
    """A controller file without errors: its path and its validated data."""

    path: Path
    data: Mapping[str, Any]

    @classmethod
    def load(cls, path: Path) -> ControllerFile:
        from privacy_pages.model.content import ContentError, require_controller

        if not path.is_file():
            raise AuditInputError(f"{path}: no such controller file")
        try:
            return cls(path, require_controller(path).data or {})
        except ContentError as error:
            raise AuditInputError(str(error)) from None

    def websites(self) -> list[str]:
        """The websites to audit (apps left out), checked: a malformed one names the file."""
        urls = Controller(self.data).audited_websites
        for url in urls:
            try:
                parts = urlsplit(url)
                valid = parts.scheme in ("http", "https") and bool(parts.hostname)
            except ValueError:
                valid = False
            if not valid:
                name = "website" if url == str(self.data.get("website")) else "websites"
                raise AuditInputError(
                    f"{self.path}: {name}: {url!r} is not a valid http(s) URL; fix `{name}:` "
                    "in the file or pass --url"
                )
        return urls


@dataclass(kw_only=True)
class SiteResult:
    """One website's audit: its verdict, counts and active findings."""

    url: str
    out_dir: Path
    exit_code: int = ExitCode.FAILURE
    folder: str = ""  # the site's report sub-folder when the controller has several sites
    started_at: str = ""
    finished_at: str = ""
    pages: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    findings: list[dict[str, Any]] = field(default_factory=list)  # active, as report.json
    since_last: dict[str, Any] | None = None  # diff.AuditDiff.to_dict() against the last run
    error: str | None = None

    @property
    def verdict(self) -> str:
        return verdict_name(self.exit_code, bool(self.started_at))

    @property
    def worse(self) -> bool:
        """New error findings since the last audit."""
        return bool(self.since_last and self.since_last.get("worse"))

    def summary(self) -> dict[str, Any]:
        """The site as ``sites.json`` and ``run.json`` list it."""
        return {
            "url": self.url,
            "folder": self.folder,
            "verdict": self.verdict,
            "exit_code": self.exit_code,
            "page_visits": self.pages,
            "counts": dict(self.counts),
            "worse": self.worse,
            "error": self.error,
        }


@dataclass(kw_only=True)
class AuditResult(SiteResult):
    """A controller's audit: its one site's result, or every site's combined."""

    controller: str
    sites: list[SiteResult] = field(default_factory=list)  # when it has several websites

    @property
    def verdict(self) -> str:
        if self.sites:
            return combined_verdict([site.verdict for site in self.sites])
        return super().verdict


def audit_controller(
    controller: ControllerFile | Path,
    options: AuditOptions,
    out_dir: Path,
    *,
    previous: PreviousReport | None = None,
    target: Target | None = None,
    console: Console | None = None,
    observe: Observe | None = None,
) -> AuditResult:
    """Audit the controller's site, or each of its websites into its own sub-folder.

    ``out_dir`` is replaced whole once the reports are written; ``previous`` finds the
    report each site is compared with; ``observe`` collects each site (by default
    `default_observe`). Bad input raises `AuditInputError`; an audit that could not run is
    a result with its ``error``.
    """
    console = console or Console()
    if not isinstance(controller, ControllerFile):
        controller = ControllerFile.load(controller)
    _check_out_dir(out_dir, controller.path)
    with ExitStack() as stack:
        urls = _target_urls(controller, target or Target(), stack)
        settings = [_site_settings(options, url, controller) for url in urls]
        observe = observe or default_observe(stack if len(settings) > 1 else None)
        if len(settings) > 1:
            run = _Run(controller, options, console, observe)
            return _audit_sites(run, settings, out_dir, previous)
        last = previous("", settings[0].url) if previous else None
        site = audit_site(
            settings[0],
            controller,
            options,
            out_dir,
            previous=last,
            console=console,
            observe=observe,
        )
    values = {item.name: getattr(site, item.name) for item in fields(SiteResult)}
    return AuditResult(controller=str(controller.path), **values)


def audit_site(
    settings: AuditSettings,
    controller: ControllerFile,
    options: AuditOptions,
    out_dir: Path,
    *,
    previous: Path | None = None,
    console: Console | None = None,
    observe: Observe | None = None,
) -> SiteResult:
    """One website: its three phases and its reports, directly in ``out_dir``."""
    run = _Run(controller, options, console or Console(), observe or default_observe())
    result = SiteResult(url=settings.url, out_dir=out_dir)
    try:
        with atomic_directory(out_dir) as staging:
            observations = run.observe_into(settings, staging)
            findings = run.suppress(run.inspect(observations))
            written, since_last = run.write_site(staging, observations, findings, previous)
            REPORT_FOLDER.mark(staging)
    except (BrowserNotFound, AuditError) as error:
        run.console.error(str(error))
        result.error = str(error)
        return result
    run.judge_site(result, observations, findings, since_last, written)
    return result


def default_observe(several: ExitStack | None = None) -> Observe:
    """How sites are collected when the caller does not say: with the host lent to this
    thread (`BrowserHost.lent`) if there is one; for several sites (``several``, the stack
    that closes it), a host of their own: site after site on one driver and, while it
    behaves, one Chromium; else a driver and a Chromium for the one site (`collect`)."""
    host = BrowserHost.current()
    if host is None and several is not None:
        host = several.enter_context(BrowserHost())
    return host.observe if host is not None else collect


@dataclass(frozen=True)
class _Run:
    """What every site of one controller's audit shares, and the steps each site goes through."""

    controller: ControllerFile
    options: AuditOptions
    console: Console
    observe: Observe

    def observe_into(self, settings: AuditSettings, folder: Path) -> Observations:
        observations = self.observe(settings, folder, self.console.progress())
        (folder / OBSERVATIONS_FILE).write_text(observations.to_json(), encoding="utf-8")
        return observations

    def inspect(self, observations: Observations) -> list[Finding]:
        options = self.options
        return inspect(
            observations,
            self.controller.data,
            options.knowledge,
            severities=options.severities,
            as_of=options.as_of,
        )

    def suppress(self, findings: list[Finding]) -> list[Finding]:
        return apply_suppressions(findings, self.controller.data)

    def write_site(
        self,
        folder: Path,
        observations: Observations,
        findings: list[Finding],
        previous: Path | None,
        site_note: tuple[list[str], str] | None = None,
    ) -> tuple[dict[str, Path], dict[str, Any] | None]:
        """The site's reports, with "since the last audit" against ``previous``."""
        presentation = dict(self.options.presentation)
        if site_note is not None:
            presentation["sites"], presentation["site"] = site_note
        since_last = since_last_audit(previous, observations, findings)
        written = write_reports(
            folder,
            observations,
            findings,
            self.options.formats,
            self.controller.data,
            knowledge=self.options.knowledge,
            since_last=since_last,
            presentation=presentation,
        )
        return written, since_last

    def judge_site(
        self,
        result: SiteResult,
        observations: Observations,
        findings: list[Finding],
        since_last: dict[str, Any] | None,
        written: Mapping[str, Path],
    ) -> None:
        """Fill ``result`` from one site's run and print its lines."""
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
            self.console.error(result.error)
        counts = ", ".join(
            f"{n} {label}" for label, n in sorted(result.counts.items(), reverse=True)
        )
        suppressed = len(findings) - len(active)
        self.console.say(
            f"{self.controller.path}: {result.url}: {len(active)} finding(s) ({counts}) "
            f"in {result.pages} page visit(s)"
            + (f"; {suppressed} suppressed with a reason" if suppressed else "")
        )
        for name, file in written.items():
            self.console.say(f"  {name}: {result.out_dir / file.name}")


def _site_settings(options: AuditOptions, url: str, controller: ControllerFile) -> AuditSettings:
    """The settings for the site at ``url``, the browser presented as the controller's
    visitors' (language, time zone: the report's) unless the options say otherwise."""
    try:
        settings = options.crawl.for_site(url)
    except SettingsError as error:
        raise AuditInputError(str(error)) from None
    locale, zone = visitor_locale(controller.data, options.presentation.get("timezone"))
    return replace(settings, locale=settings.locale or locale, timezone=zone)


REPORT_FOLDER = OwnedFolder(
    marker=".privacy-pages-report",
    command="privacy-pages audit",
    noun="report folder",
    example="audit-report/",
    # Written before the marker existed: an audit's files only (one site or several).
    legacy=lambda folder: _holds_a_report(folder),
)
_REPORT_NAMES = {OBSERVATIONS_FILE, SITES_FILE, "report.html", "report.json", "report.junit.xml"}


def _holds_a_report(folder: Path) -> bool:
    """A report folder written before the marker: report files, screenshots, site folders."""
    sites = [p for p in folder.iterdir() if p.is_dir() and p.name != "screenshots"]
    allowed = _REPORT_NAMES | {"screenshots"} | {p.name for p in sites}
    return holds_only(folder, allowed, {OBSERVATIONS_FILE, SITES_FILE}) and all(
        holds_only(site, _REPORT_NAMES | {"screenshots"}, {OBSERVATIONS_FILE}) for site in sites
    )


def _check_out_dir(out_dir: Path, controller: Path) -> None:
    """The report folder is replaced whole: only a new, empty or report folder of ours, and
    never one holding the working folder or the controller file."""
    try:
        REPORT_FOLDER.check(out_dir, keep=[controller])
    except NotOurFolder as error:
        raise AuditInputError(f"--out: {error}") from None


def _target_urls(controller: ControllerFile, target: Target, stack: ExitStack) -> list[str]:
    """What to audit: the served folder or the URL (one each), else every website of the file."""
    if target.serve is not None:
        if target.url:
            raise AuditInputError(
                "--serve and --url exclude each other: --serve audits the folder it serves"
            )
        if not target.serve.is_dir():
            raise AuditInputError(f"--serve: {target.serve}: no such folder")
        from privacy_audit.collect.serve import StaticServer

        websites = controller.websites()
        server = stack.enter_context(StaticServer(target.serve))
        return [urljoin(server.url(), urlsplit(websites[0] if websites else "/").path or "/")]
    if target.url:
        return [target.url]
    urls = controller.websites()
    if not urls:
        raise AuditInputError(
            f"{controller.path}: the controller has no `website` to audit; add "
            "`website: https://...` to the file or pass --url"
        )
    return urls


def _audit_sites(
    run: _Run, all_settings: list[AuditSettings], out_dir: Path, previous: PreviousReport | None
) -> AuditResult:
    """Several websites: one audit each into ``out_dir/<site>/``, one combined verdict.

    Every site is observed before any is reported, so that a declared cookie seen on one
    site is not called unseen on another (`sites.drop_seen_elsewhere`).
    """
    urls = [settings.url for settings in all_settings]
    folders = site_folders(urls)
    combined = AuditResult(controller=str(run.controller.path), url=urls[0], out_dir=out_dir)
    sites: list[SiteResult] = []
    try:
        with atomic_directory(out_dir) as staging:
            observed = []
            for settings in all_settings:
                site_dir = confined_path(staging, folders[settings.url], what="site folder")
                site_dir.mkdir()
                observed.append((settings, site_dir, run.observe_into(settings, site_dir)))
            all_findings = drop_seen_elsewhere(
                [run.inspect(site[2]) for site in observed],
                [_observed_whole(site[2]) for site in observed],
            )
            for (settings, site_dir, observations), findings in zip(observed, all_findings):
                findings = run.suppress(findings)
                folder = folders[settings.url]
                last = previous(folder, settings.url) if previous else None
                site = SiteResult(url=settings.url, out_dir=out_dir / folder, folder=folder)
                written, since_last = run.write_site(
                    site_dir, observations, findings, last, site_note=(urls, settings.url)
                )
                run.judge_site(site, observations, findings, since_last, written)
                sites.append(site)
            _combine(combined, sites)
            write_sites_document(staging, _sites_document(combined))
            REPORT_FOLDER.mark(staging)
    except (BrowserNotFound, AuditError) as error:
        run.console.error(str(error))
        combined.error = str(error)
        return combined
    run.console.say(
        f"{run.controller.path}: {len(sites)} websites: {combined.verdict}; {MATCHING_NOTE}"
        + f"\n  sites: {out_dir / SITES_FILE}"
    )
    return combined


def _observed_whole(observations: Observations) -> bool:
    """Every phase saw pages: only then does "declared, never seen" (DC02) say anything."""
    return bool(observations.phases) and all(map(phase_observed, observations.phases))


def _combine(combined: AuditResult, sites: Sequence[SiteResult]) -> None:
    """The controller's result: the worst site wins, counts and findings of every site.

    A finding about the declaration itself (no phase) is the same on every site: counted once.
    """
    combined.sites = list(sites)
    combined.exit_code = combined_exit_code(site.exit_code for site in sites)
    combined.started_at = min(site.started_at for site in sites)
    combined.finished_at = max(site.finished_at for site in sites)
    combined.pages = sum(site.pages for site in sites)
    findings: list[dict[str, Any]] = []
    declaration: set[tuple[str, str]] = set()
    for site in sites:
        for row in site.findings:
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
        "sites": [site.summary() for site in combined.sites],
    }


def _finding_row(finding: Finding) -> dict[str, Any]:
    row = finding.to_dict()
    row["subject"] = finding_subject(row)
    return row
