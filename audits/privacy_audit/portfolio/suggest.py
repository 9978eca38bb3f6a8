"""From observation to declaration: tracker entries for what the audit saw undeclared.

Every cookie and storage key of an ``undeclared-cookie`` (DC01) finding becomes one entry of
``cookies.trackers``: name, type, domain, party and lifetime as observed; provider and
category from the knowledge base; ``TODO`` where a human must decide (`check` reports each
one, rule CS006). The file is edited with ruamel.yaml's round trip, so comments, key order,
quoting and the flow style of the neighbouring entries are kept; the result is shown as a
unified diff.
"""

from __future__ import annotations

import copy
import difflib
import io
import os
import re
import stat
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from privacy_pages.diagnostics import printable
from privacy_pages.model import Controller

TODO = "TODO"
UNDECLARED_RULE = "DC01"
DAY = 86400


class SuggestError(ValueError):
    """One line: the file and what to do."""


@dataclass(frozen=True)
class Suggestion:
    """One tracker entry to declare, in the order its keys are written."""

    entry: dict[str, Any]

    @property
    def name(self) -> str:
        return str(self.entry["name"])


def iso_lifetime(seconds: float | None, session: bool) -> str:
    """An observed lifetime as the schema writes it: ``session``, ``P13M``, ``P1Y``, ``P30D``,
    and below a day ``PT12H``, ``PT30M``, ``PT45S``."""
    if session or seconds is None:
        return "session"
    days = seconds / DAY
    if days >= 28:
        months = max(1, round(days / 30.44))
        return f"P{months // 12}Y" if months % 12 == 0 else f"P{months}M"
    if seconds >= DAY - 30 * 60:
        return f"P{max(1, round(days))}D"
    if seconds >= 3600:
        return f"PT{round(seconds / 3600)}H"
    if seconds >= 60:
        return f"PT{round(seconds / 60)}M"
    return f"PT{max(1, round(seconds))}S"


def suggestions(
    report: Mapping[str, Any], controller: Mapping[str, Any], knowledge: Any
) -> list[Suggestion]:
    """Entries for each undeclared cookie or storage key of the report, once each; names the
    knowledge base knows as a family (``_ga_<id>``, ``_pk_id.<site>``) once, as a prefix."""
    model = Controller(controller)
    observed = _observed(report)
    categories = _categories_by_kind(model)
    recipients = _recipients_by_name(model)
    result: dict[tuple[str, str], Suggestion] = {}
    for finding in report.get("findings") or []:
        if finding.get("rule") != UNDECLARED_RULE:
            continue
        if finding.get("cookie"):
            kind, name = "cookie", str(finding["cookie"]["name"])
        elif finding.get("storage"):
            kind, name = str(finding["storage"]["kind"]), str(finding["storage"]["key"])
        else:
            continue
        if any(t.matches(name, kind) for t in model.trackers):
            continue
        known = knowledge.lookup(name, kind) if knowledge is not None else None
        family = known is not None and known.match == "prefix" and name.startswith(known.name)
        key = (kind, known.name if family else name)
        if key in result:
            continue
        seen = observed.get((kind, name), {})
        entry: dict[str, Any] = {"name": key[1]}
        if family:
            entry["match"] = "prefix"
        if kind != "cookie":
            entry["type"] = kind
        if kind == "cookie" and seen.get("domain"):
            entry["domain"] = str(seen["domain"]).lstrip(".")
        if seen.get("party"):
            entry["party"] = seen["party"]
        entry["provider"] = known.vendor if known else TODO
        recipient = _recipient_of(known.vendor, recipients) if known else None
        if recipient:
            entry["recipient"] = recipient
        category = categories.get(known.category) if known else None
        if category:
            entry["category"] = category
        if kind == "cookie":
            entry["lifetime"] = iso_lifetime(
                seen.get("lifetime_seconds"), bool(seen.get("session"))
            )
        if not category:
            entry["purpose"] = f"{TODO}: choose its category and say what it is for"
        result[key] = Suggestion(entry)
    return list(result.values())


def _words(name: str) -> tuple[str, ...]:
    return tuple(re.findall(r"\w+", name.casefold()))


def _recipients_by_name(model: Controller) -> dict[tuple[str, ...], str]:
    """Recipient ids by the words of their name (a name given in several languages counts
    in each)."""
    found: dict[tuple[str, ...], str] = {}
    for rid, item in model.recipients.items():
        names = item.get("name")
        for name in names.values() if isinstance(names, Mapping) else [names]:
            if name and rid and _words(str(name)):
                found.setdefault(_words(str(name)), str(rid))
    return found


def _recipient_of(vendor: str, recipients: Mapping[tuple[str, ...], str]) -> str | None:
    """The recipient named as the provider: the same words, else the one whose name starts
    the provider's ("Google" for "Google Analytics") or is started by it."""
    words = _words(vendor)
    if words in recipients:
        return recipients[words]
    for name, rid in recipients.items():
        shorter, longer = sorted((name, words), key=len)
        if shorter and longer[: len(shorter)] == shorter:
            return rid
    return None


def _observed(report: Mapping[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    """The first observation of each cookie and storage key, in phase order."""
    found: dict[tuple[str, str], dict[str, Any]] = {}
    for phase in (report.get("observations") or {}).get("phases") or []:
        for cookie in phase.get("cookies") or []:
            found.setdefault(("cookie", str(cookie["name"])), cookie)
        for item in phase.get("storage") or []:
            found.setdefault((str(item["kind"]), str(item["key"])), item)
    return found


def _categories_by_kind(model: Controller) -> dict[str, str]:
    """The first declared category of each kind (``analytics`` -> ``audience``)."""
    result: dict[str, str] = {}
    for category in model.categories.values():
        if category.kind and category.id:
            result.setdefault(category.kind, category.id)
    return result


def _child(parent: Any, key: str, kind: type, problem: str) -> Any:
    """``parent[key]``, created empty (of ``kind``) when absent; `SuggestError` when it is
    something else."""
    child = parent.get(key)
    if child is None:
        child = parent[key] = kind()
    if not isinstance(child, kind):
        raise SuggestError(f"{problem}; run check")
    return child


def apply(text: str, entries: list[Suggestion], display: str) -> str:
    """``text`` with the entries appended to ``cookies.trackers``, every other byte kept.

    Lines are added after the list's last item in its own style (`yaml_append`); a list
    that lines cannot extend (``trackers: [...]``) goes through ruamel.yaml's round trip.
    Either way the result must mean the old file plus the entries, and nothing else, or
    `SuggestError` is raised and nothing is to be written.
    """
    from ruamel.yaml.error import YAMLError

    from privacy_audit.portfolio.yaml_append import CannotAppend, append_trackers

    bom = "\ufeff" if text.startswith("\ufeff") else ""
    body = text[len(bom) :]
    try:
        document = _round_trip(body).load(body)
    except YAMLError as error:
        raise SuggestError(f"{display}: not valid YAML ({_first_line(error)}); run check") from None
    if not isinstance(document, CommentedMap):
        raise SuggestError(f"{display}: not a controller file (a mapping at the top); run check")
    expected = _expected_data(body, entries, display)
    new = [dict(suggestion.entry) for suggestion in entries]
    try:
        updated = append_trackers(body, document, new, _indentation(body, document))
    except CannotAppend:
        updated = None
    if updated is None or _data(updated) != expected:
        updated = _dumped(body, document, entries, display)
        if _data(updated) != expected:
            raise SuggestError(
                f"{display}: the entries cannot be added without changing what the file says "
                "elsewhere (an alias or an unusual layout); add them by hand"
            )
    return bom + updated


def _round_trip(text: str) -> Any:
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096  # never re-wrap the file's long lines
    indent = _sequence_indent(text)
    yaml.indent(mapping=indent[0], sequence=indent[1], offset=indent[2])
    if re.search(r"^\.\.\.\s*$", text, re.MULTILINE):
        yaml.explicit_end = True
    return yaml


def _data(text: str) -> Any:
    """What a text means, read as `check` reads it (anchors and aliases resolved)."""
    from privacy_pages.model.yaml_source import load_text

    document = load_text(text, "suggested")
    return document.data if not document.diagnostics else None


def _expected_data(text: str, entries: list[Suggestion], display: str) -> Any:
    """The file's meaning with the entries added: what the edited file must mean."""
    data = copy.deepcopy(_data(text))
    if not isinstance(data, dict):
        raise SuggestError(f"{display}: not a controller file that check reads; run check")
    cookies = data.setdefault("cookies", {})
    if not isinstance(cookies, dict):
        raise SuggestError(f"{display}: `cookies` is not a mapping; run check")
    trackers = cookies.setdefault("trackers", [])
    if not isinstance(trackers, list):
        raise SuggestError(f"{display}: `cookies.trackers` is not a list; run check")
    trackers.extend(dict(suggestion.entry) for suggestion in entries)
    return data


def _dumped(text: str, document: Any, entries: list[Suggestion], display: str) -> str:
    """The round trip: for lists that lines cannot extend (``trackers: []``)."""
    yaml = _round_trip(text)
    document = yaml.load(text)
    cookies = _child(document, "cookies", CommentedMap, f"{display}: `cookies` is not a mapping")
    trackers = _child(
        cookies, "trackers", CommentedSeq, f"{display}: `cookies.trackers` is not a list"
    )
    flow = bool(trackers) and all(
        isinstance(t, CommentedMap) and t.fa.flow_style() for t in trackers
    )
    for suggestion in entries:
        entry = CommentedMap(suggestion.entry)
        if flow:
            entry.fa.set_flow_style()
        trackers.append(entry)
    out = io.StringIO()
    yaml.dump(document, out)
    dumped = out.getvalue()
    return dumped.replace("\n", "\r\n") if "\r\n" in text else dumped


def _indentation(text: str, document: Any) -> tuple[int, int, int]:
    """(mapping, sequence, dash offset) as the file indents them: a new section is written
    the way the file writes its others (2 or 4 spaces, dashes indented or not)."""
    mapping = 2
    for key, value in document.items():
        if isinstance(value, CommentedMap) and value and not value.fa.flow_style():
            mapping = value.lc.key(next(iter(value)))[1] - document.lc.key(key)[1]
            break
    _, _, offset = _sequence_indent(text)
    return max(1, mapping), max(1, mapping) + offset, offset


def _sequence_indent(text: str) -> tuple[int, int, int]:
    """(mapping, sequence, dash offset) as the file writes its lists, so they stay as written."""
    lines = text.splitlines()
    for index, line in enumerate(lines):
        stripped = line.lstrip(" ")
        if stripped.startswith("- ") and index > 0:
            previous = lines[index - 1]
            if previous.rstrip().endswith(":"):
                parent = len(previous) - len(previous.lstrip(" "))
                offset = len(line) - len(stripped) - parent
                return 2, offset + 2, offset
    return 2, 2, 0


def _first_line(error: Exception) -> str:
    return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__


def unified_diff(before: str, after: str, path: str) -> str:
    return "".join(
        difflib.unified_diff(
            before.splitlines(keepends=True),
            after.splitlines(keepends=True),
            fromfile=f"a/{path}",
            tofile=f"b/{path}",
        )
    )


def read_controller_bytes(path: Path) -> bytes:
    """The controller file as it is on disk (a regular file; never blocks on a pipe)."""
    from privacy_pages.inputs import InputError, read_regular

    try:
        return read_regular(path)
    except InputError as error:
        raise SuggestError(str(error)) from None


def decode_controller(raw: bytes, path: Path) -> str:
    """UTF-8 text, a byte-order mark kept as the first character (it is written back)."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise SuggestError(f"{printable(str(path))}: not UTF-8 ({error.reason})") from None


def refuse_read_only(path: Path) -> None:
    """`SuggestError` for a file without write permission: the user's way to say "do not
    edit", refused even to root (who could write anyway)."""
    mode = stat.S_IMODE(os.stat(path).st_mode)
    if not mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH) or not os.access(path, os.W_OK):
        raise SuggestError(
            f"{printable(str(path))}: read-only, not changed; make it writable to apply the "
            "diff above, or apply it by hand"
        )


def write_unless_changed(path: Path, before: bytes, after: bytes) -> None:
    """Replace the file atomically (its mode kept), unless it changed since it was read."""
    from privacy_pages.atomic import write_bytes_atomic

    if read_controller_bytes(path) != before:
        raise SuggestError(
            f"{printable(str(path))}: changed since suggest read it; not written. Run suggest again"
        )
    try:
        write_bytes_atomic(path, after)
    except OSError as error:
        raise SuggestError(
            f"{printable(str(path))}: not written ({error.strerror or error})"
        ) from None
