"""One read-only model of a controller file: what the rules, the pages and the audit read.

No other module interprets the raw YAML: defaults, the consent reading, tri-state facts and
the scope of retention rules are resolved here, once.
"""

from __future__ import annotations

from privacy_pages.model.base import Item, Stated
from privacy_pages.model.controller import EEA, Controller, ControllerLike
from privacy_pages.model.cookies import CookieCategory, Tracker
from privacy_pages.model.processing import (
    Activity,
    AutomatedDecisions,
    DirectMarketing,
    RetentionRule,
    Transfers,
)
from privacy_pages.model.rights import Rights

__all__ = [
    "EEA",
    "Activity",
    "AutomatedDecisions",
    "Controller",
    "ControllerLike",
    "CookieCategory",
    "DirectMarketing",
    "Item",
    "RetentionRule",
    "Rights",
    "Stated",
    "Tracker",
    "Transfers",
]
