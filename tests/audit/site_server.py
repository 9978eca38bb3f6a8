"""Test sites on 127.0.0.1: one server, HTTP and HTTPS, routed by host name.

``sites/<site>/<host>/`` holds a site's files per host name (``shop.test``); hosts missing
there come from ``sites/_thirdparty/<host>/`` (``tracker.test``, ``ads.test``). Chromium maps
the names to loopback with ``--resolve``. In .html/.js/.xml files ``{{HTTP}}`` and ``{{HTTPS}}``
become the two ports. ``/vendor/<package>/...`` serves the consent managers npm installed into
``.cache/npm-fixtures`` (npm_fixtures.py). A few paths misbehave on purpose: ``/status/<code>``,
``/redirect-loop``, ``/hang``; the trackers' ``/collect`` and ``/pixel.gif`` set cookies from
their own host. Beside a file, ``<file>.cookies`` holds more Set-Cookie lines for it (one a
line) and ``<file>.first-delay`` the seconds its first request waits (a page that times out
once). Host folders of a site (any name with a dot) are mapped to loopback too.
"""

from __future__ import annotations

import http.server
import mimetypes
import socket
import ssl
import subprocess
import threading
import time
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

SITES = Path(__file__).parent / "sites"
from .npm_fixtures import NPM_CACHE

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


class _Handler(http.server.BaseHTTPRequestHandler):
    server_version = "testsite"
    site: Path
    ports: dict[str, int]
    hits: list[tuple[str, str]]
    delayed: set[Path]

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass

    def do_GET(self) -> None:  # noqa: N802 - stdlib name
        host = (self.headers.get("Host") or "").split(":")[0].lower()
        parts = urlsplit(self.path)
        path = parts.path
        self.hits.append((host, path))
        if path.startswith("/status/"):
            return self._send(int(path.rsplit("/", 1)[1]), b"<h1>error</h1>", "text/html")
        if path == "/redirect-loop":
            self.send_response(302)
            self.send_header("Location", "/redirect-loop")
            self.end_headers()
            return
        if path == "/hang":
            time.sleep(float(parse_qs(parts.query).get("s", ["30"])[0]))
            return self._send(200, b"<title>late</title>", "text/html")
        if path == "/legacy.gif" and host == "tracker.test":  # refused: SameSite=None needs Secure
            return self._send(
                200, PIXEL, "image/gif", cookies=["old_uid=x; Max-Age=3600; SameSite=None"]
            )
        if path in ("/collect", "/pixel.gif") and host in THIRD_PARTY_COOKIES:
            return self._send(
                200,
                PIXEL,
                "image/gif",
                cookies=[THIRD_PARTY_COOKIES[host]],
            )
        if path.startswith("/vendor/"):
            file = NPM_CACHE / "node_modules" / path[len("/vendor/") :]
        else:
            root = self.site / host if (self.site / host).is_dir() else SITES / "_thirdparty" / host
            file = root / path.lstrip("/")
            if file.is_dir():
                file = file / "index.html"
        try:
            file.resolve().relative_to(
                SITES.resolve() if not path.startswith("/vendor/") else NPM_CACHE.resolve()
            )
        except ValueError:
            return self._send(403, b"forbidden", "text/plain")
        if not file.is_file():
            return self._send(404, b"<title>Not found</title><h1>404</h1>", "text/html")
        body = file.read_bytes()
        if file.suffix in TEMPLATED and not path.startswith("/vendor/"):
            text = body.decode("utf-8")
            for name, port in self.ports.items():
                text = text.replace("{{" + name + "}}", str(port))
            body = text.encode("utf-8")
        kind = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
        cookies = []
        if file.suffix == ".html" and host.endswith("shop.test"):
            cookies.append("sid=s1; Path=/; HttpOnly; SameSite=Lax")
        cookies += _sidecar_lines(file, ".cookies")
        _first_delay(file, self.delayed)
        self._send(200, body, kind, cookies=cookies)

    def _send(self, status: int, body: bytes, kind: str, cookies: list[str] | None = None) -> None:
        try:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            for cookie in cookies or []:
                self.send_header("Set-Cookie", cookie)
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass


def _sidecar_lines(file: Path, suffix: str) -> list[str]:
    """The lines of ``<file><suffix>`` beside ``file``, if there is one."""
    sidecar = file.with_name(file.name + suffix)
    if not sidecar.is_file():
        return []
    return [line for line in sidecar.read_text("utf-8").splitlines() if line.strip()]


def _first_delay(file: Path, delayed: set[Path]) -> None:
    """Wait ``<file>.first-delay`` seconds on the first request for ``file`` only."""
    delay = _sidecar_lines(file, ".first-delay")
    with _DELAY_LOCK:
        first = bool(delay) and file not in delayed
        delayed.add(file)
    if first:
        time.sleep(float(delay[0]))


_DELAY_LOCK = threading.Lock()


def _closed_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class SiteServer:
    """Serves ``sites/<name>`` over HTTP and HTTPS on 127.0.0.1; ``url()`` names shop.test."""

    def __init__(self, name: str, certificate: tuple[Path, Path]) -> None:
        self.hits: list[tuple[str, str]] = []
        self.site = SITES / name
        ports: dict[str, int] = {}
        handler = type(
            "Handler",
            (_Handler,),
            {"site": SITES / name, "ports": ports, "hits": self.hits, "delayed": set()},
        )
        self._http = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._https = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(*map(str, certificate))
        self._https.socket = context.wrap_socket(self._https.socket, server_side=True)
        for server in (self._http, self._https):
            server.daemon_threads = True
        ports["HTTP"] = self.http_port = self._http.server_address[1]
        ports["HTTPS"] = self.https_port = self._https.server_address[1]
        ports["CLOSED"] = self.closed_port = _closed_port()
        self._threads = [
            threading.Thread(target=s.serve_forever, daemon=True) for s in (self._http, self._https)
        ]

    def url(self, path: str = "/", host: str = "shop.test") -> str:
        return f"http://{host}:{self.http_port}{path}"

    @property
    def resolve(self) -> list[str]:
        own = sorted(d.name for d in self.site.iterdir() if d.is_dir() and "." in d.name)
        return [f"{host}=127.0.0.1" for host in dict.fromkeys([*HOSTS, *own])]

    def start(self) -> "SiteServer":
        for thread in self._threads:
            thread.start()
        return self

    def stop(self) -> None:
        for server in (self._http, self._https):
            server.shutdown()
            server.server_close()
