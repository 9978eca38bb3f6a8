"""No network in the tests but loopback: every connection elsewhere is refused and recorded.

`install` replaces the socket functions that reach a host (connect, sendto, name lookups)
with ones that refuse any address outside loopback. Each refusal raises `NetworkRefused`
and is appended to the file named by ``$PRIVACY_PAGES_NETGUARD_LOG``, so that a refusal the
code under test catches and survives still fails the test (tests/conftest.py reads the
file after each test). The npm installs of the fixtures run in node, outside this guard.

Imported in the test process by tests/conftest.py, and in every Python child process the
tests start through ``sitecustomize.py`` beside this file (on ``PYTHONPATH``).
"""

from __future__ import annotations

import ipaddress
import os
import socket
from typing import Any

LOG_VARIABLE = "PRIVACY_PAGES_NETGUARD_LOG"
LOOPBACK_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost"})


class NetworkRefused(ConnectionRefusedError):
    """A test tried to reach a host outside loopback."""


def is_loopback(host: object) -> bool:
    if host is None:
        return True  # a passive or wildcard lookup
    if isinstance(host, bytes):
        host = host.decode("ascii", "replace")
    name = str(host).strip("[]").split("%")[0].lower()
    if name in LOOPBACK_NAMES or name.endswith(".localhost") or name == "":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def _refuse(what: str, host: object) -> None:
    message = (
        f"network access outside loopback refused in the tests: {what} {host!r}; tests reach "
        "only 127.0.0.1 (serve what a test needs with tests.loopback.LoopbackServer and map "
        "host names to loopback with --resolve)"
    )
    log = os.environ.get(LOG_VARIABLE)
    if log:
        try:
            with open(log, "a", encoding="utf-8") as handle:
                handle.write(f"[pid {os.getpid()}] {message}\n")
        except OSError:
            pass
    raise NetworkRefused(message)


def _address_host(address: Any) -> object:
    return address[0] if isinstance(address, tuple) and address else None


_installed = False


def install() -> None:
    """Guard this process (idempotent)."""
    global _installed
    if _installed:
        return
    _installed = True
    original_connect = socket.socket.connect
    original_connect_ex = socket.socket.connect_ex
    original_sendto = socket.socket.sendto
    original_getaddrinfo = socket.getaddrinfo
    original_gethostbyname = socket.gethostbyname
    original_gethostbyname_ex = socket.gethostbyname_ex

    def _checked(sock: socket.socket, address: Any) -> None:
        if sock.family in (socket.AF_INET, socket.AF_INET6):
            host = _address_host(address)
            if not is_loopback(host):
                _refuse("connection to", address)

    def connect(self: socket.socket, address: Any) -> None:
        _checked(self, address)
        return original_connect(self, address)

    def connect_ex(self: socket.socket, address: Any) -> int:
        _checked(self, address)
        return original_connect_ex(self, address)

    def sendto(self: socket.socket, data: Any, *args: Any) -> int:
        _checked(self, args[-1])
        return original_sendto(self, data, *args)

    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        if not is_loopback(host):
            _refuse("name lookup of", host)
        return original_getaddrinfo(host, *args, **kwargs)

    def gethostbyname(host: str) -> str:
        if not is_loopback(host):
            _refuse("name lookup of", host)
        return original_gethostbyname(host)

    def gethostbyname_ex(host: str) -> Any:
        if not is_loopback(host):
            _refuse("name lookup of", host)
        return original_gethostbyname_ex(host)

    socket.socket.connect = connect  # type: ignore[method-assign]
    socket.socket.connect_ex = connect_ex  # type: ignore[method-assign]
    socket.socket.sendto = sendto  # type: ignore[method-assign, assignment]
    socket.getaddrinfo = getaddrinfo
    socket.gethostbyname = gethostbyname
    socket.gethostbyname_ex = gethostbyname_ex
