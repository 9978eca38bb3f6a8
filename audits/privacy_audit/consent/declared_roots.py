"""Closed shadow roots the page's HTML declared, made reachable by the banner scans.

A server-rendered component may draw the consent banner in ``<template
shadowrootmode="closed">``: the parser attaches the root, no ``attachShadow`` call is made, so
`CLOSED_ROOTS_SCRIPT` never sees it, and no script or selector of the page reaches it. The
browser's own DOM inspector does: ``DOM.getDocument`` with ``pierce`` lists every shadow root
with its mode. Each closed root not yet known is kept on its host under the same key the
script uses, in the page's own world, so that every scan (controls, withdrawal, clicks) finds
it as it finds the roots attached by script. The page's view is unchanged (``host.shadowRoot``
stays null).

Reading the whole tree costs a few milliseconds on a large page: it is done only when a
landing page showed no banner by the end of its wait.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from privacy_audit.consent.controls import CLOSED_ROOT_KEY

if TYPE_CHECKING:
    from playwright.async_api import CDPSession, Page

KEEP_ROOT = f"""function (root) {{
  if (!this[{CLOSED_ROOT_KEY}])
    Object.defineProperty(this, {CLOSED_ROOT_KEY}, {{value: root, configurable: true}});
}}"""
"""Run on a host element with its closed root: the key `CLOSED_ROOTS_SCRIPT` sets."""


def closed_roots(node: dict[str, Any]) -> Iterator[tuple[int, int]]:
    """``(host, root)`` backend node ids of every closed shadow root under ``node`` (a
    ``DOM.getDocument`` tree), in the documents of same-process frames too."""
    stack = [node]
    while stack:
        current = stack.pop()
        for root in current.get("shadowRoots") or ():
            if root.get("shadowRootType") == "closed":
                yield current["backendNodeId"], root["backendNodeId"]
            stack.append(root)
        stack.extend(current.get("children") or ())
        if current.get("contentDocument"):
            stack.append(current["contentDocument"])


async def reach_declared_roots(page: Page) -> int:
    """Keep each closed shadow root of ``page`` on its host for the scans; how many there
    are (those attached by script, already kept, included)."""
    session = await page.context.new_cdp_session(page)
    try:
        tree = await session.send("DOM.getDocument", {"depth": -1, "pierce": True})
        found = list(closed_roots(tree["root"]))
        for host, root in found:
            await _keep(session, host, root)
        return len(found)
    finally:
        await session.detach()


async def _keep(session: CDPSession, host: int, root: int) -> None:
    objects = []
    for node in (host, root):
        resolved = await session.send("DOM.resolveNode", {"backendNodeId": node})
        objects.append(resolved["object"]["objectId"])
    await session.send(
        "Runtime.callFunctionOn",
        {
            "objectId": objects[0],
            "functionDeclaration": KEEP_ROOT,
            "arguments": [{"objectId": objects[1]}],
        },
    )
