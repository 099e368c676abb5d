"""Hardening: the Streamlit configuration, no data in raw HTML, hostile uploads.

- ``.streamlit/config.toml``: XSRF protection on, uploads up to 20 MB, no error details for users,
  every key a real Streamlit option (a misspelt key is silently ignored), checked as Streamlit
  itself reads the file.
- No page or ui module passes data into ``unsafe_allow_html`` / ``st.html``: an AST check that
  such calls only hold literals, module constants (UPPER_CASE) and lookups into them.
- A corpus of hostile files built in code (zip bombs, billion laughs, a renamed executable, absurd
  sheet dimensions, invalid UTF-8 CSV; an .ods that repeats cells without end, entities in an .ods,
  an HTML page, a string-count bomb and a looping sector chain as .xls) is refused by
  ``read_workbook`` and ``read_ledger`` within 1 s each, with under 64 MB extra memory, measured with tracemalloc (Python allocations) and as the
  growth of a fresh interpreter's peak RSS (``ru_maxrss``, which also sees python-calamine's Rust
  allocations and zlib's buffers).

The builders of tests/ledger_files.py make the files; tests/test_filesafety.py checks each
refusal's reason at the door (check_upload), this module checks the whole readers.
"""

from __future__ import annotations

import ast
import io
import json
import os
import struct
import subprocess
import sys
import time
import tomllib
import tracemalloc
import zipfile
from pathlib import Path

import pytest

from igemo_fin.errors import InputError
from igemo_fin.inputs.ledger import read_ledger
from igemo_fin.inputs.workbook import read_workbook
from ledger_files import (BILLION_LAUGHS, NS, csv_bytes, minimal_xlsx, ods_bytes, ods_content, patch_declared_size,
                          patch_xls_fat, patch_xls_record, rezip, sheet_xml, with_sheet_xml, with_shared_strings,
                          xls_bytes)

ROOT = Path(__file__).resolve().parents[1]
CONFIG = ROOT / ".streamlit" / "config.toml"
TIME_LIMIT_S = 1.0
MEMORY_LIMIT = 64 * 1024 * 1024


# --------------------------------------------------------------------------- Streamlit configuration

class TestStreamlitConfig:
    def config(self) -> dict:
        with CONFIG.open("rb") as handle:
            return tomllib.load(handle)

    def test_the_file_says_so(self):
        config = self.config()
        assert config["server"]["enableXsrfProtection"] is True
        assert config["server"]["maxUploadSize"] == 20
        assert config["client"]["showErrorDetails"] in ("none", False)
        # XSRF protection needs CORS protection: with enableCORS false Streamlit switches XSRF off.
        assert config["server"].get("enableCORS", True) is True
        assert config.get("browser", {}).get("gatherUsageStats") is False
        # Loopback only, loopback host names only (DNS rebinding), and a short life for a tab that is gone.
        assert config["server"]["address"] == "127.0.0.1"
        assert config["server"]["allowedHosts"] == ["localhost", "127.0.0.1", "::1"]
        assert config["server"]["disconnectedSessionTTL"] <= 30

    def test_every_key_is_a_streamlit_option(self):
        from streamlit import config as st_config

        known = st_config.get_config_options()
        unknown = [f"{section}.{key}" for section, values in self.config().items() for key in values
                   if f"{section}.{key}" not in known]
        assert unknown == [], f"Streamlit ignores these keys: {unknown}"

    def test_streamlit_reads_it_so(self):
        """The effective values, as Streamlit loads the file from the app's folder (fresh interpreter)."""
        keys = ["server.enableXsrfProtection", "server.maxUploadSize", "client.showErrorDetails", "server.enableCORS",
                "server.enableStaticServing", "server.enableAgentApi", "server.runOnSave"]
        script = ("import json; from streamlit import config\n"
                  "config.get_config_options(force_reparse=True)\n"
                  f"print(json.dumps({{k: config.get_option(k) for k in {keys!r}}}))")
        done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120,
                              env={**os.environ, "HOME": str(ROOT / ".no-home")})
        assert done.returncode == 0, done.stderr
        effective = json.loads(done.stdout.strip().splitlines()[-1])
        assert effective["server.enableXsrfProtection"] is True
        assert effective["server.maxUploadSize"] == 20
        assert effective["client.showErrorDetails"] in ("none", False)
        assert effective["server.enableCORS"] is True
        assert effective["server.enableStaticServing"] is False
        assert effective["server.enableAgentApi"] is False
        assert effective["server.runOnSave"] is False

    def test_secrets_stay_out_of_git(self):
        assert ".streamlit/secrets.toml" in (ROOT / ".gitignore").read_text().splitlines()

    def test_upload_limit_matches_the_engine(self):
        from igemo_fin.inputs.filesafety import MAX_BYTES

        assert MAX_BYTES == self.config()["server"]["maxUploadSize"] * 1024 * 1024


# --------------------------------------------------------------------------- no data in raw HTML

#: Functions whose result is built only from module constants indexed by their arguments: they
#: cannot pass text through (an unknown key raises KeyError). Checked in test_allowed_helpers.
CONSTANT_HELPERS = {"verdict_label"}

#: Calls that render their argument as HTML whatever their keywords say.
HTML_CALLS = {"html"}  # st.html(...), components.html(...), st.components.v1.html(...)


def _is_constant_name(name: str) -> bool:
    return name.isupper() or (name.startswith("_") and name[1:].isupper())


def constant_valued(node: ast.AST) -> bool:
    """True when ``node`` can only produce text from literals and module constants."""
    if isinstance(node, ast.Constant):
        return True
    if isinstance(node, ast.Name):
        return _is_constant_name(node.id)
    if isinstance(node, ast.Attribute):  # style.VERDICT_COLOURS
        return _is_constant_name(node.attr)
    if isinstance(node, ast.JoinedStr):
        return all(constant_valued(v) for v in node.values)
    if isinstance(node, ast.FormattedValue):
        return constant_valued(node.value) and (node.format_spec is None or constant_valued(node.format_spec))
    if isinstance(node, ast.BinOp):
        return constant_valued(node.left) and constant_valued(node.right)
    if isinstance(node, ast.Subscript):
        # A lookup in a constant table yields one of its values, whatever the key.
        return constant_valued(node.value)
    if isinstance(node, ast.IfExp):
        return constant_valued(node.body) and constant_valued(node.orelse)
    if isinstance(node, ast.Call):
        func = node.func
        name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None
        if name in CONSTANT_HELPERS:
            return True
        if isinstance(func, ast.Attribute) and func.attr in ("format", "join") and constant_valued(func.value):
            return all(constant_valued(a) for a in node.args) and all(constant_valued(k.value) for k in node.keywords)
        return False
    if isinstance(node, (ast.Tuple, ast.List)):
        return all(constant_valued(e) for e in node.elts)
    return False


def html_findings(source: str, filename: str = "<code>") -> list[str]:
    """Every call that renders raw HTML from something that is not constant-valued."""
    findings = []
    for node in ast.walk(ast.parse(source, filename)):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
        unsafe = [k for k in node.keywords if k.arg == "unsafe_allow_html"]
        spread = [k for k in node.keywords if k.arg is None]
        renders_html = name in HTML_CALLS
        where = f"{filename}:{node.lineno}"
        for keyword in unsafe:
            if not isinstance(keyword.value, ast.Constant):
                findings.append(f"{where}: unsafe_allow_html is not a literal")
            elif keyword.value.value:
                renders_html = True
        if spread and name in ("markdown", "write", "caption", "html", "title", "header", "subheader"):
            findings.append(f"{where}: **kwargs could switch unsafe_allow_html on")
        if renders_html:
            body = list(node.args) + [k.value for k in node.keywords if k.arg in ("body", "html")]
            for arg in body:
                if not constant_valued(arg):
                    findings.append(f"{where}: {name}() renders HTML built from data: {ast.unparse(arg)[:80]}")
    return findings


def ui_sources() -> list[Path]:
    files = sorted((ROOT / "pages").glob("*.py")) + sorted((ROOT / "ui").glob("*.py"))
    return files + [ROOT / "dashboard.py"]


class TestNoDataInRawHtml:
    def test_pages_and_ui(self):
        findings = []
        for path in ui_sources():
            findings += html_findings(path.read_text(encoding="utf-8"), str(path.relative_to(ROOT)))
        assert findings == []

    def test_there_is_something_to_check(self):
        assert len(ui_sources()) >= 5

    @pytest.mark.parametrize("code", [
        'st.markdown(f"<b>{naam}</b>", unsafe_allow_html=True)',
        'st.markdown("<b>" + row.naam + "</b>", unsafe_allow_html=True)',
        'st.markdown(text, unsafe_allow_html=True)',
        'st.markdown(body=f"<i>{x}</i>", unsafe_allow_html=True)',
        'st.markdown("<b>x</b>", unsafe_allow_html=flag)',
        'st.html(f"<p>{project_name}</p>")',
        'components.html(page)',
        'st.markdown("<b>{}</b>".format(naam), unsafe_allow_html=True)',
        'st.markdown("x", **options)',
        'st.write(f"<b>{naam}</b>", unsafe_allow_html=True)',
    ])
    def test_flags_data(self, code):
        assert html_findings(code)

    @pytest.mark.parametrize("code", [
        'st.markdown("<hr/>", unsafe_allow_html=True)',
        "st.markdown(f\"<div style='background:{VERDICT_COLOURS[verdict]}'>Oordeel: {verdict_label(verdict)}</div>\", "
        "unsafe_allow_html=True)",
        'st.markdown(CSS, unsafe_allow_html=True)',
        'st.markdown(f"<b>{naam}</b>")',  # escaped by Streamlit: markdown, not HTML
        'st.markdown(f"<b>{naam}</b>", unsafe_allow_html=False)',
        'st.html(FOOTER_HTML)',
    ])
    def test_accepts_constants(self, code):
        assert html_findings(code) == []

    def test_allowed_helpers_pass_no_text_through(self):
        from igemo_fin.valuation.rules import VERDICTS
        from ui.style import VERDICT_SYMBOLS, VERDICT_WORDS, verdict_label

        outputs = {verdict_label(v) for v in (*VERDICTS, None)}
        assert outputs == {f"{VERDICT_SYMBOLS[v]} {VERDICT_WORDS[v]}" for v in VERDICTS} | {"–"}
        with pytest.raises(KeyError):
            verdict_label("<script>alert(1)</script>")


# --------------------------------------------------------------------------- hostile files

EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + bytes(range(256)) * 16


def streamed_part(part: str, head: bytes, chunk: bytes, repeat: int, tail: bytes = b"") -> bytes:
    """A valid workbook whose ``part`` is ``head + chunk * repeat + tail``, deflated while streaming.

    The part can be hundreds of MiB without that much memory in the test process.
    """
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(minimal_xlsx())) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name in src.namelist():
            if name != part:
                dst.writestr(name, src.read(name))
        with dst.open(part, "w", force_zip64=True) as target:
            target.write(head)
            for _ in range(repeat):
                target.write(chunk)
            target.write(tail)
    return out.getvalue()


def hostile_corpus() -> dict[str, tuple[str, bytes, str | dict[str, str]]]:
    """Label -> (upload file name, bytes, a fragment of the Dutch reason, or one per reader): each
    must be refused by both readers."""
    mib_of_zeros = bytes(1024 * 1024)
    sheet_head, sheet_tail = sheet_xml("|").encode().split(b"|")
    return {
        "zipbom (verhouding 1:1000, 60 MiB nullen)": (
            "bom.xlsx", streamed_part("xl/media/zeros.bin", b"", mib_of_zeros, 60), "keer uit (grens 100)"),
        "zipbom die over haar grootte liegt (256 MiB als 1.000 bytes)": (
            "liegt.xlsx", patch_declared_size(streamed_part("xl/media/zeros.bin", b"", mib_of_zeros, 256),
                                              "xl/media/zeros.bin", 1000), "groter uit dan opgegeven"),
        "zipbom in het werkblad zelf (300 MiB XML)": (
            "blad.xlsx", streamed_part("xl/worksheets/sheet1.xml", sheet_head, b"<row/>" * (1024 * 1024 // 6), 300,
                                       sheet_tail), "keer uit (grens 100)"),
        "billion laughs in de gedeelde teksten": (
            "lol.xlsx", with_shared_strings(BILLION_LAUGHS), "DTD- of ENTITY-declaratie"),
        "externe entiteit (XXE)": ("xxe.xlsx", with_shared_strings(
            '<?xml version="1.0"?><!DOCTYPE sst [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
            f'<sst xmlns="{NS}" uniqueCount="1"><si><t>&xxe;</t></si></sst>'), "DTD- of ENTITY-declaratie"),
        "hernoemd programma (.exe als .xlsx)": ("grootboek.xlsx", EXE, "uitvoerbaar Windows-programma"),
        "hernoemd programma (.exe als .csv)": ("grootboek.csv", EXE, "uitvoerbaar Windows-programma"),
        "onmogelijke afmeting A1:XFD1048576": ("dim.xlsx", with_sheet_xml(
            sheet_xml('<row r="1"><c r="A1"><v>1</v></c></row>', dimension="A1:XFD1048576")),
            "onmogelijke afmeting"),
        "verre cel XFD1048576 zonder afmeting": ("ver.xlsx", with_sheet_xml(sheet_xml(
            '<row r="1"><c r="A1"><v>1</v></c></row><row r="1048576"><c r="XFD1048576"><v>1</v></c></row>')),
            "gebruikt cellen tot kolom 16.384"),
        "4 miljard gedeelde teksten aangekondigd": ("sst.xlsx", with_shared_strings(
            f'<sst xmlns="{NS}" count="1" uniqueCount="4000000000"><si><t>x</t></si></sst>'), "4.000.000.000 teksten"),
        "CSV met ongeldige UTF-8 na een BOM": (
            "bom.csv", b"\xef\xbb\xbfDatum;Rekening;Bedrag\r\n\xc3\x28;604;1\r\n", "ongeldige UTF-8"),
        "CSV noch UTF-8 noch Windows-1252": (
            "raar.csv", b"Datum;Rekening;Bedrag\r\n01/02/2024;604;\x81\x8d\r\n", "geen UTF-8 en geen Windows-1252"),
        "CSV in UTF-16 zonder BOM": ("utf16.csv", "Datum;Rekening;Bedrag\r\n".encode("utf-16-le"),
                                     "UTF-16-tekst zonder BOM"),
        "CSV met NUL-bytes": ("nul.csv", b"Datum;Rekening;Bedrag\r\n01/02/2024;604\x00;1\r\n", "NUL-bytes"),
        **{label: (name, data, {"read_ledger": why, "read_workbook": "wordt niet aanvaard"})
           for label, (name, data, why) in ledger_only_corpus().items()},
    }


def ledger_only_corpus() -> dict[str, tuple[str, bytes, str]]:
    """Hostile .ods and .xls files: only the ledger reader takes these formats (the workbook's door
    refuses them by their extension)."""
    ledger = [["Datum", "Rekening", "Project", "Bedrag"]] + [
        [f"0{i % 9 + 1}/01/2024", 604000 + i, f"P{i}", i + 0.5] for i in range(200)]
    repeated = ('<table:table-row table:number-rows-repeated="20000"><table:table-cell '
                'table:number-columns-repeated="1000" office:value-type="float" office:value="1"/></table:table-row>')
    laughs = '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]>'
    real_xls = xls_bytes(ledger)
    directory = struct.unpack_from("<I", real_xls, 48)[0]
    return {
        "ods: 20 miljoen herhaalde cellen in 1 kB": (
            "herhaald.ods", ods_bytes(content=ods_content({"Grootboek": ledger[:2]}, tail_rows=repeated)),
            "cellen met een waarde herhalen"),
        "ods: billion laughs in content.xml": (
            "lol.ods", ods_bytes(content=ods_content({"Grootboek": [["&b;"]]}, prolog=laughs)),
            "DTD- of ENTITY-declaratie"),
        "ods: zipbom (60 MiB nullen)": (
            "bom.ods", rezip(ods_bytes(ledger[:2]), add={"Pictures/zeros.bin": bytes(60 * 1024 * 1024)}),
            "keer uit (grens 100)"),
        "xls: webpagina (HTML) als .xls": (
            "grootboek.xls", b"<html><body><table><tr><td>Datum</td></tr></table></body></html>",
            "webpagina (HTML)"),
        "xls: tekstentabel van 4 miljard": (
            "sst.xls", patch_xls_record(real_xls, 0x00FC, None, 4, "<I", 4_000_000_000), "4.000.000.000 teksten"),
        "xls: blad van 10 miljoen rijen": (
            "dim.xls", patch_xls_record(real_xls, 0x0200, 14, 4, "<I", 10_000_000), "onmogelijke afmeting"),
        "xls: sectorketen in een kring": (
            "kring.xls", patch_xls_fat(real_xls, directory, directory), "kring"),
    }


def expected_reason(why: str | dict[str, str], reader: str) -> str:
    """A fragment of the reason ``reader`` gives: the same for both readers, or one per reader."""
    return why if isinstance(why, str) else why[reader]


READERS = {
    "read_workbook": lambda data, name: read_workbook(data, filename=name),
    "read_ledger": lambda data, name: read_ledger(data, filename=name),
}


@pytest.fixture(scope="module")
def corpus():
    return hostile_corpus()


@pytest.fixture(scope="module")
def corpus_dir(corpus, tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    index = []
    for i, (label, (name, data, _)) in enumerate(corpus.items()):
        path = folder / f"{i:02d}_{name}"
        path.write_bytes(data)
        index.append({"label": label, "name": name, "path": str(path)})
    (folder / "index.json").write_text(json.dumps(index), encoding="utf-8")
    return folder


def test_corpus_files_are_small(corpus):
    """Everything hostile fits well under the 20 MB upload limit: the size check alone stops none of them."""
    for label, (_, data, _) in corpus.items():
        assert len(data) < 2 * 1024 * 1024, label


@pytest.mark.parametrize("reader", sorted(READERS))
def test_refused_in_time_and_memory(corpus, reader):
    read = READERS[reader]
    try:  # imports and caches
        read(minimal_xlsx(), "warm.xlsx")
    except InputError:
        pass
    report = []
    for label, (name, data, why) in corpus.items():
        best = float("inf")
        for _ in range(2):  # best of two: a busy machine must not fail the test
            t0 = time.perf_counter()
            with pytest.raises(InputError):
                read(data, name)
            best = min(best, time.perf_counter() - t0)
        tracemalloc.start()
        try:
            with pytest.raises(InputError) as info:
                read(data, name)
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        report.append((label, best, peak, info.value))
        assert expected_reason(why, reader) in info.value.problems[0].reason, (label, info.value.problems[0].reason)
    slow = [(label, round(t, 3)) for label, t, _, _ in report if t >= TIME_LIMIT_S]
    heavy = [(label, peak // 1024 // 1024) for label, _, peak, _ in report if peak >= MEMORY_LIMIT]
    assert slow == [] and heavy == [], (slow, heavy)
    for label, _, _, error in report:
        assert error.problems and all(p.reason for p in error.problems), label


MEASURE = r"""
import json, resource, sys, time
sys.path[:0] = [sys.argv[1], sys.argv[1] + "/tests"]
from igemo_fin.errors import InputError
from igemo_fin.inputs.ledger import read_ledger
from igemo_fin.inputs.workbook import read_workbook
from ledger_files import minimal_xlsx, csv_bytes
import python_calamine  # the native reader, loaded before the baseline

def rss():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # Linux: KiB

readers = {"read_workbook": lambda d, n: read_workbook(d, filename=n),
           "read_ledger": lambda d, n: read_ledger(d, filename=n)}
# warm up every path once with valid files, so imports and caches are in the baseline
read_ledger(minimal_xlsx(), filename="warm.xlsx")
read_ledger(csv_bytes([["Datum", "Rekening", "Projectcode", "Bedrag"], ["01/02/2024", "604000", "P1", "10"]]),
            filename="warm.csv")
try:
    read_workbook(minimal_xlsx(), filename="warm.xlsx")
except InputError:
    pass
index = json.load(open(sys.argv[2]))
base = rss()
out = {"baseline": base, "files": []}
for item in index:
    data = open(item["path"], "rb").read()
    for reader, read in readers.items():
        t0 = time.perf_counter()
        try:
            read(data, item["name"])
            refused = False
        except InputError:
            refused = True
        out["files"].append({"label": item["label"], "reader": reader, "refused": refused,
                             "seconds": time.perf_counter() - t0, "rss_growth": rss() - base})
print(json.dumps(out))
"""


def test_native_memory_growth_of_a_fresh_process(corpus_dir):
    """Peak RSS of a fresh interpreter grows by under 64 MB over the whole corpus (Rust and C included)."""
    done = subprocess.run([sys.executable, "-c", MEASURE, str(ROOT), str(corpus_dir / "index.json")],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    problems = [f for f in result["files"] if not f["refused"] or f["rss_growth"] >= MEMORY_LIMIT]
    assert problems == [], problems
    assert len(result["files"]) == 2 * len(json.loads((corpus_dir / "index.json").read_text()))


def test_a_hostile_upload_is_refused_before_the_native_reader(monkeypatch, corpus):
    """python-calamine never sees a hostile file: the check in front of it refuses first."""
    import python_calamine

    calls = []
    real = python_calamine.CalamineWorkbook.from_filelike

    def spy(*args, **kwargs):
        calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(python_calamine.CalamineWorkbook, "from_filelike", staticmethod(spy))
    for label, (name, data, _) in corpus.items():
        for read in READERS.values():
            with pytest.raises(InputError):
                read(data, name)
    assert calls == []


def test_valid_files_still_pass(corpus):
    """The same readers accept an ordinary ledger (the corpus does not just break everything)."""
    ledger = csv_bytes([["Datum", "Rekening", "Projectcode", "Omschrijving", "Bedrag"],
                        ["01/02/2024", "604000", "P1", "=HYPERLINK(\"x\")", "1.234,56"]])
    assert len(read_ledger(ledger, filename="grootboek.csv").lines) == 1
    rows = [["Datum", "Rekening", "Projectcode", "Bedrag"], ["01/02/2024", 604000, "P1", 1234.56]]
    assert read_ledger(ods_bytes(rows), filename="grootboek.ods").lines["amount_cents"].tolist() == [-123456]
    assert read_ledger(xls_bytes(rows), filename="grootboek.xls").lines["amount_cents"].tolist() == [-123456]
