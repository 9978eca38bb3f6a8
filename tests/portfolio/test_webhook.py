"""`--webhook` against receivers that misbehave, all on 127.0.0.1.

One deadline bounds a whole POST however slowly the receiver drips its answer; a failure
that may pass is retried once; a redirect is not delivery and is not followed; the URL's
credentials and query never reach an error line; a failed delivery is in the run's notes
and its exit status.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from contextlib import closing
from pathlib import Path

import pytest

from privacy_audit.portfolio.webhook import WebhookError, post_json, safe_url

from ..conftest import spawn as cli
from ..loopback import LoopbackServer, Reply, Request
from .portfolio_sites import RESOLVE, PortfolioSites
from .reports import complete_report

PAYLOAD = {"event": "audit.worse", "text": "a test"}


class Scripted:
    """A webhook receiver on loopback: each POST gets the next of ``statuses`` (then 204),
    with a ``Location`` header when ``location`` is given."""

    def __init__(self, *statuses: int, location: str = "") -> None:
        self._statuses, self._location = list(statuses), location
        self._server = LoopbackServer(self._respond).start()
        self.port = self._server.port
        self.url = self._server.url("/hooks/audit")

    @property
    def posts(self) -> list[Request]:
        return [r for r in self._server.requests if r.method == "POST"]

    def _respond(self, request: Request) -> Reply:
        headers = (("Location", self._location),) if self._location else ()
        status = self._statuses.pop(0) if self._statuses else 204
        return Reply(status, b"", "text/plain", headers=headers)

    def stop(self) -> None:
        self._server.stop()


class Drip:
    """A receiver that reads the POST, then answers one header byte every 0.2 s, forever."""

    def __init__(self) -> None:
        self.connections = 0
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        self._stop = threading.Event()
        threading.Thread(target=self._accept, daemon=True).start()

    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hooks/audit"

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._listener.accept()
            except OSError:
                return
            self.connections += 1
            threading.Thread(target=self._drip, args=(conn,), daemon=True).start()

    def _drip(self, conn: socket.socket) -> None:
        with conn:
            try:
                conn.recv(65536)
                for byte in b"HTTP/1.1 200 OK\r\nX-Slow: " + b"a" * 100_000:
                    if self._stop.is_set():
                        return
                    conn.sendall(bytes([byte]))
                    time.sleep(0.2)
            except OSError:
                return

    def close(self) -> None:
        self._stop.set()
        self._listener.close()


def test_a_dripping_receiver_is_cut_at_the_deadline_and_tried_once_more() -> None:
    started = time.monotonic()
    with closing(Drip()) as drip, pytest.raises(WebhookError) as error:
        post_json(drip.url(), PAYLOAD, 1.0, retry_pause=0.1)
    assert time.monotonic() - started < 15  # the drip alone would last 5 hours
    assert drip.connections == 2
    assert str(error.value) == (
        f"--webhook: http://127.0.0.1:{drip.port}/hooks/audit: not delivered: "
        "no complete answer within 1 s (tried twice)"
    )


def test_a_redirect_is_not_delivered_and_not_followed() -> None:
    elsewhere = Scripted(204)
    receiver = Scripted(302, location=elsewhere.url)
    try:
        with pytest.raises(WebhookError) as error:
            post_json(receiver.url, PAYLOAD, 2.0, retry_pause=0.1)
    finally:
        receiver.stop()
        elsewhere.stop()
    assert "302 (a redirect; not followed)" in str(error.value)
    assert len(receiver.posts) == 1 and elsewhere.posts == []


def test_a_server_error_is_tried_once_more_and_a_client_error_is_not() -> None:
    flaky, wrong = Scripted(503, 204), Scripted(404, 204)
    try:
        assert post_json(flaky.url, PAYLOAD, 2.0, retry_pause=0.1) == 204
        with pytest.raises(WebhookError, match="answered 404"):
            post_json(wrong.url, PAYLOAD, 2.0, retry_pause=0.1)
    finally:
        flaky.stop()
        wrong.stop()
    assert len(flaky.posts) == 2 and len(wrong.posts) == 1
    assert json.loads(flaky.posts[1].body) == PAYLOAD


def test_credentials_and_query_never_reach_an_error_line() -> None:
    receiver = Scripted(401)
    url = f"http://agent:s3cret@127.0.0.1:{receiver.port}/hooks/x?token=abc123"
    try:
        with pytest.raises(WebhookError) as error:
            post_json(url, PAYLOAD, 2.0, retry_pause=0.1)
    finally:
        receiver.stop()
    message = str(error.value)
    assert f"http://127.0.0.1:{receiver.port}/hooks/x" in message
    assert not any(secret in message for secret in ("agent", "s3cret", "token", "abc123"))
    (request,) = receiver.posts
    assert (request.path, request.query) == ("/hooks/x", {"token": ["abc123"]})
    assert request.headers["authorization"] == "Basic YWdlbnQ6czNjcmV0"  # agent:s3cret
    assert safe_url("http://[::1]:8080/a?b#c") == "http://[::1]:8080/a"


def _previous_clean_run(out: Path, url: str) -> None:
    """An earlier run of client02 with no finding: the next audit of it is worse."""
    run = out / "client02" / "20260101T000000Z"
    run.mkdir(parents=True)
    (run / "report.json").write_text(json.dumps(complete_report({"target_url": url})), "utf-8")
    record = {"format_version": 1, "run": run.name, "controller": "client02", "verdict": "pass",
              "counts": {"error": 0, "warning": 0, "info": 0}, "url": url}  # fmt: skip
    (run / "run.json").write_text(json.dumps(record), encoding="utf-8")


@pytest.mark.browser
def test_a_run_whose_alert_is_not_delivered_says_so_and_fails(tmp_path: Path) -> None:
    redirect, drip = Scripted(302, location="http://127.0.0.1:9/"), Drip()
    options = ["--pages", "1", "--consent-wait", "0", "--settle", "0.3", "--timeout", "15",
               "--resolve", RESOLVE, "--quiet", "--budget", "60"]  # fmt: skip
    try:
        with PortfolioSites(2) as sites:
            content = tmp_path / "content"
            sites.write_controllers(content)
            (content / "client01.yaml").unlink()
            for name, hook in (
                ("redirect", f"http://agent:s3cret@127.0.0.1:{redirect.port}/h?token=abc123"),
                ("drip", drip.url()),
            ):
                out = tmp_path / name
                _previous_clean_run(out, sites.url("client02"))
                started = time.monotonic()
                result = cli("audit", "--all", str(content), "--out", str(out), *options,
                             "--webhook", hook)  # fmt: skip
                elapsed = time.monotonic() - started
                assert result.code == 2, (name, result.out, result.err)
                lines = [line for line in result.err.splitlines() if "--webhook" in line]
                assert len(lines) == 1 and "not delivered" in lines[0], result.err
                assert not any(s in result.err for s in ("agent", "s3cret", "token", "abc123"))
                latest = (out / "client02" / "LATEST").read_text(encoding="utf-8").strip()
                record = json.loads((out / "client02" / latest / "run.json").read_text("utf-8"))
                assert record["worse"] is True and record["notes"] == [lines[0].split(": ", 2)[2]]
                history = (out / "_history" / f"{latest}-client02.json")  # one file per run
                assert json.loads(history.read_text(encoding="utf-8"))["notes"] == record["notes"]
                assert elapsed < 120, elapsed  # before: still blocked after 100 s on the drip
    finally:
        redirect.stop()
        drip.close()
    assert len(redirect.posts) == 1 and drip.connections == 2
