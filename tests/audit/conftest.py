"""Fixtures of the audit tests: real sites on 127.0.0.1 with real consent managers from npm.

Only add fixtures here: the collect tests and the inspect/report tests share this file.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from .site_server import SiteServer, make_certificate


@pytest.fixture(scope="session")
def consent_managers(npm_modules: Path) -> Path:
    """node_modules holding the consent managers of tests/npm-fixtures, pinned."""
    return npm_modules


@pytest.fixture(scope="session")
def site_certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A self-signed certificate for shop.test, tracker.test and ads.test."""
    return make_certificate(tmp_path_factory.mktemp("certificate"))


@pytest.fixture(scope="session")
def serve_site(
    consent_managers: Path, site_certificate: tuple[Path, Path]
) -> Iterator[Callable[[str], SiteServer]]:
    """Start ``sites/<name>`` (HTTP and HTTPS, routed by host name); stopped at the end."""
    servers: dict[str, SiteServer] = {}

    def start(name: str) -> SiteServer:
        if name not in servers:
            servers[name] = SiteServer(name, site_certificate).start()
        return servers[name]

    yield start
    for server in servers.values():
        server.stop()
