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


def bundles_consent(value: Any) -> bool:
    """Whether a prose value takes consent from the mere use of the site."""
    return any(_BUNDLED_CONSENT.search(t) for t in _all_languages(value))


_PHONE = re.compile(
    r"phone|t[ée]l[ée]phone|\bt[ée]l\b|\bgsm\b|mobile (phone )?number"
    r"|num[ée]ro (de )?(mobile|portable)"
)


def mentions_phone(value: Any) -> bool:
    """Whether a data category names a telephone number (fr or en)."""
    return any(_PHONE.search(t) for t in _all_languages(value))


_MARKETING = re.compile(
    r"marketing|newsletter|prospect|commercial communication|promotional|sol+icitation"
    r"|d[ée]marchage|publicit[ée]s? cibl|communications? commerciale|lettre d'information"
)


def mentions_marketing(value: Any) -> bool:
    """Whether an id or title names direct marketing (fr or en)."""
    return any(_MARKETING.search(t) for t in _all_languages(value))
