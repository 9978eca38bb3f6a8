"""Output formats of `privacy-pages check`: one small class per format behind one map.

The map feeds the CLI's ``--format`` choices; adding a format is adding a class here.
"""

from __future__ import annotations

from privacy_pages.reporters.base import ReportContext, Reporter
from privacy_pages.reporters.github import GithubReporter
from privacy_pages.reporters.json_report import JsonReporter
from privacy_pages.reporters.junit import JunitReporter
from privacy_pages.reporters.sarif import SarifReporter
from privacy_pages.reporters.text import TextReporter

REPORTERS: dict[str, type[Reporter]] = {
    "text": TextReporter,
    "json": JsonReporter,
    "junit": JunitReporter,
    "sarif": SarifReporter,
    "github": GithubReporter,
}

__all__ = ["REPORTERS", "ReportContext", "Reporter"]
