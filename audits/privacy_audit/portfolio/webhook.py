"""``--webhook URL``: one JSON POST per client whose audit got worse than its previous run.

The body is a summary a chat or ticket system can show as is (``text``) or parse
(``controller``, ``new_errors``...). Delivery failures are reported on one line and never
stop the audit: the exit code already tells CI that a client got worse.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from privacy_pages import __version__

WEBHOOK_TIMEOUT = 10.0
"""Seconds to wait for the receiver; a slow chat service must not stall a portfolio run."""
EVENT = "audit.worse"


class WebhookError(Exception):
    """The POST failed: one line naming the URL and why."""


def check_webhook_url(url: str) -> str:
    """An http(s) URL, or ValueError with the option, the value and what is allowed."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(
            f"--webhook: {url!r} is not an http(s) URL; give one like https://hooks.example/..."
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


def post_json(url: str, payload: Mapping[str, Any], timeout: float = WEBHOOK_TIMEOUT) -> int:
    """POST ``payload`` as JSON; the HTTP status, or `WebhookError`."""
    body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    request = urllib.request.Request(
        url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": f"privacy-pages/{__version__}",
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        raise WebhookError(f"--webhook: {url}: the receiver answered {error.code}") from None
    except (urllib.error.URLError, OSError, ValueError) as error:
        reason = getattr(error, "reason", error)
        raise WebhookError(f"--webhook: {url}: could not deliver ({reason})") from None
