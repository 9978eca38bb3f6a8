"""French legal notice (mentions légales): LCEN art. 1-1 and Code de commerce R.123-237.

A non-professional publisher (`controller.non_professional: true`, LCEN art. 1-1 II) may
stay anonymous and name only its host (name and address), so the publisher rules apply to
professional publishers only.
"""

from __future__ import annotations

from collections.abc import Iterator

from privacy_pages.diagnostics import Severity
from privacy_pages.model import Controller
from privacy_pages.model.identity import french_vat_key
from privacy_pages.rules import REGISTRY
from privacy_pages.rules.registry import Problem

E, W, I = Severity.ERROR, Severity.WARNING, Severity.INFO
SOLE_TRADER_FORMS = {
    "EI",
    "EIRL",
    "ENTREPRENEUR INDIVIDUEL",
    "MICRO-ENTREPRISE",
    "AUTO-ENTREPRENEUR",
}


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


@REGISTRY.rule("LN001", "publisher-name-missing", E, "LN", "LCEN art. 1-1 I")
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
    "LN002", "legal-form-missing", W, "LN", "LCEN art. 1-1 I; Code de commerce R.123-237"
)
def legal_form(view: Controller) -> Iterator[Problem]:
    """
    What it checks: a company publisher states its legal form.
    Why it matters: LCEN art. 1-1 and Code de commerce R.123-237 (SAS, SARL...).
    Fails: `controller` without `legal_form`.
    Use instead: `legal_form: SAS`.
    """
    if _company(view) and view.controller.get("name") and not view.controller.get("legal_form"):
        yield Problem(
            _where(view),
            "the publisher's legal form is not stated",
            "add controller.legal_form (SAS, SARL, SA...)",
        )


@REGISTRY.rule("LN003", "share-capital-missing", E, "LN", "LCEN art. 1-1 I 2°")
def share_capital(view: Controller) -> Iterator[Problem]:
    """
    What it checks: a company registered at the RCS or the RM states its share capital.
    Why it matters: LCEN art. 1-1 I 2° requires the share capital of businesses subject to
    registration at the RCS or the répertoire des métiers; a sole trader (EI) has none.
    Fails: `registration: {register: RCS, ...}` with no `share_capital`.
    Use instead: `share_capital: {amount: 1000, currency: EUR}`.
    """
    controller = view.controller
    registration = controller.get("registration") or {}
    if (
        _company(view)
        and registration.get("register") in ("RCS", "RM")
        and str(controller.get("legal_form") or "").upper() not in SOLE_TRADER_FORMS
        and not controller.get("share_capital")
    ):
        yield Problem(
            _where(view),
            "the publisher's share capital is not stated",
            "add controller.share_capital: {amount: ..., currency: EUR}",
        )


@REGISTRY.rule("LN004", "registered-office-missing", E, "LN", "LCEN art. 1-1 I")
def registered_office(view: Controller) -> Iterator[Problem]:
    """
    What it checks: the publisher's registered office address is given.
    Why it matters: LCEN art. 1-1: the address of the registered office (siège social).
    Fails: `controller` without `address`.
    Use instead: `address: {street: ..., postal_code: ..., city: ..., country: FR}`.
    """
    address = view.controller.get("address") or {}
    if _company(view) and not (address.get("street") and address.get("city")):
        yield Problem(
            "/controller/address" if address else _where(view),
            "the publisher's registered office address is missing or incomplete",
            "add controller.address with street, postal_code and city",
        )


@REGISTRY.rule(
    "LN005", "publisher-contact-missing", E, "LN", "LCEN art. 1-1 I (phone); LCEN art. 19 (e-mail)"
)
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


@REGISTRY.rule(
    "LN006", "registration-missing", E, "LN", "LCEN art. 1-1 I; Code de commerce R.123-237"
)
def registration(view: Controller) -> Iterator[Problem]:
    """
    What it checks: a company publisher gives its trade register entry: "RCS <city> <SIREN>".
    Why it matters: LCEN art. 1-1 and Code de commerce R.123-237.
    Fails: no `registration`; `register: RCS` without `city` or `siren`.
    Use instead: `registration: {register: RCS, city: Paris, siren: "830 886 362"}`.
    """
    if not _company(view):
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
            "the register (RCS, RM...) is not named",
            "add registration.register: RCS",
        )


@REGISTRY.rule("LN007", "siren-invalid", E, "LN", "INSEE numbering (Luhn)")
def siren_invalid(view: Controller) -> Iterator[Problem]:
    """
    What it checks: SIREN and SIRET numbers pass their checksum, the SIRET starts with the
    SIREN, and a French VAT number has the right key and contains the SIREN. Printed forms
    ("B 323 650 945", "FR 69 351 058 151") are read as their digits.
    Why it matters: a mistyped number points readers to another company (INSEE numbering).
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


@REGISTRY.rule("LN008", "vat-number-missing", E, "LN", "LCEN art. 19; CGI art. 286 ter")
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


@REGISTRY.rule("LN009", "publication-director-missing", E, "LN", "LCEN art. 1-1 I 3°")
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


@REGISTRY.rule("LN010", "host-identity-missing", E, "LN", "LCEN art. 1-1 I 4°")
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
    "LN011", "consumer-mediator-missing", E, "LN", "Code de la consommation L.612-1, L.616-1"
)
def consumer_mediator(view: Controller) -> Iterator[Problem]:
    """
    What it checks: a French online seller to consumers names its consumer mediator.
    Why it matters: Code de la consommation L.612-1 gives every consumer access to a free
    mediator; L.616-1 requires the professional to publish the mediator's name and contact
    details on its website.
    Fails: `commerce: {online_sales: true, consumers: true}` with no `mediator`.
    Use instead: `commerce: {mediator: {name: ..., url: ...}}`.
    """
    if (
        view.is_french
        and view.sells_online
        and view.sells_to_consumers.may_be_true
        and not view.mediator.get("name")
    ):
        yield Problem(
            "/commerce",
            "an online seller to consumers names no consumer mediator",
            "add commerce.mediator: {name: ..., url: ...}",
        )
