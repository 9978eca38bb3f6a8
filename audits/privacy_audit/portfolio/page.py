"""The portfolio page: one self-contained HTML file (inline CSS, inline SVG trend, no assets).

Everything read from the runs is escaped by Jinja2's autoescape; the trend chart is built
here from numbers only. The table sorts on a click (a few lines of inline script) and turns
into one card per client on a phone.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from privacy_audit.i18n import FALLBACK, translate
from privacy_audit.report.dates import UTC, say_moment
from privacy_audit.report.html import environment

TREND_WIDTH, TREND_HEIGHT, TREND_PAD = 120, 32, 3
VERDICT_ORDER = {"could-not-run": 0, "incomplete": 0, "fail": 1, "pass": 2}


def render_portfolio(
    portfolio: dict[str, Any],
    title: str = "Privacy audits",
    presentation: Mapping[str, Any] | None = None,
) -> str:
    """The page in the language of ``presentation`` (``lang``, ``agency_name``,
    ``agency_logo``, ``timezone``: as `ReportOptions.presentation` gives them), English in UTC by default."""
    options = dict(presentation or {})
    lang = str(options.get("lang") or FALLBACK)
    zone = str(options.get("timezone") or UTC)
    env = environment(lang)
    clients = [
        {
            **client,
            "name": client.get("name") or client["id"],
            "verdict_rank": VERDICT_ORDER.get(str(client["verdict"]), 3),
            "chart": trend_chart(
                [point["errors"] for point in client["trend"]],
                translate("portfolio.not_observed", lang),
            ),
            "finished_said": say_moment(client.get("finished_at"), lang, zone),
        }
        for client in portfolio["clients"]
    ]
    clients.sort(key=lambda c: (c["verdict_rank"], -c["counts"]["error"], c["id"]))
    return env.get_template("portfolio.html.j2").render(
        title=title,
        portfolio=portfolio,
        clients=clients,
        families=portfolio["families"],
        lang=lang,
        time_zone=zone,
        agency_name=options.get("agency_name"),
        agency_logo=options.get("agency_logo"),
        generated_said=say_moment(portfolio.get("generated_at"), lang, zone),
        tr=lambda key, **values: translate(key, lang, **values),
        verdict_label=lambda verdict: _verdict_label(str(verdict), lang),
    )


def _verdict_label(verdict: str, lang: str) -> str:
    try:
        return translate(f"verdict.{verdict}", lang)
    except KeyError:
        return verdict


def trend_chart(values: list[int | None], gap: str = "not observed") -> dict[str, Any]:
    """Coordinates of a small line chart of error counts, oldest to newest; a run that saw
    nothing (None) is a gap in the line, never a 0 (said as ``gap``)."""
    said = ", ".join(gap if v is None else str(v) for v in values)
    empty = {"segments": [], "dots": [], "gaps": [], "max": 0, "said": said}
    if not values:
        return {**empty, "width": TREND_WIDTH, "height": TREND_HEIGHT}
    top = max(max((v for v in values if v is not None), default=0), 1)
    step = (TREND_WIDTH - 2 * TREND_PAD) / max(len(values) - 1, 1)
    dots, gaps, segments, line = [], [], [], []
    for index, value in enumerate(values):
        x = round(TREND_PAD + index * step, 1)
        if value is None:
            gaps.append(x)
            if len(line) > 1:
                segments.append(" ".join(line))
            line = []
            continue
        y = round(TREND_HEIGHT - TREND_PAD - (value / top) * (TREND_HEIGHT - 2 * TREND_PAD), 1)
        dots.append({"x": x, "y": y, "value": value})
        line.append(f"{x},{y}")
    if len(line) > 1:
        segments.append(" ".join(line))
    return {
        "segments": segments,
        "dots": dots,
        "gaps": gaps,
        "said": said,
        "max": top,
        "width": TREND_WIDTH,
        "height": TREND_HEIGHT,
    }
