"""On a running server, through Streamlit's websocket protocol (as benchmarks/load_sessions.py speaks it):

- a second client that presents only a signed-in session's id (no cookie) gets the sign-in page;
- the browser that signed in reconnects to its session with the binding cookie and stays signed in;
- a websocket whose Host or Origin names another site (DNS rebinding) is refused.
"""

from __future__ import annotations

import asyncio
import http.cookies
import json
import urllib.request

import pytest

from igemo_fin.records.store import Store
from igemo_fin.records.users import add_user
from ui.browser_binding import COOKIE, ROUTE_PATH

from conftest import DEMO_WORKBOOK, run_async

websockets = pytest.importorskip("websockets")

PASSWORD = "correct-horse-battery"
OVERVIEW = "Projectportefeuille in één oogopslag"


class Run:
    """What one script run sent: the session id, headings, widgets, and any component data."""

    def __init__(self):
        self.session_id, self.headings, self.inputs, self.submit, self.component_data = None, [], {}, None, []


async def run(ws, widget_states=()) -> Run:
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    message = BackMsg()
    message.rerun_script.page_name = ""
    message.rerun_script.query_string = ""
    for state in widget_states:
        message.rerun_script.widget_states.widgets.append(state)
    await ws.send(message.SerializeToString())
    seen = Run()
    while True:
        forward = ForwardMsg()
        forward.ParseFromString(await asyncio.wait_for(ws.recv(), 60))
        kind = forward.WhichOneof("type")
        if kind == "new_session":
            seen.session_id = forward.new_session.initialize.session_id
        elif kind == "delta" and forward.delta.WhichOneof("type") == "new_element":
            element = forward.delta.new_element
            which = element.WhichOneof("type")
            if which == "heading":
                seen.headings.append(element.heading.body)
            elif which == "text_input":
                seen.inputs[element.text_input.label] = element.text_input.id
            elif which == "button" and element.button.is_form_submitter:
                seen.submit = element.button.id
            elif which == "bidi_component":
                seen.component_data.append(json.loads(element.bidi_component.json))
        elif kind == "script_finished" and forward.script_finished != ForwardMsg.FINISHED_EARLY_FOR_RERUN:
            return seen


def widget(wid: str, **value):
    from streamlit.proto.WidgetStates_pb2 import WidgetState

    state = WidgetState(id=wid)
    for field, v in value.items():
        setattr(state, field, v)
    return state


def connect(url: str, session_id: str | None = None, **kw):
    protocols = ["streamlit", "geen-xsrf-token"] + ([session_id] if session_id else [])
    return websockets.connect(url.replace("http://", "ws://") + "/_stcore/stream", subprotocols=protocols,
                              max_size=None, open_timeout=30, **kw)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    from tests.e2e.conftest import _start_app

    db = tmp_path_factory.mktemp("takeover") / "app.db"
    add_user(Store(db), "bert", role="bestuur", password=PASSWORD)
    proc, url = _start_app({"IGEMO_WORKBOOK": str(DEMO_WORKBOOK), "IGEMO_DB": str(db)})
    yield url, proc
    proc.terminate()
    proc.wait(10)


async def sign_in(url: str) -> tuple[str, str]:
    """Bert signs in; the session id and the ticket the page got for its cookie."""
    async with connect(url) as ws:
        first = await run(ws)
        assert first.headings[0] == "Aanmelden"
        signed = await run(ws, [widget(first.inputs["Gebruikersnaam"], string_value="bert"),
                                widget(first.inputs["Wachtwoord"], string_value=PASSWORD),
                                widget(first.submit, trigger_value=True)])
        assert OVERVIEW in signed.headings, signed.headings
        return first.session_id, signed.component_data[0]["ticket"]


def test_a_session_id_alone_gets_the_sign_in_page(server):
    url, _ = server

    async def scenario():
        session_id, _ = await sign_in(url)
        async with connect(url, session_id) as ws:
            replay = await run(ws)
        return session_id, replay

    session_id, replay = run_async(scenario())
    assert replay.session_id in (None, session_id)  # the session was found ...
    assert replay.headings and replay.headings[0] == "Aanmelden" and OVERVIEW not in replay.headings  # ... signed out


def test_the_browser_with_its_cookie_keeps_its_session(server):
    url, _ = server

    async def scenario():
        session_id, ticket = await sign_in(url)
        request = urllib.request.Request(url + ROUTE_PATH, data=ticket.encode(), method="POST")
        with urllib.request.urlopen(request, timeout=10) as answer:
            assert answer.status == 204
            cookie = http.cookies.SimpleCookie(answer.headers["Set-Cookie"])
        assert cookie[COOKIE]["httponly"] and cookie[COOKIE]["samesite"].lower() == "strict"
        header = {"Cookie": f"{COOKIE}={cookie[COOKIE].value}"}
        async with connect(url, session_id, additional_headers=header) as ws:
            return await run(ws)

    assert OVERVIEW in run_async(scenario()).headings


@pytest.mark.parametrize("headers", [
    {"Host": "rebind.evil.example"},
    {"Host": "rebind.evil.example", "Origin": "http://rebind.evil.example"},
])
def test_a_foreign_host_is_refused(server, headers):
    url, _ = server
    port = url.rsplit(":", 1)[1]
    headers = {k: (v + f":{port}" if k == "Host" else v) for k, v in headers.items()}

    async def scenario():
        async with connect(url, additional_headers=headers) as ws:
            return await run(ws)

    with pytest.raises((websockets.exceptions.InvalidStatus, websockets.exceptions.ConnectionClosed,
                        websockets.exceptions.InvalidHandshake)):
        run_async(scenario())


def test_a_foreign_origin_on_our_host_is_refused(server):
    url, _ = server

    async def scenario():
        async with connect(url, origin="http://rebind.evil.example") as ws:
            return await run(ws)

    with pytest.raises((websockets.exceptions.InvalidStatus, websockets.exceptions.ConnectionClosed,
                        websockets.exceptions.InvalidHandshake)):
        run_async(scenario())
