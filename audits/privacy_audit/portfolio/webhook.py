"""``--webhook URL``: one JSON POST per client whose audit got worse than its previous run.

The body is a summary a chat or ticket system can show as is (``text``) or parse
(``controller``, ``new_errors``...). Delivery is bounded: one deadline for the whole POST
(connect, send, read the answer), however slowly the receiver drips its bytes, and one
retry after a pause when the first attempt failed for a reason that may pass (no answer,
a refused connection, a 5xx or 429). Redirects are not followed: only a 2xx answer counts as
delivered. A failure is one line naming the receiver by scheme, host and path only (a URL
may carry a password or a token in its query), and the run reports it in its notes and its
exit status.
"""

from __future__ import annotations

import http.client
import json
import ssl
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from privacy_pages import __version__
from privacy_pages.diagnostics import printable

WEBHOOK_DEADLINE = 5.0
"""Seconds for one POST, all of it; a slow chat service must not stall a portfolio run."""
RETRY_PAUSE = 1.0
"""Seconds before the one retry."""
MAX_ANSWER_BYTES = 64 * 1024
"""What is read of the receiver's answer (only its status matters)."""
EVENT = "audit.worse"


class WebhookError(Exception):
    """The POST failed: one line naming the receiver (never its credentials) and why."""


def safe_url(url: str) -> str:
    """``scheme://host[:port]/path`` of ``url``: what may be printed or logged of it."""
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        port = f":{parts.port}" if parts.port else ""
    except ValueError:
        return "(an invalid URL)"
    if not parts.netloc:  # not a URL at all: nothing in it is a credential, show it
        return printable(url if len(url) <= 60 else url[:57] + "...")
    host = f"[{host}]" if ":" in host else host
    return printable(f"{parts.scheme}://{host}{port}{parts.path}")


def check_webhook_url(url: str) -> str:
    """An http(s) URL, or ValueError with the option, the value and what is allowed."""
    try:
        parts = urlsplit(url)
        valid = parts.scheme in ("http", "https") and bool(parts.hostname)
        parts.port  # noqa: B018 - raises ValueError for a port out of range
    except ValueError:
        valid = False
    if not valid:
        raise ValueError(
            f"--webhook: {safe_url(url)!r} is not an http(s) URL; give one like "
            "https://hooks.example/..."
        )
    return url


def worse_payload(
    controller: str, url: str, run: str, previous_run: str, diff: Mapping[str, Any]
) -> dict[str, Any]:
    """The JSON summary of a regression: which client, which new errors, where the report is."""
    new_errors = [f for f in diff["findings"]["new"] if f["severity"] == "error"]
    listed = "; ".join(f"{f['rule']} {f['subject']}" for f in new_errors[:10])
    more = f" and {len(new_errors) - 10} more" if len(new_errors) > 10 else ""
    return {
        "event": EVENT,
        "tool": {"name": "privacy-pages", "version": __version__},
        "controller": controller,
        "url": url,
        "run": run,
        "previous_run": previous_run,
        "new_errors": new_errors,
        "counts": diff["counts"],
        "changes": diff["changes"],
        "text": (
            f"privacy-pages: {controller} ({url}) got worse since {previous_run}: "
            f"{len(new_errors)} new error finding(s): {listed}{more}"
        ),
    }


@dataclass(frozen=True)
class _Failure:
    reason: str
    transient: bool


def post_json(
    url: str,
    payload: Mapping[str, Any],
    deadline: float = WEBHOOK_DEADLINE,
    *,
    retry_pause: float = RETRY_PAUSE,
) -> int:
    """POST ``payload`` as JSON; the 2xx status, or `WebhookError`.

    ``deadline`` bounds each of the two attempts, whole: the delivery takes at most twice
    ``deadline`` plus ``retry_pause``.
    """
    body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    first = _post_once(url, body, deadline)
    if isinstance(first, int):
        return first
    failure = first
    if first.transient:
        time.sleep(retry_pause)
        second = _post_once(url, body, deadline)
        if isinstance(second, int):
            return second
        failure = _Failure(f"{second.reason} (tried twice)", False)
    raise WebhookError(f"--webhook: {safe_url(url)}: not delivered: {failure.reason}")


def _post_once(url: str, body: bytes, allowed: float) -> int | _Failure:
    """One POST within ``allowed`` seconds: the 2xx status, or why it failed."""
    parts = urlsplit(url)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    started = time.monotonic()
    connection: http.client.HTTPConnection
    if parts.scheme == "https":
        connection = http.client.HTTPSConnection(
            parts.hostname or "", parts.port, timeout=allowed, context=ssl.create_default_context()
        )
    else:
        connection = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=allowed)
    expired = threading.Event()

    def cut() -> None:
        # The socket timeout bounds each read, not the whole answer: a receiver sending one
        # byte a second would never trip it. Shutting the socket ends any read at once.
        expired.set()
        sock = connection.sock
        if sock is not None:
            try:
                sock.shutdown(2)
            except OSError:
                pass

    timer = threading.Timer(allowed, cut)
    timer.daemon = True
    timer.start()
    try:
        connection.request(
            "POST",
            path,
            body=body,
            headers={
                "Content-Type": "application/json; charset=utf-8",
                "User-Agent": f"privacy-pages/{__version__}",
                **_authorization(parts),
            },
        )
        response = connection.getresponse()
        response.read(MAX_ANSWER_BYTES)
        status = response.status
    except (OSError, http.client.HTTPException, ValueError) as error:
        if expired.is_set() or time.monotonic() - started >= allowed:
            return _Failure(f"no complete answer within {allowed:.0f} s", True)
        return _Failure(_reason(error), True)
    finally:
        timer.cancel()
        connection.close()
    if expired.is_set():
        return _Failure(f"no complete answer within {allowed:.0f} s", True)
    if 200 <= status < 300:
        return status
    if 300 <= status < 400:
        return _Failure(f"the receiver answered {status} (a redirect; not followed)", False)
    return _Failure(f"the receiver answered {status}", status >= 500 or status == 429)


def _authorization(parts: Any) -> dict[str, str]:
    """Basic authentication from ``user:password@`` in the URL, as urllib would send it."""
    if parts.username is None:
        return {}
    import base64
    from urllib.parse import unquote

    pair = f"{unquote(parts.username)}:{unquote(parts.password or '')}".encode()
    return {"Authorization": "Basic " + base64.b64encode(pair).decode("ascii")}


def _reason(error: BaseException) -> str:
    """Why a connection failed, without the URL (which may carry credentials)."""
    text = getattr(error, "strerror", None) or str(error) or type(error).__name__
    return printable(" ".join(str(text).split()))
