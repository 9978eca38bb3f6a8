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
    """Records every JSON POST it gets on 127.0.0.1."""

    def __init__(self) -> None:
        self.posts: list[dict[str, Any]] = []
        received = self.posts

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: object) -> None:  # noqa: A002
                pass

            def do_POST(self) -> None:  # noqa: N802 - stdlib name
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                received.append(
                    {
                        "path": self.path,
                        "type": self.headers.get("Content-Type"),
                        "json": json.loads(body),
                    }
                )
                self.send_response(204)
                self.end_headers()

        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}/hooks/audit"
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
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=900,
    )
    if check_codes is not None:
        assert result.returncode in check_codes, (argv, result.stdout, result.stderr)
    return result
