"""Golden files: the rendered Markdown, HTML fragments and JSON of one complete controller.

Regenerate after an intended change with:
    UPDATE_GOLDEN=1 .venv/bin/pytest tests/render/test_golden.py
and review the diff like code.
"""

from __future__ import annotations

import datetime

import pytest

from privacy_pages.model.content import require_controller
from privacy_pages.render import Layout, render_index, render_pages
from privacy_pages.render.exports import controller_json, tcf_json
from privacy_pages.render.html import markdown_to_html

from ..conftest import assert_golden
from .conftest import DATA

GOLDEN = DATA / "golden"
CONTROLLER = DATA / "atelier.yaml"
GOLDEN_DAY = datetime.date(2026, 12, 6)
"""The day whose law the pages state: the golden files do not move with the calendar."""


def _outputs() -> dict[str, str]:
    data = require_controller(CONTROLLER).data
    outputs: dict[str, str] = {}
    for page in render_pages(data, as_of=GOLDEN_DAY):
        outputs[f"markdown/{page.lang}/{page.kind}.md"] = page.markdown
    for page in render_pages(
        data, Layout(prefix="", directory_urls=False), ["fr"], as_of=GOLDEN_DAY
    ):
        outputs[f"html/{page.lang}/{page.kind}.html"] = markdown_to_html(page.markdown)
    outputs["markdown/index.en.md"] = render_index([data], "en")
    outputs["json/controller.json"] = controller_json(data)
    outputs["json/tcf-disclosures.json"] = tcf_json(data)
    return outputs


OUTPUTS = _outputs()


@pytest.mark.parametrize("name", sorted(OUTPUTS))
def test_matches_golden_file(name: str) -> None:
    assert_golden(OUTPUTS[name], GOLDEN / name)


def test_no_stale_golden_files() -> None:
    stale = {str(p.relative_to(GOLDEN)) for p in GOLDEN.rglob("*") if p.is_file()} - set(OUTPUTS)
    assert not stale, f"golden files no longer produced: {sorted(stale)}"
