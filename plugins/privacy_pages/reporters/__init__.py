"""Output formats of `privacy-pages check`: one small class per format behind one map.

The map feeds the CLI's ``--format`` choices; adding a format is adding a class here.
"""

from __future__ import annotations

from .base import ReportContext, Reporter
from .github import GithubReporter
from .json_report import JsonReporter
from .junit import JunitReporter
from .sarif import SarifReporter
from .text import TextReporter

REPORTERS: dict[str, type[Reporter]] = {
    "text": TextReporter,
    "json": JsonReporter,
    "junit": JunitReporter,
    "sarif": SarifReporter,
    "github": GithubReporter,
}

__all__ = ["REPORTERS", "ReportContext", "Reporter"]
