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
    first run; see ``like_a_server`` in tests/test_app_auth.py and ``require_entry_script`` in ui/auth.py."""
    from streamlit.runtime import pages_manager
    from streamlit.testing.v1 import app_test

    class Manager(pages_manager.PagesManager):
        pass

    monkeypatch.setattr(app_test, "PagesManager", Manager)
    monkeypatch.setattr(pages_manager.PagesManager, "uses_pages_directory", False)
