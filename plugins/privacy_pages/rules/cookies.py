"""Cookie rules that need no browser: ePrivacy Art. 5(3) and the CNIL's 2020 guidelines."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from privacy_pages.diagnostics import Severity
from privacy_pages.model import Controller
from privacy_pages.model.durations import (
    SIX_MONTHS_DAYS,
    THIRTEEN_MONTHS_DAYS,
    TWENTY_FIVE_MONTHS_DAYS,
    parse_duration,
)
from privacy_pages.rules import REGISTRY
from privacy_pages.rules.known_trackers import known_tracker
from privacy_pages.rules.registry import Problem

E, W, I = Severity.ERROR, Severity.WARNING, Severity.INFO


def _lifetime_days(value: object) -> float | None:
    duration = parse_duration(str(value or ""))
    return duration.approx_days if duration else None


@REGISTRY.rule("CK001", "declared-lifetime-over-13-months", W, "CK", ("cnil-2020-092",))
def lifetime_over_13_months(view: Controller) -> Iterator[Problem]:
    """
    What it checks: a tracker that needs consent is declared to live at most 13 months.
    Why it matters: 13 months is the lifetime the CNIL recommends for trackers set with
    consent (recommendation of 17 September 2020, délibération 2020-092), after which
    consent is asked again; no text sets it for them, hence a warning. For exempt audience
    measurement the 13 months are a condition of the exemption itself: CK002 reports it.
    Fails: `{name: _ga, category: analytics, lifetime: P2Y}`.
    Use instead: `lifetime: P13M` (configure the tool's cookie expiry).
    """
    for tracker in view.trackers:
        days = _lifetime_days(tracker.get("lifetime"))
        if tracker.exempt_audience_measurement or tracker.needs_consent is False:
            continue
        if days and days > THIRTEEN_MONTHS_DAYS:
            yield Problem(
                tracker.at("lifetime"),
                f"tracker '{tracker.label}' lives {tracker.get('lifetime')}, over the 13 "
                "months the CNIL recommends",
                "set its lifetime to P13M or less",
            )


@REGISTRY.rule(
    "CK002",
    "exempt-audience-conditions",
    E,
    "CK",
    ("lil-82", "cnil-2020-091#art. 5", "cnil-2020-092#art. 5"),
)
def exempt_audience(view: Controller) -> Iterator[Problem]:
    """
    What it checks: a tracker declared as exempt audience measurement meets the CNIL's
    conditions: first party, no cross-site tracking, no sharing, a lifetime of at most 13
    months, its data kept at most 25 months (and said), and a way for visitors to object.
    Why it matters: LIL art. 82 exempts from consent only trackers strictly necessary to the
    service; the CNIL's guidelines (délibération 2020-091, art. 5) and recommendation
    (2020-092) set when audience measurement is: a tracker outside those conditions needs
    consent like any other, so declaring it exempt is a breach of art. 82.
    Fails: `exempt_audience_measurement: true` with `cross_site: true`, `shared: true`,
    `party: third`, `lifetime: P2Y`, `data_retention: P3Y`, or no `data_retention` or no
    `opt_out`.
    Use instead: `{exempt_audience_measurement: true, party: first, lifetime: P13M,
    data_retention: P25M, opt_out: "Untick 'Audience' in our cookie settings."}`, or move the
    tracker to a consent category.
    """
    for tracker in view.trackers:
        if not tracker.exempt_audience_measurement:
            continue
        broken = []
        if tracker.get("cross_site"):
            broken.append("it tracks across sites")
        if tracker.get("shared"):
            broken.append("its data are shared")
        if tracker.get("party") == "third":
            broken.append("it is a third-party tracker")
        lifetime = _lifetime_days(tracker.get("lifetime"))
        if lifetime and lifetime > THIRTEEN_MONTHS_DAYS:
            broken.append("it lives over 13 months")
        retention = _lifetime_days(tracker.get("data_retention"))
        if retention and retention > TWENTY_FIVE_MONTHS_DAYS:
            broken.append("its data are kept over 25 months")
        elif not tracker.get("data_retention"):
            broken.append("the retention of its data is not stated")
        if not tracker.get("opt_out"):
            broken.append("visitors are not told how to object")
        if broken:
            yield Problem(
                tracker.at("exempt_audience_measurement"),
                f"tracker '{tracker.label}' cannot be exempt: " + "; ".join(broken),
                "fix the configuration or require consent for it",
            )


@REGISTRY.rule(
    "CK003",
    "known-tracker-not-necessary",
    E,
    "CK",
    ("eprivacy-5#(3)", "lil-82", "edpb-cookie-taskforce"),
)
def known_tracker_necessary(view: Controller) -> Iterator[Problem]:
    """
    What it checks: a well-known analytics or advertising cookie is not declared strictly
    necessary or free of consent.
    Why it matters: CNIL guidelines 2020 and the EDPB cookie-banner taskforce (2023):
    "essential cookies wrongly classified" is a frequent breach.
    Fails: `{name: _ga, category: necessary}` where `necessary` is strictly necessary.
    Use instead: put it in an analytics or advertising category that requires consent.
    """
    for tracker in view.trackers:
        known = known_tracker(str(tracker.get("name", "")))
        if known is None or known.kind not in ("analytics", "advertising"):
            continue
        if tracker.get("exempt_audience_measurement") and known.kind == "analytics":
            continue
        if tracker.needs_consent is False:
            yield Problem(
                tracker.at("category") if "category" in tracker.data else tracker.pointer,
                f"'{tracker.label}' is a known {known.kind} cookie "
                f"({known.vendor}) declared without consent",
                f"move it to a category of kind {known.kind}, which requires consent",
            )


@REGISTRY.rule("CK004", "unclassified-tracker", E, "CK", ("lil-82", "cnil-2020-091#art. 2"))
def unclassified(view: Controller) -> Iterator[Problem]:
    """
    What it checks: every tracker belongs to a category.
    Why it matters: CNIL guidelines 2020: visitors consent per purpose; a tracker without a
    category cannot be gated by the banner.
    Fails: `{name: _fbp}` with no `category`.
    Use instead: `category: advertising`.
    """
    for tracker in view.trackers:
        if not tracker.get("category"):
            yield Problem(
                tracker.pointer,
                f"tracker '{tracker.label}' has no category",
                "add category: <id of a cookies.categories entry>",
                at_key=True,
            )


@REGISTRY.rule("CK005", "tracker-in-two-categories", E, "CK", ("eprivacy-5#(3)", "lil-82"))
def contradictory(view: Controller) -> Iterator[Problem]:
    """
    What it checks: a tracker name is declared under one category only.
    Why it matters: the banner cannot both allow and block the same cookie; the policy
    contradicts itself.
    Fails: `_ga` listed under `analytics` and again under `necessary`.
    Use instead: one declaration per tracker.
    """
    seen: dict[tuple[str, str], list] = defaultdict(list)
    for tracker in view.trackers:
        if tracker.name:  # a tracker declared by its provider alone has no name to clash
            seen[(tracker.name, tracker.type)].append(tracker)
    for (name, _), entries in seen.items():
        categories = {e.get("category") for e in entries}
        if len(categories) > 1:
            for entry in entries[1:]:
                yield Problem(
                    entry.at("category") if "category" in entry.data else entry.pointer,
                    f"'{name}' is declared under several categories: "
                    + ", ".join(sorted(map(str, categories))),
                    "keep one declaration per tracker",
                )


@REGISTRY.rule(
    "CK006",
    "legitimate-interest-for-trackers",
    E,
    "CK",
    ("eprivacy-5#(3)", "lil-82", "edpb-cookie-taskforce"),
)
def legitimate_interest(view: Controller) -> Iterator[Problem]:
    """
    What it checks: no tracker category that needs consent claims legitimate interest.
    Why it matters: ePrivacy Art. 5(3) allows only consent or the strict-necessity
    exemption; the EDPB taskforce (2023) lists legitimate interest for cookies as a breach.
    Fails: `{id: ads, kind: advertising, legal_basis: legitimate_interests}`.
    Use instead: `legal_basis: consent`.
    """
    for category in view.items("cookies", "categories"):
        if (
            category.get("legal_basis") == "legitimate_interests"
            and category.get("kind") != "strictly_necessary"
        ):
            yield Problem(
                category.at("legal_basis"),
                f"category '{category.get('id')}' claims legitimate interest for trackers",
                "use legal_basis: consent",
            )


@REGISTRY.rule("CK007", "withdraw-mechanism-missing", E, "CK", ("gdpr-7#(3)", "cnil-2020-091"))
def withdraw(view: Controller) -> Iterator[Problem]:
    """
    What it checks: when trackers need consent, the policy says how to change or withdraw
    the choice at any time.
    Why it matters: GDPR Art. 7(3) (withdrawing as easy as giving) and CNIL guidelines 2020.
    Fails: consent categories with no `consent_manager.change_choice` or `link`.
    Use instead: `consent_manager: {change_choice: "Click 'Cookies' at the bottom of any page."}`.
    """
    cookies = view.section("cookies")
    needs = view.any_consent_needed()
    manager = cookies.get("consent_manager") or {}
    if needs and not (manager.get("change_choice") or manager.get("link")):
        yield Problem(
            "/cookies",
            "no way to change or withdraw the cookie choice is described",
            "add cookies.consent_manager.change_choice (and link)",
        )


@REGISTRY.rule("CK008", "tracker-list-missing", W, "CK", ("cnil-2020-092",))
def tracker_list(view: Controller) -> Iterator[Problem]:
    """
    What it checks: categories of trackers come with the list of the trackers themselves.
    Why it matters: CNIL guidelines 2020: an exhaustive, up-to-date list of the parties
    placing trackers; the audit compares the site with this list.
    Fails: `categories` declared, `trackers` empty or absent.
    Use instead: `trackers: [{name: _ga, provider: Google, category: analytics, lifetime: P13M}]`.
    """
    if view.items("cookies", "categories") and not view.trackers:
        yield Problem(
            "/cookies",
            "cookie categories are described but no tracker is listed",
            "list each cookie in cookies.trackers (run privacy-pages audit to find them)",
        )


@REGISTRY.rule(
    "CK009",
    "tracker-incomplete",
    W,
    "CK",
    ("lil-82", "cnil-2020-092"),
    level_note="art. 82 requires clear and complete information; which details each tracker "
    "needs is the CNIL's recommendation",
)
def tracker_incomplete(view: Controller) -> Iterator[Problem]:
    """
    What it checks: each tracker that needs consent, or is exempt audience measurement,
    states its purpose, lifetime, party, and provider when third party.
    Why it matters: LIL art. 82 and the CNIL recommendation of 2020: visitors must be
    informed of the purpose, issuer and lifetime of trackers subject to consent and of
    exempt audience measurement. Strictly necessary trackers are exempt from the duty to
    inform, so they are not asked for details.
    Fails: `{name: _ga, category: analytics}`.
    Use instead: add `purpose`, `lifetime`, `party` and `provider`.
    """
    for tracker in view.trackers:
        if tracker.needs_consent is False and not tracker.exempt_audience_measurement:
            continue
        missing = [k for k in ("purpose", "lifetime", "party") if not tracker.get(k)]
        if tracker.get("party") == "third" and not tracker.get("provider"):
            missing.append("provider")
        if missing:
            yield Problem(
                tracker.pointer,
                f"tracker '{tracker.label}' lacks " + ", ".join(missing),
                "add " + ", ".join(missing),
                at_key=True,
            )


@REGISTRY.rule("CK010", "choice-lifetime-too-long", W, "CK", ("cnil-2020-092",))
def choice_lifetime(view: Controller) -> Iterator[Problem]:
    """
    What it checks: the visitor's choice (acceptance or refusal) is remembered at most
    6 months.
    Why it matters: the CNIL recommendation of 17 September 2020 advises keeping the choice
    6 months before asking again; the 13-month limit is for the trackers themselves
    (CK001). Guidance, hence a warning.
    Fails: `consent_manager: {choice_lifetime: P13M}`.
    Use instead: `choice_lifetime: P6M`.
    """
    manager = view.section("cookies").get("consent_manager") or {}
    days = _lifetime_days(manager.get("choice_lifetime"))
    if days and days > SIX_MONTHS_DAYS:
        yield Problem(
            "/cookies/consent_manager/choice_lifetime",
            f"the cookie choice is kept {manager.get('choice_lifetime')}, over the 6 months "
            "the CNIL recommends",
            "use choice_lifetime: P6M",
        )


@REGISTRY.rule(
    "CK011",
    "cookie-policy-missing",
    W,
    "CK",
    ("eprivacy-5#(3)", "lil-82"),
    level_note="a site that stores and reads nothing on the visitor's device has nothing to "
    "say: a fact outside the file",
)
def cookie_policy(view: Controller) -> Iterator[Problem]:
    """
    What it checks: the file has a `cookies` section.
    Why it matters: ePrivacy Art. 5(3): every site that reads or writes on the visitor's
    device must inform them; even a site with only a session cookie says so.
    Fails: no `cookies:` key.
    Use instead: `cookies: {categories: [...], trackers: [...]}` (an empty list if none).
    """
    if "cookies" not in view.data:
        yield Problem("", "no cookie policy", "add cookies: {categories: [...], trackers: [...]}")


@REGISTRY.rule(
    "CK012",
    "consent-not-collected",
    E,
    "CK",
    ("gdpr-4#(11)", "gdpr-7", "lil-82", "cnil-2020-091#art. 2", "cjeu-c673-17"),
)
def consent_not_collected(view: Controller) -> Iterator[Problem]:
    """
    What it checks: trackers that need consent are not covered by "consent" implied by
    browsing on, or left to the browser's settings.
    Why it matters: GDPR Art. 4(11) and 7, CNIL guidelines of 17 September 2020 art. 2:
    consent is a clear positive act; continuing to browse is not one, and browser settings
    cannot today express valid consent. The EDPB cookie-banner taskforce (2023) agrees.
    Fails: `consent_model: implied_by_browsing` ("by using the website, you accept cookies")
    or `browser_settings_only`, with analytics or advertising categories, or with no
    category listed at all (asking consent implies trackers that need it).
    Use instead: a consent banner (`consent_model: banner`) with accept and refuse buttons.
    """
    model = view.section("cookies").get("consent_model")
    if model not in ("implied_by_browsing", "browser_settings_only"):
        return
    declared = bool(view.categories) or bool(view.trackers)
    needs = view.any_consent_needed() or not declared
    if needs:
        how = (
            "by browsing on" if model == "implied_by_browsing" else "through browser settings only"
        )
        yield Problem(
            "/cookies/consent_model",
            f"consent to trackers is taken {how}, which is not valid consent",
            "collect consent with a banner offering accept and refuse (consent_model: banner)",
        )
