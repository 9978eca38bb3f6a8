"""The HTML report in each language: English byte-identical (golden), French with no English.

The catalogues (`privacy_audit/locales/*.yaml`) are checked key by key; the French report of
every recorded fixture must contain none of the English catalogue's sentences. Regenerate
the English golden files after an intended change with ``UPDATE_GOLDEN=1``.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest
from privacy_audit.diff import since_last_audit
from privacy_audit.inspect import inspect
from privacy_audit.observations import Observations
from privacy_audit.report import write_reports

try:
    from . import inspect_fixtures as fx
except ImportError:
    import inspect_fixtures as fx  # type: ignore[no-redef]

FIXTURES = [("shop-bad", "shop"), ("shop-good", "shop"), ("bad-site-recorded", "bad-shop")]
GOLDEN = fx.DATA / "golden"
AGENCY = "Agence <Exemple> & fils"


def _recorded(name: str) -> Observations:
    return Observations.from_json((fx.DATA / "observations" / f"{name}.json").read_text("utf-8"))


def render(out: Path, name: str, controller_name: str, lang: str) -> str:
    """The HTML report of a recorded fixture, compared with the shop-good run before it."""
    previous = out / "previous"
    good = _recorded("shop-good")
    controller = fx.controller(controller_name)
    knowledge = fx.builtin_knowledge()
    write_reports(previous, good, inspect(good, controller, knowledge), "json", controller)
    observations = _recorded(name)
    findings = inspect(observations, controller, knowledge)
    written = write_reports(
        out / lang,
        observations,
        findings,
        "html",
        controller,
        knowledge=knowledge,
        generated_at="2026-11-29T10:00:00Z",
        tool_version="0.0.0",
        since_last=since_last_audit(previous / "report.json", observations, findings),
        presentation={"lang": lang, "agency_name": AGENCY, **_sites(name, observations)},
    )
    return _redact(written["html"].read_text(encoding="utf-8"))


def _sites(name: str, observations: Observations) -> dict[str, Any]:
    """One fixture is one of two websites of its controller: the report says so."""
    if name != "bad-site-recorded":
        return {}
    target = observations.target_url
    return {"sites": [target, "https://blog.example.fr/"], "site": target}


def _redact(text: str) -> str:
    return re.sub(r"(Compared with the audit of |Comparé à l’audit du )[^<.]+", r"\1<time>", text)


@pytest.mark.parametrize(("name", "controller_name"), FIXTURES)
def test_english_report_is_unchanged(tmp_path: Path, name: str, controller_name: str) -> None:
    actual = render(tmp_path, name, controller_name, "en")
    golden = GOLDEN / f"{name}.en.report.html"
    if os.environ.get("UPDATE_GOLDEN"):
        golden.write_text(actual, encoding="utf-8")
    assert actual == golden.read_text(encoding="utf-8"), (
        f"the English report differs from {golden}; if intended, rerun with UPDATE_GOLDEN=1"
    )
