"""A portfolio of small client sites on 127.0.0.1, one host name each, plus two trackers.

``client01.test`` ... ``clientNN.test`` and the third parties ``stats.test`` and
``pixel.test`` are all served by one `tests.loopback.LoopbackServer`, routed by the Host header; Chromium maps
``*.test`` to loopback (``--resolve *.test=127.0.0.1``). Pages are generated from a small
plan per site, so a test can add a tracker to one site between two runs
(`PortfolioSites.add_tracker`). Used by tests/portfolio and bench/portfolio_bench.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..loopback import LoopbackServer, Reply, Request

RESOLVE = "*.test=127.0.0.1"
TRACKERS = {
    # A first-party id cookie and a localStorage key written by the tag, and a beacon.
    "stats.test": (
        'document.cookie = "_st_id=1; max-age=31536000; path=/; SameSite=Lax";'
        'try { localStorage.setItem("_st_seen", "1"); } catch (e) {}'
        'new Image().src = "http://stats.test:{port}/hit";'
    ),
    # The tracker a site adds between two runs in the tests: an advertising pixel that
    # writes Meta's well-known _fbp cookie on load, before any choice (a PC01 breach).
    "pixel.test": (
        'document.cookie = "_fbp=1; max-age=7776000; path=/; SameSite=Lax";'
        'new Image().src = "http://pixel.test:{port}/px.gif";'
    ),
}
PIXEL = b"GIF89a\x01\x00\x01\x00\x00\x00\x00;"


@dataclass
class SitePlan:
    host: str
    trackers: list[str] = field(default_factory=list)
    declared: list[str] = field(default_factory=list)  # trackers the controller declares


def client_id(index: int) -> str:
    return f"client{index:02d}"


def default_plan(index: int) -> SitePlan:
    """Three kinds of client in turn: clean, tracker declared, tracker undeclared."""
    host = f"{client_id(index)}.test"
    kind = index % 3
    if kind == 0:
        return SitePlan(host)
    if kind == 1:
        return SitePlan(host, ["stats.test"], ["stats.test"])
    return SitePlan(host, ["stats.test"], [])


class PortfolioSites:
    """``count`` client sites; `write_controllers` writes their YAML files."""

    def __init__(self, count: int) -> None:
        self.plans = {client_id(i): default_plan(i) for i in range(1, count + 1)}
        self.by_host = {plan.host: plan for plan in self.plans.values()}
        self._server = LoopbackServer(self._respond)
        self.port = self._server.port

    @property
    def hits(self) -> list[tuple[str, str]]:
        return [(r.host, r.path) for r in self._server.requests]

    def _respond(self, request: Request) -> Reply:
        status, kind, body, cookies = self.respond(request.host, request.path)
        return Reply(status, body, kind, tuple(cookies))

    def url(self, cid: str) -> str:
        return f"http://{self.plans[cid].host}:{self.port}/"

    def add_tracker(self, cid: str, tracker: str) -> None:
        self.plans[cid].trackers.append(tracker)

    def respond(self, host: str, path: str) -> tuple[int, str, bytes, list[str]]:
        if host in TRACKERS:
            if path.endswith(".js"):
                script = TRACKERS[host].replace("{port}", str(self.port))
                return 200, "text/javascript", script.encode(), []
            return 200, "image/gif", PIXEL, []
        plan = self.by_host.get(host)
        if plan is None:
            return 404, "text/plain", b"unknown host", []
        if path == "/robots.txt" or path == "/sitemap.xml" or path == "/favicon.ico":
            return 404, "text/plain", b"", []
        page = "about" if path.startswith("/about") else "home"
        other = "/" if page == "about" else "/about.html"
        tags = "".join(
            f'<script src="http://{t}:{self.port}/tag.js"></script>' for t in plan.trackers
        )
        html = (
            f'<!doctype html><html lang="en"><head><meta charset="utf-8">'
            f"<title>{plan.host} {page}</title>{tags}</head><body><h1>{plan.host}</h1>"
            f'<p><a href="{other}">{"Home" if page == "about" else "About us"}</a> '
            f'<a href="/privacy.html">Privacy</a></p></body></html>'
        )
        return 200, "text/html; charset=utf-8", html.encode(), ["sess=1; Path=/; HttpOnly"]

    def write_controllers(self, folder: Path) -> list[Path]:
        """One controller per site: the session cookie and its declared trackers."""
        folder.mkdir(parents=True, exist_ok=True)
        written = []
        for cid, plan in self.plans.items():
            trackers = ["    - {name: sess, category: necessary, lifetime: session}"]
            recipients = []
            if "stats.test" in plan.declared:
                recipients.append(
                    "  - {id: stats, name: Stats SAS, kind: processor, hosts: [stats.test]}"
                )
                trackers += [
                    "    - {name: _st_id, recipient: stats, category: audience, lifetime: P1Y}",
                    (
                        "    - {name: _st_seen, type: local_storage, recipient: stats, "
                        "category: audience}"
                    ),
                ]
            text = "\n".join(
                [
                    f"id: {cid}",
                    "languages: [en]",
                    f"website: {self.url(cid)}",
                    "controller:",
                    f"  name: {cid.title()} SAS",
                    *(["recipients:", *recipients] if recipients else []),
                    "cookies:",
                    "  categories:",
                    "    - {id: necessary, kind: strictly_necessary}",
                    "    - {id: audience, kind: analytics}",
                    "  trackers:",
                    *trackers,
                    "",
                ]
            )
            path = folder / f"{cid}.yaml"
            path.write_text(text, encoding="utf-8")
            written.append(path)
        return written

    def start(self) -> PortfolioSites:
        self._server.start()
        return self

    def stop(self) -> None:
        self._server.stop()

    def __enter__(self) -> PortfolioSites:  # noqa: PYI034 (typing.Self needs Python 3.11)
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
