"""An :class:`argparse.ArgumentParser` that speaks Dutch: usage, section titles, ``-h`` and errors.

argparse's own words ("usage:", "positional arguments", "options", "show this help message and
exit", "the following arguments are required") come from its gettext catalogue, which has no
Dutch translation installed and is global to the process. Rather than install one, this parser
adds its own ``-h/--help``, gives the help formatter Dutch section titles and usage prefix, and
translates argparse's error messages before printing them.
"""

from __future__ import annotations

import argparse
import re
import sys
from typing import NoReturn

__all__ = ["DutchArgumentParser", "DutchHelpFormatter", "HELP_TEXT", "dutch_message"]

HELP_TEXT = "deze hulp tonen en stoppen"
"""The help of ``-h/--help`` in every (sub)command."""

_SECTIONS = {"positional arguments": "positionele argumenten", "options": "opties",
             "optional arguments": "opties"}

#: argparse's error messages, English pattern -> Dutch; applied in order, each at most once.
_MESSAGES = (
    (r"the following arguments are required: ", "deze argumenten ontbreken: "),
    (r"one of the arguments (.*) is required", r"een van de argumenten \1 is verplicht"),
    (r"unrecognized arguments: ", "onbekende argumenten: "),
    (r"invalid choice: (.*) \(choose from (.*)\)$", r"ongeldige keuze: \1 (kies uit \2)"),
    (r"invalid int value: (.*)$", r"\1 is geen geheel getal"),
    (r"invalid float value: (.*)$", r"\1 is geen getal"),
    (r"invalid \S+ value: (.*)$", r"ongeldige waarde \1"),
    (r"expected one argument", "verwacht één waarde"),
    (r"expected at most one argument", "verwacht hoogstens één waarde"),
    (r"expected at least one argument", "verwacht minstens één waarde"),
    (r"not allowed with argument ", "niet toegelaten samen met argument "),
    (r"ambiguous option: (.*) could match (.*)$", r"dubbelzinnige optie: \1 kan \2 zijn"),
    (r"ignored explicit argument ", "genegeerde waarde "),
)


def dutch_message(message: str) -> str:
    """argparse's English error message in Dutch; a message it does not know is left as it is.

    >>> dutch_message("the following arguments are required: --door, --reden")
    'deze argumenten ontbreken: --door, --reden'
    >>> dutch_message("argument --year: invalid int value: 'x'")
    "argument --year: 'x' is geen geheel getal"
    """
    for pattern, replacement in _MESSAGES:
        message = re.sub(pattern, replacement, message, count=1)
    return message


class DutchHelpFormatter(argparse.HelpFormatter):
    """Help with the usage prefix ``gebruik:`` and Dutch section titles."""

    def add_usage(self, usage, actions, groups, prefix=None):
        super().add_usage(usage, actions, groups, "gebruik: " if prefix is None else prefix)

    def start_section(self, heading):
        super().start_section(_SECTIONS.get(heading, heading))


class DutchArgumentParser(argparse.ArgumentParser):
    """:class:`argparse.ArgumentParser` with Dutch help and errors; its sub-parsers are Dutch too."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("formatter_class", DutchHelpFormatter)
        add_help = kwargs.pop("add_help", True)
        super().__init__(*args, add_help=False, **kwargs)
        if add_help:
            self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS, help=HELP_TEXT)

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: fout: {dutch_message(message)}\n")
