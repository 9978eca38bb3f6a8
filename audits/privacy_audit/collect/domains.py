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


def is_ip_address(host: str) -> bool:
    """Whether ``host`` (normalised) is an IPv4 or IPv6 address rather than a name."""
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


@lru_cache(maxsize=4096)
def registrable_domain(host: str) -> str:
    """The eTLD+1 of ``host``; an IP address or a bare public suffix is its own domain."""
    host = normalise_host(host)
    if not host:
        return ""
    if is_ip_address(host):
        return host
    return _PSL.privatesuffix(host) or host


def is_public_suffix(host: str) -> bool:
    """Whether ``host`` is a public suffix (``co.uk``, ``github.io``): no cookie's domain."""
    return bool(_PSL.is_public(normalise_host(host)))


def host_of(url: str) -> str:
    """The host of ``url`` without port, lowercase; empty for URLs without one."""
    try:
        return normalise_host(urlsplit(url).hostname or "")
    except ValueError:
        return ""


class SiteDomains:
    """The registrable domains of the audited site: its address's, and the one its landing
    page lands on when it sends visitors to another domain of the site (brand.fr to
    brand.com/fr/). Shared by the phases: a domain learnt in one counts in all."""

    def __init__(self, first: str) -> None:
        self.names = [first]

    def __contains__(self, domain: object) -> bool:
        return domain in self.names

    def add(self, domain: str) -> bool:
        """Count ``domain`` as the site's; whether it is new."""
        if not domain or domain in self.names:
            return False
        self.names.append(domain)
        return True


Site = str | SiteDomains
"""The audited site: one registrable domain, or the domains it spans."""


def is_site_domain(domain: str, site: Site) -> bool:
    return domain == site if isinstance(site, str) else domain in site


def party_of(host: str, site: Site) -> str:
    """``first`` when ``host`` shares a registrable domain of the site, else ``third``."""
    return "first" if is_site_domain(registrable_domain(host), site) else "third"
