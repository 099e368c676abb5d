"""Sign-in and roles in the app (AppTest): demo mode, local accounts, OIDC, what each role sees and may do."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pandas as pd
import pytest
from streamlit import config as st_config
from streamlit.testing.v1 import AppTest

from igemo_fin.records.chain import verify_chain
from igemo_fin.records.decisions import decisions
from igemo_fin.records.threshold_versions import latest_thresholds, record_thresholds
from igemo_fin.valuation.evaluate import evaluate
from igemo_fin.obligations.loss_sharing import loss_sharing
from igemo_fin.records.store import Store
from igemo_fin.records.users import add_user
from igemo_fin.inputs.workbook import read_workbook
from ui import demo, roles, visibility
from igemo_fin.records.throttle import USER_LIMIT
from ui.local_signin import SESSION_KEY

from conftest import DEMO_WORKBOOK, ROOT
from apptest_support import OIDC_AUTH, sign_in, through_entry_script

PASSWORD = "correct-horse-battery"


@pytest.fixture(autouse=True)
def like_a_server(monkeypatch):
    """Run every AppTest run through dashboard.py, as a server does after its first run.

    AppTest sets ``PagesManager.uses_pages_directory`` back to None before each run, so with our
    ``pages/`` folder every rerun would start the page script alone (see ui/auth.py,
    ``require_entry_script``). Here AppTest gets a subclass to reset, and the flag Streamlit
    reads stays off.
    """
    through_entry_script(monkeypatch)


@pytest.fixture
def env(monkeypatch, tmp_path):
    """The demo workbook and an empty database in tmp_path; no explicit demo switch."""
    monkeypatch.setenv("IGEMO_WORKBOOK", str(DEMO_WORKBOOK))
    monkeypatch.setenv("IGEMO_DB", str(tmp_path / "app.db"))
    monkeypatch.delenv("IGEMO_DEMO", raising=False)
    return tmp_path / "app.db"


@pytest.fixture
def accounts(env):
    store = Store(env)
    add_user(store, "bert", role="bestuur", password=PASSWORD)
    add_user(store, "fien", role="financien", password=PASSWORD)
    add_user(store, "bea", role="beheer", password=PASSWORD)
    add_user(store, "lier", role="gemeente", gemeente="Lier", password=PASSWORD)
    add_user(store, "mechelen", role="gemeente", gemeente="mechelen ", password=PASSWORD)
    return store


@pytest.fixture
def address():
    """Set ``server.address`` for one test."""
    before = st_config.get_option("server.address")

    def set_to(value):
        st_config.set_option("server.address", value)
    yield set_to
    st_config.set_option("server.address", before)


def app(user: str | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    if user:
        sign_in(at, user)  # like_a_server: one connection
    return at.run()


def go(at: AppTest, page: str) -> AppTest:
    return at.switch_page(page).run()


def clean(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


def texts(at: AppTest) -> str:
    return " ".join([m.value for m in at.markdown] + [m.value for m in at.caption] + [t.value for t in at.title]
                    + [w.value for w in at.warning] + [i.value for i in at.info] + [e.value for e in at.error]
                    + [s.value for s in at.success])


def banner(at: AppTest) -> bool:
    return any(demo.DEMO_BANNER in m.value for m in at.markdown)


def table_with(at: AppTest, column: str) -> pd.DataFrame:
    """The (first) table that has ``column``."""
    frames = [d.value for d in at.dataframe if column in d.value.columns]
    assert frames, f"no table with a column {column!r}"
    return frames[0]


def navigable(at: AppTest) -> set[str]:
    """The pages the navigation offers: file names, or the url path of a page that is a function (the
    address /overzicht, which sends the browser to the overview served at the root)."""
    return {Path(str(info["script_path"])).stem if info.get("script_path") else (info.get("url_pathname") or info.get("page_name"))
            for info in at._registered_pages.values()}


class TestDemoMode:
    def test_banner_and_full_access(self, env):
        at = app()
        clean(at)
        assert banner(at)
        assert at.title[0].value == "Projectportefeuille in één oogopslag"
        assert {"besluiten", "drempels_beheer", "gebruikers"} <= navigable(at)
        assert "mijn_gemeente" not in navigable(at)
        for page in ("pages/kaskrediet.py", "pages/besluiten.py", "pages/drempels_beheer.py", "pages/gebruikers.py"):
            clean(go(at, page))
            assert banner(at), page

    def test_the_demo_is_announced_once(self, env, monkeypatch):
        """The banner says it; the sidebar does not repeat it (it used to: a caption and an info box)."""
        monkeypatch.delenv("IGEMO_WORKBOOK")  # the demo workbook as a first start shows it
        at = app()
        shown = [e.value for e in [*at.markdown, *at.caption, *at.info, *at.warning]]
        assert [v for v in shown if "demomodus" in v.lower()] == [f":orange-background[:material/info: **{demo.DEMO_BANNER}**]"]
        assert not [v for v in shown if "fictief" in v.lower() and "fictieve gegevens)" not in v]  # only source labels

    @pytest.mark.parametrize("value", ["localhost", "127.0.0.1", "::1"])
    def test_loopback_addresses(self, env, address, value):
        address(value)
        assert banner(app())

    @pytest.mark.parametrize("peer, local", [
        (None, True), ("127.0.0.1", True), ("::1", True), ("::ffff:127.0.0.1", True), ("127.0.0.5", True),
        ("192.0.2.7", False), ("::ffff:192.0.2.7", False), ("2001:db8::1", False), ("fe80::1%eth0", False),
        ("geen-adres", False)])
    def test_which_browsers_are_on_this_computer(self, peer, local):
        # A server on "::" sees a browser at http://127.0.0.1 as ::ffff:127.0.0.1 (README command 1 used
        # to refuse the demo there, while http://localhost worked).
        assert demo.is_loopback_peer(peer) is local

    def test_other_address_shows_no_data(self, env, address):
        address("0.0.0.0")
        at = app()
        clean_of_exceptions = not at.exception
        assert clean_of_exceptions
        assert at.title[0].value == "Geen toegang"
        assert "alleen op de computer waarop ze draait" in at.error[0].value
        assert not at.dataframe and not at.metric
        assert navigable(at) == {"Aanmelden"}

    def test_explicit_demo_switch(self, env, address, monkeypatch):
        address("0.0.0.0")
        monkeypatch.setenv("IGEMO_DEMO", "1")
        assert banner(app())

    def test_browser_from_elsewhere_on_the_default_address(self, env, monkeypatch, address):
        address("")  # Streamlit's default: every interface (the shipped config says 127.0.0.1)
        monkeypatch.setattr(demo, "_browser_is_local", lambda: False)
        at = app()
        assert at.title[0].value == "Geen toegang" and not at.dataframe


class TestLocalSignIn:
    def test_form_appears_and_a_wrong_password_is_refused(self, accounts):
        at = app()
        clean(at)
        assert at.title[0].value == "Aanmelden"
        assert not banner(at)
        assert navigable(at) == {"Aanmelden"} and not at.dataframe and not at.metric
        at.text_input(key="aanmelden_naam").input("bert")
        at.text_input(key="aanmelden_wachtwoord").input(PASSWORD + "x")
        at.button[0].click().run()
        assert "Onbekende gebruiker of verkeerd wachtwoord." in [e.value for e in at.error]
        assert at.title[0].value == "Aanmelden" and not at.dataframe
        assert SESSION_KEY not in at.session_state

    def test_right_password_opens_the_app(self, accounts):
        at = app()
        at.text_input(key="aanmelden_naam").input("Bert")
        at.text_input(key="aanmelden_wachtwoord").input(PASSWORD)
        at.button[0].click().run()
        clean(at)
        assert at.session_state[SESSION_KEY] == "bert"
        assert at.title[0].value == "Projectportefeuille in één oogopslag"
        assert "Aangemeld als bert · Bestuur" in [c.value for c in at.sidebar.caption]

    def test_lockout_after_repeated_failures(self, accounts):
        at = app()
        for _ in range(USER_LIMIT.free):
            at.text_input(key="aanmelden_naam").input("fien")
            at.text_input(key="aanmelden_wachtwoord").input("fout-fout-fout")
            at.button[0].click().run()
        at.text_input(key="aanmelden_naam").input("fien")
        at.text_input(key="aanmelden_wachtwoord").input(PASSWORD)
        at.button[0].click().run()
        assert "Te veel mislukte pogingen" in at.error[0].value
        assert SESSION_KEY not in at.session_state

    def test_disabled_account_loses_its_session(self, accounts):
        at = app("bert")
        assert at.title[0].value == "Projectportefeuille in één oogopslag"
        from igemo_fin.records.users import set_active
        set_active(accounts, "bert", False)
        at.run()
        assert at.title[0].value == "Aanmelden"

    def test_sign_out(self, accounts):
        at = app("bert")
        at.sidebar.button(key="auth_afmelden").click().run()
        assert at.title[0].value == "Aanmelden"


class TestRoles:
    def test_pages_per_role(self, accounts):
        assert navigable(app("bert")) >= {"overzicht", "kaskrediet", "besluiten", "drempels_beheer"}
        assert "gebruikers" not in navigable(app("bert"))
        assert "gegevens" in navigable(app("fien")) and "gegevens" not in navigable(app("bert"))
        assert navigable(app("bea")) == {"gebruikers"}
        assert navigable(app("lier")) == {"overzicht", "project", "mijn_gemeente"}

    def test_a_page_outside_the_role_cannot_be_opened(self, accounts):
        at = app("lier")
        with pytest.raises(ValueError, match="Could not find a navigation page"):
            at.switch_page("pages/kaskrediet.py")

    def test_gemeente_sees_only_its_projects(self, accounts):
        demo = evaluate(read_workbook(DEMO_WORKBOOK))
        at = app("mechelen")
        clean(at)
        table = at.dataframe[0].value
        expected = demo.figures.query("gemeente == 'Mechelen' and status == 'actief'")["project_code"].tolist()
        assert table["Code"].tolist() == expected == ["BT-05", "RC-04"]
        assert set(table["Gemeente"]) == {"Mechelen"}
        at.switch_page("pages/project.py").run()
        clean(at)
        assert at.selectbox(key="project_code").options == ["BT-05 – " + demo.figures.set_index("project_code")
                                                            .at["BT-05", "naam"] + " (Mechelen)",
                                                            "RC-04 – " + demo.figures.set_index("project_code")
                                                            .at["RC-04", "naam"] + " (Mechelen)"]

    def test_gemeente_page_shows_the_loss_share(self, accounts):
        portfolio = read_workbook(DEMO_WORKBOOK)
        demo = evaluate(portfolio)
        shares = loss_sharing(portfolio, demo).query("gemeente == 'Lier'")
        at = app("lier")
        go(at, "pages/mijn_gemeente.py")
        clean(at)
        assert at.title[0].value == "Projecten in Lier"
        frame = table_with(at, "Gemeente draagt")
        assert frame["Code"].tolist() == shares["project_code"].tolist() == ["WO-03", "GM-01"]
        assert frame["Gemeente draagt"].tolist() == shares["loss_share_municipality"].tolist()
        from igemo_fin.fmt import eur
        metric = [m.value for m in at.metric if m.label == "Verlies dat de gemeente draagt"][0]
        assert metric == eur(shares["loss_share_municipality"].sum(), 2)

    def test_gemeente_sees_only_its_own_fund(self, accounts):
        from igemo_fin.agreements.summary import agreements_view

        settlements = agreements_view(evaluate(read_workbook(DEMO_WORKBOOK), simulation=None)).settlements
        at = app("lier")
        go(at, "pages/mijn_gemeente.py")
        clean(at)
        funds = table_with(at, "Gemeente krijgt (+) of draagt (-)")
        assert funds["Fonds"].tolist() == ["Grondfonds Lier"]
        lier = settlements.set_index("fonds").loc["GF-LIER"]
        assert funds["Gemeente krijgt (+) of draagt (-)"].tolist() == [lier["partner_share"]]
        assert not [d for d in at.dataframe if "Subsidiebesluit" in d.value.columns]  # no grant of Lier's

    def test_filter_on_the_server(self):
        ev = evaluate(read_workbook(DEMO_WORKBOOK))
        assert visibility.visible_projects("bestuur", None, ev) is ev
        lier = visibility.visible_projects("gemeente", " LIER", ev)
        assert lier.figures["project_code"].tolist() == ["WO-03", "GM-01"]
        assert set(lier.rules["project_code"]) <= {"WO-03", "GM-01"}
        assert set(lier.yearly["project_code"]) == set(lier.flows["project_code"]) == {"WO-03", "GM-01"}
        assert lier.matrix.codes == ["WO-03", "GM-01"] and lier.matrix.net.shape[0] == 2
        assert lier.interest.book_value.shape[0] == 2
        assert lier.credit["kredietlimiet"].isna().all()
        own = ev.yearly[ev.yearly["project_code"].isin(["WO-03", "GM-01"])].groupby("jaar")["interest"].sum()
        assert lier.credit.set_index("jaar")["interest"].reindex(own.index).tolist() == pytest.approx(own.tolist())
        assert lier.portfolio_totals()["project_count"] == 2
        for role in ("beheer", "onbekend"):
            assert visibility.visible_projects(role, None, ev).figures.empty
        assert visibility.visible_projects("gemeente", None, ev).figures.empty

    def test_pages_for_role_is_pure(self):
        class P:  # a stand-in for st.Page
            def __init__(self, name):
                self._url_path, self.url_path, self.title = name, name, name

        pages = {"A": [P("overzicht"), P("kaskrediet")], "B": [P("besluiten"), P("gebruikers")]}
        keys = lambda d: {s: [p._url_path for p in v] for s, v in d.items()}  # noqa: E731
        assert keys(roles.pages_for_role("bestuur", pages)) == {"A": ["overzicht", "kaskrediet"], "B": ["besluiten"]}
        assert keys(roles.pages_for_role("beheer", pages)) == {"B": ["gebruikers"]}
        assert keys(roles.pages_for_role("gemeente", pages)) == {"A": ["overzicht"]}
        assert roles.pages_for_role(None, pages) == {}

    def test_a_page_is_known_by_its_file_also_when_its_address_differs(self):
        # The overview is served at "/" under the url path "start"; /overzicht is a function page that
        # sends the browser there. Both are "overzicht" to the roles, so a municipality may open both.
        class P:  # a stand-in for st.Page: its script (a path or a function) and its url path
            def __init__(self, script, url_path):
                self._page, self._url_path, self.url_path, self.title = script, url_path, url_path, "Overzicht"

        overview, address = P(ROOT / "pages" / "overzicht.py", "start"), P(lambda: None, "overzicht")
        assert roles.pages_for_role("gemeente", {"A": [P(ROOT / "pages" / "kaskrediet.py", "kaskrediet")]}) == {}
        allowed = roles.pages_for_role("gemeente", {"A": [overview, address]})
        assert [id(p) for p in allowed["A"]] == [id(overview), id(address)]


class TestDecisions:
    def test_bestuur_records_a_decision(self, accounts):
        at = app("bert")
        go(at, "pages/besluiten.py")
        clean(at)
        at.selectbox(key="besluiten_project").set_value("RC-03").run()
        at.radio(key="besluiten_keuze").set_value("afwijken").run()
        at.selectbox(key="besluiten_besluit").set_value("AFSTOTEN").run()
        at.text_area(key="besluiten_motivering").input("Een koper biedt meer dan de contante waarde.").run()
        at.button(key="besluiten_vastleggen").click().run()
        clean(at)
        log = decisions(accounts)
        assert len(log) == 1
        entry = log.iloc[0]
        demo = evaluate(read_workbook(DEMO_WORKBOOK))
        assert (entry["project_code"], entry["verdict_adopted"], entry["decided_by"]) == ("RC-03", "AFSTOTEN", "bert")
        assert entry["verdict_engine"] == demo.figures.set_index("project_code").at["RC-03", "verdict"] == "STOPZETTEN"
        assert bool(entry["overridden"]) is True
        assert entry["data_version"] == hashlib.sha256(DEMO_WORKBOOK.read_bytes()).hexdigest()
        assert entry["valuation_year"] == demo.valuation_year
        assert pd.isna(entry["thresholds_version"])
        assert any("Besluit 1 vastgelegd" in s.value for s in at.success)
        table = table_with(at, "Afgeweken")
        assert table["Code"].tolist() == ["RC-03"] and table["Afgeweken"].tolist() == ["ja"]
        assert verify_chain(accounts).ok

    def test_override_without_motivation_is_refused(self, accounts):
        at = go(app("bert"), "pages/besluiten.py")
        at.radio(key="besluiten_keuze").set_value("afwijken").run()
        at.button(key="besluiten_vastleggen").click().run()
        assert any("motivering" in e.value for e in at.error)
        assert decisions(accounts).empty

    def test_the_badge_shows_a_changed_log(self, accounts):
        from igemo_fin.records.decisions import record_decision
        record_decision(accounts, project_code="RC-04", verdict_engine="STOPZETTEN", verdict_adopted="STOPZETTEN",
                        motivation="", decided_by="bert", meeting_date="2026-03-02", data_version="x",
                        valuation_year=2026)
        import sqlite3
        with sqlite3.connect(accounts.path) as conn:
            conn.execute("DROP TRIGGER decisions_no_update")
            conn.execute("UPDATE decisions SET verdict_adopted = 'DOORGAAN'")
        at = go(app("bert"), "pages/besluiten.py")
        assert any("besluit 1" in e.value for e in at.error)

    def test_financien_reads_but_cannot_record(self, accounts):
        at = go(app("fien"), "pages/besluiten.py")
        clean(at)
        assert any("Alleen het bestuur" in i.value for i in at.info)
        assert not [b for b in at.button if b.key == "besluiten_vastleggen"]

    def test_write_checks_the_role_again(self, accounts, monkeypatch):
        at = go(app("bert"), "pages/besluiten.py")
        # the account is changed to gemeente between showing the form and pressing the button
        from igemo_fin.records.users import set_role
        set_role(accounts, "bert", "gemeente", "Lier")
        at.button(key="besluiten_vastleggen").click().run()
        assert decisions(accounts).empty


class TestThresholds:
    def test_financien_sets_official_thresholds_and_the_engine_uses_them(self, accounts):
        portfolio = read_workbook(DEMO_WORKBOOK)
        at = go(app("fien"), "pages/drempels_beheer.py")
        clean(at)
        at.number_input(key="drempels_stop_npv_onder").set_value(-5_000_000).run()
        at.text_area(key="drempels_reden").input("Besluit raad van bestuur 02/03/2026").run()
        at.button(key="drempels_vastleggen").click().run()
        clean(at)
        version = latest_thresholds(accounts)
        assert version is not None and version.created_by == "fien"
        assert version.old_values["stop_npv_onder"] == portfolio.thresholds.stop_npv_onder
        assert version.new_values["stop_npv_onder"] == -5_000_000
        # every page now evaluates with the stored version
        official = evaluate(portfolio, thresholds=version.thresholds())
        at = app("bert")
        counts = official.portfolio_totals()["verdict_counts"]
        assert [m.value for m in at.metric if m.label == "■ Stopzetten"][0] == \
            f"{counts['STOPZETTEN']} project{'en' if counts['STOPZETTEN'] != 1 else ''}"
        assert counts != evaluate(portfolio).portfolio_totals()["verdict_counts"]

    def test_a_reason_is_required(self, accounts):
        at = go(app("fien"), "pages/drempels_beheer.py")
        at.number_input(key="drempels_min_irr_pct").set_value(5.0).run()
        at.button(key="drempels_vastleggen").click().run()
        assert any("reden" in e.value for e in at.error)
        assert latest_thresholds(accounts) is None

    def test_bestuur_reads_the_history_only(self, accounts):
        record_thresholds(accounts, {"min_irr_pct": 4.0}, created_by="fien", reason="raad")
        at = go(app("bert"), "pages/drempels_beheer.py")
        clean(at)
        assert any("Alleen de financiële dienst" in i.value for i in at.info)
        assert table_with(at, "Wijzigingen")["Door"].tolist() == ["fien"]


class TestUsersPage:
    def test_beheer_adds_and_disables(self, accounts):
        at = app("bea")
        assert at.title[0].value == "Gebruikers"
        at.text_input(key="gebruikers_naam").input("nieuw@igemo.be")
        at.selectbox(key="gebruikers_rol").set_value("gemeente")
        at.selectbox(key="gebruikers_gemeente").set_value("Lier")
        at.text_input(key="gebruikers_wachtwoord").input(PASSWORD)
        at.text_input(key="gebruikers_wachtwoord2").input(PASSWORD)
        at.button[0].click().run()
        clean(at)
        from igemo_fin.records.users import get_user
        user = get_user(accounts, "nieuw@igemo.be")
        assert (user.role, user.gemeente, user.active) == ("gemeente", "Lier", True)
        at.selectbox(key="gebruikers_keuze").set_value("nieuw@igemo.be").run()
        at.button(key="gebruikers_uitschakelen").click().run()
        assert get_user(accounts, "nieuw@igemo.be").active is False

    def test_beheer_cannot_disable_itself(self, accounts):
        at = app("bea")
        at.selectbox(key="gebruikers_keuze").set_value("bea").run()
        at.button(key="gebruikers_uitschakelen").click().run()
        assert any("uzelf" in e.value for e in at.error)

    def test_every_change_is_recorded_under_the_signed_in_user(self, accounts):
        from igemo_fin.records.account_log import account_changes
        from igemo_fin.records.users import authenticate, get_user

        before = len(account_changes(accounts))
        at = app("bea")
        at.text_input(key="gebruikers_naam").input("nieuw@igemo.be")
        at.selectbox(key="gebruikers_rol").set_value("bestuur")
        at.checkbox(key="gebruikers_oidc").check()
        at.text_input(key="gebruikers_reden_nieuw").input("nieuw lid van de raad")
        at.button[0].click().run()
        clean(at)
        at.selectbox(key="gebruikers_keuze").set_value("nieuw@igemo.be").run()
        at.text_input(key="gebruikers_reden").input("vertegenwoordigt Lier").run()
        at.selectbox(key="gebruikers_nieuwe_rol").set_value("gemeente")
        at.selectbox(key="gebruikers_nieuwe_gemeente").set_value("Lier")
        at.button(key="FormSubmitter:gebruikers_rol_form-Rol wijzigen").click().run()
        clean(at)
        assert at.text_input(key="gebruikers_reden").value == ""  # emptied for the next change
        assert (get_user(accounts, "nieuw@igemo.be").role, get_user(accounts, "nieuw@igemo.be").gemeente) == (
            "gemeente", "Lier")
        at.text_input(key="gebruikers_reden").input("vertrokken").run()
        at.button(key="gebruikers_uitschakelen").click().run()
        at.button(key="gebruikers_inschakelen").click().run()
        at.text_input(key="gebruikers_nieuw_wachtwoord").input(PASSWORD)
        at.text_input(key="gebruikers_nieuw_wachtwoord2").input(PASSWORD)
        at.button(key="FormSubmitter:gebruikers_wachtwoord_form-Wachtwoord wijzigen").click().run()
        clean(at)
        assert authenticate(accounts, "nieuw@igemo.be", PASSWORD) is not None
        changes = account_changes(accounts)[before:]
        assert [c.action for c in changes] == ["add", "role", "disable", "enable", "password"]
        assert {(c.username, c.changed_by, c.via) for c in changes} == {("nieuw@igemo.be", "bea", "app")}
        assert [c.reason for c in changes] == ["nieuw lid van de raad", "vertegenwoordigt Lier", "vertrokken", "", ""]

        history = table_with(at, "Wijziging")
        assert history.columns.tolist() == ["Nr", "Tijdstip", "Gebruiker", "Wijziging", "Details", "Door", "Via",
                                            "Reden", "Hash"]
        newest = history.iloc[:5]  # newest first
        assert newest["Wijziging"].tolist() == ["Wachtwoord ingesteld", "Ingeschakeld", "Uitgeschakeld",
                                                "Rol gewijzigd", "Toegevoegd"]
        assert newest["Details"].tolist()[3] == "rol Bestuur → Gemeente (Lier)"
        assert set(newest["Door"]) == {"bea"} and set(newest["Via"]) == {"toepassing"}
        assert newest["Reden"].tolist() == ["–", "–", "vertrokken", "vertegenwoordigt Lier", "nieuw lid van de raad"]
        assert all(re.fullmatch(r"\d{2}/\d{2}/\d{4} \d{2}:\d{2}", t) for t in history["Tijdstip"])
        assert not any(PASSWORD in str(v) for v in history.to_numpy().ravel())
        assert any(c.value.startswith("Logboek intact") and "accountwijziging(en)" in c.value for c in at.caption)

    def test_a_cli_change_shows_in_the_history_and_a_broken_chain_is_named(self, accounts):
        import sqlite3

        from igemo_fin.records.account_log import Actor
        from igemo_fin.records.users import set_active

        set_active(accounts, "bert", False, by=Actor("An Peeters", "cli", "svc"), reason="afwezig")
        at = app("bea")
        clean(at)
        row = table_with(at, "Wijziging").iloc[0]
        assert (row["Gebruiker"], row["Door"], row["Via"], row["Reden"]) == (
            "bert", "An Peeters (systeemgebruiker svc)", "opdrachtregel", "afwezig")
        with sqlite3.connect(accounts.path) as conn:
            conn.execute("DROP TRIGGER account_changes_no_update")
            conn.execute("UPDATE account_changes SET reason = 'op vakantie' WHERE username = 'bert'")
        at.run()
        assert any("accountwijziging" in e.value for e in at.error)

    def test_beheer_cannot_give_up_its_own_role(self, accounts):
        from igemo_fin.records.users import get_user

        at = app("bea")
        at.selectbox(key="gebruikers_keuze").set_value("bea").run()
        at.selectbox(key="gebruikers_nieuwe_rol").set_value("bestuur")
        at.button(key="FormSubmitter:gebruikers_rol_form-Rol wijzigen").click().run()
        assert any("eigen rol" in e.value for e in at.error)
        assert get_user(accounts, "bea").role == "beheer"


class TestOidc:
    SECRETS = {"auth": OIDC_AUTH,
               "roles": {"An@IGEMO.be": "bestuur", "jan@lier.be": "gemeente:Lier", "fout@x.be": "baas"}}

    def oidc_app(self, user: dict) -> AppTest:
        at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
        at.secrets.update(self.SECRETS)
        at.user = user
        return at.run()

    def test_not_signed_in_gets_the_sign_in_button(self, env):
        at = self.oidc_app({"is_logged_in": False})
        assert at.title[0].value == "Aanmelden" and [b.key for b in at.button] == ["aanmelden_oidc"]
        assert not at.dataframe

    def test_role_from_the_secrets(self, env):
        at = self.oidc_app({"is_logged_in": True, "email": "an@igemo.be"})
        clean(at)
        assert at.title[0].value == "Projectportefeuille in één oogopslag"
        at = self.oidc_app({"is_logged_in": True, "email": "jan@lier.be"})
        assert set(at.dataframe[0].value["Gemeente"]) == {"Lier"}

    def test_role_from_the_users_table_wins(self, accounts):
        add_user(accounts, "an@igemo.be", role="beheer", password=None)
        at = self.oidc_app({"is_logged_in": True, "email": "AN@igemo.be"})
        assert at.title[0].value == "Gebruikers"

    @pytest.mark.parametrize("user, message", [
        ({"is_logged_in": True, "email": "onbekend@x.be"}, "hebt nog geen toegang"),
        ({"is_logged_in": True, "email": "fout@x.be"}, "hebt nog geen toegang"),
        ({"is_logged_in": True, "email": "an@igemo.be", "email_verified": False}, "niet bevestigd"),
        ({"is_logged_in": True}, "geen e-mailadres"),
    ])
    def test_refused(self, env, user, message):
        at = self.oidc_app(user)
        assert at.title[0].value == "Aanmelden" and message in at.error[0].value
        assert not at.dataframe and not at.metric

    def test_disabled_row_refuses(self, accounts):
        from igemo_fin.records.users import set_active
        add_user(accounts, "an@igemo.be", role="bestuur", password=None)
        set_active(accounts, "an@igemo.be", False)
        at = self.oidc_app({"is_logged_in": True, "email": "an@igemo.be"})
        assert "uitgeschakeld" in at.error[0].value
