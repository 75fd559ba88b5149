"""Text from data shown as text: the escaping of analytics.safe_text and the figure pass."""

from __future__ import annotations

import plotly.graph_objects as go
import pytest

from analytics.safe_text import code_literal, html_literal, markdown_literal, plain_literal, visible
from reports.safe_figure import literal_figure

RLO = "\u202e"
J = "\u2060"  # word joiner: breaks autolinks and shortcodes, shows nothing


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("FCI Example", "FCI Example"),
        ("The store is busy; try again in a minute.", "The store is busy; try again in a minute."),
        ("![i](http://127.0.0.1:9/x.png)", rf"!\[i\](http{J}:{J}//127.0.0.1:9/x.png)"),
        ('<a href="http://h/">x</a>', rf'\<a href="http{J}:{J}//h/"\>x\</a\>'),
        ("<img src=http://h/y.png>", rf"\<img src=http{J}:{J}//h/y.png\>"),
        (":red[x]", rf":{J}red\[x\]"),
        (":material/domain:", f":{J}material/domain:"),
        ("$x^2$", r"\$x^2\$"),
        ("[link](http://h/)", rf"\[link\](http{J}:{J}//h/)"),
        ("see www.example.org", f"see www{J}.example.org"),
        ("mail a@b.org", f"mail a@{J}b.org"),
        ("unit: A at 10:30", "unit: A at 10:30"),
        ("**bold** _it_ `code` ~~s~~", r"\*\*bold\*\* \_it\_ \`code\` \~\~s\~\~"),
        ("&#x202E;", r"\&#x202E;"),
        ("a | b", r"a \| b"),
        ("# heading", r"\# heading"),
        ("> quote", r"\> quote"),
        ("- item", r"\- item"),
        ("  + item", r"  \+ item"),
        ("12. item", r"12\. item"),
        ("3) item", r"3\) item"),
        ("Level 3. Next", "Level 3. Next"),
        ("a\\b", r"a\\b"),
        ("two\nlines", "two lines"),
        ("two\n# lines", "two # lines"),
        (f"abc{RLO}def", "abcdef"),
        ("\u2066x\u2069\u200e\u200f\u061c", "x"),
        (12, "12"),
    ],
)
def test_markdown_literal(raw, expected):
    assert markdown_literal(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("/data/store", "`/data/store`"),
        ("/data/[x](y)", "`/data/[x](y)`"),
        ("a`b", "`` a`b ``"),
        ("``x", "``` ``x ```"),
        (f"/srv{RLO}/x\ny", "`/srv/x y`"),
    ],
)
def test_code_literal(raw, expected):
    assert code_literal(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Unit A", "Unit A"),
        ('<a href="http://h/">x</a>', '&lt;a href="http://h/"&gt;x&lt;/a&gt;'),
        ("<b>x</b><br>", "&lt;b&gt;x&lt;/b&gt;&lt;br&gt;"),
        ("A & B", "A &amp; B"),
        ("$x^2$", "&#36;x^2&#36;"),
        ("&lt;already&gt;", "&lt;already&gt;"),  # a second pass changes nothing
        ("&amp;", "&amp;"),
        ("&nbsp", "&amp;nbsp"),  # not an entity without its semicolon
        (f"{RLO}LEVEL", "LEVEL"),
    ],
)
def test_html_literal(raw, expected):
    assert html_literal(raw) == expected
    assert html_literal(html_literal(raw)) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("FCI Example", "FCI Example"),
        ("<b>kept</b> $as is$", "<b>kept</b> $as is$"),
        (f"x{RLO}y\u2067z\x00\x07", "xyz"),
        ("tab\tand\nnewline", "tab\tand\nnewline"),
    ],
)
def test_plain_literal(raw, expected):
    assert plain_literal(raw) == expected == visible(raw)


def test_literal_figure_escapes_data_and_keeps_numbers():
    fig = go.Figure()
    fig.add_bar(
        x=['<a href="http://h/">U1</a>', "U2"],
        y=[3, 4],
        name="<b>LOW</b>",
        text=["$x$", "ok"],
        hovertext=["<img src=x>", "fine"],
    )
    fig.add_heatmap(z=[[1, 2]], x=["<br>A", "B"], y=[":red[x]"])
    fig.update_xaxes(categoryarray=['<a href="http://h/">U1</a>', "U2"], ticktext=["<i>t</i>"])
    literal_figure(fig)
    bar, heat = fig.data
    assert list(bar.x) == ['&lt;a href="http://h/"&gt;U1&lt;/a&gt;', "U2"]
    assert list(bar.y) == [3, 4]
    assert bar.name == "&lt;b&gt;LOW&lt;/b&gt;"
    assert list(bar.text) == ["&#36;x&#36;", "ok"]
    assert list(bar.hovertext) == ["&lt;img src=x&gt;", "fine"]
    assert list(heat.x) == ["&lt;br&gt;A", "B"] and list(heat.y) == [":red[x]"]
    assert list(fig.layout.xaxis.categoryarray) == list(bar.x)
    assert list(fig.layout.xaxis.ticktext) == ["&lt;i&gt;t&lt;/i&gt;"]
    # Idempotent: the chart helper may run it again on a figure a builder already treated.
    again = literal_figure(go.Figure(fig))
    assert list(again.data[0].x) == list(bar.x)


def test_literal_figure_only_reads_a_figure_already_literal(monkeypatch):
    """Cached page figures are shared between sessions: drawing one must not write to it."""
    import plotly.basedatatypes as bdt

    fig = go.Figure()
    fig.add_bar(x=["<b>U1</b>", "U2"], y=[3, 4], name="A & B", text=["$5", "6"])
    fig.update_xaxes(categoryarray=["<b>U1</b>", "U2"])
    literal_figure(fig)
    before = fig.to_dict()
    writes = []
    real = bdt.BasePlotlyType.__setitem__
    monkeypatch.setattr(bdt.BasePlotlyType, "__setitem__", lambda self, k, v: writes.append(k) or real(self, k, v))
    literal_figure(fig)
    assert writes == []
    assert fig.to_dict() == before
    # A label that does need escaping is still written.
    fig.data[0].name = "<i>new</i>"
    writes.clear()
    literal_figure(fig)
    assert writes == ["name"] and fig.data[0].name == "&lt;i&gt;new&lt;/i&gt;"
