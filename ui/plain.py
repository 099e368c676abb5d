"""Text from data (names, descriptions, reasons, municipalities, file names) shown as text, never as markup.

Streamlit renders Markdown in titles, captions, alerts and ``st.markdown``: a project called
``[Klik hier](http://...)`` would become a link, ``![x](http://.../t.png)`` would load an outside image.
Plotly renders a subset of HTML (``<a href>``, ``<b>``) in labels and hover texts. Every page passes data
through :func:`as_text` (Markdown) or :func:`chart_text` (Plotly) before it is shown.
"""

from __future__ import annotations

import html
import re

__all__ = ["as_text", "chart_text"]

#: Every ASCII punctuation character: CommonMark shows a backslash-escaped one as itself.
_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")


def _one_line(value: object) -> str:
    return " ".join(str(value).split())


def as_text(value: object) -> str:
    r"""``value`` for a Markdown-rendering element: shown literally, on one line.

    >>> as_text("[Klik hier](http://x.example) <b>vet</b>")
    '\\[Klik hier\\]\\(http\\:\\/\\/x\\.example\\) \\<b\\>vet\\<\\/b\\>'
    """
    return _PUNCTUATION.sub(r"\\\1", _one_line(value))


def chart_text(value: object) -> str:
    """``value`` for a Plotly label or hover text: HTML tags shown literally, on one line.

    >>> chart_text('<a href="http://x.example">Klik</a> & co')
    '&lt;a href=&quot;http://x.example&quot;&gt;Klik&lt;/a&gt; &amp; co'
    """
    return html.escape(_one_line(value))
