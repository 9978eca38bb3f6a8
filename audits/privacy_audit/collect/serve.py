"""Serve a static folder on 127.0.0.1 for `privacy-pages audit --serve DIR` (the README demo).

Any host name reaching the server gets the same folder, so a page can load a "third-party"
script from another name mapped to loopback; ``{{PORT}}`` in .html and .js files becomes the
server's port, so such a page can name the other host with the right port.
"""

from __future__ import annotations

import http.server
import io
import threading
from functools import partial
from pathlib import Path
from types import TracebackType

TEMPLATED_SUFFIXES = (".html", ".htm", ".js")


class _Handler(http.server.SimpleHTTPRequestHandler):
    port = 0

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib name
        pass

    def send_head(self):  # type: ignore[no-untyped-def]
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if path.suffix in TEMPLATED_SUFFIXES and path.is_file():
            body = path.read_text(encoding="utf-8").replace("{{PORT}}", str(self.port)).encode()
            self.send_response(200)
            kind = "text/html" if path.suffix != ".js" else "text/javascript"
            self.send_header("Content-Type", f"{kind}; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()

            return io.BytesIO(body)
        return super().send_head()


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        """A browser that drops a connection mid-answer (a tab closed, a page left) is
        normal during an audit: never a traceback on the user's terminal."""
        import sys

        if isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            return
        super().handle_error(request, client_address)  # type: ignore[arg-type]


class StaticServer:
    """A threaded static server on 127.0.0.1 and an ephemeral port, as a context manager."""

    def __init__(self, root: str | Path, host: str = "127.0.0.1") -> None:
        self.root = Path(root).resolve()
        handler: type[_Handler] = type("Handler", (_Handler,), {})
        self._server = _Server((host, 0), partial(handler, directory=str(self.root)))
        handler.port = self.port
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    def url(self, host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.port}/"

    def __enter__(self) -> "StaticServer":
        self._thread.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self._server.shutdown()
        self._server.server_close()
