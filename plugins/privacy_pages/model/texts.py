"""Find every prose field of a controller file, by walking it beside the schema."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Mapping
from typing import Any

from privacy_pages.model.schema import load_schema

TEXT_REF = "#/$defs/text"


@functools.lru_cache(maxsize=1)
def _root_schema() -> dict[str, Any]:
    return load_schema()


def _deref(schema: dict[str, Any]) -> dict[str, Any]:
    root = _root_schema()
    while "$ref" in schema and schema["$ref"] != TEXT_REF:
        name = schema["$ref"].rsplit("/", 1)[-1]
        schema = {**root["$defs"][name], **{k: v for k, v in schema.items() if k != "$ref"}}
    return schema


def walk_texts(
    value: Any, pointer: str = "", schema: dict[str, Any] | None = None
) -> Iterator[tuple[str, Any]]:
    """(pointer, value) of every field the schema types as prose."""
    schema = _deref(schema if schema is not None else _root_schema())
    if schema.get("$ref") == TEXT_REF:
        yield pointer, value
        return
    if isinstance(value, Mapping):
        properties = schema.get("properties", {})
        for key, child in value.items():
            if key in properties:
                yield from walk_texts(child, f"{pointer}/{key}", properties[key])
    elif isinstance(value, list) and isinstance(schema.get("items"), dict):
        for index, child in enumerate(value):
            yield from walk_texts(child, f"{pointer}/{index}", schema["items"])


def _matches(pattern: re.Pattern[str], value: Any) -> bool:
    """Whether the text of ``value`` in any of its languages matches ``pattern``."""
    return any(pattern.search(t) for t in _all_languages(value))


def _all_languages(value: Any) -> list[str]:
    """Every text of a prose value (a string, or each language of a map), lower-cased."""
    if isinstance(value, str):
        return [value.lower()]
    if isinstance(value, Mapping):
        return [str(v).lower() for v in value.values() if isinstance(v, str)]
    return []


# "As long as necessary" says nothing a reader can use (EDPB WP260 rev.01, par. 45).
_VAGUE_RETENTION = re.compile(
    r"(as long as (is )?(necessary|needed|required)|no longer than (is )?(necessary|needed|required)"
    r"|for the (time|period) (necessary|needed|required)|for as long as"
    r"|(aussi|tant) longtemps que (n[ée]cessaire|requis)|pas plus longtemps que"
    r"|(pendant |pour )?la dur[ée]e (n[ée]cessaire|strictement n[ée]cessaire)"
    r"|le temps n[ée]cessaire|n'exc[èe]dant pas la dur[ée]e n[ée]cessaire)"
)
_PRECISE = re.compile(r"\d|\b(one|two|three|four|five|six|ten|un|une|deux|trois|cinq|six|dix)\b")


def is_vague_criteria(value: Any) -> bool:
    """Whether retention criteria only say "as long as necessary" (fr or en), with no figure."""
    texts = _all_languages(value)
    return bool(texts) and all(_VAGUE_RETENTION.search(t) and not _PRECISE.search(t) for t in texts)


# Consent tied to using the site or accepting terms (GDPR Art. 7(2) and (4); CJEU Planet49).
_BUNDLED_CONSENT = re.compile(
    r"(by (using|browsing|visiting|continuing to (use|browse))|by accessing)[^.]{0,80}"
    r"\byou (accept|agree|consent)"
    r"|en (utilisant|naviguant|poursuivant|continuant)[^.]{0,80}"
    r"\b(acceptez|consentez|acceptent|consentent|reconnaissez|acceptez express[ée]ment)"
    r"|by (accepting|agreeing to) (the|our|these) (general )?(terms|conditions)[^.]{0,80}"
    r"\byou (also )?(consent|agree to (the processing|receive|our use))"
    r"|en acceptant (les|nos|nos pr[ée]sentes) (cgu|cgv|conditions g[ée]n[ée]rales)[^.]{0,80}"
    r"\bvous (consentez|acceptez (le traitement|de recevoir))"
)


_DATA = re.compile(
    r"donn[ée]es|\bdata\b|traitement|processing|informations? (personnelles|vous concernant)"
    r"|personal information"
)


def speaks_of_data(value: Any) -> bool:
    """Whether prose speaks of personal data or their processing (fr or en)."""
    return _matches(_DATA, value)


def bundles_consent(value: Any) -> bool:
    """Whether a prose value takes consent from the mere use of the site."""
    return _matches(_BUNDLED_CONSENT, value)


_PHONE = re.compile(
    r"phone|t[ée]l[ée]phone|\bt[ée]l\b|\bgsm\b|mobile (phone )?number"
    r"|num[ée]ro (de )?(mobile|portable)"
)


def mentions_phone(value: Any) -> bool:
    """Whether a data category names a telephone number (fr or en)."""
    return _matches(_PHONE, value)


_MARKETING = re.compile(
    r"marketing|newsletter|prospect|commercial communication|promotional|sol+icitation"
    r"|d[ée]marchage|publicit[ée]s? cibl|communications? commerciale|lettre d'information"
    r"|offres? (commerciales?|promotionnelles?|personnalis[ée]es?|sp[ée]ciales?|du moment)"
    r"|bons plans|(special|commercial|personali[sz]ed|our latest) offers|promotions? (and|et)"
)


def mentions_marketing(value: Any) -> bool:
    """Whether an id, title or purpose names direct marketing (fr or en)."""
    return _matches(_MARKETING, value)


_EMAIL = re.compile(r"e-?mails?\b|courriels?|\bmails?\b|newsletter|lettre d'information")
_SMS = re.compile(r"\bsms\b|\btext messages?\b|\bmms\b")
_CALLS = re.compile(
    r"t[ée]l[ée]phon|\bappels?\b|\bappeler\b|\bcalls?\b|\bcalling\b|t[ée]l[ée]marketing|by phone"
)


def marketing_channels_named(value: Any) -> frozenset[str]:
    """The channels (email, sms, phone) a marketing purpose names (fr or en)."""
    channels = set()
    for text in _all_languages(value):
        if _EMAIL.search(text):
            channels.add("email")
        if _SMS.search(text):
            channels.add("sms")
        if _CALLS.search(text):
            channels.add("phone")
    return frozenset(channels)


# A demand for proof of identity with every request, unless a doubt qualifies it
# (GDPR Art. 12(6): only when there are reasonable doubts).
_SYSTEMATIC_ID = re.compile(
    r"(toute|chaque|les|votre|vos|la) demandes? (doit|doivent|devra|devront) (être )?(accompagn[ée]es?|comporter"
    r"|contenir|inclure)[^.]{0,80}(pi[èe]ce|justificatif|copie|photocopie|titre)[^.]{0,40}identit"
    r"|(joindre|fournir|accompagn[ée]e?s? (obligatoirement |syst[ée]matiquement )?(d'|de |du ))"
    r"[^.]{0,30}(copie|photocopie|pi[èe]ce|titre)[^.]{0,40}identit"
    r"|(every|any|all|each) requests? (must|shall|should) (be accompanied by|include|enclose)"
    r"[^.]{0,80}(identity|\bid\b|passport)"
    r"|(must|shall) (enclose|attach|provide|include) (a |an )?(copy|photocopy|scan)[^.]{0,40}"
    r"(identity|\bid\b|passport)"
)
_IN_DOUBT = re.compile(
    r"en cas de doute|doute raisonnable|doutes? (sur|quant)|si n[ée]cessaire|le cas [ée]ch[ée]ant"
    r"|if (we|there) (have|are|is) (any |reasonable )?doubts?|reasonable doubts?|when in doubt"
    r"|where necessary|if necessary"
)


def demands_identity_always(value: Any) -> bool:
    """Whether identity-proof prose demands a document with every request (fr or en)."""
    texts = _all_languages(value)
    return any(_SYSTEMATIC_ID.search(t) for t in texts) and not any(
        _IN_DOUBT.search(t) for t in texts
    )


_BLOCTEL = re.compile(r"bloctel|liste d'opposition au d[ée]marchage t[ée]l[ée]phonique")


def mentions_bloctel(value: Any) -> bool:
    """Whether prose refers to the Bloctel opposition list (closed on 11 August 2026)."""
    return _matches(_BLOCTEL, value)


_ODR_LINK = re.compile(
    r"ec\.europa\.eu/consumers/odr|ec\.europa\.eu/odr|webgate\.ec\.europa\.eu/odr"
)


def links_odr_platform(value: Any) -> bool:
    """Whether prose points to the EU online dispute resolution platform (closed 20 July 2025)."""
    return _matches(_ODR_LINK, value)


_SALES = re.compile(
    r"\bcommandes?\b|(?<!in )\borders?\b|paiements?|payments?|\bachats?\b|purchases?|livraisons?"
    r"|deliver(y|ies)|facturation|invoic|r[ée]servations?|bookings?"
)


def mentions_sales(value: Any) -> bool:
    """Whether a title or purpose speaks of orders, payment, delivery or bookings (fr or en)."""
    return _matches(_SALES, value)
