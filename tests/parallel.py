"""How the suite shares out between parallel workers (pytest-xdist; `scripts/test` starts them).

A unit of work is a test module: its module fixtures (a site audited once, a site built once)
are then made once, in one worker. The modules of `SPREAD` share nothing costly between
their tests, each a real-browser audit or a slice of the fuzz: their tests go one by one to
whichever worker is free. Units start longest first (modules that drive Chromium, then the
spread tests, then the rest), so that the run does not end on one worker with one long unit.
"""

from __future__ import annotations

import pytest
from xdist.scheduler import LoadScopeScheduling

SPREAD = frozenset(
    {
        "tests/audit/test_accuracy.py",
        "tests/audit/test_audit_sites.py",
        "tests/audit/test_banner_export.py",
        "tests/audit/test_collect_cli.py",
        "tests/audit/test_hostile_pages.py",
        "tests/check/test_fuzz.py",
        "tests/portfolio/test_hostile_inputs.py",
        "tests/portfolio/test_webhook.py",
    }
)
"""Modules whose tests are independent units of work (no module fixture between them)."""


def _module(nodeid: str) -> str:
    return nodeid.split("::", 1)[0]


def running_order(item: pytest.Item) -> int:
    """Sort key: Chromium modules, Chromium tests one by one, other modules, other tests one
    by one (a stable sort keeps the collection order within each rank)."""
    browser = item.get_closest_marker("browser") is not None
    spread = _module(item.nodeid) in SPREAD
    return (0 if browser else 2) + (1 if spread else 0)


class ModuleScheduling(LoadScopeScheduling):
    """xdist's ``loadscope`` with one scope per module, or per test in `SPREAD`, sent in the
    order the workers collected them (`running_order`)."""

    def __init__(self, config: pytest.Config, log: object = None) -> None:
        super().__init__(config, log)
        config.option.loadscopereorder = False

    def _split_scope(self, nodeid: str) -> str:
        module = _module(nodeid)
        return nodeid if module in SPREAD else module
