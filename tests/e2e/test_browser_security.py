"""In a real browser: a sign-in sets the HttpOnly, SameSite=Strict binding cookie, a reconnect with it keeps
the session, a second browser that replays the session id gets the sign-in page; the app works under the
Content-Security-Policy of deploy/nginx-igemo.conf."""

from __future__ import annotations

import asyncio
import concurrent.futures

import pytest

from ui.browser_binding import COOKIE

from .test_browser_auth import auth_app, sign_in, wait_for_app  # noqa: F401 - auth_app is a fixture

pytestmark = pytest.mark.browser

OVERVIEW = "Projectportefeuille in één oogopslag"


def test_sign_in_binds_the_browser(page, auth_app):  # noqa: F811
    url, _ = auth_app
    sessions = []
    page.on("websocket", lambda ws: ws.on("framereceived", lambda payload: sessions.append(payload)))
    sign_in(page, url, "bert")
    page.wait_for_timeout(1500)  # the component exchanges its ticket for the cookie
    cookies = {c["name"]: c for c in page.context.cookies()}
    assert COOKIE in cookies, sorted(cookies)
    assert cookies[COOKIE]["httpOnly"] is True and cookies[COOKIE]["sameSite"] == "Strict"
    assert page.evaluate("document.cookie").find(COOKIE) == -1  # scripts on the page cannot read it

    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    session_id = None
    for payload in sessions:
        if isinstance(payload, (bytes, bytearray)):
            message = ForwardMsg()
            try:
                message.ParseFromString(bytes(payload))
            except Exception:  # noqa: BLE001 - a frame that is not a ForwardMsg
                continue
            if message.WhichOneof("type") == "new_session" and message.new_session.initialize.session_id:
                session_id = message.new_session.initialize.session_id
    assert session_id

    from tests.ui.test_session_takeover import connect, run  # the protocol client of the websocket test

    async def replay():
        async with connect(url, session_id) as ws:
            return await run(ws)

    with concurrent.futures.ThreadPoolExecutor(1) as pool:  # Playwright's own event loop runs in this thread
        assert pool.submit(asyncio.run, replay()).result(120).headings[0] == "Aanmelden"


def test_the_app_runs_under_the_proxy_csp(browser, tmp_path):
    """The page draws through nginx with the shipped headers, and the browser reports no CSP violation."""
    import test_deploy

    if test_deploy.NGINX is None:
        pytest.skip("nginx is not installed")
    with test_deploy.behind_nginx(tmp_path) as (front, _):
        context = browser.new_context()
        page = context.new_page()
        violations = []
        page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
        page.goto(front)
        page.wait_for_selector("[data-testid='stMain'] h1", timeout=30_000)
        # behind a proxy the demo is refused: the refusal page is drawn, with Streamlit's scripts and styles
        assert page.locator("[data-testid='stMain'] h1").first.inner_text() == "Geen toegang"
        page.wait_for_timeout(1000)
        context.close()
    # Only outside resources are blocked (the page icon from Google's font server: these machines have no
    # internet anyway); nothing of the app itself.
    assert [v for v in violations if "img-src" not in v or "'https://" not in v] == []
