"""One driver and one Chromium for audit after audit (`collect.host.BrowserHost`), as
`audit --all` uses them: nothing of one audit reaches the next, and a browser that an
audit could not close in its budget is never lent again."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest

from privacy_audit.collect.host import BrowserHost
from privacy_audit.observations import Observations
from privacy_audit.settings import AuditSettings, parse_resolve

from ..conftest import patience
from .interrupt import (
    assert_interrupted_cleanly,
    interrupt_while_loading,
    marked_tmpdir,
    processes_mentioning,
)
from .site_server import SITES, SiteServer

pytestmark = pytest.mark.browser


def _settings(server: SiteServer, **overrides: Any) -> AuditSettings:
    options: dict[str, Any] = {
        "url": server.url(),
        "pages": 2,
        "timeout": patience(10),
        "budget": patience(150),
        "concurrency": 2,
        "settle": 0.3,
        "consent_wait": patience(4),
        "resolve": parse_resolve(server.resolve),
        "ignore_https_errors": True,
    }
    options.update(overrides)
    return AuditSettings(**options)


def _seen(observations: Observations) -> list[tuple[Any, ...]]:
    """Per phase: the cookies, storage keys and third parties, and the pages' outcomes."""
    return [
        (
            phase.phase,
            sorted((c.name, c.domain) for c in phase.cookies),
            sorted((s.kind, s.key) for s in phase.storage),
            sorted(r.host for r in phase.requests),
            [(p.url, p.status, p.error_kind) for p in phase.pages],
        )
        for phase in observations.phases
    ]


def test_audits_share_one_browser_and_nothing_else(
    serve_site: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shop, faults = serve_site("tarteaucitron"), serve_site("faults")
    with marked_tmpdir() as profiles:
        monkeypatch.setattr("tempfile.tempdir", str(profiles))
        with BrowserHost() as host:
            first = host.observe(_settings(shop), tmp_path / "1")
            second = host.observe(_settings(shop), tmp_path / "2")
            assert host.started_browsers == 1
            assert processes_mentioning(str(profiles)), "the browser is kept between audits"
            # A landing page that hangs past the budget: the phases are stopped with their
            # contexts open, so this audit closes the browser instead of lending it.
            budget = patience(6)
            started = time.monotonic()
            stopped = host.observe(
                _settings(faults, url=faults.url("/hang?s=60"), budget=budget), tmp_path / "3"
            )
            assert time.monotonic() - started < budget + patience(2)
            assert all(p.notes for p in stopped.phases)
            third = host.observe(_settings(shop), tmp_path / "4")
            assert host.started_browsers == 2
        monkeypatch.undo()
        assert processes_mentioning(str(profiles)) == []
        assert [p.name for p in profiles.iterdir()] == []
    # What the first audit accepted is not in the next ones' jars: every phase equal.
    before, _, accept = _seen(first)
    assert len(accept[1]) > len(before[1])  # something could have leaked, and did not
    assert _seen(second) == _seen(first) == _seen(third)


def test_ctrl_c_during_audit_all_leaves_no_browser_behind(serve_site: Any, tmp_path: Path) -> None:
    """The host's loop runs in a thread: Ctrl-C reaches the command's thread, which cancels
    the running audit and closes the shared browser before it says "interrupted"."""
    server = serve_site("faults")
    content = tmp_path / "content"
    content.mkdir()
    controller = (SITES / "bad" / "controller.yaml").read_text(encoding="utf-8")
    controller = controller.replace("website: http://shop.test/", f"website: {server.url()}")
    (content / "shop.yaml").write_text(controller, encoding="utf-8")
    argv = ["audit", "--all", str(content), "--out", str(tmp_path / "runs")]
    argv += ["--timeout", str(round(patience(10))), "--ignore-https-errors"]
    argv += [f"--resolve={rule}" for rule in server.resolve]
    assert_interrupted_cleanly(interrupt_while_loading(argv))


def test_audits_run_while_a_host_is_lent_use_it(serve_site: Any, tmp_path: Path) -> None:
    """A program running audit after audit in one process (`BrowserHost.lent`): the command
    line's audit and `audit --all` alike use the lent host, and nothing else does."""
    from privacy_pages.cli import main

    server = serve_site("faults")
    controller = (SITES / "bad" / "controller.yaml").read_text(encoding="utf-8")
    content = tmp_path / "content"
    content.mkdir()
    (content / "shop.yaml").write_text(
        controller.replace("website: http://shop.test/", f"website: {server.url()}"),
        encoding="utf-8",
    )
    options = ["--pages", "1", "--consent-wait", "0", "--settle", "0.2", "--quiet"]
    options += ["--format", "json", *[f"--resolve={rule}" for rule in server.resolve]]
    one = ["audit", str(content / "shop.yaml"), "--out", str(tmp_path / "one"), *options]
    every = ["audit", "--all", str(content), "--out", str(tmp_path / "all"), *options]
    with BrowserHost() as host:
        assert BrowserHost.current() is None
        with host.lent():
            assert BrowserHost.current() is host
            assert main(one) in (0, 1)
            assert main(every) in (0, 1)
        assert BrowserHost.current() is None
        assert host.started_browsers == 1
    with pytest.raises(RuntimeError, match="outside its `with` block"), BrowserHost().lent():
        pass
