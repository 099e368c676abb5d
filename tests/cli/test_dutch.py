"""Every help text and argument error of ``python -m igemo_fin`` is Dutch."""

from __future__ import annotations

import re

import pytest

from igemo_fin.cli.dutch import HELP_TEXT, dutch_message
from igemo_fin.cli.main import main

#: argparse's own English, and English words that crept into help texts before.
ENGLISH = ("usage", "positional arguments", "optional arguments", "options:", "show this help", "error",
           "the", "and", "print", "instead", "default", "workbook", "year", "file", "valuation",
           "portfolio", "optional", "optionally", "with", "this", "help", "message", "exit", "name", "password",
           "role", "table", "object", "sheet", "setting")


def help_of(capsys, *command: str) -> str:
    with pytest.raises(SystemExit) as done:
        main([*command, "--help"])
    assert done.value.code == 0
    return capsys.readouterr().out


def subcommands(text: str) -> list[str]:
    """The sub-commands a help text lists: its lines indented by exactly four spaces."""
    return re.findall(r"^    ([a-z]+)\b", text, flags=re.MULTILINE)


def every_help(capsys) -> dict[tuple[str, ...], str]:
    found, todo = {}, [()]
    while todo:
        command = todo.pop()
        text = found[command] = help_of(capsys, *command)
        todo += [(*command, name) for name in subcommands(text)]
    return found


def english_left(text: str, names: set[str]) -> list[str]:
    words = re.sub(r"--?[\w-]+|\{[^}]*\}|\$\w+|python -m igemo_fin", " ", text)  # options, choices, the program
    words = " ".join(w for w in re.findall(r"[\w:]+", words) if w not in names)
    return [e for e in ENGLISH if re.search(rf"(?<!\w){re.escape(e)}(?!\w)", words, flags=re.IGNORECASE)]


def test_no_english_in_any_help(capsys):
    helps = every_help(capsys)
    names = {name for command in helps for name in command}
    assert {"evaluate", "thresholds", "boardpack", "ledger", "users", "audit"} <= names
    assert ("thresholds", "set") in helps and ("users", "passwd") in helps and ("ledger", "import") in helps
    for command, text in helps.items():
        assert text.startswith("gebruik: python -m igemo_fin"), command
        assert "-h, --help" in text and HELP_TEXT in text, command
        assert english_left(text, names) == [], (command, text)


def test_the_english_check_can_fail():
    assert english_left("usage: x\n\npositional arguments:\n  WERKBOEK  portfolio workbook", set()) == [
        "usage", "positional arguments", "workbook", "portfolio"]


def test_argument_errors_are_dutch(capsys):
    with pytest.raises(SystemExit) as done:
        main(["evaluate", "--year", "volgend"])
    assert done.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("gebruik: python -m igemo_fin evaluate")
    assert "python -m igemo_fin evaluate: fout: argument --year: 'volgend' is geen geheel getal" in err
    with pytest.raises(SystemExit):
        main(["bestaat-niet"])
    assert "ongeldige keuze: 'bestaat-niet' (kies uit 'evaluate', 'ledger'" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["thresholds", "show", "--veel"])
    assert "fout: onbekende argumenten: --veel" in capsys.readouterr().err


@pytest.mark.parametrize("english, dutch", [
    ("the following arguments are required: --xlsx", "deze argumenten ontbreken: --xlsx"),
    ("argument --seed: invalid int value: '1,5'", "argument --seed: '1,5' is geen geheel getal"),
    ("argument --rate-spread-bp: invalid float value: 'x'", "argument --rate-spread-bp: 'x' is geen getal"),
    ("argument --db: expected one argument", "argument --db: verwacht één waarde"),
    ("argument --no-password: not allowed with argument --password-file",
     "argument --no-password: niet toegelaten samen met argument --password-file"),
    ("al in het Nederlands", "al in het Nederlands"),
])
def test_dutch_message(english, dutch):
    assert dutch_message(english) == dutch
