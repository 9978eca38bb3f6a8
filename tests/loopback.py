"""The one HTTP(S) server of the tests, on 127.0.0.1 only.

A server is given a ``respond(request) -> Reply`` function: `serve_folder` gives one that
serves the files of a folder (a built site, a CSV), the audit's test sites route by host name
(`tests/audit/site_server.py`), the portfolio's sites generate their pages
(`tests/portfolio/portfolio_sites.py`), and `Recorder` keeps every request it gets (a
webhook receiver). With ``certificate`` the server speaks HTTPS.
"""

from __future__ import annotations

import http.server
import mimetypes
import socket
import ssl
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit


@dataclass(frozen=True)
class Request:
    method: str
    host: str  # the Host header's name, lower case, without the port
    path: str  # without the query
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes = b""


@dataclass(frozen=True)
class Reply:
    status: int = 200
    body: bytes = b""
    content_type: str = "text/html; charset=utf-8"
    cookies: tuple[str, ...] = ()
    headers: tuple[tuple[str, str], ...] = ()


Respond = Callable[[Request], Reply | None]
"""None: the handler already answered (or the client left)."""


class _Handler(http.server.BaseHTTPRequestHandler):
    server_version = "loopback"
    respond: Respond
    requests: list[Request]

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        self._answer()

    def do_HEAD(self) -> None:
        self._answer()

    def do_POST(self) -> None:
        self._answer()

    def _answer(self) -> None:
        parts = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        request = Request(
            method=self.command,
            host=(self.headers.get("Host") or "").rsplit(":", 1)[0].lower(),
            path=unquote(parts.path),
            query=parse_qs(parts.query),
            headers={k.lower(): v for k, v in self.headers.items()},
            body=self.rfile.read(length) if length else b"",
        )
        self.requests.append(request)
        reply = type(self).respond(request)
        if reply is None:
            return
        try:
            self.send_response(reply.status)
            self.send_header("Content-Type", reply.content_type)
            self.send_header("Content-Length", str(len(reply.body)))
            self.send_header("Cache-Control", "no-store")
            for cookie in reply.cookies:
                self.send_header("Set-Cookie", cookie)
            for name, value in reply.headers:
                self.send_header(name, value)
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(reply.body)
        except (BrokenPipeError, ConnectionResetError):
            pass


class LoopbackServer:
    """One threaded server on 127.0.0.1 and a free port; `start`, `stop`, or ``with``."""

    def __init__(self, respond: Respond, *, certificate: tuple[Path, Path] | None = None) -> None:
        self.requests: list[Request] = []
        handler = type(
            "Handler", (_Handler,), {"respond": staticmethod(respond), "requests": self.requests}
        )
        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._server.daemon_threads = True
        if certificate is not None:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(*map(str, certificate))
            self._server.socket = context.wrap_socket(self._server.socket, server_side=True)
        self.scheme = "https" if certificate else "http"
        self.port: int = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,))
        self._thread.daemon = True

    def url(self, path: str = "/", host: str = "127.0.0.1") -> str:
        return f"{self.scheme}://{host}:{self.port}{path}"

    def start(self) -> LoopbackServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> LoopbackServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


NOT_FOUND = Reply(404, b"<title>Not found</title><h1>404</h1>")


def file_reply(file: Path, body: bytes | None = None, cookies: tuple[str, ...] = ()) -> Reply:
    kind = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
    if kind.startswith("text/") or kind in ("application/javascript", "application/json"):
        kind += "; charset=utf-8"
    return Reply(200, file.read_bytes() if body is None else body, kind, cookies)


def folder_file(folder: Path, path: str) -> Path | None:
    """The file ``path`` names under ``folder`` (``index.html`` of a folder), never outside it."""
    root = folder.resolve()
    file = (root / path.lstrip("/")).resolve()
    if file != root and root not in file.parents:
        return None
    if file.is_dir():
        file = file / "index.html"
    return file if file.is_file() else None


def serve_folder(folder: Path) -> Respond:
    """Static files of ``folder``, as a web server serves a built site."""

    def respond(request: Request) -> Reply:
        target = (folder / request.path.lstrip("/")).resolve()
        if target.is_dir() and not request.path.endswith("/"):
            return Reply(301, b"", headers=(("Location", request.path + "/"),))
        file = folder_file(folder, request.path)
        return NOT_FOUND if file is None else file_reply(file)

    return respond


def refusing_socket() -> socket.socket:
    """A loopback port that refuses connections: bound, never listening. Close it when done.

    A port bound and released at once could be taken by a parallel worker's server before
    the test connects to it; a bound socket keeps it refusing for as long as it is open."""
    held = socket.socket()
    held.bind(("127.0.0.1", 0))
    return held


@contextmanager
def serving(folder: Path) -> Iterator[str]:
    """``folder`` served on 127.0.0.1 for the time of the block; yields its base URL."""
    with LoopbackServer(serve_folder(folder)) as server:
        yield server.url("/")


@dataclass
class Recorder:
    """Answers 204 to every request and keeps them (a webhook receiver)."""

    status: int = 204
    received: list[Request] = field(default_factory=list)

    def __call__(self, request: Request) -> Reply:
        self.received.append(request)
        return Reply(self.status, b"", "text/plain")
