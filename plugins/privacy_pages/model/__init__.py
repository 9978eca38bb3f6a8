"""One read-only model of a controller file: what the rules, the pages and the audit read.

No other module interprets the raw YAML: defaults, the consent reading, tri-state facts and
the scope of retention rules are resolved here, once.
"""

from __future__ import annotations

from .base import Item, Stated
from .controller import EEA, Controller
from .cookies import CookieCategory, Tracker
from .processing import Activity, AutomatedDecisions, DirectMarketing, RetentionRule, Transfers
from .rights import Rights

__all__ = [
    "EEA",
    "Activity",
    "AutomatedDecisions",
    "Controller",
    "CookieCategory",
    "DirectMarketing",
    "Item",
    "RetentionRule",
    "Rights",
    "Stated",
    "Tracker",
    "Transfers",
]
