"""Fixtures of the portfolio tests: a loopback webhook receiver and a CLI runner."""

from __future__ import annotations

import http.server
import json
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]


class WebhookReceiver:
    """Records every POST it gets on 127.0.0.1, answering each with the next of ``statuses``
    (then 204), with a ``Location`` header when ``location`` is given."""

    def __init__(self, *statuses: int, location: str = "") -> None:
        self.posts: list[dict[str, Any]] = []
        received, answers = self.posts, list(statuses)

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: object) -> None:
                pass

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                received.append(
                    {
                        "path": self.path,
                        "type": self.headers.get("Content-Type"),
                        "headers": dict(self.headers),
                        "json": json.loads(body),
                    }
                )
                self.send_response(answers.pop(0) if answers else 204)
                if location:
                    self.send_header("Location", location)
                self.send_header("Content-Length", "0")
                self.end_headers()

        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self._server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}/hooks/audit"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()


@pytest.fixture
def webhook() -> Iterator[WebhookReceiver]:
    receiver = WebhookReceiver()
    yield receiver
    receiver.stop()


def cli(*argv: str, cwd: Path | None = None, check_codes: tuple[int, ...] | None = None) -> Any:
    """Run ``privacy-pages`` in a child process; the output is shown when an assertion fails."""
    result = subprocess.run(
        [sys.executable, "-m", "privacy_pages.cli", *argv],
        check=False,
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=900,
    )
    if check_codes is not None:
        assert result.returncode in check_codes, (argv, result.stdout, result.stderr)
    return result
