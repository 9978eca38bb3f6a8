"""The rules of `privacy-pages audit`, defined in the one registry `check` uses.

IDs come from reference/audit.md and are never reused; every rule has ``scope="audit"``,
so `check` and its reports (SARIF ``rules[]``, docs/rules.md) leave them out while
`privacy-pages rules`, ``--severity`` and suppressions know them. The checking itself lives
in `privacy_audit.analyze`; these are definitions and documentation only, so that `check`
never imports the crawler.
"""

from __future__ import annotations

import functools

from privacy_pages.diagnostics import Severity
from privacy_pages.rules import REGISTRY

_audit = functools.partial(REGISTRY.define, scope="audit")


_audit(
    "PC01",
    "pre-consent-cookie",
    Severity.ERROR,
    "PC",
    """
    A cookie that needs consent is set before the visitor has chosen anything.

    What it checks: in the `before-consent` phase (fresh profile, no click), every cookie
    whose declared category, or the knowledge base's category when it is not declared,
    needs consent.
    Why it matters: ePrivacy Directive Art. 5(3) (French Loi Informatique et Libertés
    Art. 82) requires prior consent for every tracker not strictly necessary; CNIL
    guidelines of 17 September 2020, § 2: silence is refusal.
    Fails: `_ga` or `_fbp` present right after the first page load.
    Use instead: load the analytics or advertising script only from the consent manager's
    "accepted" callback (tarteaucitron services, cookieconsent categories).
    """,
    ("eprivacy-5#(3)", "lil-82", "cnil-2020-091#art. 2"),
)


_audit(
    "PC02",
    "pre-consent-storage",
    Severity.ERROR,
    "PC",
    """
    A localStorage or sessionStorage key, or an IndexedDB database, that needs consent is
    written before any choice.

    What it checks: in the `before-consent` phase, every localStorage or sessionStorage
    key and IndexedDB database whose declared or known category needs consent.
    Why it matters: Art. 5(3) ePrivacy covers any storage of or access to information in
    the terminal equipment, not only cookies (EDPB Guidelines 2/2023 on the technical scope
    of Art. 5(3)).
    Fails: Hotjar's `_hjSession` key in localStorage on the first page.
    Use instead: start the script that writes the key only after consent.
    """,
    ("eprivacy-5#(3)", "lil-82", "edpb-2-2023"),
)


_audit(
    "PC03",
    "pre-consent-tracker-request",
    Severity.ERROR,
    "PC",
    """
    Requests go to a known tracking host before any choice.

    What it checks: in the `before-consent` phase, third-party requests to a host the
    knowledge base knows as a tracker, or a declared recipient of a tracker needing consent.
    Why it matters: a tracking pixel or beacon reads or sends identifiers without a cookie
    of the site's own; ePrivacy Art. 5(3) and EDPB Guidelines 2/2023 (tracking pixels).
    Fails: `www.google-analytics.com/g/collect` or `www.facebook.com/tr` hit on load.
    Use instead: block the tag until consent (consent manager, or Consent Mode with no
    request before consent).
    """,
    ("eprivacy-5#(3)", "lil-82", "edpb-2-2023"),
)


_audit(
    "RJ01",
    "reject-ignored",
    Severity.ERROR,
    "RJ",
    """
    A cookie or storage key that needs consent is set after the visitor refused.

    What it checks: in the `after-reject` phase (the banner's refuse button clicked, then
    browsing), every cookie or storage key whose category needs consent. Skipped when the
    refusal could not be clicked (see BN00, BN01).
    Why it matters: a refusal must be respected as much as an acceptance (GDPR Art. 7(3)
    and 4(11); CNIL guidelines 2020, § 2; CNIL sanctions of 2021-2022).
    Fails: `_ga` still written after "Tout refuser".
    Use instead: wire every tag to the consent manager's categories; clear trackers set
    before the refusal.
    """,
    ("eprivacy-5#(3)", "lil-82", "gdpr-7#(3)", "cnil-2020-091#art. 2"),
)


_audit(
    "RJ02",
    "reject-ignored-request",
    Severity.ERROR,
    "RJ",
    """
    Requests to tracking hosts go on after the visitor refused.

    What it checks: in the `after-reject` phase, third-party requests to known tracking
    hosts or declared recipients of trackers needing consent. Skipped when the refusal
    could not be clicked.
    Why it matters: ePrivacy Art. 5(3) and GDPR Art. 7(3): a refused tracker may not run.
    Fails: a Meta pixel request after "Reject all".
    Use instead: gate the tag on the consent manager's category, not only its cookie.
    """,
    ("eprivacy-5#(3)", "lil-82", "gdpr-7#(3)"),
)


_audit(
    "DC01",
    "undeclared-cookie",
    Severity.WARNING,
    "DC",
    """
    A cookie or storage key was observed that the cookie list does not declare: to classify.

    What it checks: every cookie and storage key seen in any phase against the declared
    trackers (exact name, or prefix for `match: prefix`); one finding per cookie, naming
    the phases it was seen in and, when known, its vendor.
    Why it matters: LIL art. 82 (ePrivacy Art. 5(3)) and GDPR Art. 13 require clear and
    complete information on the trackers that need consent, and the CNIL's guidelines ask
    for the list of them. An unknown cookie may also be strictly necessary, needing neither
    consent nor mention: a warning to classify it, not a breach found; one the knowledge
    base knows as strictly necessary (a consent manager's own cookie) is information only.
    A cookie that needs consent and was set before any choice is PC01's error.
    Fails: `_hjid` set by Hotjar but absent from `cookies.trackers`.
    Use instead: declare it (name, provider, category, lifetime) or remove the script.
    """,
    ("gdpr-13", "lil-82", "cnil-2020-091"),
    level_note="an unknown cookie is to classify: it may be strictly necessary, then needing neither consent nor mention",
)


_audit(
    "DC02",
    "declared-not-observed",
    Severity.INFO,
    "DC",
    """
    A declared cookie or storage key was never seen in any phase.

    What it checks: every declared tracker of type cookie, local_storage, session_storage
    or indexed_db against what all three phases observed.
    Why it matters: a stale list misinforms visitors (GDPR Art. 12(1): accurate
    information); it may also simply not be set on the pages visited, hence info.
    Fails: `_pk_id` declared after Matomo was removed from the site.
    Use instead: remove the entry, or audit the pages that set it (`--pages`).
    """,
    ("gdpr-12#(1)",),
    level_note="the cookie may simply not be set on the pages visited",
)


_audit(
    "DC03",
    "undeclared-third-party",
    Severity.WARNING,
    "DC",
    """
    A third-party host receives requests or sets cookies but is no declared recipient.

    What it checks: the registrable domain (Public Suffix List) of every third-party
    request and cookie against the `hosts` of the controller's `recipients`.
    Why it matters: GDPR Art. 13(1)(e) requires naming the recipients of personal data;
    an IP address and a page URL sent to a third party are personal data (CJEU C-582/14
    Breyer).
    Fails: requests to `hotjar.com` with no recipient listing that host.
    Use instead: add the recipient with its `hosts`, or stop loading from that host.
    """,
    ("gdpr-13#(1)(e)", "cjeu-c582-14"),
    level_note="the host may receive no personal data, or be named under a category of recipients",
)


_audit(
    "DC04",
    "unclassified-cookie",
    Severity.WARNING,
    "DC",
    """
    A declared tracker has no category, or names a category that does not exist.

    What it checks: every `cookies.trackers` entry has a `category` that is the id of a
    `cookies.categories` entry.
    Why it matters: without a category nobody can tell whether it needs consent (ePrivacy
    Art. 5(3)); the banner cannot offer a choice per purpose (CNIL guidelines 2020 § 2).
    Fails: `- name: _ga` with no `category`.
    Use instead: `category: analytics` pointing to a declared category.
    """,
    ("lil-82", "cnil-2020-091#art. 2"),
    level_note="the declaration is incomplete; whether the cookie needs consent is PC01's and RJ01's question",
)


_audit(
    "DC05",
    "contradictory-category",
    Severity.ERROR,
    "DC",
    """
    One cookie is declared twice under different categories.

    What it checks: declared trackers with the same name, match and type whose categories
    differ.
    Why it matters: the visitor cannot know whether refusing a category blocks it
    (GDPR Art. 12(1), transparent information; EDPB cookie banner taskforce 2023).
    Fails: `_ga` declared once under `analytics` and once under `necessary`.
    Use instead: one entry per tracker, in the category that matches its purpose.
    """,
    ("gdpr-12#(1)", "lil-82", "edpb-cookie-taskforce"),
)


_audit(
    "DC06",
    "known-cookie-wrong-category",
    Severity.ERROR,
    "DC",
    """
    A declared cookie's category contradicts what the knowledge base knows of it.

    What it checks: declared trackers known to the knowledge base whose declared kind
    differs from the known one (advertising and social media count as one; functional and
    other are too vague to contradict anything). The same level as CK003, which checks
    the declaration alone.
    Why it matters: the EDPB cookie banner taskforce (2023) lists "essential cookies
    wrongly classified" among common violations: a tracker filed as necessary escapes
    consent, and one filed under another purpose runs on a consent given for that purpose,
    not its own (ePrivacy Art. 5(3), LIL art. 82: consent is given per purpose).
    Fails: `_ga` declared under a `strictly_necessary` category.
    Use instead: the category of its real purpose, with consent, or the CNIL's exempt
    audience measurement only when all its conditions hold.
    """,
    ("eprivacy-5#(3)", "lil-82", "edpb-cookie-taskforce"),
)


_audit(
    "RT01",
    "expiry-exceeds-declared",
    Severity.WARNING,
    "RT",
    """
    A cookie lives much longer than its declared lifetime.

    What it checks: observed lifetime over 1.5 times the declared one and at least one day
    longer (the threshold of CookieBlock, USENIX Security 2022).
    Why it matters: GDPR Art. 13(2)(a) requires the storage period; a wrong one misleads.
    Fails: `_fbp` declared `P3M`, observed for 400 days.
    Use instead: declare the real lifetime or configure the tag's cookie expiry.
    """,
    ("gdpr-13#(2)(a)",),
    level_note="an observed expiry depends on the browser's cap and on when the page set it",
)


_audit(
    "RT02",
    "session-persistence-mismatch",
    Severity.WARNING,
    "RT",
    """
    A cookie declared for the session persists, or a declared lifetime is only a session.

    What it checks: declared `lifetime: session` against an observed expiry date, and a
    declared duration against an observed session cookie.
    Why it matters: GDPR Art. 13(2)(a): the storage period told must be the real one.
    Fails: `PHPSESSID` declared `session` but set with a one-year expiry.
    Use instead: declare what the server really sets, or fix the Set-Cookie header.
    """,
    ("gdpr-13#(2)(a)",),
    level_note="an observed expiry depends on the browser and on the page visited",
)


_audit(
    "RT03",
    "lifetime-over-13-months",
    Severity.WARNING,
    "RT",
    """
    A cookie set with consent lives longer than the 13 months the CNIL recommends.

    What it checks: observed lifetime of cookies needing consent against 13 calendar
    months (397 days at most).
    Why it matters: the CNIL recommends (délibération 2020-092) that trackers set with
    consent last at most 13 months, after which consent is asked again; no text sets the
    limit, hence a warning. Exempt audience measurement that lives longer loses its
    exemption: RT04.
    Fails: `_ga` written with the 400-day maximum Chromium allows.
    Use instead: set the tag's cookie expiry to 13 months or less (`cookie_expires` in
    gtag, `setVisitorCookieTimeout` in Matomo).
    """,
    ("cnil-2020-092",),
)


_audit(
    "RT04",
    "exempt-lifetime-over-13-months",
    Severity.ERROR,
    "RT",
    """
    A cookie declared as exempt audience measurement lives over 13 months: it is not exempt.

    What it checks: observed lifetime of cookies matching a declaration with
    `exempt_audience_measurement: true` against 13 calendar months (397 days at most).
    Why it matters: LIL art. 82 exempts from consent only what is strictly necessary; the
    CNIL's guidelines (délibération 2020-091, art. 5) count audience measurement as such
    only within conditions that include a lifetime of at most 13 months. Beyond it the
    cookie needs consent like any other.
    Fails: Matomo's `_pk_id` declared exempt and written for 400 days.
    Use instead: `setVisitorCookieTimeout(33955200)` (13 months) in Matomo, or ask consent.
    """,
    ("lil-82", "cnil-2020-091#art. 5"),
)


_audit(
    "BN00",
    "no-banner-found",
    Severity.ERROR,
    "BN",
    """
    No consent banner was found although the site uses trackers that need consent.

    What it checks: a phase where the banner could not be detected (by autoconsent rules or
    button texts) while the declaration or the observations contain trackers needing
    consent.
    Why it matters: ePrivacy Art. 5(3) needs prior consent, asked in a clear way (GDPR
    Art. 4(11) and 7); CNIL guidelines 2020.
    Fails: a site with Google Analytics and no consent interface.
    Use instead: a consent manager (tarteaucitron, vanilla-cookieconsent, Klaro...) that
    asks before loading the trackers; or drop the trackers.
    """,
    ("eprivacy-5#(3)", "lil-82", "gdpr-4#(11)", "cnil-2020-091#art. 2"),
)


_audit(
    "BN01",
    "no-reject-first-layer",
    Severity.ERROR,
    "BN",
    """
    The banner offers to accept but no equally easy way to refuse.

    What it checks: the banner found by the crawler has no refuse option on its first
    layer (no "Tout refuser", "Continuer sans accepter", "Reject all" button), or draws it
    far less visibly than the accept button, as measured on screen: less than a third of
    its area, text under 70 % of its size, or a contrast under 3:1 beside an accept button
    of 4.5:1 or more (WCAG 2.1's thresholds for text).
    Why it matters: refusing must be as easy as accepting (CNIL guidelines 2020 § 2 and
    its 2021 formal notices; EDPB cookie banner taskforce report, January 2023: no reject
    button on the first layer, and deceptive link design, colours and contrast).
    Fails: a banner with "Accept" and "Settings" only; "continuer sans accepter" as small
    pale text beside a large coloured "Tout accepter" button.
    Use instead: a "Reject all" button beside "Accept all", same size and prominence.
    """,
    ("lil-82", "gdpr-4#(11)", "gdpr-7", "cnil-2020-091#art. 2", "edpb-cookie-taskforce"),
)


_audit(
    "BN07",
    "no-withdraw-mechanism",
    Severity.WARNING,
    "BN",
    """
    No way to change or withdraw the choice once made was found.

    What it checks: when the crawler reports it, whether a "manage cookies" link or button
    stays reachable after the choice.
    Why it matters: withdrawing consent must be as easy as giving it (GDPR Art. 7(3); EDPB
    cookie banner taskforce 2023; CNIL guidelines 2020).
    Fails: the banner disappears for good after "Accept all".
    Use instead: a persistent "Gestion des cookies" link in the footer or a floating icon.
    """,
    ("gdpr-7#(3)", "cnil-2020-091", "edpb-cookie-taskforce"),
    level_note="the crawler may miss a way to withdraw drawn only after some interaction",
)


_audit(
    "TX01",
    "no-https",
    Severity.ERROR,
    "TX",
    """
    Pages are served over plain HTTP.

    What it checks: visited pages whose final URL is `http:` (loopback development servers
    excepted).
    Why it matters: GDPR Art. 32 requires appropriate security of processing; cookies and
    forms over HTTP can be read and changed on the way (CNIL security guide, fiche 20).
    Fails: `http://www.example.com/` answering without redirecting to HTTPS.
    Use instead: HTTPS everywhere with a permanent redirect from HTTP and HSTS.
    """,
    ("gdpr-32", "cnil-security-guide"),
)


_audit(
    "LK01",
    "policy-link-missing",
    Severity.WARNING,
    "LK",
    """
    A page links to no privacy or cookie page.

    What it checks: visited pages where the crawler found no link to a privacy, cookie or
    legal page.
    Why it matters: the information of GDPR Art. 13 must be easily accessible (Art. 12(1);
    WP29 transparency guidelines: one click away from every page).
    Fails: a landing page without footer links.
    Use instead: a footer link to the privacy and cookie pages on every page.
    """,
    ("gdpr-12#(1)", "wp260"),
    level_note="the crawler may miss a link drawn by a script or behind a menu",
)


_audit(
    "TX02",
    "insecure-form",
    Severity.ERROR,
    "TX",
    """
    A form of the site sends what visitors type over plain HTTP.

    What it checks: on every visited page, forms whose resolved `action` is an `http:` URL
    (loopback development servers excepted) and that ask for personal data (a text, email,
    tel or password field).
    Why it matters: GDPR Art. 32 requires appropriate security; names, e-mail addresses and
    passwords sent in clear can be read and changed on the way (CNIL security guide).
    Fails: `<form action="http://shop.example/contact">` on an HTTPS page.
    Use instead: post every form to an `https:` address.
    """,
    ("gdpr-32", "cnil-security-guide"),
)


_audit(
    "BN09",
    "pay-or-accept-wall",
    Severity.WARNING,
    "BN",
    """
    Refusing the cookies leads to a paid offer: a pay-or-accept wall.

    What it checks: the banner offers a paid way out (subscribe, pay, "sans publicité")
    instead of a free refusal, on its first layer or once "Refuser" is clicked; the offer
    and the price its wall states are quoted.
    Why it matters: the CNIL judges such walls case by case on its published criteria
    (cookie walls, first evaluation criteria, 16 May 2022): a real and fair alternative to
    accepting, at a reasonable price, and consent limited to what the access needs; the
    EDPB (opinion 08/2024) asks large platforms for a free alternative without behavioural
    advertising. A point to check, not a breach in itself.
    Fails: "Refuser" opens "Abonnez-vous pour 2,99 € par mois", with no other way on.
    Use instead: a free "Continuer sans accepter", or a paid offer that meets the CNIL's
    criteria and is documented as such.
    """,
    ("cnil-cookie-walls", "edpb-08-2024"),
)


_audit(
    "BN08",
    "close-is-not-consent",
    Severity.ERROR,
    "BN",
    """
    Closing the banner with its close button is treated as consent.

    What it checks: in a separate check of the landing page, the banner's close control
    (an "×", "✕" or "Fermer" button) is clicked; cookies, storage keys or requests that
    need consent and appear afterwards, and that the before-consent phase (the same page
    with no click) did not see, mean the site took closing for acceptance. What the page
    sets on load is PC01's business, not this rule's.
    Why it matters: consent must be an unambiguous positive act (GDPR Art. 4(11) and
    7; CNIL guidelines 2020 § 2: closing the banner may only count as refusal).
    Fails: `_ga` set after the visitor dismissed the banner with its "×".
    Use instead: treat closing as refusal, or as no answer yet; never load trackers.
    """,
    ("gdpr-4#(11)", "gdpr-7", "lil-82", "cnil-2020-091#art. 2"),
)
