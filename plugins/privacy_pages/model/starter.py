"""A commented starter controller file for a new client (`privacy-pages init`).

It holds the keys every client needs, with ``TODO`` where only the client can say (check
lists each one, rule CS010, beside the gaps the law rules find), and commented examples
of the rest. It passes the schema; it never replaces an existing file.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

from privacy_pages.model.schema import CURRENT_SCHEMA

_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}\Z")  # the schema's id: it names folders
_LANGUAGE = re.compile(r"^[a-z]{2}$")
_WEBSITE = re.compile(r"^https?://[^\s/]+")


class StarterError(Exception):
    """The starter file cannot be written; ``str(error)`` is one line saying what to do."""


STARTER = """\
# yaml-language-server: $schema={schema}
# Controller file for {name}: one client company.
# `privacy-pages check {path}` lists what is still missing; every TODO below is a
# question for the client. The pages state only what this file states: leave a key out
# rather than guess.
schema_version: {schema_version}
id: {name}
languages: [{languages}]       # the first is the default and the fallback
{website}

controller:
  name: "TODO: the company's legal name"
  # legal_form: SAS
  # registration: {{register: RCS, city: Paris, siren: "000 000 000"}}
  # address: {{street: "1 rue Exemple", postal_code: "75001", city: Paris, country: FR}}
  # phone: "+33 1 00 00 00 00"
  # email: contact@example.com

# dpo: {{name: "...", email: dpo@example.com}}   # if the client has a data protection officer

processing:
  - id: contact
    title: "TODO: what the client does with personal data, e.g. Answering messages"
    purposes: ["TODO: why, in the visitor's words"]
    legal_bases: [legitimate_interests]      # consent, contract, legal_obligation, ...
    retention: [{{duration: P3Y, from: last_contact, then: delete}}]

cookies:
  categories:
    - {{id: necessary, kind: strictly_necessary}}
    # - {{id: audience, kind: analytics}}
  trackers: []
    # `privacy-pages audit` then `privacy-pages suggest REPORT {path}` fills this list
    # from what the site really sets.
"""


def write_starter(
    folder: Path, name: str, languages: list[str], website: str | None = None
) -> Path:
    """Write ``folder/NAME.yaml`` (never over an existing file); returns its path."""
    if not _SLUG.match(name):
        raise StarterError(
            f"{name!r} is not an id: use lowercase letters, digits and - (e.g. exemple-boutique)"
        )
    if not languages or not all(_LANGUAGE.match(code) for code in languages):
        raise StarterError(
            f"--languages: {','.join(languages)!r} is not a list of codes like fr,en"
        )
    if website and not _WEBSITE.match(website):
        raise StarterError(
            f"--website: {website!r} is not an http(s) URL like https://www.example.com/"
        )
    if folder.exists() and not folder.is_dir():
        raise StarterError(f"--dir: {folder} is a file; give the folder of controller files")
    path = folder / f"{name}.yaml"
    schema_file = _schema_path()
    schema = os.path.relpath(schema_file, folder.resolve()) if schema_file else ""
    text = STARTER.format(
        name=name,
        schema_version=CURRENT_SCHEMA,
        path=path,
        languages=", ".join(languages),
        website=(
            f"website: {json.dumps(website)}"
            if website
            else "# website: https://www.example.com/   # the client's site, for the audit"
        ),
        schema=schema or "https://privacy-pages.dev/schemas/controller.schema.json",
    )
    folder.mkdir(parents=True, exist_ok=True)
    try:
        with open(path, "x", encoding="utf-8") as handle:  # never replace a client's file
            handle.write(text)
    except FileExistsError:
        raise StarterError(f"{path} already exists; pick another NAME or edit that file") from None
    except OSError as error:
        raise StarterError(f"{path}: cannot write ({error.strerror})") from None
    return path


def _schema_path() -> Path | None:
    """The repository's schema when run from a checkout, for the editor's completion."""
    candidate = Path.cwd() / "schemas" / "controller.schema.json"
    return candidate if candidate.is_file() else None
