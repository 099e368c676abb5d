"""What every AppTest test of the dashboard needs: open a page, check it is clean, find a metric."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from conftest import ROOT


def open_page(page: str | None = None, *, timeout: float = 120) -> AppTest:
    """Run the entry script (navigation, sidebar), then switch to ``page`` as a user would."""
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=timeout)
    at.run()
    if page and page != "pages/overzicht.py":
        at.switch_page(page)
        at.run()
    return at


def assert_clean(at: AppTest) -> None:
    """No exception and no error box: what a board member must never see."""
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


def find_metric(at: AppTest, label: str):
    found = [m for m in at.metric if m.label == label]
    assert found, f"no metric {label!r} in {[m.label for m in at.metric]}"
    return found[0]


def through_entry_script(monkeypatch) -> None:
    """Run every AppTest run through dashboard.py (and its sign-in gate), as a server does after its
    first run; see ``like_a_server`` in tests/ui/test_auth.py and ``require_entry_script`` in ui/auth.py."""
    from streamlit.runtime import pages_manager
    from streamlit.testing.v1 import app_test

    class Manager(pages_manager.PagesManager):
        pass

    monkeypatch.setattr(app_test, "PagesManager", Manager)
    monkeypatch.setattr(pages_manager.PagesManager, "uses_pages_directory", False)
    one_connection(monkeypatch)


#: What AppTest runs count as: one websocket connection of one browser (AppTest has no websocket).
APPTEST_CONNECTION = "apptest-verbinding"


def one_connection(monkeypatch) -> None:
    """Every run of the test comes over the same connection, as a browser tab's runs do."""
    from ui import browser_binding

    monkeypatch.setattr(browser_binding, "connection_key", lambda: APPTEST_CONNECTION)


def sign_in(at: AppTest, username: str, monkeypatch=None) -> AppTest:
    """``username`` signed in on this test's connection, as a right password leaves the session.

    Without ``monkeypatch`` the caller has made the runs one connection already (:func:`one_connection`).
    """
    from ui.browser_binding import BINDING_KEY, record
    from ui.local_signin import SESSION_KEY

    if monkeypatch is not None:
        one_connection(monkeypatch)
    at.session_state[SESSION_KEY] = username
    at.session_state[BINDING_KEY] = record(username, "geheim-van-de-test", APPTEST_CONNECTION)
    return at


#: An ``[auth]`` section as a site with an identity provider has it (nothing is contacted in AppTest).
OIDC_AUTH = {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "x" * 32, "client_id": "igemo",
             "client_secret": "s", "server_metadata_url": "https://idp.example/.well-known/openid-configuration"}
