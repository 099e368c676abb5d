"""Every sign-in is bound to the browser that made it.

A Streamlit session is found again by its id alone: a websocket to ``/_stcore/stream`` that names a
session id (the third ``Sec-WebSocket-Protocol`` entry) takes that session over, signed-in state and
all, also for ``server.disconnectedSessionTTL`` seconds after the tab was closed. So the sign-in does
not live in the session state alone:

1. At sign-in (a right password; the first run of an OIDC sign-in) :func:`bind` draws a random secret
   and keeps only its SHA-256 in the session state, beside the websocket handshake's
   ``Sec-WebSocket-Key`` (a nonce the browser drew for this one connection).
2. The browser fetches the secret as a cookie :data:`COOKIE` (HttpOnly, SameSite=Strict, Secure over
   https, no expiry: gone with the browser) from :data:`ROUTE_PATH`, in exchange for a one-time ticket
   that :func:`deliver_cookie` hands to a small component; the page's scripts never see the secret.
3. Every run checks :func:`holds`: the run comes over the connection that signed in, or its websocket
   handshake presented the cookie whose hash is stored. Anything else (another client that only knows
   the session id) is signed out, and the sign-in is dropped from the session.

The endpoint is a Starlette route that ``serve.py`` mounts (``streamlit run serve.py``). Under a plain
``streamlit run dashboard.py`` it is missing: a sign-in then holds on its own connection only, and a
reconnect asks again.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time

import streamlit as st
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

__all__ = ["BINDING_KEY", "COOKIE", "ROUTE_PATH", "bind", "connection_key", "deliver_cookie", "holds", "presented_secret",
           "record", "release", "routes"]

COOKIE = "igemo_binding"
ROUTE_PATH = "/_igemo/binding"
BINDING_KEY = "auth_binding"
TICKET_TTL_S = 120.0
"""A ticket not exchanged for the cookie within this time is void [s]."""
_MAX_BODY = 256

_pending: dict[str, tuple[str, float]] = {}
_pending_lock = threading.Lock()


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest()


def connection_key() -> str | None:
    """The ``Sec-WebSocket-Key`` of this run's websocket handshake; None without a websocket."""
    key = st.context.headers.get("Sec-Websocket-Key")
    return key if isinstance(key, str) and key else None


def presented_secret() -> str | None:
    """The binding cookie this run's websocket handshake presented."""
    secret = st.context.cookies.get(COOKIE)
    return secret if isinstance(secret, str) and secret else None


def bind(username: str) -> None:
    """Bind the sign-in of ``username`` to this browser (a new secret; any earlier binding is void)."""
    secret, ticket = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    now = time.monotonic()
    with _pending_lock:
        for key in [k for k, (_, until) in _pending.items() if until < now]:
            del _pending[key]
        _pending[_digest(ticket)] = (secret, now + TICKET_TTL_S)
    st.session_state[BINDING_KEY] = {**record(username, secret, connection_key()), "ticket": ticket}


def record(username: str, secret: str, connection: str | None) -> dict:
    """What the session keeps of a binding: whose it is, the secret's hash, the connection that made it."""
    return {"user": username, "digest": _digest(secret), "connection": connection}


def holds(username: str) -> bool:
    """This run comes from the browser that signed ``username`` in (see the module notes)."""
    binding = st.session_state.get(BINDING_KEY)
    if not isinstance(binding, dict) or binding.get("user") != username:
        return False
    connection = connection_key()
    if connection is not None and hmac.compare_digest(connection, binding.get("connection") or ""):
        return True
    secret = presented_secret()
    if secret and hmac.compare_digest(_digest(secret), binding["digest"]):
        binding["connection"] = connection
        binding.pop("ticket", None)  # the browser has the cookie
        return True
    return False


def release() -> None:
    """Forget the binding (sign-out, or a run that failed :func:`holds`)."""
    st.session_state.pop(BINDING_KEY, None)


_SETTER_JS = """
export default function(component) {
  const { data } = component;
  if (!data || !data.ticket || window.__igemoBound === data.ticket) return;
  window.__igemoBound = data.ticket;
  fetch(data.path, {method: "POST", body: data.ticket, credentials: "same-origin", cache: "no-store"});
}
"""


@st.cache_resource(show_spinner=False)
def _setter():
    return st.components.v2.component("igemo_binding", js=_SETTER_JS)


def deliver_cookie() -> None:
    """Until the browser has shown its cookie, mount the component that exchanges the ticket for it."""
    binding = st.session_state.get(BINDING_KEY)
    ticket = binding.get("ticket") if isinstance(binding, dict) else None
    if not ticket:
        return
    _setter()(key="igemo_binding", data={"ticket": ticket, "path": ROUTE_PATH})


def _take(ticket: str) -> str | None:
    """The secret for ``ticket``, once."""
    with _pending_lock:
        secret, until = _pending.pop(_digest(ticket), (None, 0.0))
    return secret if secret is not None and until >= time.monotonic() else None


async def _exchange(request: Request) -> Response:
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > _MAX_BODY:
            return Response(status_code=413)
    secret = _take(body.decode("ascii", errors="replace").strip())
    if secret is None:
        return Response(status_code=403, headers={"Cache-Control": "no-store"})
    https = request.url.scheme == "https" or request.headers.get("x-forwarded-proto", "").lower() == "https"
    response = Response(status_code=204, headers={"Cache-Control": "no-store"})
    response.set_cookie(COOKIE, secret, path="/", httponly=True, samesite="strict", secure=https)
    return response


def routes() -> list[Route]:
    """The Starlette route that sets the cookie (``serve.py`` mounts it)."""
    return [Route(ROUTE_PATH, _exchange, methods=["POST"])]
