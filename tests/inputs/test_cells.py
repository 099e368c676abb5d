"""cell_text: the text of a cell as finance reads it; the bulk check of texts that need no cleaning
must give exactly what cleaning each text would (the ledger's fingerprints hash these texts)."""

from __future__ import annotations

import random
import sys

import pytest

from igemo_fin.inputs.cells import cell_text


def cleaned(text: str) -> str | None:
    """The documented rule for a text cell: blanks at the ends dropped, runs of blanks made one space."""
    return " ".join(text.split()) or None


def as_list(series) -> list:
    return [None if v != v else v for v in series.tolist()]  # NaN (missing) as None


class TestCellText:
    def test_examples(self):
        assert as_list(cell_text([604000.0, " 700100 ", "", None, "Erelonen  notaris", 12.5, True])) == \
            ["604000", "700100", None, None, "Erelonen notaris", "12.5", "WAAR"]

    @pytest.mark.parametrize("text", ["a\u00a0b", "a\u2007", "\u3000a", "a\x1fb", "a\x85b", "a\u2028b", "a\tb",
                                      "a\x0bb", "a\x1cb", "é  è", "\ufeffa", "a\u200bb", "a b", "a  b", " a", "a "])
    def test_unicode_blanks_as_python_reads_them(self, text):
        assert as_list(cell_text([text])) == [cleaned(text)]

    def test_random_texts_equal_the_rule_text_by_text(self):
        rng = random.Random(16)
        alphabet = ["a", "Z", "7", "-", "/", "é", "€", " ", "  ", "\t", "\n", "\r", "\x0b", "\x0c", "\x1c", "\x1f",
                    "\x85", "\xa0", "\u1680", "\u2007", "\u2028", "\u3000", "\u200b", "\ufeff"]
        texts = ["".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 7))) for _ in range(5000)]
        assert as_list(cell_text(texts)) == [cleaned(t) for t in texts]

    def test_every_character_of_the_basic_plane(self):
        chars = [chr(c) for c in range(sys.maxunicode + 1) if c < 0x10000 and not 0xD800 <= c < 0xE000]
        texts = [f"a{c}b" for c in chars] + [f"{c}a" for c in chars]
        assert as_list(cell_text(texts)) == [cleaned(t) for t in texts]
