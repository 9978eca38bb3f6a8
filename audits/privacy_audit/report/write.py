"""Write an audit's reports: one small writer class per format behind one name-to-class map.

`REPORTERS` feeds the CLI's ``--format`` choices. Each reporter renders a `ReportContext`
to text; `write_reports` writes every file atomically into the output folder (where
`collect` may already have put screenshots, so the folder itself is not replaced).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from privacy_audit.findings import Finding, exit_code, sort_findings
from privacy_audit.observations import Observations
from privacy_audit.report.base import ReportContext, Reporter, summarize
from privacy_audit.report.html import HtmlReporter
from privacy_audit.report.json_report import JsonReporter
from privacy_audit.report.junit import JunitReporter
from privacy_pages import __version__
from privacy_pages.atomic import write_text_atomic
from privacy_pages.model.knowledge import KnowledgeBase

REPORTERS: dict[str, type[Reporter]] = {
    r.name: r for r in (HtmlReporter, JsonReporter, JunitReporter)
}
"""Format name to reporter class; also the CLI's ``--format`` choices."""

__all__ = ["REPORTERS", "exit_code", "parse_formats", "write_reports"]


def parse_formats(text: str | Iterable[str]) -> list[str]:
    """``"html,json"`` or a list of names, checked against `REPORTERS`; one-line error otherwise."""
    names = [n.strip() for n in (text.split(",") if isinstance(text, str) else text)]
    names = [n for n in names if n]
    unknown = [n for n in names if n not in REPORTERS]
    if unknown or not names:
        allowed = ", ".join(REPORTERS)
        raise ValueError(f"unknown report format {', '.join(unknown) or '(none)'}; use: {allowed}")
    return list(dict.fromkeys(names))


def write_reports(
    out_dir: str | Path,
    observations: Observations,
    findings: list[Finding],
    formats: str | Iterable[str],
    controller_data: Mapping[str, Any] | None = None,
    *,
    knowledge: KnowledgeBase | None = None,
    generated_at: str | None = None,
    tool_version: str | None = None,
    since_last: dict[str, Any] | None = None,
    presentation: Mapping[str, Any] | None = None,
) -> dict[str, Path]:
    """Render each format, then write each file atomically into ``out_dir``.

    ``formats`` is a list of names or ``"html,json"``. Every report is rendered before any
    is written, so a failure leaves the previous reports in place. ``knowledge`` names the
    vendors of undeclared cookies and hosts in the HTML report. Returns format to path.
    """
    names = parse_formats(formats if isinstance(formats, str) else list(formats))
    out = Path(out_dir)
    ordered = sort_findings(list(findings))
    active = [finding for finding in ordered if not finding.suppressed]
    context = ReportContext(
        observations=observations,
        findings=active,
        suppressed=[finding for finding in ordered if finding.suppressed],
        out_dir=out,
        controller_data=controller_data,
        knowledge=knowledge,
        generated_at=generated_at
        or datetime.now(timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z"),
        tool_version=tool_version or __version__,
        summary=summarize(observations, ordered),
        since_last=since_last,
        presentation=presentation,
    )
    rendered = {name: REPORTERS[name]().render(context) for name in names}
    written: dict[str, Path] = {}
    for name, text in rendered.items():
        path = out / REPORTERS[name].filename
        write_text_atomic(path, text)
        written[name] = path
    return written
