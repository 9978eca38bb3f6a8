"""What the audit sends to DuckDuckGo's autoconsent: its engine with one signal added, and
the rules each frame can use.

The signal. The text scan often sees a banner before autoconsent has said whether it knows
its consent manager; autoconsent then retries every 500 ms, and says nothing when a try
finds nothing. Two lines added to the engine report the end of each try (``findCmpDone``),
with whether the banner's controls were on the page when the try began (asked of
``window.__privacyPagesBannerShown``, which the audit defines beside the engine): a try that saw the
banner and found no consent manager settles the question without waiting for the next. Should a new engine version lose the anchors, the engine is sent unchanged
and the wait falls back to its deadline (a unit test names the anchors).

The state reports. The engine sends a ``report`` with its whole state at every change of
it, in every frame: about ten for each landing page, most of the engine's messages. Each
message is a binding call through the browser, the Playwright driver and Python and back
(about 5 ms of CPU, measured over 300 calls), and the audit reads one report only: the top
frame's "nothing detected". The engine's sender drops the others in the page
(`REPORT_FILTER`); an engine without the anchor sends them all, as before.

The rules. Autoconsent ships 1,010 rules (850 kB of JSON); 695 of them only run on the sites
their ``runContext.urlPattern`` names, and some only in the top frame or only in iframes.
The engine drops those itself, but only after the whole list crossed the DevTools protocol
(Python, the Playwright driver, the browser, the renderer) and was parsed in the page:
measured, that was most of the audit's CPU on a landing page. Here the same choice is made
first, with the engine's own test (a ``RegExp`` search of the frame's URL), so each frame
receives only the rules it would keep. A pattern Python cannot read is kept: the engine then
decides, as before.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from typing import Any

BANNER_SHOWN = "__privacyPagesBannerShown"
"""A function of the frame's window: whether a banner's refuse or accept control shows."""

_TRY_STARTS = "this.updateState({ findCmpAttempts: this.state.findCmpAttempts + 1 });"
_TRY_ENDS = "      this.detectHeuristics();\n      if (foundCMPs.length === 0 && retries > 0) {"
_ASK = (
    f" let privacyPagesSawBanner = false; try {{ privacyPagesSawBanner ="
    f" !!(window.{BANNER_SHOWN} && window.{BANNER_SHOWN}()); }} catch (e) {{}}"
)
_REPORT = (
    "      this.sendContentMessage({ type: 'findCmpDone', sawBanner: privacyPagesSawBanner,"
    " found: foundCMPs.length });\n"
)
# (anchor, what replaces it): the try's start asks whether the banner shows, its end reports.
ENGINE_PATCHES: tuple[tuple[str, str], ...] = (
    (_TRY_STARTS, _TRY_STARTS + _ASK),
    (_TRY_ENDS, _TRY_ENDS.replace("      if (", _REPORT + "      if (", 1)),
)
_SENDER = "new AutoConsent(window.autoconsentSendMessage,"
REPORT_FILTER: tuple[str, str] = (
    _SENDER,
    _SENDER.replace(
        "window.autoconsentSendMessage",
        "(send => message => message && message.type === 'report' && !(message.mainFrame &&"
        " message.state && message.state.lifecycle === 'nothingDetected')"
        " ? Promise.resolve() : send(message))(window.autoconsentSendMessage)",
    ),
)
"""(anchor, what replaces it): the engine's sender keeps, of its state reports, only the top
frame's "nothing detected" (`AutoconsentBridge.on_message` reads no other)."""


@lru_cache(maxsize=1)
def engine() -> tuple[str, bool]:
    """The engine's script, and whether it reports the end of each try."""
    from duckduckgo_autoconsent import bundle

    script = bundle()
    anchor, replacement = REPORT_FILTER
    if script.count(anchor) == 1:
        script = script.replace(anchor, replacement)
    if not all(script.count(anchor) == 1 for anchor, _ in ENGINE_PATCHES):
        return script, False
    for anchor, replacement in ENGINE_PATCHES:
        script = script.replace(anchor, replacement)
    return script, True


@lru_cache(maxsize=1)
def _rules() -> tuple[tuple[dict[str, Any], re.Pattern[str] | None, bool, bool], ...]:
    """Each rule with its URL pattern compiled and where it runs (top frame, iframes)."""
    from duckduckgo_autoconsent import rules_json

    prepared = []
    for rule in json.loads(rules_json()):
        context = rule.get("runContext") or {}
        pattern = context.get("urlPattern") or ""
        try:
            compiled = re.compile(pattern) if pattern else None
        except re.error:
            compiled = None  # unreadable here: sent, the engine tests it
        # The engine's defaults (lib/cmps/base.ts): main true, frame false.
        prepared.append(
            (rule, compiled, context.get("main", True) is not False, bool(context.get("frame")))
        )
    return tuple(prepared)


def rules_for_frame(url: str, *, top: bool) -> list[dict[str, Any]]:
    """The rules autoconsent would keep in a frame at ``url`` (the top frame or an iframe)."""
    kept = []
    for rule, pattern, main, frame in _rules():
        if not (main if top else frame):
            continue
        if pattern is not None and not pattern.search(url):
            continue
        kept.append(rule)
    return kept


@lru_cache(maxsize=16)
def rules_json_for_frame(url: str, top: bool) -> str:
    """`rules_for_frame` as the JSON text the engine's ``initResp`` message carries."""
    return json.dumps(rules_for_frame(url, top=top), separators=(",", ":"))
