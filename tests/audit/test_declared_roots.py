"""Closed shadow roots declared in the HTML: found by the browser's inspector, kept on their
hosts for the scans, the page's own view unchanged (the `declaredroot` accuracy site audits
a banner drawn in one, phase by phase)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from privacy_audit.consent.controls import CLOSED_ROOT_KEY, CLOSED_ROOTS_SCRIPT
from privacy_audit.consent.declared_roots import closed_roots, reach_declared_roots

from .live_tab import run_in_tab


def _node(backend: int, **parts: Any) -> dict[str, Any]:
    return {"backendNodeId": backend, **parts}


def test_every_closed_root_of_the_tree_and_its_frames_is_found() -> None:
    tree = _node(
        1,
        children=[
            _node(2, shadowRoots=[_node(3, shadowRootType="closed")]),
            _node(4, shadowRoots=[_node(5, shadowRootType="user-agent")]),
            _node(
                6,
                shadowRoots=[
                    _node(
                        7,
                        shadowRootType="open",
                        children=[_node(8, shadowRoots=[_node(9, shadowRootType="closed")])],
                    )
                ],
            ),
            _node(10, contentDocument=_node(11, children=[
                _node(12, shadowRoots=[_node(13, shadowRootType="closed")]),
            ])),
        ],
    )  # fmt: skip
    assert sorted(closed_roots(tree)) == [(2, 3), (8, 9), (12, 13)]


PAGE = """<!doctype html><title>t</title>
<x-declared><template shadowrootmode="closed"><button>Tout refuser</button></template></x-declared>
<x-scripted></x-scripted>
<script>
  window.kept = document.querySelector("x-scripted").attachShadow({mode: "closed"});
  kept.innerHTML = "<button>Tout accepter</button>";
</script>"""

READ = f"""() => {{
  const label = el => el[{CLOSED_ROOT_KEY}] && el[{CLOSED_ROOT_KEY}].querySelector("button").textContent;
  const [declared, scripted] = [...document.querySelectorAll("x-declared, x-scripted")];
  return [label(declared), declared.shadowRoot, label(scripted), scripted[{CLOSED_ROOT_KEY}] === window.kept];
}}"""


@pytest.mark.browser
def test_declared_roots_are_kept_for_the_scans_and_stay_closed_to_the_page(
    tmp_path: Path,
) -> None:
    (tmp_path / "index.html").write_text(PAGE, encoding="utf-8")

    async def step(context: Any, recorder: Any, tab: Any, url: str) -> list[Any]:
        await tab.page.add_init_script(script=CLOSED_ROOTS_SCRIPT)
        await tab.page.goto(url)
        before = await tab.page.evaluate(READ)
        found = await reach_declared_roots(tab.page)
        return [before, found, await tab.page.evaluate(READ)]

    (before, found, after), _ = run_in_tab(tmp_path, step)
    assert before == [None, None, "Tout accepter", True]  # the script's hook alone
    assert found == 2
    assert after == ["Tout refuser", None, "Tout accepter", True]  # the page's view unchanged
