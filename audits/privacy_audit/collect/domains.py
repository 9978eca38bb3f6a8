"""First or third party, by registrable domain (eTLD+1) from the Public Suffix List.

The EDPS collector compares URL prefixes, so `www.example.org` and `example.org` differ and
`example.org.uy` matches `example.org`; the Public Suffix List gets both right.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache
from urllib.parse import urlsplit

from publicsuffixlist import PublicSuffixList

_PSL = PublicSuffixList()


def normalise_host(host: str) -> str:
    """Lowercase, without brackets, a cookie domain's leading dot or a trailing dot."""
    return host.strip().lower().strip("[]").lstrip(".").rstrip(".")


@lru_cache(maxsize=4096)
def registrable_domain(host: str) -> str:
    """The eTLD+1 of ``host``; an IP address or a bare public suffix is its own domain."""
    host = normalise_host(host)
    if not host:
        return ""
    try:
        ipaddress.ip_address(host)
        return host
    except ValueError:
        pass
    return _PSL.privatesuffix(host) or host


def host_of(url: str) -> str:
    """The host of ``url`` without port, lowercase; empty for URLs without one."""
    try:
        return normalise_host(urlsplit(url).hostname or "")
    except ValueError:
        return ""


def party_of(host: str, site_domain: str) -> str:
    """``first`` when ``host`` shares the site's registrable domain, else ``third``."""
    return "first" if registrable_domain(host) == site_domain else "third"
