"""Demo mode: no sign-in configured at all (no ``[auth]``, no account), so only on this computer.

The demo is shown when

- ``server.address`` is a loopback address (``localhost``, ``127.0.0.1``, ``::1``; the shipped
  ``.streamlit/config.toml`` says ``127.0.0.1``), or
- ``server.address`` is empty, Streamlit's default, which listens on *every* interface: then only a
  browser on this computer (``st.context.ip_address`` is None for a loopback peer) gets the demo, or
- ``IGEMO_DEMO=1`` says explicitly that the demo may be shown on the given address,

and, in the first two cases, the browser asked for a loopback host name (the ``Host`` header) and came
without ``X-Forwarded-For``: a reverse proxy on this computer would otherwise make every browser
behind it look local. Any other case shows no data, only :data:`REFUSAL`. In demo mode every page
starts with :data:`DEMO_BANNER`, and the demo user holds the roles bestuur, financien and beheer.
"""

from __future__ import annotations

import ipaddress
import os
from urllib.parse import urlsplit

import streamlit as st

__all__ = ["DEMO_BANNER", "LOOPBACK", "REFUSAL", "demo_allowed", "is_loopback_peer", "refused_page"]

DEMO_BANNER = "Demomodus: geen aanmelding, alleen op deze computer"
LOOPBACK = ("localhost", "127.0.0.1", "::1")

REFUSAL = (
    "Er is geen aanmelding ingesteld, en zonder aanmelding toont deze toepassing de gegevens alleen op de "
    "computer waarop ze draait (demomodus). Vraag de beheerder om accounts aan te maken "
    "(`python -m igemo_fin users add NAAM --role ROL`) of de aanmelding via de identiteitsprovider in te "
    "stellen (`[auth]` in `.streamlit/secrets.toml`)."
)


def demo_allowed() -> bool:
    """Whether the demo (no sign-in) may be shown to this browser; see the module notes."""
    if os.environ.get("IGEMO_DEMO", "").strip() == "1":
        return True
    if not _asked_for_this_computer():
        return False
    address = (st.get_option("server.address") or "").strip()
    if address in LOOPBACK:
        return True
    return address == "" and _browser_is_local()


def _asked_for_this_computer() -> bool:
    """The request named a loopback host and no proxy forwarded it (no headers at all: no browser)."""
    headers = st.context.headers
    if "X-Forwarded-For" in headers or "Forwarded" in headers:
        return False
    host = headers.get("Host")
    if host is None:
        return True
    try:
        name = urlsplit(f"//{host}").hostname
    except ValueError:
        return False
    return name in LOOPBACK


def _browser_is_local() -> bool:
    """The browser connects from this computer (Streamlit gives no address for a loopback peer)."""
    return is_loopback_peer(st.context.ip_address)


def is_loopback_peer(peer: object) -> bool:
    """A peer address of this computer: None (Streamlit's answer for 127.0.0.1 and ::1; also AppTest's
    simulated runtime), or a loopback address, also written as IPv4 in IPv6 (``::ffff:127.0.0.1``,
    what a server listening on ``::`` sees for a browser at http://127.0.0.1; Python 3.11 does not
    call that loopback itself)."""
    if peer is None or not isinstance(peer, str):
        return True
    try:
        ip = ipaddress.ip_address(peer.split("%")[0])
    except ValueError:
        return False
    return (getattr(ip, "ipv4_mapped", None) or ip).is_loopback


def refused_page() -> None:
    st.title("Geen toegang")
    st.error(REFUSAL, icon=":material/lock:")
