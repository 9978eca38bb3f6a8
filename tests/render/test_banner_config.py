"""`privacy-pages export --format cookieconsent|tarteaucitron|klaro|orejime` without a browser:
what the banner reads from the file, the files written (golden), the guide and the warnings.

The same configurations run in Chromium with each consent manager in
tests/audit/test_banner_export.py.
"""

from __future__ import annotations

import copy
import os
from pathlib import Path
from typing import Any

import pytest
import yaml

from privacy_pages.banner import FORMATS
from privacy_pages.banner.js import RegExp, literal, string
from privacy_pages.banner.model import CookiePattern, read_banner
from privacy_pages.cli import main

DATA = Path(__file__).parents[1] / "data"
CONTROLLER = DATA / "audit" / "banner" / "controller.yaml"
GOLDEN = DATA / "audit" / "banner" / "golden"


def _golden(actual: str, path: Path) -> None:
    """Compare with a golden file; `UPDATE_GOLDEN=1` rewrites it."""
    if os.environ.get("UPDATE_GOLDEN") == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8")
    assert path.is_file(), f"missing golden file {path}; run with UPDATE_GOLDEN=1"
    assert actual == path.read_text(encoding="utf-8"), f"{path} differs (UPDATE_GOLDEN=1 to accept)"


def _shop() -> dict[str, Any]:
    return dict(yaml.safe_load(CONTROLLER.read_text(encoding="utf-8")))


def _with_consent_cookie(data: dict[str, Any], name: str) -> dict[str, Any]:
    data = copy.deepcopy(data)
    data["cookies"]["trackers"].insert(
        0, {"name": name, "category": "necessary", "lifetime": "P6M", "party": "first"}
    )
    return data


def test_purposes_follow_the_categories_with_necessary_first() -> None:
    banner = read_banner(_shop(), consent_cookie="cc_cookie")
    assert [(p.id, p.required) for p in banner.purposes] == [
        ("necessary", True),
        ("audience", False),
        ("ads", False),
    ]
    audience = banner.purposes[1]
    assert audience.titles == {"fr": "Mesure d’audience", "en": "Audience measurement"}
    assert audience.descriptions["en"] == "Measure the site's audience."
    assert [s.key for s in audience.services] == ["audience-shop-stats"]
    # Only first-party cookies can be deleted by the page; storage keys and third-party
    # cookies are listed, never cleared.
    assert audience.cookies == (CookiePattern("_pa_", prefix=True),)
    assert banner.policy_urls == {
        "fr": "/clients/banner-shop/fr/cookies/",
        "en": "/clients/banner-shop/en/cookies/",
    }
    assert banner.choice_days == 182  # P6M, whole days, never longer than stated
    assert banner.undeclared_consent_cookie


def test_an_exempt_tracker_in_a_consent_category_stays_on() -> None:
    data = _shop()
    data["cookies"]["trackers"].append(
        {"name": "_pk_ses", "category": "audience", "exempt_audience_measurement": True,
         "lifetime": "PT30M", "party": "first"}
    )  # fmt: skip
    banner = read_banner(data, consent_cookie="cc_cookie")
    ids = {p.id: p.required for p in banner.purposes}
    assert ids == {"necessary": True, "audience-exempt": True, "audience": False, "ads": False}
    exempt = next(p for p in banner.purposes if p.id == "audience-exempt")
    assert exempt.titles["fr"] == "Mesure d’audience (Exemptés de consentement)"
    assert [t.name for t in exempt.trackers] == ["_pk_ses"]
    assert "_pk_ses" not in [c.name for p in banner.consent_purposes for c in p.cookies]


def test_trackers_without_category_ask_for_consent_and_are_named(
    tmp_path: Path, capsys: Any
) -> None:
    data = _with_consent_cookie(_shop(), "klaro")
    data["cookies"]["trackers"].append({"name": "mystery", "party": "first", "lifetime": "P1D"})
    path = tmp_path / "shop.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    code = main(
        ["export", str(path), "--format", "klaro", "--out", str(tmp_path / "out"), "--draft"]
    )
    err = capsys.readouterr().err
    assert code == 0
    assert "tracker(s) mystery have no category; the banner asks consent for them" in err
    banner = read_banner(data, consent_cookie="klaro")
    assert [p.id for p in banner.consent_purposes][-1] == "uncategorised"


def test_the_policy_url_follows_the_option_then_the_file() -> None:
    data = _shop()
    assert read_banner(data, consent_cookie="x", policy_url="https://shop.example/{lang}/cookies")\
        .policy_urls["en"] == "https://shop.example/en/cookies"  # fmt: skip
    data["documents"]["covers"] = ["privacy_notice"]
    data["documents"]["elsewhere"] = {"cookie_policy": "https://shop.example/cookies"}
    assert read_banner(data, consent_cookie="x").policy_urls["fr"] == "https://shop.example/cookies"


def test_cookie_patterns_are_anchored_regular_expressions() -> None:
    assert CookiePattern("_ga").regex == "^_ga$"
    assert CookiePattern("_pk_id.", prefix=True).regex == r"^_pk_id\."
    assert CookiePattern("a+b(c)").regex == r"^a\+b\(c\)$"


def test_javascript_strings_cannot_end_a_script() -> None:
    assert string("</script><b>&") == '"\\u003c/script\\u003e\\u003cb\\u003e\\u0026"'
    assert string("a\u2028b") == '"a\\u2028b"'
    assert literal({"x": [RegExp("^a$"), True, None]}) == (
        '{\n  "x": [\n    new RegExp("^a$"),\n    true,\n    null\n  ]\n}'
    )


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_each_format_matches_its_golden_file(fmt: str, tmp_path: Path, capsys: Any) -> None:
    data = _with_consent_cookie(_shop(), FORMATS[fmt].consent_cookie)
    path = tmp_path / "banner-shop.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    code = main(["export", str(path), "--format", fmt, "--out", str(tmp_path / "out")])
    printed = capsys.readouterr()
    assert code == 0 and printed.err == "", printed
    written = tmp_path / "out" / "banner-shop" / FORMATS[fmt].file_name
    assert printed.out.splitlines()[0] == str(written)
    _golden(written.read_text(encoding="utf-8"), GOLDEN / FORMATS[fmt].file_name)
    _golden(printed.out.split("\n", 1)[1], GOLDEN / f"{fmt}-guide.txt")


def test_the_manager_s_own_cookie_undeclared_is_a_warning(tmp_path: Path, capsys: Any) -> None:
    path = tmp_path / "shop.yaml"
    path.write_text(CONTROLLER.read_text(encoding="utf-8"), encoding="utf-8")
    assert main(["export", str(path), "--format", "cookieconsent", "--out", str(tmp_path)]) == 0
    err = capsys.readouterr().err.splitlines()
    assert err == [
        (
            f"privacy-pages export: warning: {path}: the file does not declare "
            "vanilla-cookieconsent 3's own cookie 'cc_cookie'; add it to cookies.trackers in a "
            "strictly necessary category, with the lifetime you choose (the audit reports an "
            "undeclared cookie, DC01)"
        )
    ]


def test_a_file_with_errors_is_refused_unless_draft(tmp_path: Path, capsys: Any) -> None:
    data = _shop()
    del data["cookies"]["consent_manager"]["change_choice"]
    path = tmp_path / "shop.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    out = tmp_path / "out"
    assert main(["export", str(path), "--format", "orejime", "--out", str(out)]) == 1
    assert "not exported" in capsys.readouterr().err and not out.exists()
    assert main(["export", str(path), "--format", "orejime", "--out", str(out), "--draft"]) == 0
    assert "`check` reports errors in this file" in capsys.readouterr().err


def test_languages_can_be_narrowed_and_unknown_ones_are_one_line(
    tmp_path: Path, capsys: Any
) -> None:
    path = tmp_path / "shop.yaml"
    path.write_text(CONTROLLER.read_text(encoding="utf-8"), encoding="utf-8")
    out = tmp_path / "out"
    assert main(["export", str(path), "--format", "klaro", "--lang", "en", "--out", str(out)]) == 0
    text = (out / "banner-shop" / "klaro-config.js").read_text(encoding="utf-8")
    assert '"en": {' in text and '"fr": {' not in text
    capsys.readouterr()
    assert main(["export", str(path), "--format", "klaro", "--lang", "de", "--out", str(out)]) == 2
    assert capsys.readouterr().err.count("\n") == 1


def test_unknown_format_names_the_choices(capsys: Any) -> None:
    with pytest.raises(SystemExit) as info:
        main(["export", str(CONTROLLER), "--format", "didomi"])
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "cookieconsent" in err and "orejime" in err
