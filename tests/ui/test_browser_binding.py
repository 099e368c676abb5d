"""A sign-in is bound to its browser: another connection that only knows the session id is signed out."""

from __future__ import annotations

import pytest

from starlette.applications import Starlette
from streamlit.testing.v1 import AppTest

from igemo_fin.records.store import Store
from igemo_fin.records.users import add_user
from ui import browser_binding
from ui.local_signin import SESSION_KEY

from conftest import DEMO_WORKBOOK, ROOT, run_async
from apptest_support import APPTEST_CONNECTION, OIDC_AUTH, through_entry_script

PASSWORD = "correct-horse-battery"
OVERVIEW = "Projectportefeuille in één oogopslag"


@pytest.fixture
def accounts(monkeypatch, tmp_path):
    through_entry_script(monkeypatch)
    monkeypatch.setenv("IGEMO_WORKBOOK", str(DEMO_WORKBOOK))
    monkeypatch.setenv("IGEMO_DB", str(tmp_path / "app.db"))
    monkeypatch.delenv("IGEMO_DEMO", raising=False)
    add_user(Store(tmp_path / "app.db"), "bert", role="bestuur", password=PASSWORD)


def signed_in_with_the_form() -> AppTest:
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60).run()
    at.text_input(key="aanmelden_naam").input("bert")
    at.text_input(key="aanmelden_wachtwoord").input(PASSWORD)
    at.button[0].click().run()
    assert at.title[0].value == OVERVIEW
    return at


def test_sign_in_stores_only_a_hash_and_the_connection(accounts):
    at = signed_in_with_the_form()
    binding = at.session_state[browser_binding.BINDING_KEY]
    assert binding["user"] == "bert" and binding["connection"] == APPTEST_CONNECTION
    assert len(binding["digest"]) == 64 and binding["ticket"]
    secret = browser_binding._take(binding["ticket"])
    assert browser_binding.record("bert", secret, None)["digest"] == binding["digest"]
    assert secret not in repr(at.session_state)


def test_another_connection_without_the_cookie_is_signed_out(accounts, monkeypatch):
    at = signed_in_with_the_form()
    monkeypatch.setattr(browser_binding, "connection_key", lambda: "een-andere-verbinding")
    at.run()
    assert at.title[0].value == "Aanmelden" and not at.dataframe and not at.metric
    assert SESSION_KEY not in at.session_state and browser_binding.BINDING_KEY not in at.session_state


def test_another_connection_with_the_cookie_stays_signed_in(accounts, monkeypatch):
    at = signed_in_with_the_form()
    secret = browser_binding._take(at.session_state[browser_binding.BINDING_KEY]["ticket"])
    monkeypatch.setattr(browser_binding, "connection_key", lambda: "na-een-herverbinding")
    monkeypatch.setattr(browser_binding, "presented_secret", lambda: secret)
    at.run()
    assert at.title[0].value == OVERVIEW
    assert at.session_state[browser_binding.BINDING_KEY]["connection"] == "na-een-herverbinding"
    monkeypatch.setattr(browser_binding, "presented_secret", lambda: secret + "x")
    monkeypatch.setattr(browser_binding, "connection_key", lambda: "nog-een-verbinding")
    at.run()
    assert at.title[0].value == "Aanmelden"


def test_the_oidc_sign_in_is_bound_too(accounts, monkeypatch):
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.secrets.update({"auth": OIDC_AUTH, "roles": {"an@igemo.be": "bestuur"}})
    at.user = {"is_logged_in": True, "email": "an@igemo.be"}
    at.run()
    assert at.title[0].value == OVERVIEW
    assert at.session_state[browser_binding.BINDING_KEY]["user"] == "an@igemo.be"
    monkeypatch.setattr(browser_binding, "connection_key", lambda: "een-andere-verbinding")
    at.run()
    assert at.title[0].value == "Aanmelden" and "niet meer aan uw browser gebonden" in at.error[0].value


class _Answer:
    def __init__(self, status_code: int, headers: dict[str, str]):
        self.status_code, self.headers = status_code, headers


class _Client:
    """Just enough of an HTTP client to call an ASGI app in-process (no httpx here)."""

    def __init__(self, app):
        self.app = app

    def request(self, method: str, path: str, content: str = "") -> _Answer:
        scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": method,
                 "scheme": "https", "path": path, "raw_path": path.encode(), "query_string": b"", "root_path": "",
                 "headers": [(b"host", b"igemo.example")], "server": ("igemo.example", 443), "client": ("192.0.2.7", 1)}
        body = [{"type": "http.request", "body": content.encode(), "more_body": False}]
        sent = []

        async def receive():
            return body.pop(0) if body else {"type": "http.disconnect"}

        async def send(message):
            sent.append(message)

        run_async(self.app(scope, receive, send))
        start = sent[0]
        return _Answer(start["status"], {k.decode().lower(): v.decode() for k, v in start["headers"]})

    def post(self, path: str, content: str = "") -> _Answer:
        return self.request("POST", path, content)

    def get(self, path: str) -> _Answer:
        return self.request("GET", path)


class TestEndpoint:
    @pytest.fixture
    def client(self):
        return _Client(Starlette(routes=browser_binding.routes()))

    def ticket(self, monkeypatch) -> tuple[str, str]:
        state = {}
        monkeypatch.setattr(browser_binding.st, "session_state", state)
        monkeypatch.setattr(browser_binding, "connection_key", lambda: "c")
        browser_binding.bind("bert")
        return state[browser_binding.BINDING_KEY]["ticket"], state[browser_binding.BINDING_KEY]["digest"]

    def test_a_ticket_gives_the_cookie_once(self, client, monkeypatch):
        ticket, digest = self.ticket(monkeypatch)
        response = client.post(browser_binding.ROUTE_PATH, content=ticket)
        assert response.status_code == 204
        cookie = response.headers["set-cookie"]
        assert cookie.startswith(browser_binding.COOKIE + "=")
        assert {"HttpOnly", "Secure", "Path=/", "SameSite=strict"} <= {p.strip() for p in cookie.split(";")}
        secret = cookie.split(";")[0].split("=", 1)[1]
        assert browser_binding.record("bert", secret, None)["digest"] == digest
        assert client.post(browser_binding.ROUTE_PATH, content=ticket).status_code == 403

    def test_refusals(self, client, monkeypatch):
        ticket, _ = self.ticket(monkeypatch)
        assert client.post(browser_binding.ROUTE_PATH, content="geraden").status_code == 403
        assert client.post(browser_binding.ROUTE_PATH, content=ticket * 10).status_code == 413
        assert client.get(browser_binding.ROUTE_PATH).status_code == 405
        monkeypatch.setattr(browser_binding.time, "monotonic", lambda: 1e12)
        assert client.post(browser_binding.ROUTE_PATH, content=ticket).status_code == 403
