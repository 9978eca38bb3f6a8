"""Find a Chromium and open it the way a visitor's desktop browser behaves.

Order of search: ``--browser PATH``, then ``$PRIVACY_PAGES_CHROMIUM``, then Playwright's own
Chromium when installed, then a system Chromium or Chrome on ``PATH``.

Playwright's default contexts are off-the-record, and this Chromium blocks third-party
cookies there and in fresh headless profiles alike (blocked reason ``UserPreferences``):
exactly the trackers an audit must see. An off-the-record context reads its cookie setting
from the regular profile it belongs to, though. So one Chromium is started on a fresh
temporary profile whose preferences allow third-party cookies, Playwright attaches to it
(CDP, on a loopback port Chromium picks), and each phase gets its own context in it: one
browser process for the whole audit, clean and separate cookie jars per phase.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from privacy_audit.collect.proctree import ProcessId, descendants, identify, running
from privacy_audit.settings import Timeouts

if TYPE_CHECKING:  # the CLI imports this module for --help: no playwright at import time
    from playwright.async_api import Browser, Playwright

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

DISABLED_FEATURES = (
    # Playwright's own list (chromiumSwitches): no HTTPS upgrade of loopback test sites,
    # unpartitioned third-party storage, and no request to Google at start (optimization
    # hints, network time, AI Mode eligibility, search preconnect): loopback only.
    "ThirdPartyStoragePartitioning",
    "PaintHolding",
    "HttpsUpgrades",
    "HttpsFirstBalancedModeAutoEnable",
    "OptimizationHints",
    "NetworkTimeServiceQuerying",
    "AimEnabled",
    "PreconnectToSearch",
    "MediaRouter",
    "DestroyProfileOnBrowserClose",
    "LensOverlay",
    "AvoidUnnecessaryBeforeUnloadCheckSync",
    # A warm renderer serves one profile only; with a context per phase it is thrown away
    # and started again at almost every new tab (20+ renderers per audit instead of 6-8).
    "SpareRendererForSitePerProcess",
    # Every window (a phase's first tab opens one, headless too) preloads the address bar's
    # popup, two WebUI pages (chrome://omnibox-popup.top-chrome) in a renderer no one sees:
    # measured, the audit's whole CPU fell by 30% without them (a plain Playwright load of
    # the same pages by 18%). Either feature alone still draws them.
    "WebUIOmniboxPopup",
    "WebUIOmniboxAimPopup",
)
"""Chromium features turned off for the audit's browser (``--disable-features``)."""

# What Playwright passes when it launches Chromium itself (its chromiumSwitches), for a
# browser we start: no throttling of the phases' background tabs and timers, no first-run
# or update noise, and third-party storage unpartitioned as in Playwright's own launches.
SHARED_FLAGS = (
    "--headless",
    "--hide-scrollbars",
    "--mute-audio",
    "--disable-field-trial-config",
    "--disable-background-timer-throttling",
    "--disable-backgrounding-occluded-windows",
    "--disable-renderer-backgrounding",
    "--disable-ipc-flooding-protection",
    "--disable-hang-monitor",
    "--disable-back-forward-cache",
    "--disable-breakpad",
    "--disable-component-extensions-with-background-pages",
    "--disable-default-apps",
    "--disable-dev-shm-usage",
    "--disable-extensions",
    "--disable-popup-blocking",
    "--disable-prompt-on-repost",
    "--no-default-browser-check",
    "--no-service-autorun",
    "--password-store=basic",
    "--force-color-profile=srgb",
    "--allow-pre-commit-input",
    "--disable-features=" + ",".join(DISABLED_FEATURES),
    "--enable-features=SkipListAccountsWithoutGaiaCookies",
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


_DIE_WITH_PARENT = """
import ctypes, os, signal, sys
ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG
if os.getppid() != int(sys.argv[1]):
    sys.exit(1)  # the audit died before this line: start no browser
os.execv(sys.argv[2], sys.argv[2:])
"""


def tied_to_this_process(command: list[str]) -> list[str]:
    """``command`` started so that the kernel kills it when this process dies (Linux).

    An audit killed outright (a scheduler's hard timeout, the OOM killer, ``kill -9``)
    cannot close its browser, and Chromium does not notice: it ran on, its pages' timers
    too, for good. A few lines of Python ask the kernel for a parent-death signal, then
    become the browser (``execv``: the same process, which keeps the signal). Elsewhere
    the command is unchanged.
    """
    if not sys.platform.startswith("linux"):
        return command
    return [sys.executable, "-I", "-S", "-c", _DIE_WITH_PARENT, str(os.getpid()), *command]


class BrowserStartError(Exception):
    """The browser would not start; one line."""


class SharedBrowser:
    """One Chromium on a regular, third-party-cookie friendly profile, driven over CDP.

    ``async with SharedBrowser(...) as browser`` starts it; leaving closes it, kills what
    is left of it by process id, then removes its profile folder.
    """

    def __init__(
        self,
        playwright: Playwright,
        choice: BrowserChoice,
        *,
        resolve: Mapping[str, str],
        timeouts: Timeouts,
        close_by: float | None = None,
    ) -> None:
        self.playwright = playwright
        self.choice = choice
        self.resolve = resolve
        self.timeouts = timeouts
        self.close_by = close_by  # loop time by which it must be gone (the audit's budget)
        self.profile = new_profile_dir()
        self.process: subprocess.Popen[bytes] | None = None
        self.browser: Browser | None = None
        self.notes: list[str] = []
        self.reused = False  # lent again by a `host.BrowserKeeper`, already running
        self.driver_folder: Path | None = None  # the driver's folder for this connection

    def alive(self) -> bool:
        """Started, still running and still connected (a keeper lends only such a one)."""
        return (
            self.process is not None
            and self.process.poll() is None
            and self.browser is not None
            and self.browser.is_connected()
        )

    async def __aenter__(self) -> Browser:
        return await self.start()

    async def start(self) -> Browser:
        """Start Chromium and attach to it; a kept browser that is alive is returned as is."""
        if self.reused and self.browser is not None:
            return self.browser
        try:
            prepare_profile(self.profile)
            self.process = subprocess.Popen(  # noqa: ASYNC220 - returns at once
                tied_to_this_process(
                    [
                        self.choice.path,
                        *SHARED_FLAGS,
                        f"--user-data-dir={self.profile}",
                        "--remote-debugging-address=127.0.0.1",
                        "--remote-debugging-port=0",
                        *launch_flags(self.resolve),
                        "--no-startup-window",
                    ]
                ),
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            port = await self._debugging_port()
            before = driver_folders()
            self.browser = await self.playwright.chromium.connect_over_cdp(
                f"http://127.0.0.1:{port}", timeout=self.timeouts.start * 1000
            )
            created = driver_folders() - before
            self.driver_folder = created.pop() if len(created) == 1 else None
        except BaseException:
            await self.close()
            raise
        return self.browser

    async def _debugging_port(self) -> int:
        """The port Chromium writes into its profile once it listens."""
        assert self.process is not None
        marker = self.profile / "DevToolsActivePort"
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.timeouts.start
        while loop.time() < deadline:
            if self.process.poll() is not None:
                raise BrowserStartError(
                    f"{self.choice.path}: the browser exited at start (code "
                    f"{self.process.returncode})"
                )
            try:
                return int(marker.read_text(encoding="utf-8").split()[0])
            except (OSError, ValueError, IndexError):
                await asyncio.sleep(self.timeouts.start_poll)
        raise BrowserStartError(
            f"{self.choice.path}: the browser did not start within {self.timeouts.start:.0f} s"
        )

    async def __aexit__(self, *_: object) -> None:
        await self.close()

    async def close(self) -> None:
        """Close the browser as its own menu would, kill by process id only what did not
        exit within the grace period, then remove the profile.

        Playwright's ``browser.close()`` only disconnects from a browser attached over CDP,
        and a SIGTERM skips Chromium's own cleanup (its ``org.chromium.Chromium.*`` folders
        stay in the temp folder): the protocol's ``Browser.close`` shuts it down properly.
        The grace period ends with the audit's budget (``close_by``).
        """
        loop = asyncio.get_running_loop()
        allowed = self.timeouts.close
        if self.close_by is not None:
            # The kill and its wait come within the budget too.
            allowed = max(0.3, min(allowed, self.close_by - self.timeouts.terminate - loop.time()))
        deadline = loop.time() + allowed
        # Its processes while they are still its children: once the browser process has
        # gone, those still finishing (the network service writing its state into the
        # profile) belong to init, and no look at our own tree finds them any more.
        tree = profile_processes(self.profile)
        if self.browser is not None:
            try:
                await asyncio.wait_for(self._close_over_cdp(self.browser), timeout=allowed)
            except (asyncio.TimeoutError, Exception) as error:  # noqa: BLE001
                self.notes.append(f"the browser did not close cleanly: {error or 'timed out'}")
            self.browser = None
        if self.process is not None:
            if not await self._exited(deadline):
                self.notes.append("the browser did not exit in time; killed by process id")
                self.process.kill()
                await self._exited(loop.time() + self.timeouts.terminate)
            self.process = None
        # Those of its processes still ours (started after the first look) go the same way.
        left = list(dict.fromkeys([*tree, *profile_processes(self.profile)]))
        killed = await self._end_stragglers(left, deadline)
        if killed:
            self.notes.append(f"{len(killed)} browser process(es) killed after closing")
        remove_singleton_folder(self.profile)
        remove_profile(self.profile)
        remove_driver_folder(self.driver_folder)
        self.driver_folder = None

    async def _end_stragglers(self, tree: list[ProcessId], deadline: float) -> list[int]:
        """Let the browser's former processes exit by ``deadline`` (loop time), kill those
        that did not, and wait until they are gone: nothing writes into the profile then.
        The ids of those killed."""
        loop = asyncio.get_running_loop()
        left = [process for process in tree if running(process)]
        while left and loop.time() < deadline:
            await asyncio.sleep(self.timeouts.exit_poll)
            left = [process for process in left if running(process)]
        killed = [process.pid for process in left if _kill(process.pid)]
        end = loop.time() + self.timeouts.terminate
        while left and loop.time() < end:
            await asyncio.sleep(self.timeouts.exit_poll)
            left = [process for process in left if running(process)]
        return killed

    async def _close_over_cdp(self, browser: Browser) -> None:
        """``Browser.close`` over the protocol, then drop Playwright's connection."""
        try:
            session = await browser.new_browser_cdp_session()
            await session.send("Browser.close")
        except Exception:  # noqa: BLE001, S110 - the connection drops as the browser goes away
            pass
        await browser.close()

    async def _exited(self, deadline: float) -> bool:
        """Whether the browser process is gone by ``deadline`` (loop time)."""
        assert self.process is not None
        loop = asyncio.get_running_loop()
        while self.process.poll() is None:
            if loop.time() >= deadline:
                return False
            await asyncio.sleep(self.timeouts.exit_poll)
        return True


class BrowserKeeper:
    """The browser an audit may hand over to the next one (`host.BrowserHost`, on its loop)."""

    def __init__(self) -> None:
        self._kept: SharedBrowser | None = None

    async def lend(
        self,
        playwright: Playwright,
        choice: BrowserChoice,
        *,
        resolve: Mapping[str, str],
        timeouts: Timeouts,
        close_by: float | None,
    ) -> SharedBrowser:
        """The kept browser when it is alive and was started the same way, else a new one
        (not started yet: the audit starts it within its own budget)."""
        kept, self._kept = self._kept, None
        if kept is not None:
            if kept.alive() and kept.choice.path == choice.path and kept.resolve == resolve:
                kept.close_by = close_by
                kept.timeouts = timeouts
                kept.notes = []
                kept.reused = True
                return kept
            kept.close_by = close_by
            await kept.close()
        return SharedBrowser(
            playwright, choice, resolve=resolve, timeouts=timeouts, close_by=close_by
        )

    def keep(self, browser: SharedBrowser) -> None:
        """Hand ``browser`` over to the next audit (its contexts are all closed)."""
        self._kept = browser

    async def close(self) -> None:
        kept, self._kept = self._kept, None
        if kept is not None:
            kept.close_by = None
            await kept.close()


PROFILE_PREFIX = "privacy-pages-profile-"


def new_profile_dir() -> Path:
    """A fresh temporary user-data-dir; the caller removes it. The profiles that audits
    killed outright left in the temp folder are removed first (`remove_stale_profiles`)."""
    remove_stale_profiles(Path(tempfile.gettempdir()))
    return Path(tempfile.mkdtemp(prefix=PROFILE_PREFIX))


DRIVER_FOLDER_PREFIX = "playwright-artifacts-"


def driver_folders() -> set[Path]:
    """The Playwright drivers' folders in the temp folder (one per browser connection)."""
    try:
        return set(Path(tempfile.gettempdir()).glob(DRIVER_FOLDER_PREFIX + "*"))
    except OSError:
        return set()


def remove_driver_folder(folder: Path | None) -> None:
    """The folder the driver made for this browser's connection, once the browser is gone.

    The driver removes it itself when it sees the connection end; but a driver still busy
    (a page that reloaded itself forever, a loaded machine) when the audit's budget ends is
    stopped before that, and each such audit left one behind in the temp folder. It is
    known as the one folder that appeared while this connection was made (none is taken
    when two did), and removed only empty (``rmdir``): nothing of another program's."""
    if folder is None:
        return
    try:
        folder.rmdir()
    except OSError:
        pass  # removed by the driver already, or not empty: not ours to empty


def remove_stale_profiles(folder: Path) -> list[Path]:
    """Remove the profiles in ``folder`` whose browser is dead; the ones removed.

    An audit killed outright (``kill -9``) takes its browser with it, but no one is left to
    remove its profile (tens of MB). A profile counts as stale only when all of these hold:
    it has our name, is a real folder of this user, Chromium's lock in it names this
    machine and a process that no longer exists, and no process runs on it any more. A
    running audit's profile (its browser alive, or not started yet: no lock) is never
    touched, nor is anything else.
    """
    removed = []
    host = socket.gethostname()
    try:
        entries = list(folder.glob(PROFILE_PREFIX + "*"))
    except OSError:
        return removed
    for profile in entries:
        try:
            if profile.is_symlink() or not profile.is_dir() or profile.stat().st_uid != os.getuid():
                continue
            owner, _, pid = os.readlink(profile / "SingletonLock").rpartition("-")
        except OSError:
            continue  # no lock: its browser has not started yet, or it closed cleanly
        if owner != host or not pid.isdigit() or _exists(int(pid)) or _in_use(profile):
            continue
        remove_singleton_folder(profile)
        remove_profile(profile)
        removed.append(profile)
    return removed


def _in_use(user_data_dir: Path) -> bool:
    """Whether any process still runs on ``user_data_dir``: a killed browser's helpers (its
    network and storage services) take a moment to notice and may still write into it."""
    marker = f"--user-data-dir={user_data_dir}".encode()
    for entry in Path("/proc").glob("[0-9]*"):
        try:
            if marker in (entry / "cmdline").read_bytes():
                return True
        except OSError:
            continue  # ended while we read
    return False


def _exists(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # someone else's: alive
    return True


def profile_processes(user_data_dir: Path) -> list[ProcessId]:
    """This process's descendants that run on ``user_data_dir`` (matched by their command
    line: only our own browser's processes). A browser that does not close in time is
    ended through them: its profile can only be removed once nothing writes into it."""
    marker = f"--user-data-dir={user_data_dir}".encode()
    found = []
    for pid in descendants(os.getpid()):
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            continue
        process = identify(pid) if marker in cmdline else None
        if process is not None:
            found.append(process)
    return found


def _kill(pid: int) -> bool:
    try:
        os.kill(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        return False
    return True


SINGLETON_FOLDER = re.compile(r"(?:org\.chromium\.Chromium|com\.google\.Chrome(?:\.\w+)?)\.\w{6}")
"""The name Chromium (or Chrome) gives its single-instance folder in the temp folder."""
SINGLETON_NAMES = frozenset({"SingletonSocket", "SingletonCookie"})


def remove_singleton_folder(user_data_dir: Path) -> None:
    """Remove the folder Chromium made in the temp folder for its single-instance socket.

    Chromium removes it when it closes itself, not when it is killed (a browser past the
    audit's budget): each kill left one behind. It is found through the profile's own link
    to it, and removed only if it is that browser's (the same cookie), is named as Chromium
    names it, and holds nothing else: never another folder, whatever a link says.
    """
    try:
        link = Path(os.readlink(user_data_dir / "SingletonSocket"))
        cookie = os.readlink(user_data_dir / "SingletonCookie")
    except OSError:
        return  # closed cleanly: Chromium removed its links, and the folder with them
    folder = link.parent
    try:
        if (
            not SINGLETON_FOLDER.fullmatch(folder.name)
            or not folder.is_dir()
            or folder.is_symlink()
            or {entry.name for entry in folder.iterdir()} - SINGLETON_NAMES
            or os.readlink(folder / "SingletonCookie") != cookie
        ):
            return
        for name in SINGLETON_NAMES:
            (folder / name).unlink(missing_ok=True)
        folder.rmdir()
    except OSError:
        return  # in use again, or gone meanwhile: left as it is


def remove_profile(user_data_dir: Path) -> None:
    """Remove a closed browser's profile folder. A file written while the folder was being
    removed (the last write of a process that was ending) makes the first pass leave it:
    a second pass removes what the first one could not."""
    for _ in range(2):
        shutil.rmtree(user_data_dir, ignore_errors=True)
        if not user_data_dir.exists():
            return
