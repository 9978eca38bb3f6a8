"""The knowledge base: the curated list, Open Cookie Database files by path and by URL."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from privacy_pages.model.knowledge import (
    KnowledgeError,
    load_knowledge,
    parse_retention,
)

from . import inspect_fixtures as fx

OCD_HEADER = (
    "ID,Platform,Category,Cookie / Data Key name,Domain,Description,Retention period,"
    "Data Controller,User Privacy & GDPR Rights Portals,Wildcard match\n"
)


@pytest.mark.parametrize(
    ("name", "vendor", "category", "match"),
    [
        ("_ga", "Google Analytics", "analytics", "exact"),
        ("_ga_Q1W2E3", "Google Analytics", "analytics", "prefix"),
        ("_gid", "Google Analytics", "analytics", "exact"),
        ("_gat_UA-123", "Google Analytics", "analytics", "prefix"),
        ("_gcl_au", "Google Ads / DoubleClick", "advertising", "exact"),
        ("IDE", "Google Ads / DoubleClick", "advertising", "exact"),
        ("test_cookie", "Google Ads / DoubleClick", "advertising", "exact"),
        ("_fbp", "Meta (Facebook)", "advertising", "exact"),
        ("fr", "Meta (Facebook)", "advertising", "exact"),
        ("_hjSessionUser_12345", "Hotjar", "analytics", "prefix"),
        ("_hjAbsoluteSessionInProgress", "Hotjar", "analytics", "prefix"),
        ("_pk_id.1.a2b3", "Matomo", "analytics", "prefix"),
        ("_pk_ses.1.a2b3", "Matomo", "analytics", "prefix"),
        ("_clck", "Microsoft Clarity", "analytics", "exact"),
        ("MUID", "Microsoft Advertising (Bing)", "advertising", "exact"),
        ("bcookie", "LinkedIn", "advertising", "exact"),
        ("_ttp", "TikTok", "advertising", "exact"),
        ("hubspotutk", "HubSpot", "analytics", "exact"),
        ("__cf_bm", "Cloudflare", "strictly_necessary", "exact"),
        ("tarteaucitron", "tarteaucitron.js", "strictly_necessary", "exact"),
        ("cc_cookie", "vanilla-cookieconsent", "strictly_necessary", "exact"),
        ("axeptio_cookies", "Axeptio", "strictly_necessary", "exact"),
        ("didomi_token", "Didomi", "strictly_necessary", "exact"),
        ("CookieConsent", "Cookiebot", "strictly_necessary", "exact"),
    ],
)
def test_builtin_list_names_vendor_and_category(
    name: str, vendor: str, category: str, match: str
) -> None:
    entry = fx.builtin_knowledge().lookup(name)
    assert entry is not None
    assert (entry.vendor, entry.category, entry.match) == (vendor, category, match)


def test_longest_prefix_wins_and_exact_beats_prefix() -> None:
    knowledge = fx.builtin_knowledge()
    assert knowledge.lookup("_hjSession_99").name == "_hjSession_"  # not the shorter "_hj"
    assert knowledge.lookup("_hjid").match == "exact"
    assert knowledge.lookup("_gcl_aw").name == "_gcl_"
    assert knowledge.lookup("unheard_of") is None


def test_types_restrict_matches() -> None:
    knowledge = fx.builtin_knowledge()
    assert knowledge.lookup("cc_cookie", "local_storage") is not None  # type: any
    assert knowledge.lookup("_ga", "local_storage") is None  # a cookie only


def test_consent_managers_are_marked() -> None:
    knowledge = fx.builtin_knowledge()
    assert knowledge.lookup("tarteaucitron").consent_manager
    assert not knowledge.lookup("_ga").consent_manager


def test_tracking_hosts_match_subdomains_only() -> None:
    knowledge = fx.builtin_knowledge()
    assert knowledge.host("www.google-analytics.com").vendor == "Google Analytics"
    assert knowledge.host("connect.facebook.net").vendor == "Meta (Facebook)"
    assert knowledge.host("GOOGLE-ANALYTICS.COM.").vendor == "Google Analytics"
    assert knowledge.host("notgoogle-analytics.com") is None
    assert knowledge.host("google-analytics.com.evil.example") is None


@pytest.mark.parametrize(
    ("text", "days", "session"),
    [
        ("1 year", 365.25, False),
        ("2 Years", 730.5, False),
        ("13 months", 13 * 30.4375, False),
        ("30 days", 30.0, False),
        ("24 hours", 1.0, False),
        ("30 minutes", 30 / 1440, False),
        ("session", None, True),
        ("Session", None, True),
        ("End of session (browser)", None, True),
        ("P13M", 13 * 30.4375, False),
        ("2 years after last activity", 730.5, False),
        ("Unknown", None, None),
        ("forever", None, None),
        ("", None, None),
    ],
)
def test_free_text_retention(text: str, days: float | None, session: bool | None) -> None:
    parsed_days, parsed_session = parse_retention(text)
    assert parsed_session is session
    if days is None:
        assert parsed_days is None
    else:
        assert parsed_days == pytest.approx(days)


def test_open_cookie_database_file_loads() -> None:
    knowledge = load_knowledge([fx.OCD_CSV], builtin=False)
    assert len(knowledge) == fx.OCD_SAMPLE_SIZE
    assert knowledge.sources == [str(fx.OCD_CSV)]
    ga = knowledge.lookup("_ga")
    assert (ga.vendor, ga.category, ga.match) == ("Google Analytics", "analytics", "exact")
    assert ga.lifetime == "2 years" and ga.lifetime_days == pytest.approx(730.5)
    ga4 = knowledge.lookup("_ga_ABCDEF")  # Wildcard match = 1
    assert (ga4.name, ga4.match) == ("_ga_", "prefix")
    assert knowledge.lookup("IDE").category == "advertising"  # Marketing
    assert knowledge.lookup("__cf_bm").category == "functional"
    assert knowledge.lookup("__cf_bm").session is True
    assert knowledge.lookup("XSRF-TOKEN").category == "strictly_necessary"  # Security
    assert knowledge.lookup("cart_42").match == "prefix"


@pytest.mark.skipif(
    fx.OCD_FULL_CSV is None, reason="PRIVACY_PAGES_OCD_CSV unset (.ci/run sets it from ../shared)"
)
def test_the_full_open_cookie_database_loads() -> None:
    assert fx.OCD_FULL_CSV is not None and fx.OCD_FULL_CSV.is_file(), fx.OCD_FULL_CSV
    knowledge = load_knowledge([fx.OCD_FULL_CSV], builtin=False)
    assert len(knowledge) > 2000
    entries = [e for group in knowledge.exact.values() for e in group] + knowledge.prefixes
    assert {e.category for e in entries} <= {
        "functional",
        "advertising",
        "analytics",
        "strictly_necessary",
        "social_media",
        "other",
    }
    ga = knowledge.lookup("_ga")
    assert (ga.vendor, ga.category, ga.match) == ("Google Analytics", "analytics", "exact")
    assert knowledge.lookup("_ga_ABCDEF").match == "prefix"


def test_open_cookie_database_categories_all_map() -> None:
    knowledge = load_knowledge([fx.OCD_CSV], builtin=False)
    entries = [e for group in knowledge.exact.values() for e in group] + knowledge.prefixes
    kinds = {e.category for e in entries}
    assert kinds == {"functional", "advertising", "analytics", "strictly_necessary"}


def test_builtin_entries_win_over_the_open_cookie_database() -> None:
    knowledge = load_knowledge([fx.OCD_CSV])
    assert knowledge.sources == ["built-in", str(fx.OCD_CSV)]
    assert knowledge.lookup("__cf_bm").category == "strictly_necessary"  # OCD says functional
    assert knowledge.lookup("CookieConsent").consent_manager
    extra = knowledge.lookup("_gali")  # only in the Open Cookie Database
    assert extra is not None and extra.source == str(fx.OCD_CSV)


def test_user_file_extends_the_builtin_list(tmp_path: Path) -> None:
    path = tmp_path / "mine.csv"
    path.write_text(
        "\ufeff"
        + OCD_HEADER
        + "x1,AdNet,Marketing,adnet_,adnet.test,Ad profile,13 months,AdNet SA,,1\n"
        + "x2,Shop,Necessary,basket,,Basket,Session,Shop,,0\n"
        + "x3,Shop,Odd,weird,,?,,Shop,,0\n"
        + ",,,,,,,,,\n",
        encoding="utf-8",
    )
    knowledge = load_knowledge([path])
    assert knowledge.lookup("adnet_uid").vendor == "AdNet"
    assert knowledge.lookup("basket").category == "strictly_necessary"
    assert knowledge.lookup("weird").category == "other"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("name,category\n_ga,Analytics\n", "not an Open Cookie Database CSV (missing column "),
        (b"\xff\xfe" + OCD_HEADER.encode("utf-16-le"), "not UTF-8 text"),
    ],
)
def test_bad_files_give_one_line_errors(tmp_path: Path, content: str | bytes, message: str) -> None:
    path = tmp_path / "bad.csv"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(KnowledgeError, match="^" + str(path).replace(".", r"\.")) as info:
        load_knowledge([path])
    assert message in str(info.value)
    assert "\n" not in str(info.value)


def test_missing_file_and_unsupported_scheme(tmp_path: Path) -> None:
    with pytest.raises(KnowledgeError, match="cannot read the cookie database"):
        load_knowledge([tmp_path / "nope.csv"])
    with pytest.raises(KnowledgeError, match="only http"):
        load_knowledge(["ftp://127.0.0.1/ocd.csv"])


@pytest.fixture
def loopback_server(tmp_path: Path, loopback: Callable[[Path], str]) -> str:
    """tmp_path served on 127.0.0.1: its base URL, without the final slash."""
    return loopback(tmp_path).rstrip("/")


def test_load_from_a_url(tmp_path: Path, loopback_server: str) -> None:
    (tmp_path / "ocd.csv").write_bytes(fx.OCD_CSV.read_bytes())
    knowledge = load_knowledge([f"{loopback_server}/ocd.csv"], builtin=False)
    assert len(knowledge) == fx.OCD_SAMPLE_SIZE
    assert knowledge.lookup("_fbp").vendor == "Facebook"


def test_url_errors_are_one_line(loopback_server: str) -> None:
    with pytest.raises(KnowledgeError, match=r"cannot download the cookie database \(HTTP 404 "):
        load_knowledge([f"{loopback_server}/missing.csv"])
    with pytest.raises(KnowledgeError, match="cannot download the cookie database"):
        load_knowledge(["http://127.0.0.1:9/ocd.csv"])  # discard port: refused
