"""``python -m igemo_fin agreements``: the JSON fields of the contract, on the hand-worked book."""

import json

from agreement_books import agreement_sheets
from igemo_fin.cli.main import main


def test_json_fields(write_book, capsys):
    path = write_book(agreement_sheets())
    assert main(["agreements", str(path), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    fund = out["funds"][0]
    assert fund["balance_by_year"] == {"2024": 150.0, "2025": 170.0, "2026": 170.0, "2027": 590.0, "2028": 490.0}
    assert fund["igemo_share"] == 196.0 and fund["settlement_forecast"]["partner"] == 294.0
    grant = out["subsidies"][0]
    assert grant["recognised_by_year"] == {"2024": 120.0, "2025": 180.0}
    assert grant["received_by_year"] == {"2025": 300.0}
    assert grant["deferred_income"] == 0.0
    assert grant["cofinancing_by_municipality"]["Mechelen"]["to_invoice"] == 250.0
    (project,) = out["projects"]
    assert project["project_code"] == "A" and "prefinancing_peak" in project and "interest_saved" in project
    assert out["basis"]["valuation_year"] == 2026


def test_text_and_refusal(write_book, capsys, tmp_path):
    assert main(["agreements", str(write_book(agreement_sheets()))]) == 0
    assert "Grondfonds F (Mechelen, tot 2028)" in capsys.readouterr().out
    assert main(["agreements", str(tmp_path / "ontbreekt.xlsx")]) == 2
