"""Company identity numbers as real documents print them, normalised once for every reader.

"B 323 650 945" (the RCS section letter before the SIREN) and "FR 69 351 058 151" (a VAT
number in groups) are both accepted in files; rules and pages read the normalised digits.
"""

from __future__ import annotations

import re

_SIREN = re.compile(r"^(?:[AB] ?)?([0-9 ]+)$")


def normalise_siren(value: object) -> str:
    """The nine digits of a SIREN written "830 886 362", "830886362" or "B 323 650 945"."""
    text = str(value or "").strip()
    match = _SIREN.match(text)
    return match.group(1).replace(" ", "") if match else text


def normalise_digits(value: object) -> str:
    """Only the digits (SIRET)."""
    return "".join(ch for ch in str(value or "") if ch.isdigit())


def normalise_vat(value: object) -> str:
    """A VAT number without spaces, upper-case: "FR 69 351 058 151" -> "FR69351058151"."""
    return str(value or "").replace(" ", "").upper()


def french_vat_key(siren: str) -> str | None:
    """The two-digit key of the French VAT number of ``siren``, or None if not 9 digits."""
    if len(siren) != 9 or not siren.isdigit():
        return None
    return f"{(12 + 3 * (int(siren) % 97)) % 97:02d}"
