"""Locale-aware formatting of durations, dates, money, countries and registrations (Babel)."""

from __future__ import annotations

import datetime as _dt
import functools
from typing import Any

from babel import Locale, UnknownLocaleError
from babel.dates import format_date
from babel.lists import format_list
from babel.numbers import format_currency
from babel.units import format_unit

from privacy_pages.i18n import translate
from privacy_pages.model.durations import parse_duration

_UNITS = (
    ("years", "duration-year"),
    ("months", "duration-month"),
    ("weeks", "duration-week"),
    ("days", "duration-day"),
    ("hours", "duration-hour"),
    ("minutes", "duration-minute"),
    ("seconds", "duration-second"),
)


@functools.cache
def babel_locale(lang: str) -> Locale:
    """The Babel locale of a page language (``fr``, ``en``, ``pt-BR``), English if unknown."""
    try:
        return Locale.parse(lang.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return Locale.parse("en")


@functools.lru_cache(maxsize=4096)
def format_duration(value: str, lang: str) -> str:
    """``P13M`` -> "13 mois" / "13 months"; ``P1Y6M`` -> "1 year and 6 months"; ``session``."""
    if value == "session":
        return translate("session", lang)
    duration = parse_duration(value)
    if duration is None:
        return value
    locale = babel_locale(lang)
    parts = [
        _unit(getattr(duration, field), unit, locale)
        for field, unit in _UNITS
        if getattr(duration, field)
    ]
    if not parts:
        return _unit(0, "duration-day", locale)
    return format_list(parts, locale=locale)


def _unit(value: int, unit: str, locale: Locale) -> str:
    """The long form ("13 mois"), or the short one where CLDR lacks it (Italian)."""
    text = format_unit(value, unit, length="long", locale=locale)
    if unit in text:
        text = format_unit(value, unit, length="short", locale=locale)
    return text


@functools.lru_cache(maxsize=4096)
def _format_iso_day(value: str, lang: str) -> str:
    try:
        day = _dt.date.fromisoformat(value)
    except ValueError:
        return value
    return format_date(day, format="long", locale=babel_locale(lang))


def format_day(value: Any, lang: str) -> str:
    """A YAML date (``2025-01-01`` or a date) as "1 janvier 2025" / "January 1, 2025"."""
    if isinstance(value, _dt.datetime):
        value = value.date()
    if isinstance(value, str):
        return _format_iso_day(value, lang)
    return format_date(value, format="long", locale=babel_locale(lang))


def format_money(amount: float, currency: str, lang: str) -> str:
    """Share capital: "1 000 €" / "€1,000"; cents only when the amount has cents."""
    locale = babel_locale(lang)
    whole = float(amount).is_integer()
    return format_currency(
        amount,
        currency or "EUR",
        locale=locale,
        currency_digits=not whole,
        format=None
        if not whole
        else locale.currency_formats["standard"].pattern.replace(".00", ""),
    )


@functools.lru_cache(maxsize=4096)
def country_name(code: str, lang: str) -> str:
    """ISO 3166 code -> "France" / "Frankreich" (the code itself when unknown)."""
    return babel_locale(lang).territories.get(code, code)


@functools.lru_cache(maxsize=1024)
def language_name(code: str, lang: str) -> str:
    """Name of language ``code`` as written in ``lang`` ("French", "français")."""
    locale = babel_locale(lang)
    return locale.languages.get(code.replace("-", "_"), code)


@functools.lru_cache(maxsize=256)
def language_autonym(code: str) -> str:
    """A language's own name, capitalised, for the language switcher ("Français")."""
    name = babel_locale(code).get_display_name(babel_locale(code)) or code
    return name[:1].upper() + name[1:]


def format_siren(siren: str) -> str:
    """Nine digits grouped by three, as French documents print them: "830 886 362"."""
    digits = siren.replace(" ", "")
    if len(digits) == 9 and digits.isdigit():
        return f"{digits[:3]} {digits[3:6]} {digits[6:]}"
    return siren


def format_registration(registration: dict[str, Any]) -> str:
    """ "RCS Paris 830 886 362" (Code de commerce R.123-237), or the foreign number."""
    register = registration.get("register")
    parts: list[str] = []
    if register and register != "other":
        parts.append(register)
    if registration.get("city"):
        parts.append(registration["city"])
    if registration.get("siren"):
        parts.append(format_siren(registration["siren"]))
    elif registration.get("number"):
        parts.append(registration["number"])
    return " ".join(parts)


def language_list(codes: list[str], lang: str) -> str:
    """Names of ``codes`` as one phrase in ``lang`` ("French and English", "français et anglais")."""
    from babel.lists import format_list

    return format_list([language_name(code, lang) for code in codes], locale=babel_locale(lang))
