"""The portfolio page: one self-contained HTML file (inline CSS, inline SVG trend, no assets).

Everything read from the runs is escaped by Jinja2's autoescape; the trend chart is built
here from numbers only. The table sorts on a click (a few lines of inline script) and turns
into one card per client on a phone.
"""

from __future__ import annotations

from typing import Any

from privacy_audit.report.html import environment

TREND_WIDTH, TREND_HEIGHT, TREND_PAD = 120, 32, 3
VERDICT_ORDER = {"could-not-run": 0, "incomplete": 0, "fail": 1, "pass": 2}


def render_portfolio(portfolio: dict[str, Any], title: str = "Privacy audits") -> str:
    env = environment()
    clients = [
        {
            **client,
            "verdict_rank": VERDICT_ORDER.get(str(client["verdict"]), 3),
            "chart": trend_chart([point["errors"] for point in client["trend"]]),
        }
        for client in portfolio["clients"]
    ]
    clients.sort(key=lambda c: (c["verdict_rank"], -c["counts"]["error"], c["id"]))
    return env.get_template("portfolio.html.j2").render(
        title=title, portfolio=portfolio, clients=clients, families=portfolio["families"]
    )


def trend_chart(values: list[int]) -> dict[str, Any]:
    """Coordinates of a small line chart of error counts, oldest to newest."""
    if not values:
        return {"points": "", "dots": [], "max": 0, "width": TREND_WIDTH, "height": TREND_HEIGHT}
    top = max(max(values), 1)
    step = (TREND_WIDTH - 2 * TREND_PAD) / max(len(values) - 1, 1)
    dots = []
    for index, value in enumerate(values):
        x = TREND_PAD + index * step
        y = TREND_HEIGHT - TREND_PAD - (value / top) * (TREND_HEIGHT - 2 * TREND_PAD)
        dots.append({"x": round(x, 1), "y": round(y, 1), "value": value})
    return {
        "points": " ".join(f"{d['x']},{d['y']}" for d in dots),
        "dots": dots,
        "max": top,
        "width": TREND_WIDTH,
        "height": TREND_HEIGHT,
    }
