"""Text from YAML is text: markup and Markdown in a controller file show literally, on every
page type of the built site and in every export format."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from markupsafe import escape

from privacy_pages.model.content import require_controller
from privacy_pages.render import Layout, render_pages
from privacy_pages.render.escaping import markdown_inline, safe_url
from privacy_pages.render.html import markdown_to_html

from .conftest import DATA
from .pagetext import normalise

HOSTILE = DATA / "hostile.yaml"
PAGES = {
    "landing": "",
    "privacy": "privacy/",
    "cookies": "cookies/",
    "legal_notice": "legal-notice/",
}
# What each page must show literally (a sample per page type; the title is on all).
LITERAL = {
    "landing": [
        "<script>alert('title')</script> *Shop* [x](javascript:alert(1)) # {#id}",
        "<img src=x onerror=alert('changelog')>",
    ],
    "privacy": [
        "<script>alert('purpose')</script>",
        "*star* _under_ [link](http://evil.example)",
        "## <em>Activity</em> {: .cls }",
        "<style>body{display:none}</style>",
        "<a href='http://evil.example'>Evil recipient</a>",
        "| table | row |",
        "# Not a heading",
        "<script>alert('intro')</script>",
        "indented code?",
        "&lt;escaped&gt; &amp; <u>raw</u>",
        "<b>Evil</b> & Co **bold** `code` <!-- c -->",
    ],
    "cookies": [
        "<script>alert('cookie')</script>",
        "[Provider](http://evil.example)",
        "<img src=x onerror=alert('tracker')>",
        "<marquee>Ads</marquee>",
        "<button onclick=alert(1)>click</button>",
        "javascript:alert('link')",
    ],
    "legal_notice": [
        "<script>alert('director')</script>",
        "<iframe src=http://evil.example></iframe>",
        "![img](http://evil.example/x.png)",
        "<h1>Injected</h1>",
        "<script>alert('extra')</script>",
        "**not bold**",
        "<svg onload=alert(1)>",
        "_Paris_",
        "<i>SAS</i>",
    ],
}


def _assert_inert(html: str, where: str) -> None:
    document = BeautifulSoup(html, "html.parser")
    for element in document.find_all(True):
        for attribute, value in element.attrs.items():
            assert not attribute.lower().startswith("on"), f"{where}: event handler {element}"
            if attribute in ("href", "src", "action", "formaction"):
                assert not str(value).strip().lower().startswith(("javascript:", "data:")), (
                    f"{where}: dangerous URL in {element}"
                )
    content = document.select_one("article") or document
    for name in ("iframe", "img", "marquee", "style", "button", "u", "b", "i"):
        found = content.select(name)
        assert not found, f"{where}: <{name}> from the YAML became markup: {found[:1]}"
    assert len(content.select("h1")) <= 1, f"{where}: a heading from the YAML became markup"
    for script in document.find_all("script"):
        assert "alert(" not in script.get_text(), f"{where}: injected script {script}"
    assert "<script>alert" not in html, f"{where}: unescaped markup in the HTML source"


@pytest.mark.parametrize("kind", sorted(PAGES))
@pytest.mark.parametrize("lang", ["en", "fr"])
def test_built_pages_show_markup_literally(fixture_site: Path, kind: str, lang: str) -> None:
    page = fixture_site / "clients" / "hostile-shop" / lang / PAGES[kind] / "index.html"
    html = page.read_text(encoding="utf-8")
    _assert_inert(html, str(page))
    article = BeautifulSoup(html, "html.parser").select_one("article")
    assert article is not None
    text = normalise(article.get_text(" "))
    for literal in LITERAL[kind] + LITERAL["landing"][:1]:
        assert normalise(literal) in text, f"{kind}/{lang}: {literal!r} is not shown literally"


def test_index_and_titles_are_inert(fixture_site: Path) -> None:
    index = (fixture_site / "clients" / "index.html").read_text(encoding="utf-8")
    _assert_inert(index, "index")
    assert "<script>alert('title')</script>" in BeautifulSoup(index, "html.parser").get_text()
    title = BeautifulSoup(index, "html.parser").title
    assert title is not None


@pytest.mark.parametrize("fmt", ["html", "markdown"])
def test_exports_show_markup_literally(fmt: str) -> None:
    data = require_controller(HOSTILE).data
    for page in render_pages(data, Layout(prefix="", directory_urls=False)):
        html = markdown_to_html(page.markdown)
        _assert_inert(html, f"{fmt} export {page.src_path}")
        if fmt == "markdown":
            assert "<script>" not in page.markdown
            assert "javascript:" not in re.findall(r'href="([^"]*)"', page.markdown)


def test_markdown_headings_neutralise_every_syntax_character() -> None:
    text = "*a* _b_ `c` [d](e) {#f} \\ <x> ~~g~~ ==h== !i #"
    rendered = markdown_to_html("## " + markdown_inline(escape(text)) + "\n")
    heading = BeautifulSoup(rendered, "html.parser").h2
    assert heading is not None and heading.get_text() == text
    assert [tag.name for tag in heading.find_all(True)] == []


@pytest.mark.parametrize(
    ("url", "allowed"),
    [
        ("https://a.example/", True),
        ("mailto:x@y.z", True),
        ("#tarteaucitron", True),
        ("/privacy/", True),
        ("javascript:alert(1)", False),
        (" JaVaScRiPt:alert(1)", False),
        ("java\tscript:alert(1)", False),
        ("data:text/html,x", False),
        ("vbscript:x", False),
    ],
)
def test_safe_url(url: str, allowed: bool) -> None:
    assert (safe_url(url) is not None) is allowed
