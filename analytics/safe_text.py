"""Text from data shown as text: the escaping every renderer needs, in one place.

A facility name, a unit, a PSF, an uploaded file's header or a link parameter may hold
Markdown, HTML, Streamlit directives (`:red[...]`), LaTeX (`$x$`) or bidirectional control
characters. Each function here returns a string that a given renderer shows literally.
Pure: no Streamlit, no Plotly, no I/O, so the dashboard, the briefing export and the
command line can all use it.
"""

from __future__ import annotations

import re

# Characters that reorder what is shown (right-to-left overrides, isolates, marks): a file
# could make "FCI 0001" read backwards or hide part of a line. They are removed.
BIDI_CONTROLS = frozenset(
    [chr(c) for c in range(0x202A, 0x202F)]  # LRE RLE PDF LRO RLO
    + [chr(c) for c in range(0x2066, 0x206A)]  # LRI RLI FSI PDI
    + ["\u200e", "\u200f", "\u061c"]  # LRM RLM ALM
)
# Other invisible controls (C0 and C1 except tab and newline) carry no meaning on a page.
_CONTROLS = frozenset(chr(c) for c in [*range(0x20), *range(0x7F, 0xA0)]) - {"\t", "\n"}
_DROP = str.maketrans(dict.fromkeys(BIDI_CONTROLS | _CONTROLS))

# Characters that open Markdown or Streamlit syntax anywhere in a line: emphasis, code,
# strike-through, links and images (`[`), HTML and autolinks (`<`), maths (`$`), entity
# references (`&#x202E;` would bring back what `visible` removed) and `:color[...]`
# directives (their `[`). Escaping only these keeps ordinary sentences readable in the source.
_MD_ALWAYS = re.compile(r"([\\`*_~\[\]<>$&|])")
# Bare web addresses and e-mail addresses become live links (GitHub-flavoured autolinks), and
# `:name:` / `:material/name:` become emoji and icons. Streamlit finds both in the text after
# escapes are resolved, so a backslash does not stop them: an invisible word joiner does
# ("http\u2060://", "www\u2060.", "a@\u2060b", ":\u2060smile:"), and the text reads the same.
WORD_JOINER = "\u2060"
_MD_AUTOLINK = re.compile(r"(?i)(?=://)|(?<=www)(?=\.)|(?<=@)|(?<=:)(?=[a-z/])")
# At the start of a line: headings, quotes, list items, thematic breaks.
_MD_LINE_START = re.compile(r"^(\s*)([#>+=-]|\d+(?=[.)]))")
# An ampersand that does not already start an entity: escaping twice must not show "&amp;".
_BARE_AMP = re.compile(r"&(?!(?:#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);)")


def visible(value: object) -> str:
    """`value` as a string without bidirectional or other invisible control characters."""
    return str(value).translate(_DROP)


def markdown_literal(value: object) -> str:
    """`value` as Streamlit Markdown that shows exactly these characters on one line.

    For st.markdown, st.caption, st.title, st.warning and every label that takes Markdown.
    """
    text = visible(value).replace("\r", " ").replace("\n", " ").replace("\t", " ")
    text = _MD_ALWAYS.sub(r"\\\1", text)
    text = _MD_AUTOLINK.sub(WORD_JOINER, text)
    start = _MD_LINE_START.match(text)
    if start:
        lead, mark = start.groups()
        # "12. item" is a list item: escape the full stop after the number, else the mark itself.
        rest = text[start.end() :]
        text = f"{lead}{mark}\\{rest}" if mark[0].isdigit() else f"{lead}\\{mark}{rest}"
    return text


def code_literal(value: object) -> str:
    """`value` as a Markdown code span: shown as typed, in a monospace font (paths, file names)."""
    text = visible(value).replace("\r", " ").replace("\n", " ")
    # The fence is one backtick longer than the longest run inside, padded so a leading or
    # trailing backtick is not read as part of it.
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    return f"{fence} {text} {fence}" if longest else f"{fence}{text}{fence}"


def html_literal(value: object) -> str:
    """`value` with `&`, `<`, `>` and `$` as entities: literal in Plotly labels and hover text
    (which render `<a>`, `<b>`, `<br>` and `$...$`) and in reportlab Paragraph markup.

    Applying it twice gives the same result, so a figure may pass through it more than once.
    """
    text = _BARE_AMP.sub("&amp;", visible(value))
    return text.replace("<", "&lt;").replace(">", "&gt;").replace("$", "&#36;")


def plain_literal(value: object) -> str:
    """`value` for renderers that draw text as given (PDF canvas strings, PPTX runs): only the
    control characters go."""
    return visible(value)
