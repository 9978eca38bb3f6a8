"""Fixtures of the portfolio tests: a loopback webhook receiver."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from ..loopback import LoopbackServer, Recorder


class WebhookReceiver:
    """Records every JSON POST it gets on 127.0.0.1."""

    def __init__(self) -> None:
        self._recorder = Recorder()
        self._server = LoopbackServer(self._recorder).start()
        self.url = self._server.url("/hooks/audit")

    @property
    def posts(self) -> list[dict[str, Any]]:
        return [
            {"path": r.path, "type": r.headers.get("content-type"), "json": json.loads(r.body)}
            for r in self._recorder.received
        ]

    def stop(self) -> None:
        self._server.stop()


@pytest.fixture
def webhook() -> Iterator[WebhookReceiver]:
    receiver = WebhookReceiver()
    yield receiver
    receiver.stop()
