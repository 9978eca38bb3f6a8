"""Fixed text of the report's client-facing part, per language: one table each, one place.

`RULE_PLAIN` says what each rule's findings mean in plain words for a client's manager;
`RULE_LAW` is the legal basis cited beside it. A rule missing from a language falls back to
the rule's English summary, so a new rule never breaks a report.
"""

from __future__ import annotations

LANGUAGES = ("en", "fr")

STRINGS: dict[str, dict[str, str]] = {
    "en": {
        "executive_summary": "Executive summary",
        "prepared_by": "Prepared by",
        "site": "Site",
        "audited_on": "Audited on",
        "verdict_fail": "The site does not comply: {errors} problem(s) must be fixed.",
        "verdict_pass": "No blocking problem was found.",
        "what_is_wrong": "What is wrong",
        "what_to_check": "Worth checking",
        "occurrences": "{n} occurrence(s)",
        "for_example": "for example",
        "rule": "rule",
        "since_last": "Since the last audit",
        "first_audit": "This is the first audit of this site: nothing to compare with yet.",
        "compared_with": "Compared with the audit of {when}.",
        "no_change": "No change: the same cookies, storage keys, third parties and findings.",
        "unreadable_previous": "The previous report could not be read: {error}",
        "new_findings": "New problems",
        "fixed_findings": "Fixed",
        "still_open": "{n} problem(s) still open.",
        "appeared": "appeared",
        "gone": "went away",
        "cookies": "Cookies",
        "storage": "Storage keys",
        "third_parties": "Third parties",
        "before-consent": "before consent",
        "after-reject": "after refusing",
        "after-accept": "after accepting",
        "declaration": "the declaration",
        "details_below": "The details, page by page and phase by phase, follow.",
        "one_of_sites": "This report covers {site}, one of the {n} websites of this "
        "controller, each audited apart; the others:",
        "sites_matching": "The declared cookie list is matched as a whole against each "
        "site, as the file does not say which site sets which cookie; a declared cookie "
        "seen on another site is not reported as missing here.",
    },
    "fr": {
        "executive_summary": "Synthèse",
        "prepared_by": "Préparé par",
        "site": "Site",
        "audited_on": "Audit du",
        "verdict_fail": "Le site n’est pas conforme : {errors} problème(s) à corriger.",
        "verdict_pass": "Aucun problème bloquant n’a été trouvé.",
        "what_is_wrong": "Ce qui ne va pas",
        "what_to_check": "À vérifier",
        "occurrences": "{n} occurrence(s)",
        "for_example": "par exemple",
        "rule": "règle",
        "since_last": "Depuis le dernier audit",
        "first_audit": "Premier audit de ce site : rien à comparer pour l’instant.",
        "compared_with": "Comparé à l’audit du {when}.",
        "no_change": "Aucun changement : mêmes cookies, clés de stockage, tiers et constats.",
        "unreadable_previous": "Le rapport précédent n’a pas pu être lu : {error}",
        "new_findings": "Nouveaux problèmes",
        "fixed_findings": "Corrigés",
        "still_open": "{n} problème(s) toujours ouvert(s).",
        "appeared": "apparu(s)",
        "gone": "disparu(s)",
        "cookies": "Cookies",
        "storage": "Clés de stockage",
        "third_parties": "Tiers",
        "before-consent": "avant consentement",
        "after-reject": "après refus",
        "after-accept": "après acceptation",
        "declaration": "la déclaration",
        "details_below": "Le détail, page par page et phase par phase, suit (en anglais).",
        "one_of_sites": "Ce rapport porte sur {site}, l’un des {n} sites de ce responsable "
        "du traitement, audités chacun à part ; les autres :",
        "sites_matching": "La liste des cookies déclarés est comparée en entier à chaque "
        "site, le fichier ne disant pas quel site dépose quel cookie ; un cookie déclaré vu "
        "sur un autre site n’est pas signalé ici comme absent.",
    },
}

RULE_PLAIN: dict[str, dict[str, str]] = {
    "en": {
        "PC01": "Cookies that need consent are set before the visitor has chosen anything.",
        "PC02": "Browser storage that needs consent is written before any choice.",
        "PC03": "The site contacts tracking services before any choice.",
        "RJ01": "Cookies or storage that need consent are set even after the visitor refused.",
        "RJ02": "Tracking services are still contacted after the visitor refused.",
        "DC01": "The site sets cookies or storage keys that the cookie policy does not list.",
        "DC02": "The cookie policy lists cookies that the site was not seen to set.",
        "DC03": "The site sends data to companies that the privacy policy does not name.",
        "DC04": "Some declared cookies have no category.",
        "DC05": "One cookie is declared twice with different purposes.",
        "DC06": "A declared cookie's category contradicts what it is known to do.",
        "RT01": "Some cookies live much longer than the policy says.",
        "RT02": "A cookie's declared lifetime does not match what the browser keeps.",
        "RT03": "Some cookies live longer than the 13 months allowed.",
        "BN00": "No consent banner appears although the site uses trackers that need consent.",
        "BN01": "The banner does not offer to refuse as easily as to accept.",
        "BN07": "Visitors cannot change or withdraw their choice once made.",
        "TX01": "Pages are served without encryption (HTTP instead of HTTPS).",
        "LK01": "Some pages do not link to the privacy or cookie policy.",
    },
    "fr": {
        "PC01": "Des cookies soumis au consentement sont déposés avant tout choix du visiteur.",
        "PC02": "Le stockage du navigateur est utilisé avant tout choix, sans consentement.",
        "PC03": "Le site contacte des services de traçage avant tout choix du visiteur.",
        "RJ01": "Des cookies soumis au consentement sont déposés même après un refus.",
        "RJ02": "Des services de traçage sont encore contactés après un refus.",
        "DC01": "Le site dépose des cookies ou clés de stockage absents de la politique cookies.",
        "DC02": "La politique cookies liste des cookies que le site n’a pas déposés.",
        "DC03": "Le site envoie des données à des sociétés que la politique ne nomme pas.",
        "DC04": "Certains cookies déclarés n’ont pas de catégorie.",
        "DC05": "Un même cookie est déclaré deux fois avec des finalités différentes.",
        "DC06": "La catégorie d’un cookie déclaré contredit ce que l’on sait de lui.",
        "RT01": "Des cookies durent bien plus longtemps que ce qu’annonce la politique.",
        "RT02": "La durée déclarée d’un cookie ne correspond pas à ce que garde le navigateur.",
        "RT03": "Des cookies durent plus que les 13 mois autorisés.",
        "BN00": "Aucun bandeau de consentement alors que le site utilise des traceurs.",
        "BN01": "Le bandeau ne permet pas de refuser aussi facilement que d’accepter.",
        "BN07": "Le visiteur ne peut pas modifier ni retirer son choix une fois fait.",
        "TX01": "Des pages sont servies sans chiffrement (HTTP au lieu de HTTPS).",
        "LK01": "Des pages ne renvoient pas vers la politique de confidentialité ou cookies.",
    },
}

RULE_LAW: dict[str, str] = {
    "PC01": "ePrivacy art. 5(3); loi Informatique et Libertés art. 82; CNIL 2020",
    "PC02": "ePrivacy art. 5(3); EDPB Guidelines 2/2023",
    "PC03": "ePrivacy art. 5(3); EDPB Guidelines 2/2023",
    "RJ01": "ePrivacy art. 5(3); GDPR art. 7(3); CNIL 2020",
    "RJ02": "ePrivacy art. 5(3); GDPR art. 7(3)",
    "DC01": "GDPR art. 13; CNIL 2020",
    "DC02": "GDPR art. 5(1)(a), 13",
    "DC03": "GDPR art. 13(1)(e)",
    "DC04": "GDPR art. 13(1)(c); CNIL 2020",
    "DC05": "GDPR art. 13(1)(c)",
    "DC06": "GDPR art. 13(1)(c); CNIL 2020",
    "RT01": "GDPR art. 13(2)(a)",
    "RT02": "GDPR art. 13(2)(a)",
    "RT03": "CNIL 2020 (13 months)",
    "BN00": "ePrivacy art. 5(3); CNIL 2020",
    "BN01": "CNIL 2020; Conseil d'État 2022",
    "BN07": "GDPR art. 7(3); CNIL 2020",
    "TX01": "GDPR art. 32",
    "LK01": "GDPR art. 12(1); LCEN art. 6",
}


def text(lang: str) -> dict[str, str]:
    """The fixed strings of ``lang``, English for any key it lacks."""
    return {**STRINGS["en"], **STRINGS.get(lang, {})}


def rule_plain(lang: str, rule_id: str, fallback: str) -> str:
    return RULE_PLAIN.get(lang, {}).get(rule_id) or RULE_PLAIN["en"].get(rule_id) or fallback
