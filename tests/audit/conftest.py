"""Fixtures of the audit tests: real sites on 127.0.0.1 with real consent managers from npm.

Only add fixtures here: the collect tests and the inspect/report tests share this file.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

try:
    from .site_server import NPM_CACHE, SiteServer, make_certificate
except ImportError:  # rootdir-relative imports (pytest's default "prepend" mode)
    from site_server import NPM_CACHE, SiteServer, make_certificate  # type: ignore[no-redef]

# Pinned so that the observations asserted by the tests stay exact.
CONSENT_MANAGERS = {"tarteaucitronjs": "1.34.0", "vanilla-cookieconsent": "3.1.0"}


@pytest.fixture(scope="session")
def consent_managers() -> Path:
    """node_modules holding tarteaucitronjs and vanilla-cookieconsent, installed from npm once."""
    modules = NPM_CACHE / "node_modules"
    wanted = [f"{name}@{version}" for name, version in CONSENT_MANAGERS.items()]
    if not all((modules / name / "package.json").is_file() for name in CONSENT_MANAGERS):
        npm = shutil.which("npm")
        assert npm, "npm is needed to install the consent managers the test sites use"
        subprocess.run(
            [
                npm,
                "install",
                "--prefix",
                str(NPM_CACHE),
                "--no-audit",
                "--no-fund",
                "--no-save",
                *wanted,
            ],
            check=True,
            capture_output=True,
            timeout=300,
        )
    return modules


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
