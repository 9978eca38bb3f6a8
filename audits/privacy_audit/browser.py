"""Find a Chromium and open it the way a visitor's desktop browser behaves.

Order of search: ``--browser PATH``, then ``$PRIVACY_PAGES_CHROMIUM``, then Playwright's own
Chromium when installed, then a system Chromium or Chrome on ``PATH``.

Playwright's default contexts are off-the-record, and this Chromium blocks third-party
cookies there and in fresh headless profiles alike (blocked reason ``UserPreferences``):
exactly the trackers an audit must see. Each phase therefore gets a regular profile in a
fresh temporary user-data-dir whose preferences allow third-party cookies.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the CLI imports this module for --help: no playwright at import time
    from playwright.async_api import BrowserContext, Playwright

ENV_VARIABLE = "PRIVACY_PAGES_CHROMIUM"
SYSTEM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
INSTALL_HINT = (
    "no Chromium found: install one (`apt-get install chromium`, or "
    "`playwright install chromium`), or pass --browser PATH or set PRIVACY_PAGES_CHROMIUM"
)

BASE_FLAGS = (
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    "--disable-domain-reliability",
    "--no-pings",
    "--metrics-recording-only",
    # navigator.webdriver would be true: consent managers hide their banner from bots
    # (vanilla-cookieconsent's hideFromBots), and the audit must see what visitors see.
    "--disable-blink-features=AutomationControlled",
)

# A regular desktop profile: cookies allowed, third-party cookies too (Chrome's default
# setting "Block third-party cookies in Incognito" is cookie_controls_mode 1).
PROFILE_PREFERENCES: dict[str, Any] = {
    "profile": {
        "cookie_controls_mode": 0,
        "block_third_party_cookies": False,
        "default_content_setting_values": {"cookies": 1},
        "exit_type": "Normal",
        "exited_cleanly": True,
    },
    "browser": {"has_seen_welcome_page": True},
}


class BrowserNotFound(Exception):
    """No usable Chromium; ``str(error)`` is one line saying what to install."""


@dataclass(frozen=True)
class BrowserChoice:
    path: str
    source: str  # option, env, playwright, system


def find_browser(
    option: str | None,
    *,
    env: Mapping[str, str] | None = None,
    playwright_path: str | None = None,
    search_path: str | None = None,
) -> BrowserChoice:
    """The Chromium to drive, or `BrowserNotFound` naming what to install."""
    env = os.environ if env is None else env
    if option:
        return BrowserChoice(_require_executable(option, "--browser"), "option")
    if env.get(ENV_VARIABLE):
        return BrowserChoice(_require_executable(env[ENV_VARIABLE], ENV_VARIABLE), "env")
    if playwright_path and _is_executable(playwright_path):
        return BrowserChoice(playwright_path, "playwright")
    for name in SYSTEM_NAMES:
        found = shutil.which(name, path=search_path)
        if found:
            return BrowserChoice(found, "system")
    raise BrowserNotFound(INSTALL_HINT)


def _is_executable(path: str) -> bool:
    return os.path.isfile(path) and os.access(path, os.X_OK)


def _require_executable(path: str, where: str) -> str:
    resolved = shutil.which(path) or path
    if not _is_executable(resolved):
        raise BrowserNotFound(f"{where}: {path!r} is not an executable browser; {INSTALL_HINT}")
    return resolved


def host_resolver_rules(resolve: Mapping[str, str]) -> str | None:
    """``MAP host ip`` rules for Chromium's resolver, from ``--resolve HOST=IP`` options."""
    if not resolve:
        return None
    return ", ".join(f"MAP {host} {ip}" for host, ip in resolve.items())


def launch_flags(resolve: Mapping[str, str]) -> list[str]:
    """Command-line flags for this browser; ``--no-sandbox`` only when running as root."""
    flags = list(BASE_FLAGS)
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        flags.insert(0, "--no-sandbox")
    rules = host_resolver_rules(resolve)
    if rules:
        flags.append(f"--host-resolver-rules={rules}")
    return flags


def prepare_profile(user_data_dir: Path) -> None:
    """Write the preferences of a regular profile that accepts third-party cookies."""
    default = user_data_dir / "Default"
    default.mkdir(parents=True, exist_ok=True)
    (default / "Preferences").write_text(json.dumps(PROFILE_PREFERENCES), encoding="utf-8")


async def open_profile(
    playwright: "Playwright",
    choice: BrowserChoice,
    *,
    resolve: Mapping[str, str],
    ignore_https_errors: bool,
    user_data_dir: Path,
    locale: str | None = None,
    extra_flags: Sequence[str] = (),
) -> "BrowserContext":
    """Launch Chromium on a fresh regular profile in ``user_data_dir``."""
    prepare_profile(user_data_dir)
    return await playwright.chromium.launch_persistent_context(
        str(user_data_dir),
        executable_path=choice.path,
        headless=True,
        args=[*launch_flags(resolve), *extra_flags],
        ignore_https_errors=ignore_https_errors,
        viewport={"width": 1280, "height": 800},
        locale=locale,
        handle_sigint=True,
        handle_sigterm=True,
        handle_sighup=True,
    )


def new_profile_dir() -> Path:
    """A fresh temporary user-data-dir; the caller removes it."""
    return Path(tempfile.mkdtemp(prefix="privacy-pages-profile-"))


def descendants(root: int) -> list[int]:
    """Process ids below ``root`` (Linux /proc; empty elsewhere)."""
    proc = Path("/proc")
    if not proc.is_dir():
        return []
    children: dict[int, list[int]] = {}
    for entry in proc.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(parent, []).append(int(entry.name))
    found: list[int] = []
    queue = [root]
    while queue:
        for child in children.get(queue.pop(), []):
            found.append(child)
            queue.append(child)
    return found


def kill_profile_processes(user_data_dir: Path) -> list[int]:
    """Kill, by id, this process's descendants that run on ``user_data_dir``; their ids.

    Used when a browser does not close in time: its profile folder can only be removed
    once nothing writes into it. Only our own children, matched by their profile, are hit.
    """
    import signal

    marker = f"--user-data-dir={user_data_dir}".encode()
    killed = []
    for pid in descendants(os.getpid()):
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            continue
        if marker in cmdline:
            try:
                os.kill(pid, signal.SIGKILL)
                killed.append(pid)
            except (ProcessLookupError, PermissionError):
                pass
    return killed
