"""Test sites on 127.0.0.1: one server, HTTP and HTTPS, routed by host name.

``sites/<site>/<host>/`` holds a site's files per host name (``shop.test``); hosts missing
there come from ``sites/_thirdparty/<host>/`` (``tracker.test``, ``ads.test``). Chromium maps
the names to loopback with ``--resolve``. In .html/.js/.xml files ``{{HTTP}}`` and ``{{HTTPS}}``
become the two ports. ``/vendor/<package>/...`` serves the consent managers npm installed into
``.cache/npm-fixtures`` (tests/npm_fixtures.py); ``extra`` serves files made by the test
itself (a generated consent-manager configuration) at the paths it names. A few paths misbehave on purpose: ``/status/<code>``,
``/redirect-loop``, ``/hang``; the trackers' ``/collect`` and ``/pixel.gif`` set cookies from
their own host. Beside a file, ``<file>.cookies`` holds more Set-Cookie lines for it (one a
line), ``<file>.first-delay`` the seconds its first request waits (a page that times out
once) and ``<file>.moved`` the address it is permanently redirected to (HTTP 301, with the
``.cookies`` lines). Host folders of a site (any name with a dot) are mapped to loopback too. Both schemes
are `tests.loopback.LoopbackServer`s sharing one responder.
"""

from __future__ import annotations

import subprocess
import threading
import time
from pathlib import Path

from ..loopback import (
    NOT_FOUND,
    LoopbackServer,
    Reply,
    Request,
    Respond,
    file_reply,
    folder_file,
    refusing_socket,
)
from ..npm_fixtures import NPM_CACHE

SITES = Path(__file__).parent / "sites"

TEMPLATED = (".html", ".js", ".xml")
PIXEL = b"GIF89a\x01\x00\x01\x00\x00\x00\x00;"
HOSTS = ("shop.test", "www.shop.test", "tracker.test", "ads.test")

# Cookies set by the trackers' own hosts, third-party on the shop's pages: they need
# SameSite=None; Secure, hence HTTPS.
THIRD_PARTY_COOKIES = {
    "tracker.test": "trk_uid=u123; Max-Age=31536000; Path=/; SameSite=None; Secure; HttpOnly",
    "ads.test": "ad_id=a456; Max-Age=63072000; Path=/; SameSite=None; Secure",
}


def make_certificate(directory: Path) -> tuple[Path, Path]:
    """A self-signed certificate for the test host names (openssl, at test time)."""
    cert, key = directory / "cert.pem", directory / "key.pem"
    if not cert.exists():
        names = ",".join(f"DNS:{h}" for h in (*HOSTS, "*.test"))
        subprocess.run(
            [
                "openssl",
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-keyout",
                str(key),
                "-out",
                str(cert),
                "-days",
                "30",
                "-subj",
                "/CN=shop.test",
                "-addext",
                f"subjectAltName={names}",
            ],
            check=True,
            capture_output=True,
        )
    return cert, key


def _responder(site: Path, ports: dict[str, int], extra: dict[str, Path]) -> Respond:
    """Routes a request by its host name to the site's files, the third parties' or npm's."""
    delayed: set[Path] = set()

    def respond(request: Request) -> Reply | None:
        host, path = request.host, request.path
        if path.startswith("/status/"):
            return Reply(int(path.rsplit("/", 1)[1]), b"<h1>error</h1>")
        if path == "/redirect-loop":
            return Reply(302, b"", headers=(("Location", "/redirect-loop"),))
        if path == "/hang":
            time.sleep(float(request.query.get("s", ["30"])[0]))
            return Reply(200, b"<title>late</title>")
        if path == "/legacy.gif" and host == "tracker.test":  # refused: SameSite=None needs Secure
            return Reply(200, PIXEL, "image/gif", ("old_uid=x; Max-Age=3600; SameSite=None",))
        if path in ("/collect", "/pixel.gif") and host in THIRD_PARTY_COOKIES:
            return Reply(200, PIXEL, "image/gif", (THIRD_PARTY_COOKIES[host],))
        if path in extra:
            return Reply(200, extra[path].read_bytes(), "text/javascript")
        if path.startswith("/vendor/"):
            file = folder_file(NPM_CACHE / "node_modules", path[len("/vendor/") :])
            return NOT_FOUND if file is None else file_reply(file)
        root = site / host if (site / host).is_dir() else SITES / "_thirdparty" / host
        file = folder_file(root, path) if root.is_dir() else None
        if file is None:
            return NOT_FOUND
        moved = _sidecar_lines(file, ".moved")
        if moved:  # a permanent redirect, to an address of the sidecar (ports templated)
            target = moved[0]
            for name, port in ports.items():
                target = target.replace("{{" + name + "}}", str(port))
            cookies = tuple(_sidecar_lines(file, ".cookies"))  # a redirect may set cookies too
            return Reply(301, b"", cookies=cookies, headers=(("Location", target),))
        body = file.read_bytes()
        if file.suffix in TEMPLATED:
            text = body.decode("utf-8")
            for name, port in ports.items():
                text = text.replace("{{" + name + "}}", str(port))
            body = text.encode("utf-8")
        cookies: tuple[str, ...] = ()
        if file.suffix == ".html" and host.endswith("shop.test"):
            cookies = ("sid=s1; Path=/; HttpOnly; SameSite=Lax",)
        cookies += tuple(_sidecar_lines(file, ".cookies"))
        _first_delay(file, delayed)
        return file_reply(file, body, cookies)

    return respond


def _sidecar_lines(file: Path, suffix: str) -> list[str]:
    """The lines of ``<file><suffix>`` beside ``file``, if there is one."""
    sidecar = file.with_name(file.name + suffix)
    if not sidecar.is_file():
        return []
    return [line for line in sidecar.read_text("utf-8").splitlines() if line.strip()]


_DELAY_LOCK = threading.Lock()


def _first_delay(file: Path, delayed: set[Path]) -> None:
    """Wait ``<file>.first-delay`` seconds on the first request for ``file`` only."""
    delay = _sidecar_lines(file, ".first-delay")
    with _DELAY_LOCK:
        first = bool(delay) and file not in delayed
        delayed.add(file)
    if first:
        time.sleep(float(delay[0]))


def _resolve_rules() -> tuple[str, ...]:
    own = sorted({d.name for d in SITES.glob("*/*") if d.is_dir() and "." in d.name})
    return tuple(f"{host}=127.0.0.1" for host in dict.fromkeys([*HOSTS, *own]))


RESOLVE = _resolve_rules()
"""``--resolve`` rules for every test site: the shared host names, then the sites' own (a
folder named as a host, ``www.boutique.test/``), to 127.0.0.1. One list for all sites, so
that one browser, whose resolver rules are fixed when it starts, can serve audit after
audit of different sites (`browser_host` in tests/conftest.py); no site uses a host name of
another's."""


class SiteServer:
    """Serves ``sites/<name>`` over HTTP and HTTPS on 127.0.0.1; ``url()`` names shop.test."""

    def __init__(
        self, name: str, certificate: tuple[Path, Path], extra: dict[str, Path] | None = None
    ) -> None:
        ports: dict[str, int] = {}
        self.site = SITES / name
        respond = _responder(self.site, ports, dict(extra or {}))
        self._http = LoopbackServer(respond)
        self._https = LoopbackServer(respond, certificate=certificate)
        ports["HTTP"] = self.http_port = self._http.port
        ports["HTTPS"] = self.https_port = self._https.port
        self._refusing = refusing_socket()
        ports["CLOSED"] = self.closed_port = int(self._refusing.getsockname()[1])

    @property
    def hits(self) -> list[tuple[str, str]]:
        """(host, path) of every request: the HTTP ones, then the HTTPS ones."""
        return [(r.host, r.path) for r in (*self._http.requests, *self._https.requests)]

    def mark(self) -> tuple[int, int]:
        """Where the request logs stand now; `requests_since` gives what came after."""
        return len(self._http.requests), len(self._https.requests)

    def requests_since(self, mark: tuple[int, int]) -> list[Request]:
        """The requests (HTTP, then HTTPS) made after `mark`: the server is shared by the
        session's tests, so a test reads only its own."""
        return [*self._http.requests[mark[0] :], *self._https.requests[mark[1] :]]

    def url(self, path: str = "/", host: str = "shop.test", *, https: bool = False) -> str:
        return (self._https if https else self._http).url(path, host)

    @property
    def resolve(self) -> list[str]:
        """Every test site's host names (`RESOLVE`), not only this site's."""
        return list(RESOLVE)

    def start(self) -> SiteServer:
        self._http.start()
        self._https.start()
        return self

    def stop(self) -> None:
        self._http.stop()
        self._https.stop()
        self._refusing.close()
