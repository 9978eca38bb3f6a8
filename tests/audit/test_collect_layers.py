"""Banners a consent-manager rule list does not know, tried as a new visitor would.

Two sites on loopback, each audited once per module, asserted phase by phase:
- ``layers``: a French banner drawn late into a shadow root, refusal only on its second
  layer (untick the purpose, save), a close cross that the site takes as consent, `_ga`
  declared strictly necessary but set before any choice, a contact form posting over http;
- ``xframe``: an English banner in a cross-origin iframe, "Reject all" only on its second
  layer, a close cross that the site takes as refusal.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from privacy_audit.collect.host import BrowserHost
from privacy_audit.i18n import Text
from privacy_audit.observations import Observations, banner_detail
from privacy_audit.settings import AuditSettings, parse_resolve
from privacy_pages.cli import main

from .site_server import SITES, SiteServer

pytestmark = pytest.mark.browser


def _argv(server: SiteServer, out: Path, controller: Path) -> list[str]:
    argv = ["audit", str(controller), "--url", server.url(), "--out", str(out)]
    argv += ["--ignore-https-errors", "--quiet", "--timeout", "10"]
    argv += ["--severity", "declared-not-observed=warning"]  # issue 8: by name, no crash
    for rule in server.resolve:
        argv += ["--resolve", rule]
    return argv


@pytest.fixture(scope="module")
def layers(
    serve_site: Any, tmp_path_factory: pytest.TempPathFactory, browser_host: BrowserHost
) -> tuple[int, Observations, dict[str, Any]]:
    server = serve_site("layers")
    out = tmp_path_factory.mktemp("layers") / "report"
    with browser_host.lent():  # the worker's shared driver and Chromium
        code = main(_argv(server, out, SITES / "layers" / "controller.yaml"))
    observations = Observations.from_json((out / "observations.json").read_text("utf-8"))
    report = json.loads((out / "report.json").read_text("utf-8"))
    return code, observations, report


def _cookies(phase: Any) -> list[str]:
    return sorted({c.name for c in phase.cookies})


def test_late_shadow_banner_is_refused_on_its_second_layer(layers: Any) -> None:
    _, observations, _ = layers
    before, reject, accept = observations.phases
    assert before.banner.detected and before.banner.reject_option_found is False
    assert reject.banner.succeeded and reject.banner.method == "text-fallback"
    assert reject.banner.clicked == ["personnaliser", "(untick)", "enregistrer mes choix"]
    assert (reject.banner.clicks, accept.banner.clicks) == (3, 1)
    assert accept.banner.clicked == ["tout accepter"]
    assert _cookies(before) == ["_ga", "sid"]
    assert _cookies(reject) == ["_ga", "choix", "sid"]  # refused: no tracker
    assert _cookies(accept) == ["_ga", "_pa_id", "choix", "sid", "trk_uid"]


def test_banner_details_are_sentences_a_french_report_can_say(layers: Any) -> None:
    """observations.json keeps each detail as a catalogue sentence, read back as one."""
    _, observations, _ = layers
    _before, reject, _ = observations.phases
    said = {p.phase: banner_detail(p.banner) for p in observations.phases}
    assert all(isinstance(sentence, Text) for sentence in said.values()), said
    assert reject.banner.detail.startswith("clicked 'personnaliser' → '(untick)'")
    assert "(second layer)" in reject.banner.detail
    assert str(said["after-reject"]).startswith("clicked 'personnaliser' → '(untick)'")
    assert said["after-reject"].render("fr").startswith("clic sur 'personnaliser' → ")
    assert "(second niveau)" in said["after-reject"].render("fr")
    assert said["before-consent"].render("fr").startswith("bandeau laissé sans réponse ; ")


def test_close_cross_taken_as_consent_is_flagged(layers: Any) -> None:
    _, observations, report = layers
    probe = observations.close_probe
    assert probe is not None and probe["closed"] and probe["label"] == "✕"
    assert "_pa_id" in probe["cookies"]
    bn08 = [f for f in report["findings"] if f["rule"] == "BN08"]
    assert len(bn08) == 1 and "'_pa_id'" in bn08[0]["message"]


def test_misdeclared_ga_is_a_before_consent_error_and_a_mismatch(layers: Any) -> None:
    code, _, report = layers
    found = {
        (f["rule"], f["severity"], f["phase"], (f.get("cookie") or {}).get("name"))
        for f in report["findings"]
    }
    assert ("PC01", "error", "before-consent", "_ga") in found
    assert ("RJ01", "error", "after-reject", "_ga") in found
    assert ("DC06", "error", None, "_ga") in found
    assert ("BN01", "error", "before-consent", None) in found
    assert not any(
        f["rule"] == "RJ01" and f["cookie"]["name"] == "_pa_id"
        for f in report["findings"]
        if f.get("cookie")
    )
    assert code == 1 and report["summary"]["verdict"] == "fail"


def test_form_posting_over_http_is_a_finding(layers: Any) -> None:
    _, _, report = layers
    tx02 = [f for f in report["findings"] if f["rule"] == "TX02"]
    assert len(tx02) == 1 and tx02[0]["url"].endswith("/contact.html")
    assert "/send over plain HTTP" in tx02[0]["message"]


@pytest.fixture(scope="module")
def xframe(
    serve_site: Any, tmp_path_factory: pytest.TempPathFactory, browser_host: BrowserHost
) -> Observations:
    server = serve_site("xframe")
    settings = AuditSettings(
        url=server.url(),
        pages=5,
        timeout=10,
        budget=120,
        resolve=parse_resolve(server.resolve),
        ignore_https_errors=True,
    )
    return browser_host.observe(settings, tmp_path_factory.mktemp("xframe"))


def test_cross_origin_iframe_banner_refused_on_its_second_layer(xframe: Observations) -> None:
    before, reject, accept = xframe.phases
    assert before.banner.detected and before.banner.reject_option_found is False
    assert reject.banner.succeeded
    assert reject.banner.clicked == ["manage options", "reject all"]
    assert accept.banner.succeeded and accept.banner.clicked == ["accept all"]
    assert "_pa_id" not in _cookies(reject) and "consent" in _cookies(reject)
    assert "_pa_id" in _cookies(accept)


def test_close_cross_taken_as_refusal_is_not_flagged(xframe: Observations) -> None:
    probe = xframe.close_probe
    assert probe is not None and probe["closed"] and probe["label"] == "×"
    assert "_pa_id" not in probe["cookies"] and "tracker.test" not in probe["hosts"]
