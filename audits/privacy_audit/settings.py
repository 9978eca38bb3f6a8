"""Audit settings: one validated dataclass; errors name the option, the value, what is allowed."""

from __future__ import annotations

import ipaddress
import re
from dataclasses import asdict, dataclass, field
from typing import Any
from urllib.parse import urlsplit

_HOST = re.compile(r"^(\*\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$")


class SettingsError(ValueError):
    """One line: the option, the bad value and what is allowed."""


@dataclass(frozen=True)
class AuditSettings:
    url: str
    pages: int = 10
    timeout: float = 30.0  # seconds per page
    budget: float = 600.0  # seconds for the whole run, all phases
    concurrency: int = 2
    settle: float = 1.5  # seconds to wait after load for late scripts and beacons
    consent_wait: float = 6.0  # seconds to look for a banner and act on it
    resolve: dict[str, str] = field(default_factory=dict)
    ignore_https_errors: bool = False
    browser: str | None = None

    def __post_init__(self) -> None:
        _check_url(self.url)
        _check_range("--pages", self.pages, 1, 10_000)
        _check_range("--timeout", self.timeout, 1, 3600)
        _check_range("--budget", self.budget, 5, 7 * 24 * 3600)
        _check_range("--concurrency", self.concurrency, 1, 16)
        _check_range("settle", self.settle, 0, 60)
        _check_range("consent_wait", self.consent_wait, 0, 120)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _check_url(url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise SettingsError(
            f"--url: {url!r} is not an http(s) URL; give one like https://www.example.com/"
        )


def _check_range(name: str, value: float, low: float, high: float) -> None:
    if not low <= value <= high:
        raise SettingsError(f"{name}: {value!r} is out of range; allowed {low} to {high}")


def parse_resolve(values: list[str] | None) -> dict[str, str]:
    """``HOST=IP`` options to a map; a ``*.`` wildcard host is allowed, as in Chromium's rules."""
    result: dict[str, str] = {}
    for raw in values or []:
        host, sep, ip = raw.partition("=")
        host = host.strip().lower()
        if not sep or not _HOST.match(host):
            raise SettingsError(
                f"--resolve: {raw!r} is not HOST=IP; write it like shop.example=127.0.0.1"
            )
        try:
            ipaddress.ip_address(ip.strip())
        except ValueError:
            raise SettingsError(
                f"--resolve: {ip.strip()!r} in {raw!r} is not an IP address"
            ) from None
        result[host] = ip.strip()
    return result
