"""The rights section: which rights are explained, how to exercise them, who to complain to."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from privacy_pages.model.base import Item
from privacy_pages.model.texts import demands_identity_always, mentions_marketing

CNIL_NAMES = ("cnil", "commission nationale de l'informatique et des libert")


@dataclass(frozen=True)
class Rights(Item):
    """``rights``: the listed rights, channels, identity check and supervisory authority."""

    @property
    def listed(self) -> frozenset[str]:
        """The rights the notice explains (``rights.list[].right``)."""
        return frozenset(str(r.get("right")) for r in self.entries if r.get("right") is not None)

    @property
    def states_marketing_objection(self) -> bool:
        """The objection to direct marketing is stated in its own right (GDPR Art. 21(4)):
        listed as such, or named in the text of the right to object."""
        if "objection_direct_marketing" in self.listed:
            return True
        return any(
            r.get("right") == "objection" and mentions_marketing(r.get("description"))
            for r in self.entries
        )

    @property
    def entries(self) -> tuple[Item, ...]:
        raw = self.data.get("list") or ()
        return tuple(
            Item(self.at(f"list/{i}"), r) for i, r in enumerate(raw) if isinstance(r, Mapping)
        )

    @property
    def channels(self) -> tuple[Item, ...]:
        raw = self.data.get("channels") or ()
        return tuple(
            Item(self.at(f"channels/{i}"), c) for i, c in enumerate(raw) if isinstance(c, Mapping)
        )

    @property
    def identity_check(self) -> str | None:
        """``always`` or ``when_in_doubt``; None when the file does not say."""
        value = self.data.get("identity_check")
        return str(value) if value else None

    @property
    def demands_identity_always(self) -> bool:
        """An identity document is asked with every request: ``identity_check: always``, or
        ``identity_proof`` prose that says so with no doubt to qualify it."""
        if self.identity_check is not None:
            return self.identity_check == "always"
        return demands_identity_always(self.data.get("identity_proof"))

    @property
    def supervisory_authority(self) -> Mapping[str, Any]:
        value = self.data.get("supervisory_authority")
        return value if isinstance(value, Mapping) else {}

    @property
    def names_cnil(self) -> bool | None:
        """Whether the authority named is the CNIL; None when none is named."""
        authority = self.supervisory_authority
        if not authority.get("name") and not authority.get("url"):
            return None
        name = str(authority.get("name") or "").lower()
        url = str(authority.get("url") or "").lower()
        return any(n in name for n in CNIL_NAMES) or "cnil.fr" in url
