"""Building blocks of the controller model: located list entries and stated facts."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


class Stated(enum.Enum):
    """A yes/no fact as the file states it: yes, possibly, no, or not at all.

    A hedged document ("data may be transferred outside the EU") is ``POSSIBLE``, never
    ``YES``; a file that is silent is ``UNSTATED``, never a default.
    """

    YES = "yes"
    POSSIBLE = "possible"
    NO = "no"
    UNSTATED = "unstated"

    @classmethod
    def read(cls, value: Any) -> Stated:
        """From the file's value: ``true``, ``false``, ``"possible"``, or absent."""
        if value is True or value == "yes":
            return cls.YES
        if value is False or value == "no":
            return cls.NO
        if value == "possible":
            return cls.POSSIBLE
        return cls.UNSTATED

    @property
    def is_stated(self) -> bool:
        return self is not Stated.UNSTATED

    @property
    def may_be_true(self) -> bool:
        """Yes or possibly: the law's duties for the case apply."""
        return self in (Stated.YES, Stated.POSSIBLE)


@dataclass(frozen=True)
class Item:
    """An entry of a list in the file and where it is (its JSON pointer)."""

    pointer: str
    data: Mapping[str, Any]

    def get(self, key: str, default: Any = None) -> Any:
        return self.data.get(key, default)

    def at(self, key: str) -> str:
        """The pointer of one of the entry's fields."""
        return f"{self.pointer}/{key}"

    def __contains__(self, key: str) -> bool:
        return key in self.data
