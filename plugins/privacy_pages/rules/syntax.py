"""Rules raised while reading a file or validating it against the schema (no check function)."""

from __future__ import annotations

from privacy_pages.diagnostics import Severity
from privacy_pages.rules import REGISTRY

E = Severity.ERROR

REGISTRY.define(
    "YAML001",
    "yaml-syntax-error",
    E,
    "YAML",
    """
    What it checks: the file is well-formed YAML with a single document.
    Why it matters: a file that cannot be read publishes nothing; the rest of the run goes on.
    Fails: `purposes: [Orders, Delivery` (unclosed bracket); two documents separated by `---`.
    Use instead: close brackets and quotes, indent with spaces, one controller per file.
    """,
)
REGISTRY.define(
    "YAML002",
    "duplicate-key",
    E,
    "YAML",
    """
    What it checks: no mapping has the same key twice.
    Why it matters: YAML parsers keep only the last value, so a fact written first is silently lost.
    Fails: two `email:` keys under `controller:`.
    Use instead: one key, with the value you mean (or a list).
    """,
)
REGISTRY.define(
    "YAML003",
    "file-too-large",
    E,
    "YAML",
    """
    What it checks: the file stays within the size, expansion and depth limits.
    Why it matters: an alias bomb (a few lines that expand to millions of values) or a huge
    file would exhaust memory or time; a controller file is a few kilobytes.
    Fails: a 50 MB file; `b: &b [*a, *a, *a, ...]` nested nine levels deep; a recursive alias.
    Use instead: split generated data, remove repeated aliases, or raise --max-file-size.
    """,
)
REGISTRY.define(
    "YAML004",
    "not-utf8",
    E,
    "YAML",
    """
    What it checks: the file is encoded in UTF-8.
    Why it matters: other encodings turn accented names into garbage on the published pages.
    Fails: a file saved as Latin-1 or Windows-1252 with `Générale` in it.
    Use instead: save the file as UTF-8.
    """,
)
REGISTRY.define(
    "YAML005",
    "empty-file",
    E,
    "YAML",
    """
    What it checks: the file is not empty.
    Why it matters: an empty controller file publishes empty pages.
    Fails: a file with only comments or nothing at all.
    Use instead: start from an example controller, or delete the file.
    """,
)
REGISTRY.define(
    "YAML006",
    "top-level-not-mapping",
    E,
    "YAML",
    """
    What it checks: the top level of the file is a mapping of keys.
    Why it matters: a controller is described by named keys (`id`, `controller`, `processing`).
    Fails: a file starting with `- name: ...` (a list) or a single word.
    Use instead: `id: my-client` and the other keys at the top level.
    """,
)
REGISTRY.define(
    "SCHEMA001",
    "schema-violation",
    E,
    "SCHEMA",
    """
    What it checks: every value has the type, format and vocabulary the schema requires.
    Why it matters: the schema is the contract the pages, the linter and the audit read.
    Fails: `phone: 0123` read as a number; `legal_bases: [contrat]`; `lifetime: 13 months`.
    Use instead: the form given in the hint (quote numbers, use the listed words, ISO durations).
    """,
)
REGISTRY.define(
    "SCHEMA002",
    "unknown-key",
    E,
    "SCHEMA",
    """
    What it checks: every key is one the schema knows.
    Why it matters: a misspelt key (`purpose:` for `purposes:`) is ignored by the pages, so
    the fact it holds silently disappears.
    Fails: `controller: {nmae: Acme}`.
    Use instead: the key the message suggests, or `extra_sections` for free text.
    """,
)
