"""Privacy-notice completeness: what GDPR Art. 12-14 require a notice to say."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from privacy_pages.diagnostics import Severity
from privacy_pages.model import EEA, Activity, Controller, Item, RetentionRule, Stated
from privacy_pages.model.durations import parse_duration
from privacy_pages.model.processing import read_retention
from privacy_pages.model.texts import mentions_bloctel, speaks_of_data
from privacy_pages.rules import REGISTRY
from privacy_pages.rules.registry import Problem
from privacy_pages.rules.sources import SOURCES, Law

E, W, I = Severity.ERROR, Severity.WARNING, Severity.INFO
ART14_SOURCES = {"third_party", "public_source", "mixed"}
COPY_SAFEGUARDS = ("scc", "bcr")  # adequacy and DPF need no copy; derogations have none
CORE_RIGHTS = ("access", "rectification", "erasure", "restriction", "objection", "portability")


def _present(value: Any) -> bool:
    return value not in (None, "", [], {})


def _rights(view: Controller) -> frozenset[str]:
    return view.rights.listed


@REGISTRY.rule(
    "PN001", "controller-identity-missing", E, "PN", ("gdpr-13#(1)(a)", "gdpr-14#(1)(a)")
)
def controller_identity(view: Controller) -> Iterator[Problem]:
    """
    What it checks: the notice names the controller by its legal name; a trade name alone
    does not identify who is responsible.
    Why it matters: GDPR Art. 13(1)(a) and 14(1)(a): people must know who is responsible
    for their data before anything else; a brand may belong to several companies.
    Fails: a file with no `controller:` section; `controller: {trade_name: Example}` alone.
    Use instead: `controller: {name: "Example SAS", trade_name: Example, address: ...}`.
    """
    controller = view.controller
    if not controller.get("name"):
        where = "/controller" if "controller" in view.data else ""
        trade = controller.get("trade_name")
        yield Problem(
            where,
            f"the controller is named only by its trade name '{trade}'"
            if trade
            else "the controller is not identified (no name)",
            "add controller.name: the company's legal name",
        )


@REGISTRY.rule("PN002", "controller-contact-missing", E, "PN", ("gdpr-13#(1)(a)", "gdpr-14#(1)(a)"))
def controller_contact(view: Controller) -> Iterator[Problem]:
    """
    What it checks: the controller has contact details (e-mail, postal address or phone).
    Why it matters: GDPR Art. 13(1)(a) requires the identity *and the contact details* of
    the controller.
    Fails: `controller: {name: Example SAS}` and nothing else.
    Use instead: add `email`, `address` or `phone` under `controller`.
    """
    controller = view.controller
    if "controller" in view.data and not any(
        _present(controller.get(k)) for k in ("email", "address", "phone", "contact_url")
    ):
        yield Problem(
            "/controller",
            "the controller has no contact details",
            "add controller.email, controller.address or controller.phone",
        )


@REGISTRY.rule("PN003", "purposes-missing", E, "PN", ("gdpr-13#(1)(c)", "gdpr-14#(1)(c)"))
def purposes(view: Controller) -> Iterator[Problem]:
    """
    What it checks: the file lists processing activities and each states its purposes.
    Why it matters: GDPR Art. 13(1)(c) and 14(1)(c): the purposes are the heart of the notice.
    Fails: no `processing:` list; an activity without `purposes`.
    Use instead: `purposes: ["Deliver your order", "Handle returns"]` on each activity.
    """
    if not view.activities:
        yield Problem(
            "",
            "no processing activity is declared",
            "add a processing: list with one entry per purpose group",
        )
    for activity in view.activities:
        if not _present(activity.get("purposes")):
            yield Problem(
                activity.pointer,
                f"activity '{activity.get('id')}' states no purpose",
                "add purposes: [...]",
                at_key=True,
            )


@REGISTRY.rule("PN004", "legal-basis-missing", E, "PN", ("gdpr-13#(1)(c)", "gdpr-14#(1)(c)"))
def legal_basis(view: Controller) -> Iterator[Problem]:
    """
    What it checks: each processing activity states its legal basis.
    Why it matters: GDPR Art. 13(1)(c) requires the legal basis of each purpose; without it,
    people cannot know whether to object or withdraw consent.
    Fails: an activity without `legal_bases`.
    Use instead: `legal_bases: [contract]` (consent, contract, legal_obligation,
    vital_interests, public_task, legitimate_interests).
    """
    for activity in view.activities:
        if not _present(activity.get("legal_bases")):
            yield Problem(
                activity.pointer,
                f"activity '{activity.get('id')}' states no legal basis",
                "add legal_bases: [...] with the GDPR Art. 6(1) basis",
                at_key=True,
            )


@REGISTRY.rule(
    "PN005", "legitimate-interest-unexplained", E, "PN", ("gdpr-13#(1)(d)", "gdpr-14#(2)(b)")
)
def legitimate_interest(view: Controller) -> Iterator[Problem]:
    """
    What it checks: an activity based on legitimate interests says which interests.
    Why it matters: GDPR Art. 13(1)(d) and 14(2)(b): the interests pursued must be stated so
    that people can weigh them and object.
    Fails: `legal_bases: [legitimate_interests]` without `legitimate_interests`.
    Use instead: `legitimate_interests: "Preventing payment fraud"`.
    """
    for activity in view.activities:
        bases = activity.get("legal_bases") or []
        if "legitimate_interests" in bases and not _present(activity.get("legitimate_interests")):
            yield Problem(
                activity.at("legal_bases"),
                f"activity '{activity.get('id')}' relies on legitimate interests "
                "without stating them",
                "add legitimate_interests: the interest pursued",
            )


def _retention_covered(view: Controller, activity: Item) -> bool:
    return _present(activity.get("retention")) or _present(view.get("retention"))


@REGISTRY.rule("PN006", "retention-missing", E, "PN", ("gdpr-13#(2)(a)", "gdpr-14#(2)(a)"))
def retention_missing(view: Controller) -> Iterator[Problem]:
    """
    What it checks: each activity has a retention rule (its own or a general one).
    Why it matters: GDPR Art. 13(2)(a) and 14(2)(a): the period, or the criteria used to set
    it, must be given.
    Fails: an activity with no `retention` while the file has no top-level `retention`.
    Use instead: `retention: [{duration: P3Y, from: last_contact, then: delete}]`.
    """
    for activity in view.activities:
        if not _retention_covered(view, activity):
            yield Problem(
                activity.pointer,
                f"activity '{activity.get('id')}' has no retention period or criteria",
                "add retention: [{duration: P3Y, from: ..., then: delete}]",
                at_key=True,
            )


def _retention_rules(view: Controller) -> Iterator[RetentionRule]:
    yield from view.general_retention
    for activity in view.activities:
        yield from activity.retention_rules
    yield from read_retention(view.cookies.get("retention"), "/cookies/retention")


def _scope(rule: RetentionRule) -> str:
    """The part of the data a retention rule is limited to, as a comparable key."""
    return repr(rule.applies_to)


def _unbacked_vague(rules: tuple[RetentionRule, ...]) -> list[RetentionRule]:
    """Vague rules that no precise rule for the same data backs: the only answer given."""
    precise = {_scope(r) for r in rules if not r.is_vague}
    return [r for r in rules if r.is_vague and _scope(r) not in precise]


@REGISTRY.rule(
    "PN007", "retention-vague", E, "PN", ("gdpr-13#(2)(a)", "gdpr-14#(2)(a)", "wp260#par. 45")
)
def retention_vague(view: Controller) -> Iterator[Problem]:
    """
    What it checks: the only retention rule given for some data is not a vague "as long as
    necessary": it gives a duration, an ending event or criteria a reader can apply.
    Why it matters: GDPR Art. 13(2)(a) and 14(2)(a) require the period or the criteria that
    set it; the transparency guidelines (EDPB WP260, par. 45) say "as long as necessary for
    the purposes" is not enough, so a vague rule that stands alone fails the article like a
    missing one. A vague sentence beside a precise rule for the same data adds nothing and
    is not reported.
    Fails: an activity whose only rule is `{description: "no longer than necessary"}`, or
    `criteria: "aussi longtemps que nécessaire"` with no figure.
    Use instead: `{duration: P5Y, from: last_order, then: delete}`, `{until: unsubscription}`
    or `criteria: "Statutory limitation period of 5 years"`.
    """
    general = tuple(r for r in view.general_retention if not r.activity_ids)
    # An activity is covered by its own rules, the general rules naming it, and the general
    # rules that name no activity (they apply to all data).
    groups = [a.all_retention + general for a in view.activities] or [general]
    reported = {r.pointer for rules in groups for r in _unbacked_vague(rules)}
    cookie_rules = read_retention(view.cookies.get("retention"), "/cookies/retention")
    reported |= {r.pointer for r in _unbacked_vague(cookie_rules)}
    for rule in _retention_rules(view):
        if rule.pointer not in reported:
            continue
        reported.discard(rule.pointer)
        vague = _present(rule.get("criteria"))
        yield Problem(
            rule.at("criteria") if vague else rule.pointer,
            "retention criteria only say 'as long as necessary', and no other rule gives a "
            "period for this data"
            if vague
            else "retention gives no period, ending event or criteria",
            "add duration (ISO 8601, e.g. P3Y) with from/then, or until, or criteria "
            "a reader can apply",
        )


@REGISTRY.rule(
    "PN008",
    "recipients-missing",
    W,
    "PN",
    ("gdpr-13#(1)(e)", "gdpr-14#(1)(e)"),
    level_note="a controller with no recipient at all has none to name: a fact outside the file",
)
def recipients_missing(view: Controller) -> Iterator[Problem]:
    """
    What it checks: the notice names recipients or categories of recipients.
    Why it matters: GDPR Art. 13(1)(e) and 14(1)(e).
    Fails: no top-level `recipients` and no `recipients` on any activity.
    Use instead: `recipients: [{id: delivery, name: Delivery services, category: true}]`.
    """
    if not view.items("recipients") and not any(a.get("recipients") for a in view.activities):
        yield Problem(
            "",
            "no recipient or category of recipients is named",
            "add recipients: [...] (processors, partners, authorities)",
        )


def _outside_eea(party: Mapping[str, Any]) -> bool:
    """A recipient or host the file places outside the EEA (a country, or its region)."""
    country = party.get("country") or (party.get("address") or {}).get("country")
    if party.get("region") in ("third_country", "adequate"):
        return True
    return bool(country) and country not in EEA and party.get("region") != "eea"


@REGISTRY.rule("PN009", "transfers-unstated", E, "PN", ("gdpr-13#(1)(f)", "gdpr-14#(1)(f)"))
def transfers_unstated(view: Controller) -> Iterator[Problem]:
    """
    What it checks: when the file places a recipient or the host outside the European
    Economic Area, the notice states the transfer: `transfers.outside_eea: true` (or
    `possible`), a destination, or the recipient's own safeguard; and it never says "no
    transfer" at the same time.
    Why it matters: GDPR Art. 13(1)(f) and 14(1)(f): the intention to transfer data to a
    third country, with the adequacy decision or the safeguard, is part of the notice. A
    notice silent on transfers while nothing in the file points outside the EEA is not
    reported: there may be none to state.
    Fails: a recipient with `country: US` and no `transfers` section nor `safeguard`;
    `transfers: {outside_eea: false}` beside a host in the United States.
    Use instead: `transfers: {outside_eea: true, destinations: [{countries: [US],
    safeguard: dpf, recipients: [analytics]}]}`.
    """
    outside = view.transfers.outside_eea
    stated = outside.may_be_true or bool(view.transfers.destinations)
    parties = [
        (str(r.get("name") or r.get("id")), r.get("safeguard"))
        for r in view.recipients.values()
        if _outside_eea(r.data)
    ]
    host = view.section("host")
    if host and _outside_eea(host):
        parties.append((str(host.get("name") or "the host"), None))
    if outside is Stated.NO and parties:
        yield Problem(
            "/transfers/outside_eea",
            "the notice says data stay in the EEA, but the file places "
            + ", ".join(name for name, _ in parties)
            + " outside it",
            "set transfers.outside_eea: true and describe the transfer",
        )
        return
    unstated = [name for name, safeguard in parties if not safeguard]
    if unstated and not stated:
        yield Problem(
            "/transfers" if "transfers" in view.data else "",
            "the file places " + ", ".join(unstated) + " outside the EEA, but the notice "
            "states no transfer",
            "add transfers.outside_eea: true with the destinations and their safeguards",
        )


@REGISTRY.rule("PN010", "transfer-safeguard-missing", E, "PN", ("gdpr-13#(1)(f)", "gdpr-14#(1)(f)"))
def transfer_safeguard(view: Controller) -> Iterator[Problem]:
    """
    What it checks: every transfer outside the EEA names its safeguard.
    Why it matters: GDPR Art. 13(1)(f): the adequacy decision or the appropriate safeguard
    (SCC, BCR, Data Privacy Framework) and how to obtain a copy must be stated.
    Fails: a destination or recipient outside the EEA with no `safeguard`, or `unspecified`;
    `safeguard: scc` or `bcr` with no `copy` on the destination nor `transfers.copy`.
    Use instead: `safeguard: scc` and `copy: "Ask dpo@... for a copy"`.
    """
    general_copy = view.transfers.copy
    for dest in view.transfers.destinations:
        if dest.get("safeguard") in COPY_SAFEGUARDS and not (dest.get("copy") or general_copy):
            yield Problem(
                dest.at("safeguard"),
                "the notice does not say how to obtain a copy of the "
                + str(dest.get("safeguard")).upper(),
                "add copy: how to obtain them (on the destination or as transfers.copy)",
            )
    for dest in view.items("transfers", "destinations"):
        if dest.get("safeguard") in (None, "unspecified"):
            yield Problem(
                dest.pointer,
                "a transfer outside the EEA names no safeguard",
                "add safeguard: adequacy, dpf, scc, bcr or derogation",
                at_key=True,
            )
    for recipient in view.recipients.values():
        outside = recipient.get("region") == "third_country" or (
            recipient.get("country")
            and recipient.get("country") not in EEA
            and recipient.get("region") != "adequate"
        )
        if outside and recipient.get("safeguard") in (None, "unspecified"):
            yield Problem(
                recipient.pointer,
                f"recipient '{recipient.get('id')}' is outside the EEA with no safeguard",
                "add safeguard: adequacy, dpf, scc, bcr or derogation",
                at_key=True,
            )
        elif outside and recipient.get("safeguard") in COPY_SAFEGUARDS and not general_copy:
            yield Problem(
                recipient.at("safeguard"),
                f"recipient '{recipient.get('id')}': the notice does not say how to obtain a "
                "copy of the " + str(recipient.get("safeguard")).upper(),
                "add transfers.copy: how to obtain a copy of the safeguards",
            )


@REGISTRY.rule(
    "PN011", "rights-incomplete", E, "PN", ("gdpr-13#(2)(b)", "gdpr-14#(2)(c)", "gdpr-20#(1)")
)
def rights_incomplete(view: Controller) -> Iterator[Problem]:
    """
    What it checks: the notice explains the rights of access, rectification, erasure,
    restriction and objection, and portability when an activity rests on consent or on a
    contract.
    Why it matters: GDPR Art. 13(2)(b) and 14(2)(c) list them; a missing right is one
    people will not know they have. Portability exists only for processing based on consent
    or a contract (Art. 20(1)(a)): a notice whose activities all rest on other bases need
    not offer it.
    Fails: `rights: {list: [{right: access}]}`; no `portability` while an activity has
    `legal_bases: [contract]`.
    Use instead: one entry per right in `rights.list`.
    """
    present = _rights(view)
    portable = any({"consent", "contract"} & set(a.legal_bases) for a in view.activities)
    wanted = [r for r in CORE_RIGHTS if r != "portability" or portable]
    missing = [r for r in wanted if r not in present]
    if missing:
        where = (
            "/rights/list"
            if view.items("rights", "list")
            else ("/rights" if "rights" in view.data else "")
        )
        yield Problem(
            where,
            "rights not explained: " + ", ".join(missing),
            "add an entry to rights.list for each",
        )


@REGISTRY.rule(
    "PN012",
    "consent-withdrawal-missing",
    E,
    "PN",
    ("gdpr-13#(2)(c)", "gdpr-14#(2)(d)", "gdpr-7#(3)"),
)
def consent_withdrawal(view: Controller) -> Iterator[Problem]:
    """
    What it checks: when an activity relies on consent, the notice says consent can be
    withdrawn at any time.
    Why it matters: GDPR Art. 13(2)(c), 14(2)(d) and 7(3).
    Fails: `legal_bases: [consent]` with no `withdraw_consent` right.
    Use instead: `rights.list: [{right: withdraw_consent, description: ...}]`.
    """
    if "withdraw_consent" in _rights(view):
        return
    for activity in view.activities:
        if "consent" in (activity.get("legal_bases") or []):
            yield Problem(
                activity.at("legal_bases"),
                f"activity '{activity.get('id')}' relies on consent but the notice "
                "does not say it can be withdrawn",
                "add {right: withdraw_consent} to rights.list",
            )
            return


@REGISTRY.rule("PN013", "complaint-right-missing", E, "PN", ("gdpr-13#(2)(d)", "gdpr-14#(2)(e)"))
def complaint(view: Controller) -> Iterator[Problem]:
    """
    What it checks: the notice tells people they may complain to a supervisory authority.
    Why it matters: GDPR Art. 13(2)(d) and 14(2)(e) (the CNIL in France).
    Fails: no `complaint` right and no `rights.supervisory_authority`.
    Use instead: `supervisory_authority: {name: CNIL, url: "https://www.cnil.fr/"}`.
    """
    rights = view.section("rights")
    if "complaint" not in _rights(view) and not rights.get("supervisory_authority"):
        where = "/rights" if "rights" in view.data else ""
        yield Problem(
            where,
            "no right to complain to a supervisory authority",
            "add rights.supervisory_authority: {name: CNIL, url: https://www.cnil.fr/}",
        )


@REGISTRY.rule("PN014", "rights-channel-missing", E, "PN", ("gdpr-12#(2)",))
def rights_channel(view: Controller) -> Iterator[Problem]:
    """
    What it checks: the notice says how to exercise the rights (e-mail, post, form...).
    Why it matters: GDPR Art. 12(2): the controller must facilitate the exercise of rights.
    Fails: no `rights.channels`.
    Use instead: `channels: [{type: email, value: "privacy@example.com"}]`.
    """
    if not view.items("rights", "channels"):
        where = "/rights" if "rights" in view.data else ""
        yield Problem(
            where,
            "no channel to exercise the rights",
            "add rights.channels: [{type: email, value: ...}]",
        )


@REGISTRY.rule("PN015", "dpo-contact-missing", E, "PN", ("gdpr-13#(1)(b)", "gdpr-37#(7)"))
def dpo_contact(view: Controller) -> Iterator[Problem]:
    """
    What it checks: a declared DPO has contact details.
    Why it matters: GDPR Art. 13(1)(b) and 37(7): the DPO's contact details are published.
    Fails: `dpo: {designated: true, name: Jane Doe}`. `dpo: {designated: false}` (no DPO
    designated) passes: there is no DPO to contact.
    Use instead: add `email`, `phone`, `address` or `url` to `dpo`.
    """
    dpo = view.dpo
    if (
        "dpo" in view.data
        and dpo.get("designated") is not False
        and not any(_present(dpo.get(k)) for k in ("email", "phone", "address", "url"))
    ):
        yield Problem(
            "/dpo",
            "the data protection officer has no contact details",
            "add dpo.email (or phone, address, url)",
        )


@REGISTRY.rule(
    "PN016",
    "dpo-not-declared",
    I,
    "PN",
    ("gdpr-13#(1)(b)",),
    level_note="only some controllers must designate a DPO (GDPR Art. 37(1)): the file may rightly be silent",
)
def dpo_absent(view: Controller) -> Iterator[Problem]:
    """
    What it checks: the file says whether a DPO (or a data protection contact) exists.
    Why it matters: GDPR Art. 13(1)(b): when a DPO is designated, its contact is mandatory.
    Fails: no `dpo:` section.
    Use instead: `dpo: {designated: true, email: ...}`, or suppress with the reason that no
    DPO is designated.
    """
    if "dpo" not in view.data:
        yield Problem(
            "",
            "no data protection officer or contact is declared",
            "add dpo: {...} if one is designated",
        )


@REGISTRY.rule("PN017", "source-missing", E, "PN", ("gdpr-14#(2)(f)",))
def source_missing(view: Controller) -> Iterator[Problem]:
    """
    What it checks: data not collected from the person name their source.
    Why it matters: GDPR Art. 14(2)(f): the source, and whether it is public.
    Fails: `source: third_party` without `source_details` nor a `data_sources` entry.
    Use instead: `source_details: "Lists rented from a broker (not public)"`, or a
    top-level `data_sources: [{origin: ..., data_categories: [...], activities: [...]}]`.
    """
    sources = view.data_sources
    general = any(not s.get("activities") for s in sources)
    named = {str(a) for s in sources for a in s.get("activities") or ()}
    for activity in view.activities:
        if activity.get("source") in ART14_SOURCES and not (
            _present(activity.get("source_details")) or general or activity.id in named
        ):
            yield Problem(
                activity.at("source"),
                f"activity '{activity.get('id')}' gets data from elsewhere but does "
                "not name the source",
                "add source_details",
            )


@REGISTRY.rule("PN018", "data-categories-missing", E, "PN", ("gdpr-14#(1)(d)",))
def data_categories(view: Controller) -> Iterator[Problem]:
    """
    What it checks: an activity using data not collected from the person (`source:
    third_party`, `public_source` or `mixed`) lists the categories of personal data.
    Why it matters: GDPR Art. 14(1)(d) requires the categories of data obtained from
    elsewhere: the person cannot know what was gathered. Art. 13 has no such item for data
    the person gives, so activities collecting from the person are not reported.
    Fails: `source: third_party` with no `data_categories` and no `data_sources` entry giving
    them.
    Use instead: `data_categories: ["Name", "E-mail address"]`, or a `data_sources` entry with
    `data_categories` and the activity's id.
    """
    from_sources = {
        str(a)
        for s in view.data_sources
        if s.get("data_categories")
        for a in s.get("activities") or ()
    }
    for activity in view.activities:
        if activity.get("source") not in ART14_SOURCES:
            continue
        if not _present(activity.get("data_categories")) and activity.id not in from_sources:
            yield Problem(
                activity.pointer,
                f"activity '{activity.id}' gets data from elsewhere but lists no data categories",
                "add data_categories: [...]",
                at_key=True,
            )


@REGISTRY.rule(
    "PN019",
    "requirement-unstated",
    W,
    "PN",
    ("gdpr-13#(2)(e)", "wp260"),
    level_note="EDPB WP260 lets the collection form say which fields are mandatory, outside the notice",
)
def requirement(view: Controller) -> Iterator[Problem]:
    """
    What it checks: every activity collecting data from the person says whether providing
    them is required, and what happens if they are not provided, whatever its legal basis.
    Why it matters: GDPR Art. 13(2)(e) applies to every basis ("voluntary" is an answer
    too); a warning, as EDPB WP260 lets the form say it at collection (mandatory fields).
    When no activity says it, one finding on `processing` rather than one per activity.
    Fails: `legal_bases: [contract]` or `[consent]` with no `requirement`.
    Use instead: `requirement: {kind: contractual, consequence: "We cannot deliver."}` or
    `requirement: {kind: voluntary}`.
    """
    concerned = [a for a in view.activities if a.collected_from_person]
    silent = [a for a in concerned if not _present(a.get("requirement"))]
    if len(silent) > 1 and len(silent) == len(concerned):
        yield Problem(
            "/processing",
            f"no activity says whether the data are mandatory ({len(silent)} activities)",
            "add requirement: {kind: ..., consequence: ...} to each activity",
        )
        return
    for activity in silent:
        yield Problem(
            activity.pointer,
            f"activity '{activity.get('id')}' does not say whether the data are mandatory",
            "add requirement: {kind: ..., consequence: ...}",
            at_key=True,
        )


@REGISTRY.rule(
    "PN020",
    "automated-decision-unexplained",
    E,
    "PN",
    ("gdpr-13#(2)(f)", "gdpr-14#(2)(g)", "gdpr-22#(3)"),
)
def automated_decision(view: Controller) -> Iterator[Problem]:
    """
    What it checks: decisions based solely on automated processing with legal or similarly
    significant effects (Art. 22) come with their logic, their consequences and, when they
    rest on a contract or on consent, the safeguards of Art. 22(3).
    Why it matters: GDPR Art. 13(2)(f) and 14(2)(g) require the logic and consequences for
    Art. 22 decisions only; profiling for marketing (`profiling: true` without `exists:
    true`) is not one. Art. 22(3): a decision necessary for a contract or based on consent
    comes with at least the right to obtain human intervention, to express one's point of
    view and to contest it; a decision authorised by law (Art. 22(2)(b)) has the law's own.
    Fails: `automated_decisions: {exists: true}` alone; logic and consequence on an activity
    with `legal_bases: [contract]` and neither `safeguards` nor `{right:
    automated_decision}` in `rights.list`.
    Use instead: add `logic`, `consequence` and `safeguards: "You may ask for a person to
    review the decision, give your view and contest it."`.
    """
    stated_right = "automated_decision" in _rights(view)
    for activity in view.activities:
        decisions = activity.automated_decisions
        if decisions is None or not decisions.decisions.may_be_true:
            continue
        missing = [k for k in ("logic", "consequence") if not _present(decisions.get(k))]
        by_contract_or_consent = bool({"contract", "consent"} & set(activity.legal_bases))
        if (
            by_contract_or_consent
            and not stated_right
            and not _present(decisions.get("safeguards"))
        ):
            missing.append("safeguards")
        if missing:
            yield Problem(
                activity.at("automated_decisions"),
                "automated decision without " + ", ".join(missing),
                "explain the logic, what it means for the person and, for a decision based on "
                "a contract or consent, how to obtain human review and contest it",
            )


@REGISTRY.rule(
    "PN021",
    "response-time",
    I,
    "PN",
    ("gdpr-12#(3)",),
    level_note="Art. 12(3) sets the time limit but Art. 13 does not ask the notice to repeat it",
)
def response_time(view: Controller) -> Iterator[Problem]:
    """
    What it checks: the notice gives the response time to rights requests.
    Why it matters: GDPR Art. 12(3) sets the time (one month, extendable by two) but Art. 13
    does not require the notice to repeat it: information, as readers find it useful.
    Fails: no `rights.response_time`.
    Use instead: `response_time: {duration: P1M, extension: P2M}`.
    """
    if not isinstance(view.section("rights").get("response_time"), dict):
        where = "/rights" if "rights" in view.data else ""
        yield Problem(
            where,
            "no response time for rights requests",
            "add rights.response_time: {duration: P1M}",
        )


@REGISTRY.rule(
    "PN022",
    "identity-proof-unstated",
    I,
    "PN",
    ("gdpr-12#(6)", "cnil-access-guide"),
    level_note="Art. 12(6) does not ask the notice to say it; saying it up front is the "
    "CNIL's practical advice",
)
def identity_proof(view: Controller) -> Iterator[Problem]:
    """
    What it checks: the notice says whether proof of identity is asked with a rights
    request: what proof (`identity_proof`) or when (`identity_check`).
    Why it matters: GDPR Art. 12(6) lets the controller ask for it only when in doubt;
    saying it up front avoids back-and-forth (CNIL practical guide on the right of access).
    Fails: a `rights` section with neither `identity_proof` nor `identity_check`.
    Use instead: `identity_check: when_in_doubt`, or `identity_proof: "A copy of an identity
    document if we doubt your identity."`.
    """
    rights = view.section("rights")
    if (
        "rights" in view.data
        and not rights.get("identity_proof")
        and not rights.get("identity_check")
    ):
        yield Problem(
            "/rights",
            "the notice does not say whether identity proof is needed",
            "add rights.identity_check: when_in_doubt (or rights.identity_proof)",
        )


@REGISTRY.rule(
    "PN023",
    "effective-date-missing",
    W,
    "PN",
    ("gdpr-12#(1)", "wp260"),
    level_note="Art. 12(1) asks for transparent information, not for a date; EDPB WP260 expects one",
)
def effective_date(view: Controller) -> Iterator[Problem]:
    """
    What it checks: the notice has an effective date.
    Why it matters: GDPR Art. 12(1) and EDPB WP260: readers must be able to tell which
    version applies and when it changed.
    Fails: no `meta.effective_date`.
    Use instead: `meta: {effective_date: 2025-01-01}`.
    """
    if not view.section("meta").get("effective_date"):
        where = "/meta" if "meta" in view.data else ""
        yield Problem(
            where, "the notice has no effective date", "add meta.effective_date: YYYY-MM-DD"
        )


@REGISTRY.rule(
    "PN024",
    "eu-representative-missing",
    W,
    "PN",
    ("gdpr-27", "gdpr-13#(1)(a)"),
    level_note="Art. 27(2) exempts occasional, low-risk processing: a fact outside the file",
)
def eu_representative(view: Controller) -> Iterator[Problem]:
    """
    What it checks: a controller established outside the EEA names its EU representative.
    Why it matters: GDPR Art. 27 and 13(1)(a).
    Fails: `controller.address.country: US` without `eu_representative`.
    Use instead: `eu_representative: {name: ..., address: ...}`.
    """
    country = (view.controller.get("address") or {}).get("country")
    if country and country not in EEA and not view.controller.get("eu_representative"):
        yield Problem(
            "/controller/address/country",
            "controller outside the EEA without an EU representative",
            "add controller.eu_representative",
        )


@REGISTRY.rule(
    "PN025",
    "post-mortem-directives-missing",
    I,
    "PN",
    ("lil-85",),
    level_note="art. 85 gives the right; no text requires the notice to repeat it",
)
def post_mortem(view: Controller) -> Iterator[Problem]:
    """
    What it checks: a French controller mentions directives on data after death.
    Why it matters: Loi Informatique et Libertés art. 85 (France): people may set directives
    for their data after their death; the CNIL expects notices to say so.
    Fails: a controller registered in France with no `post_mortem_directives` right or
    `national.post_mortem_directives`.
    Use instead: `national: {post_mortem_directives: "..."}`.
    """
    if (
        view.is_french
        and "post_mortem_directives" not in _rights(view)
        and not view.section("national").get("post_mortem_directives")
    ):
        yield Problem(
            "",
            "no mention of post-mortem directives (French law)",
            "add national.post_mortem_directives",
        )


@REGISTRY.rule("PN026", "response-time-over-limit", E, "PN", ("gdpr-12#(3)",))
def response_time_over_limit(view: Controller) -> Iterator[Problem]:
    """
    What it checks: a stated response time to rights requests is within the law.
    Why it matters: GDPR Art. 12(3): one month from receipt, extendable by two further
    months for complex or numerous requests; promising more is a breach in writing.
    Fails: `response_time: {duration: P2M}`; `extension: P3M`.
    Use instead: `response_time: {duration: P1M, extension: P2M}`.
    """
    timing = view.section("rights").get("response_time")
    if not isinstance(timing, dict):
        return
    duration = parse_duration(timing.get("duration", ""))
    if duration and duration.approx_days > 31:
        yield Problem(
            "/rights/response_time/duration",
            "response time is longer than the one month of GDPR Art. 12(3)",
            "use duration: P1M and extension for complex requests",
        )
    extension = parse_duration(timing.get("extension", ""))
    if extension and extension.approx_days > 62:
        yield Problem(
            "/rights/response_time/extension",
            "extension is longer than the two months of GDPR Art. 12(3)",
            "use extension: P2M at most",
        )


@REGISTRY.rule("PN027", "marketing-objection-not-separate", E, "PN", ("gdpr-21#(2)-(4)",))
def marketing_objection(view: Controller) -> Iterator[Problem]:
    """
    What it checks: when data are used for direct marketing, the right to object to it at
    any time, without giving reasons, is stated on its own.
    Why it matters: GDPR Art. 21(2)-(4): the right must be "explicitly brought to the
    attention" of the person, "clearly and separately from any other information".
    Fails: an activity with `direct_marketing`, or whose id, title or a purpose speaks of
    marketing ("newsletter", "prospection", "Vous envoyer par e-mail nos offres
    commerciales"), and neither `{right: objection_direct_marketing}` in `rights.list` nor a
    right to object whose text names direct marketing.
    Use instead: `rights.list: [{right: objection_direct_marketing, description: ...}]`.
    """
    if view.rights.states_marketing_objection:
        return
    for activity in view.activities:
        if activity.is_direct_marketing:
            yield Problem(
                activity.pointer,
                f"activity '{activity.id}' is direct marketing but the right to object to it "
                "is not stated separately",
                "add {right: objection_direct_marketing} to rights.list",
                at_key=True,
            )
            return


@REGISTRY.rule(
    "PN028",
    "identity-proof-systematic",
    W,
    "PN",
    ("gdpr-12#(6)", "edpb-01-2022#par. 73-77"),
    level_note="Art. 12(6) allows proof when in doubt; that a systematic demand is "
    "disproportionate is the EDPB's reading",
)
def identity_proof_systematic(view: Controller) -> Iterator[Problem]:
    """
    What it checks: the notice does not demand proof of identity for every rights request,
    as `identity_check: always` or as prose ("Toute demande doit être accompagnée d'une pièce
    d'identité", "Every request must include a copy of your ID") with no doubt to qualify it.
    Why it matters: GDPR Art. 12(6) allows asking for more information only where there are
    reasonable doubts about who makes the request; the EDPB (Guidelines 01/2022 on the right
    of access, par. 73-77) and the CNIL call a systematic copy of an identity document
    disproportionate.
    Fails: `rights: {identity_check: always}`; `identity_proof: "Toute demande doit être
    accompagnée d'une pièce d'identité."`.
    Use instead: `identity_check: when_in_doubt` and say what is asked then.
    """
    rights = view.rights
    if rights.demands_identity_always:
        stated = rights.identity_check is not None
        yield Problem(
            "/rights/identity_check" if stated else "/rights/identity_proof",
            "an identity document is demanded for every request",
            "ask for proof only when in doubt (identity_check: when_in_doubt)",
        )


TELEPHONE_CONSENT = "consom-l223-1-consent"
TELEPHONE_INFORMATION = "consom-l223-2-consent"


def _since(key: str) -> str:
    """The day a source came into force, in words ("11 August 2026")."""
    day = SOURCES.get(key).in_force_from
    return f"{day.day} {day:%B %Y}" if day else ""


@REGISTRY.rule(
    "PN029",
    "marketing-consent-missing",
    E,
    "PN",
    ("cpce-l34-5", "eprivacy-13#(1)", TELEPHONE_CONSENT, "loi-2025-594-13"),
)
def marketing_consent(view: Controller, law: Law) -> Iterator[Problem]:
    """
    What it checks: marketing to consumers by e-mail or SMS, and since 11 August 2026 by
    telephone, rests on their prior consent, unless an exception applies. The channels are
    those of `direct_marketing`, or, when the file says consumers are customers
    (`commerce.consumers`), those a marketing purpose names ("Vous envoyer par e-mail nos
    offres commerciales" is e-mail marketing).
    Why it matters: CPCE L.34-5 (ePrivacy Art. 13(1)): direct marketing by electronic mail to
    a natural person needs prior consent, except to customers about similar products who
    could refuse. C. consom. L.223-1 as rewritten by loi n° 2025-594 (art. 13), in force
    from 11 August 2026: a professional may canvass a consumer by telephone only with prior
    consent, except within a contract in progress and about offers related to it. An
    activity stating no basis is left to PN004, which reports that already.
    Fails: `direct_marketing: {channels: [email, sms], audience: consumers}` with
    `legal_bases: [legitimate_interests]`; the purpose "Vous envoyer notre newsletter par
    e-mail" on legitimate interests; from 11 August 2026, `channels: [phone]` without
    consent.
    Use instead: `legal_bases: [consent]`; `existing_customers: true` when only customers
    receive e-mails about similar products; `current_contract: true` when only consumers with
    a contract in progress are called about offers related to it.
    """
    calls_need_consent = law.in_force(TELEPHONE_CONSENT) and view.is_professional
    for activity in view.activities:
        if not activity.legal_bases or "consent" in activity.legal_bases:
            continue
        marketing = activity.direct_marketing
        if marketing is not None and not marketing.reaches_consumers:
            continue
        if marketing is None and not view.sells_to_consumers.may_be_true:
            continue  # read from prose: only where the file says consumers are customers
        channels = activity.marketing_channels
        electronic = sorted(channels & {"email", "sms"})
        if marketing is not None and marketing.existing_customers:
            electronic = []
        by_phone = calls_need_consent and "phone" in channels
        if marketing is not None and marketing.current_contract:
            by_phone = False
        if electronic:
            yield Problem(
                activity.at("legal_bases"),
                f"activity '{activity.id}' sends {' and '.join(electronic)} marketing to "
                "consumers without their prior consent",
                "use legal_bases: [consent], or set direct_marketing.existing_customers: true "
                "if only customers receive offers for similar products",
            )
        elif by_phone:
            yield Problem(
                activity.at("legal_bases"),
                f"activity '{activity.id}' canvasses consumers by telephone without their "
                f"prior consent, required since {_since(TELEPHONE_CONSENT)}",
                "use legal_bases: [consent], or set direct_marketing.current_contract: true "
                "if only consumers with a contract in progress are called about it",
            )


def _collects_consumer_phones(view: Controller) -> Activity | None:
    """The first activity that collects phone numbers from people who may be consumers."""
    for activity in view.activities:
        marketing = activity.direct_marketing
        if marketing is not None and marketing.audience == "professionals":
            continue
        if activity.collected_from_person and activity.collects_phone_numbers:
            return activity
    return None


@REGISTRY.rule(
    "PN030",
    "telephone-canvassing-information",
    E,
    "PN",
    (
        "consom-l223-2-bloctel",
        "consom-l223-1-bloctel",
        TELEPHONE_INFORMATION,
        TELEPHONE_CONSENT,
        "loi-2025-594-13",
    ),
    aliases=("bloctel-missing",),
)
def telephone_canvassing(view: Controller, law: Law) -> Iterator[Problem]:
    """
    What it checks: a French professional that collects consumers' phone numbers tells them
    the telephone canvassing rule in force on the date checked (`check --as-of`). Until
    10 August 2026: their right to register on the Bloctel opposition list. From 11 August
    2026: that telephone solicitation for commercial purposes needs their prior consent,
    except within a contract in progress; a Bloctel mention is then outdated wherever it is.
    Why it matters: C. consom. L.223-2 obliges a professional collecting a consumer's
    telephone data to inform them at collection. Loi n° 2025-594 (art. 13) rewrote L.223-1
    and L.223-2 from 11 August 2026: the opposition list is gone and prior consent is the
    rule, so a notice that still points to Bloctel states obsolete law. Non-professional
    publishers (a private site, an association collecting its members' numbers) are not
    concerned.
    Fails: before 11 August 2026, a data category "Phone number" and no Bloctel mention;
    from 11 August 2026, no `national.telephone_canvassing`, or any text naming Bloctel.
    Use instead: `national: {telephone_canvassing: "We will call you for commercial purposes
    only with your prior consent, unless you have a contract in progress with us."}`, or
    `commerce: {consumers: false}` when you deal with professionals only.
    """
    if not view.is_french or not view.is_professional or view.sells_to_consumers is Stated.NO:
        return
    bloctel = view.texts_where(mentions_bloctel)
    collecting = _collects_consumer_phones(view)
    if not law.in_force(TELEPHONE_INFORMATION):
        if collecting is not None and not bloctel:
            yield Problem(
                collecting.pointer,
                f"activity '{collecting.id}' collects phone numbers but the notice does not "
                "mention the Bloctel list",
                "add national.bloctel",
                at_key=True,
            )
        return
    since = _since(TELEPHONE_INFORMATION)
    for pointer in bloctel:
        yield Problem(
            pointer,
            f"the Bloctel opposition list is outdated since {since}: telephone canvassing now "
            "needs the consumer's prior consent",
            "replace it with national.telephone_canvassing, saying that commercial calls need "
            "prior consent unless a contract is in progress",
        )
    statement = view.section("national").get("telephone_canvassing")
    if collecting is not None and not bloctel and not statement:
        yield Problem(
            collecting.pointer,
            f"activity '{collecting.id}' collects phone numbers but the notice does not say "
            "that telephone canvassing needs prior consent",
            "add national.telephone_canvassing",
            at_key=True,
        )


DIGITAL_CONSENT_AGE_FR = 15


@REGISTRY.rule("PN031", "digital-consent-age", E, "PN", ("lil-45", "gdpr-8#(1)"))
def digital_consent_age(view: Controller) -> Iterator[Problem]:
    """
    What it checks: a French controller relying on consent does not accept it alone from
    children under 15.
    Why it matters: GDPR Art. 8 and Loi Informatique et Libertés art. 45: under 15, consent
    to information society services is given jointly by the minor and a holder of parental
    responsibility.
    Fails: `minors: {minimum_age: 13}` with consent-based activities and no
    `parental_consent: true`.
    Use instead: `minimum_age: 15`, or `parental_consent: true` and say how it is collected.
    """
    age = view.minors.get("minimum_age")
    if (
        view.is_french
        and isinstance(age, int)
        and age < DIGITAL_CONSENT_AGE_FR
        and not view.minors.get("parental_consent")
        and any("consent" in a.legal_bases for a in view.activities)
    ):
        yield Problem(
            "/minors/minimum_age",
            f"children from {age} consent alone; in France consent under 15 needs a parent too",
            "set minimum_age: 15, or parental_consent: true with how it is obtained",
        )


@REGISTRY.rule(
    "PN032",
    "consent-bundled-with-use",
    E,
    "PN",
    ("gdpr-4#(11)", "gdpr-7#(2)", "gdpr-7#(4)", "cjeu-c673-17", "edpb-05-2020"),
)
def consent_bundled(view: Controller) -> Iterator[Problem]:
    """
    What it checks: the notice does not take consent to processing from the mere use of
    the site ("by using this site you accept...") or bundle it with accepting the terms
    ("by accepting our terms you consent to receive offers"), in English or French, when an
    activity relies on consent or states no basis.
    Why it matters: GDPR Art. 4(11) and 7(2), 7(4): consent is a specific, informed, clear
    positive act, distinguishable from other matters; the CJEU (Planet49, C-673/17) refuses
    consent by inaction. When every activity has another basis, PN034 says the sentence
    misleads instead. Cookie banners are CK012's business.
    Fails: `introduction: "By using the site, you accept that your data are processed..."`
    in a file whose activities rely on consent or state no basis.
    Use instead: ask consent where it is needed (a box left unticked), and state each
    activity's legal basis.
    """
    activities = view.activities
    relies = any("consent" in a.legal_bases or not a.legal_bases for a in activities)
    if not relies:
        return
    for pointer in _bundled_texts(view):
        yield Problem(
            pointer,
            "consent is taken from the mere use of the site",
            "remove the sentence; ask consent by a clear positive act where it is the basis",
        )


def _bundled_texts(view: Controller) -> list[str]:
    return [
        p for p in view.bundled_consent_texts() if not p.startswith(("/cookies", "/suppressions"))
    ]


@REGISTRY.rule(
    "PN034",
    "consent-claimed-without-use",
    W,
    "PN",
    ("gdpr-5#(1)(a)", "gdpr-12#(1)"),
    level_note="no processing rests on the consent the sentence claims, so none is unlawful "
    "for it; the sentence misleads readers about the basis",
)
def consent_claimed(view: Controller) -> Iterator[Problem]:
    """
    What it checks: when every activity states a basis other than consent, the notice does
    not claim that using the site means accepting the processing of one's data.
    Why it matters: GDPR Art. 5(1)(a) and 12(1): information must be transparent. A reader
    told that browsing means consenting believes consent is the basis, and that refusing
    or withdrawing it would stop the processing; neither is true. A sentence about the
    terms of use that does not speak of data is not reported.
    Fails: `introduction: "En utilisant le Site, vous acceptez que vos données soient
    traitées."` when every activity has `legal_bases: [contract]` or another basis.
    Use instead: remove the sentence; the legal basis of each activity says it already.
    """
    activities = view.activities
    if not activities or any("consent" in a.legal_bases or not a.legal_bases for a in activities):
        return
    texts = dict(view.texts())
    for pointer in _bundled_texts(view):
        if speaks_of_data(texts.get(pointer)):
            yield Problem(
                pointer,
                "the notice says using the site means accepting the processing, but no "
                "activity rests on consent",
                "remove the sentence; each activity states its legal basis",
            )


@REGISTRY.rule(
    "PN035",
    "email-tracking-without-consent",
    E,
    "PN",
    ("lil-82", "eprivacy-5#(3)", "edpb-2-2023"),
)
def email_tracking(view: Controller) -> Iterator[Problem]:
    """
    What it checks: e-mails that record, recipient by recipient, whether and when they were
    opened (a tracking pixel: `direct_marketing.open_tracking: individual`) are sent under
    the recipients' consent.
    Why it matters: LIL art. 82 (ePrivacy Art. 5(3)) covers reading information from the
    reader's terminal, and EDPB Guidelines 2/2023 name tracking pixels in e-mails among the
    techniques it covers: recording one person's opening is not strictly necessary to send
    a message, so it needs consent. The customer exception of CPCE L.34-5 lets a shop send
    the e-mail, not track it. `aggregate` and `none` are not reported here; the privacy
    page prints what the file states.
    Fails: `direct_marketing: {channels: [email], open_tracking: individual}` with
    `legal_bases: [legitimate_interests]`.
    Use instead: ask consent to the tracking (`legal_bases: [consent]`), or switch the
    per-recipient tracking off (`open_tracking: none` or `aggregate`).
    """
    for activity in view.activities:
        marketing = activity.direct_marketing
        if marketing is None or marketing.open_tracking != "individual":
            continue
        if activity.legal_bases and "consent" not in activity.legal_bases:
            yield Problem(
                marketing.at("open_tracking"),
                f"activity '{activity.id}' tracks each recipient's opening of its e-mails "
                "without their consent",
                "ask consent to the tracking, or set open_tracking: none or aggregate",
            )


@REGISTRY.rule(
    "PN033",
    "supervisory-authority-not-cnil",
    W,
    "PN",
    ("gdpr-13#(2)(d)", "gdpr-77"),
    level_note="a group whose main establishment is elsewhere may rightly name its lead authority",
)
def authority_not_cnil(view: Controller) -> Iterator[Problem]:
    """
    What it checks: a French controller names the CNIL as the supervisory authority.
    Why it matters: GDPR Art. 13(2)(d) and 77: people complain to the authority of their
    residence, work or the infringement; for a controller in France this is the CNIL. A
    warning: a group with its main establishment elsewhere may name its lead authority too.
    Fails: a French controller with `supervisory_authority: {name: ICO}`.
    Use instead: `supervisory_authority: {name: CNIL, url: "https://www.cnil.fr/"}`.
    """
    if view.is_french and view.rights.names_cnil is False:
        yield Problem(
            "/rights/supervisory_authority",
            "the supervisory authority named is not the CNIL",
            "name the CNIL (3 place de Fontenoy, Paris; https://www.cnil.fr/)",
        )
