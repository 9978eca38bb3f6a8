"""Why the browser refuses a ``Set-Cookie`` line by the line alone, as Chromium names it.

The recorder reads every response's cookie lines (Playwright's raw headers). Chromium says
why it refused one only in ``Network.responseReceivedExtraInfo``, an event of the Network
domain that would cost every request six more messages across the driver; it reports as
an issue (the Audits domain, an event per issue) only the refusals that depend on where the
request came from (SameSite). The others depend on the line and its address alone, by the
rules of RFC 6265bis as Chromium applies them (checked against the browser's own reasons
in ``tests/audit/test_refusals.py``):

- ``DisallowedCharacter``: a control character (other than a tab) in the line;
- ``NameValuePairExceedsMaxSize``: name and value longer than 4,096 characters together;
- ``InvalidPrefix``: a ``__Secure-`` name (any case) without ``Secure`` or from an address
  that is not secure; a ``__Host-`` name also with ``Domain`` (other than the host's own IP
  address) or a path other than ``/``;
- ``InvalidDomain``: a ``Domain`` the address's host is not within (a trailing dot, a public
  suffix, another site, another IP address);
- ``SecureOnly``: ``Secure`` from an address that is not secure.

The first that applies is the reason (Chromium names one, in this order). The recorder
reports a refusal only when the cookie is indeed not in the jar afterwards.
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from privacy_audit.collect.domains import is_ip_address, is_public_suffix

MAX_NAME_VALUE = 4096


def secure_origin(scheme: str, host: str) -> bool:
    """HTTPS, or a loopback host: where the browser lets a ``Secure`` cookie be set."""
    if scheme in ("https", "wss"):
        return True
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _attributes(line: str) -> tuple[str, str, dict[str, str]]:
    """(name, value, attributes by lowercase name; the first of each kept)."""
    pair, *parts = line.split(";")
    name, _, value = pair.partition("=")
    attributes: dict[str, str] = {}
    for part in parts:
        key, _, attribute = part.partition("=")
        attributes.setdefault(key.strip().lower(), attribute.strip())
    return name.strip(), value.strip(), attributes


def _domain_refused(domain: str, host: str) -> bool:
    if domain.endswith(".") or not domain.lstrip("."):
        return True
    domain = domain.lstrip(".").lower()
    if is_ip_address(host) or is_ip_address(domain):
        return domain != host
    if domain != host and is_public_suffix(domain):
        return True
    return not (host == domain or host.endswith("." + domain))


def _prefix_refused(name: str, attributes: dict[str, str], secure: bool, host: str) -> bool:
    lowered = name.lower()
    if not lowered.startswith(("__secure-", "__host-")):
        return False
    if "secure" not in attributes or not secure:
        return True
    if lowered.startswith("__host-"):
        domain = attributes.get("domain")
        if domain is not None and not (is_ip_address(host) and domain.lstrip(".").lower() == host):
            return True
        return attributes.get("path") != "/"
    return False


def refusal(line: str, url: str) -> str | None:
    """Chromium's reason for refusing ``line`` received from ``url`` by the line alone, or
    None when the line itself is acceptable (whatever SameSite then decides)."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    host = (parts.hostname or "").lower()
    if not host:
        return None
    name, value, attributes = _attributes(line)
    secure = secure_origin(parts.scheme, host)
    if any(ord(c) < 0x20 and c != "\t" or c == "\x7f" for c in line):
        return "DisallowedCharacter"
    if len(name) + len(value) > MAX_NAME_VALUE:
        return "NameValuePairExceedsMaxSize"
    if _prefix_refused(name, attributes, secure, host):
        return "InvalidPrefix"
    if "domain" in attributes and _domain_refused(attributes["domain"], host):
        return "InvalidDomain"
    if "secure" in attributes and not secure:
        return "SecureOnly"
    return None
