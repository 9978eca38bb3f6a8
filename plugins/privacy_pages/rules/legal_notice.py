"""French legal notice (mentions légales): LCEN art. 1-1 and 19, the Code de commerce, and
what consumer law adds to a seller's site (mediator, reviews, accessibility, DSA contacts).

A non-professional publisher (`controller.non_professional: true`, LCEN art. 1-1 II) may
stay anonymous and name only its host (name and address), so the publisher rules apply to
professional publishers only.
"""

from __future__ import annotations

from collections.abc import Iterator

from privacy_pages.diagnostics import Severity
from privacy_pages.model import Controller
from privacy_pages.model.controller import SOLE_TRADER_FORMS
from privacy_pages.model.identity import french_vat_key
from privacy_pages.model.texts import links_odr_platform
from privacy_pages.rules import REGISTRY
from privacy_pages.rules.registry import Problem

E, W, I = Severity.ERROR, Severity.WARNING, Severity.INFO
CAPITAL_REGISTERS = ("RCS", "RM", "RNE")


def _company(view: Controller) -> bool:
    return view.is_company


def _where(view: Controller) -> str:
    return "/controller" if "controller" in view.data else ""


def luhn_valid(digits: str) -> bool:
    """The Luhn checksum that SIREN and SIRET numbers carry (La Poste SIRETs excepted)."""
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char) * (2 if index % 2 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


@REGISTRY.rule("LN001", "publisher-name-missing", E, "LN", ("lcen-1-1#I",))
def publisher_name(view: Controller) -> Iterator[Problem]:
    """
    What it checks: the legal notice names the publisher of the website.
    Why it matters: LCEN art. 1-1 (numbered 6-III before the 2024 SREN law): a company
    states its company name.
    Fails: no `controller.name`.
    Use instead: `controller: {name: "Example SAS"}`.
    """
    if _company(view) and not view.controller.get("name"):
        yield Problem(
            _where(view),
            "the legal notice does not name the publisher",
            "add controller.name (company name)",
        )


@REGISTRY.rule(
    "LN002",
    "legal-form-missing",
    W,
    "LN",
    ("com-r123-238",),
    level_note="R.123-238 lists a company's documents for third parties; that it reaches the "
    "website's legal notice is a reading, LCEN art. 1-1 does not ask for the form",
)
def legal_form(view: Controller) -> Iterator[Problem]:
    """
    What it checks: a company publisher states its legal form.
    Why it matters: Code de commerce R.123-238: documents a company issues for third parties,
    including its publications, state its name with its legal form (SAS, SARL, SA...) and,
    for an SARL or a société par actions, its share capital. LCEN art. 1-1 itself does not
    list the form, hence a warning. Associations and sole traders are not companies.
    Fails: `controller: {name: Example}` without `legal_form`.
    Use instead: `legal_form: SAS`.
    """
    if (
        view.publisher_kind in ("company", "unknown")
        and view.controller.get("name")
        and not view.controller.get("legal_form")
    ):
        yield Problem(
            _where(view),
            "the publisher's legal form is not stated",
            "add controller.legal_form (SAS, SARL, SA...)",
        )


@REGISTRY.rule("LN003", "share-capital-missing", E, "LN", ("lcen-1-1#I",))
def share_capital(view: Controller) -> Iterator[Problem]:
    """
    What it checks: a company registered at the RCS, or at the RNE (which replaced the
    répertoire des métiers for artisans in 2023), states its share capital.
    Why it matters: LCEN art. 1-1 I requires the share capital of businesses subject to
    registration at the RCS or as craftsmen; a sole trader (EI) and an association have
    none.
    Fails: `registration: {register: RCS, ...}` or `{register: RNE, ...}` with no
    `share_capital`.
    Use instead: `share_capital: {amount: 1000, currency: EUR}`.
    """
    controller = view.controller
    registration = controller.get("registration") or {}
    if (
        view.publisher_kind == "company"
        and registration.get("register") in CAPITAL_REGISTERS
        and str(controller.get("legal_form") or "").upper() not in SOLE_TRADER_FORMS
        and not controller.get("share_capital")
    ):
        yield Problem(
            _where(view),
            "the publisher's share capital is not stated",
            "add controller.share_capital: {amount: ..., currency: EUR}",
        )


@REGISTRY.rule("LN004", "registered-office-missing", E, "LN", ("lcen-1-1#I",))
def registered_office(view: Controller) -> Iterator[Problem]:
    """
    What it checks: a legal person gives the address of its registered office; a natural
    person (a sole trader) gives their domicile.
    Why it matters: LCEN art. 1-1 I: a natural person states their name, first names and
    domicile; a legal person its name and registered office (siège social). The page labels
    the address accordingly ("Domicile" or "Siège social").
    Fails: `controller` without `address`, or with a city but no street.
    Use instead: `address: {street: ..., postal_code: ..., city: ..., country: FR}`.
    """
    address = view.controller.get("address") or {}
    if _company(view) and not (address.get("street") and address.get("city")):
        what = "domicile" if view.is_natural_person else "registered office address"
        yield Problem(
            "/controller/address" if address else _where(view),
            f"the publisher's {what} is missing or incomplete",
            "add controller.address with street, postal_code and city",
        )


@REGISTRY.rule("LN005", "publisher-contact-missing", E, "LN", ("lcen-1-1#I", "lcen-19"))
def publisher_contact(view: Controller) -> Iterator[Problem]:
    """
    What it checks: a professional publisher gives a telephone number, and an online seller
    an e-mail address too.
    Why it matters: LCEN art. 1-1 I requires the publisher's telephone number; the e-mail
    address is required of online sellers by LCEN art. 19 (art. 1-1 does not ask for it).
    Fails: `controller` with an e-mail but no phone; `commerce: {online_sales: true}` and
    no `email`.
    Use instead: `phone: "+33 1 23 45 67 89"` and `email: contact@example.com`.
    """
    if not _company(view):
        return
    wanted = ("phone", "email") if view.sells_online else ("phone",)
    missing = [k for k in wanted if not view.controller.get(k)]
    if missing:
        yield Problem(
            _where(view),
            "the publisher's "
            + " and ".join(missing)
            + (" are" if len(missing) > 1 else " is")
            + " missing",
            "add controller." + " and controller.".join(missing),
        )


@REGISTRY.rule("LN006", "registration-missing", E, "LN", ("lcen-1-1#I", "com-r123-237"))
def registration(view: Controller) -> Iterator[Problem]:
    """
    What it checks: a publisher subject to registration gives its register entry: "RCS
    <city> <SIREN>", or its SIREN at the RNE.
    Why it matters: LCEN art. 1-1 I asks the registration number of those subject to the
    RCS or to registration as craftsmen; Code de commerce R.123-237 sets the "RCS <city>"
    form. Associations, foundations and public bodies have no such duty (LN012 suggests
    their RNA number instead), so they are not reported.
    Fails: a company with no `registration`; `register: RCS` without `city` or `siren`.
    Use instead: `registration: {register: RCS, city: Paris, siren: "830 886 362"}`.
    """
    if not _company(view) or not view.must_register:
        return
    reg = view.controller.get("registration") or {}
    if not reg:
        yield Problem(
            _where(view),
            "no trade register entry (RCS city and SIREN)",
            "add controller.registration: {register: RCS, city: ..., siren: ...}",
        )
        return
    if not (reg.get("siren") or reg.get("siret") or reg.get("number")):
        yield Problem(
            "/controller/registration",
            "the registration has no SIREN number",
            "add registration.siren",
        )
    if reg.get("register") in ("RCS", "RM") and not reg.get("city"):
        yield Problem(
            "/controller/registration",
            "the registry city is missing (RCS <city>)",
            "add registration.city",
        )
    elif not reg.get("register"):
        yield Problem(
            "/controller/registration",
            "the register (RCS, RNE...) is not named",
            "add registration.register: RCS",
        )


@REGISTRY.rule("LN007", "siren-invalid", E, "LN", ("com-r123-237", "lcen-1-1#I"))
def siren_invalid(view: Controller) -> Iterator[Problem]:
    """
    What it checks: SIREN and SIRET numbers pass their checksum, the SIRET starts with the
    SIREN, and a French VAT number has the right key and contains the SIREN. Printed forms
    ("B 323 650 945", "FR 69 351 058 151") are read as their digits.
    Why it matters: LCEN art. 1-1 I and Code de commerce R.123-237 ask for the registration
    number; a mistyped one is not it, and points readers to another company (INSEE numbers
    carry a Luhn checksum).
    Fails: `siren: "123 456 789"`; a SIRET whose first nine digits differ from the SIREN;
    `vat_number: FR00830886362`.
    Use instead: the numbers as printed on the Kbis extract.
    """
    siren, siret = view.siren, view.siret
    if len(siren) == 9 and siren.isdigit() and not luhn_valid(siren):
        yield Problem(
            "/controller/registration/siren",
            f"SIREN {siren} fails its checksum",
            "copy the number from the Kbis extract",
        )
    if len(siret) == 14 and not siret.startswith("356000000") and not luhn_valid(siret):
        yield Problem(
            "/controller/registration/siret",
            f"SIRET {siret} fails its checksum",
            "copy the number from the Kbis extract",
        )
    if siren and len(siret) == 14 and not siret.startswith(siren):
        yield Problem(
            "/controller/registration/siret",
            "the SIRET does not start with the SIREN",
            "check both numbers",
        )
    vat = view.vat_number
    if vat.startswith("FR") and len(vat) == 13 and vat[2:].isdigit():
        key, vat_siren = vat[2:4], vat[4:]
        if key != french_vat_key(vat_siren):
            yield Problem(
                "/controller/vat_number",
                f"VAT number {vat} fails its check key",
                "copy the number from an invoice or the VIES service",
            )
        elif len(siren) == 9 and vat_siren != siren:
            yield Problem(
                "/controller/vat_number",
                "the French VAT number does not contain the SIREN",
                "check both numbers",
            )


@REGISTRY.rule("LN008", "vat-number-missing", E, "LN", ("lcen-19", "cgi-286-ter"))
def vat_number(view: Controller) -> Iterator[Problem]:
    """
    What it checks: a company that sells online states its intra-EU VAT number.
    Why it matters: LCEN art. 19 requires online sellers subject to VAT to give their
    individual identification number (CGI art. 286 ter); LCEN art. 1-1 does not ask it of
    other publishers, so they are not flagged.
    Fails: `commerce: {online_sales: true}` and no `controller.vat_number`.
    Use instead: `vat_number: FR12345678901`, or suppress with the reason when not
    registered for VAT.
    """
    if _company(view) and view.sells_online and not view.controller.get("vat_number"):
        yield Problem(
            _where(view),
            "an online seller gives no intra-EU VAT number",
            "add controller.vat_number",
        )


@REGISTRY.rule("LN009", "publication-director-missing", E, "LN", ("lcen-1-1#I",))
def publication_director(view: Controller) -> Iterator[Problem]:
    """
    What it checks: the legal notice names the director of publication.
    Why it matters: LCEN art. 1-1 (directeur de la publication).
    Fails: no `controller.publication_director`.
    Use instead: `publication_director: {name: "Jane Doe", role: President}`.
    """
    if _company(view) and not view.controller.get("publication_director"):
        yield Problem(
            _where(view),
            "no director of publication",
            "add controller.publication_director: {name: ...}",
        )


@REGISTRY.rule("LN010", "host-identity-missing", E, "LN", ("lcen-1-1#I", "lcen-1-1#II"))
def host_identity(view: Controller) -> Iterator[Problem]:
    """
    What it checks: the legal notice names the website's host with its address and telephone.
    Why it matters: LCEN art. 1-1: name, address and telephone number of the host.
    A non-professional publisher (LCEN art. 1-1 II) names the host and its address only.
    Fails: no `host`; a host with a name but no address or phone.
    Use instead: `host: {name: ..., address: {...}, phone: ...}`.
    """
    host = view.section("host")
    wanted = ("name", "address", "phone") if view.is_company else ("name", "address")
    missing = [k for k in wanted if not host.get(k)]
    if missing:
        yield Problem(
            "/host" if host else "",
            "the host's "
            + ", ".join(missing)
            + (" are" if len(missing) > 1 else " is")
            + " missing",
            "add host." + ", host.".join(missing),
        )


@REGISTRY.rule(
    "LN011",
    "consumer-mediator-missing",
    E,
    "LN",
    ("consom-l612-1", "consom-l616-1", "consom-r616-1"),
)
def consumer_mediator(view: Controller) -> Iterator[Problem]:
    """
    What it checks: a French professional dealing with consumers, online or not (a shop, a
    restaurant, a service), names its consumer mediator with the address of the mediator's
    website.
    Why it matters: C. consom. L.612-1 gives every consumer access to a free mediator;
    L.616-1 and R.616-1 require the professional to show the mediator's contact details,
    including its website address, visibly on its own website. The duty follows the sale to
    consumers, not the online shop.
    Fails: `commerce: {consumers: true}` with no `mediator`; a mediator with no `url`.
    Use instead: `commerce: {mediator: {name: CM2C, url: "https://www.cm2c.net/"}}`.
    """
    if not (view.is_french and view.is_professional and view.sells_to_consumers.may_be_true):
        return
    mediator = view.mediator
    if not mediator.get("name"):
        yield Problem(
            "/commerce",
            "a professional selling to consumers names no consumer mediator",
            "add commerce.mediator: {name: ..., url: ...}",
        )
    elif not mediator.get("url"):
        yield Problem(
            "/commerce/mediator",
            "the consumer mediator's website address is missing",
            "add commerce.mediator.url",
        )


@REGISTRY.rule(
    "LN012",
    "association-number-missing",
    I,
    "LN",
    ("lcen-1-1#I",),
    level_note="an association has no register entry to give (LCEN art. 1-1 I asks it of "
    "businesses subject to registration); its RNA number identifies it publicly",
)
def association_number(view: Controller) -> Iterator[Problem]:
    """
    What it checks: an association or a foundation gives its number in the national
    register of associations (RNA) or its SIREN.
    Why it matters: LCEN art. 1-1 I asks publishers for their name and address, and a
    registration number only of businesses subject to the RCS or the RNE; an association is
    not, so LN006 leaves it alone. Its RNA number ("W751234567") lets readers find it in
    the public register: good practice, not a duty.
    Fails: `legal_form: Association loi 1901` with no `registration`.
    Use instead: `registration: {register: RNA, number: W751234567}`.
    """
    if view.publisher_kind != "association":
        return
    reg = view.controller.get("registration") or {}
    if not (reg.get("number") or reg.get("siren")):
        yield Problem(
            "/controller/registration" if reg else _where(view),
            "the association gives no RNA number",
            "add controller.registration: {register: RNA, number: W...}",
        )


@REGISTRY.rule(
    "LN013",
    "commerce-unstated",
    W,
    "LN",
    ("lcen-19", "consom-l612-1"),
    level_note="whether the publisher sells, and to whom, is a fact only the file can state; "
    "until it does, the seller's duties cannot be checked",
)
def commerce_unstated(view: Controller) -> Iterator[Problem]:
    """
    What it checks: a file whose activities speak of orders, payment, delivery or bookings
    says whether the publisher sells online and to consumers (`commerce`).
    Why it matters: LCEN art. 19 (online sellers: e-mail, VAT number, checked by LN005 and
    LN008) and C. consom. L.612-1 (a mediator for consumers, LN011) apply to sellers; without
    `commerce`, those rules cannot know they apply and stay silent.
    Fails: an activity titled "Gestion des commandes" and no `commerce` section.
    Use instead: `commerce: {online_sales: true, consumers: true, mediator: {...}}`, or
    `commerce: {online_sales: false, consumers: false}`.
    """
    if not view.is_company or "commerce" in view.data:
        return
    selling = next((a for a in view.activities if a.speaks_of_sales), None)
    if selling is not None:
        yield Problem(
            "",
            f"activity '{selling.id}' speaks of orders or payment but the file does not say "
            "whether the publisher sells online or to consumers",
            "add commerce: {online_sales: ..., consumers: ...}",
        )


@REGISTRY.rule("LN014", "reviews-checking-unstated", E, "LN", ("consom-l111-7-2", "consom-d111-17"))
def reviews_checking(view: Controller) -> Iterator[Problem]:
    """
    What it checks: a site that publishes consumer reviews says whether they are checked
    and, if they are, how.
    Why it matters: C. consom. L.111-7-2 requires whoever collects, moderates or publishes
    online consumer reviews to give fair, clear and transparent information on how they are
    published and processed; D.111-17 asks, in a specific section, whether the reviews are
    checked and, if so, the main features of the check.
    Fails: `commerce: {reviews: {published: true}}`; `checked: true` without `how`.
    Use instead: `reviews: {published: true, checked: true, how: "Only customers who ordered
    the product may review it; reviews are read before publication."}`, or `checked: false`.
    """
    reviews = view.commerce.get("reviews")
    if not isinstance(reviews, dict) or not reviews.get("published"):
        return
    if reviews.get("checked") is None:
        yield Problem(
            "/commerce/reviews",
            "consumer reviews are published but the site does not say whether they are checked",
            "add commerce.reviews.checked: true (with how) or false",
        )
    elif reviews.get("checked") and not reviews.get("how"):
        yield Problem(
            "/commerce/reviews/checked",
            "consumer reviews are checked but the site does not say how",
            "add commerce.reviews.how: the main features of the check",
        )


@REGISTRY.rule(
    "LN015",
    "accessibility-information-missing",
    W,
    "LN",
    ("consom-l412-13", "decret-2023-931", "eaa-13"),
    level_note="micro-enterprises providing services are exempt (C. consom. L.412-13 I), and a "
    "file rarely states its size: set controller.micro_enterprise",
)
def accessibility_information(view: Controller) -> Iterator[Problem]:
    """
    What it checks: since 28 June 2025, a site that sells online to consumers says how its
    service meets the accessibility requirements, unless the publisher is a micro-enterprise.
    Why it matters: the European Accessibility Act (Directive (EU) 2019/882), transposed by
    C. consom. L.412-13 and décret n° 2023-931, applies to e-commerce services from 28 June
    2025; service providers make public how their service meets the requirements. A
    micro-enterprise (fewer than 10 persons and at most 2 million euros of turnover or
    balance sheet) providing services is exempt.
    Fails: `commerce: {online_sales: true, consumers: true}` with no `accessibility` and no
    `controller.micro_enterprise: true`.
    Use instead: `commerce: {accessibility: {statement: "...", url: "https://.../accessibilite"}}`.
    """
    if not (view.sells_online and view.sells_to_consumers.may_be_true):
        return
    if view.controller.get("micro_enterprise") or view.commerce.get("accessibility"):
        return
    yield Problem(
        "/commerce",
        "an online shop for consumers does not say how it meets the accessibility requirements",
        "add commerce.accessibility: {statement: ..., url: ...}, or set "
        "controller.micro_enterprise: true",
    )


@REGISTRY.rule(
    "LN016",
    "odr-platform-link",
    W,
    "LN",
    ("odr-2024-repeal",),
    level_note="no text forbids the old link; it sends consumers to a platform closed on "
    "20 July 2025",
)
def odr_platform_link(view: Controller) -> Iterator[Problem]:
    """
    What it checks: since 20 July 2025, no text of the file points to the EU online dispute
    resolution platform (ec.europa.eu/consumers/odr).
    Why it matters: Regulation (EU) No 524/2013 (art. 14) required online sellers to link to
    the platform; Regulation (EU) 2024/3228 repealed it and the platform closed on 20 July
    2025. A link left on the site sends consumers to a channel that no longer exists; the
    consumer mediator (LN011) remains.
    Fails: `extra_sections: [{body: "Plateforme RLL : https://ec.europa.eu/consumers/odr"}]`.
    Use instead: remove the sentence; name the consumer mediator in `commerce.mediator`.
    """
    for pointer in view.texts_where(links_odr_platform):
        yield Problem(
            pointer,
            "the EU online dispute resolution platform this text points to closed on 20 July 2025",
            "remove the link; the consumer mediator remains the way to settle disputes",
        )


@REGISTRY.rule("LN017", "hosting-service-contacts-missing", E, "LN", ("dsa-11", "dsa-12", "dsa-14"))
def hosting_service_contacts(view: Controller) -> Iterator[Problem]:
    """
    What it checks: a site that stores content its users provide (`hosting_service:
    {user_content: true}`: reviews, comments, listings, profiles) gives a single point of
    contact and says what content it restricts and how.
    Why it matters: the Digital Services Act applies to every hosting service from 17
    February 2024: Art. 11 and 12 require a single point of contact for authorities and for
    users, easy to find and with its languages; Art. 14 requires the terms to state the
    restrictions on users' content and the moderation that enforces them.
    Fails: `hosting_service: {user_content: true}` with no `contact` or no
    `content_moderation`.
    Use instead: `hosting_service: {user_content: true, contact: {email: dsa@example.com,
    languages: [fr, en]}, content_moderation: "..."}`.
    """
    service = view.section("hosting_service")
    if not service.get("user_content"):
        return
    missing = [k for k in ("contact", "content_moderation") if not service.get(k)]
    if missing:
        yield Problem(
            "/hosting_service",
            "a service hosting its users' content gives no "
            + " and no ".join(m.replace("_", " ") for m in missing),
            "add hosting_service." + " and hosting_service.".join(missing),
        )
