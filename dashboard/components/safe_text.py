"""Text from data meets a renderer only through here: Markdown for Streamlit, entities for Plotly.

`md()` goes around every piece of data put into Markdown (captions, titles, labels);
`literal_figure()` (from reports, since the briefing export draws the same figures) runs on every
figure once it is built, so a unit named `<a href=...>` is a label, not a link.
"""

from __future__ import annotations

from analytics.safe_text import code_literal, html_literal, markdown_literal, visible
from reports.safe_figure import literal_figure

__all__ = ["code_literal", "html_literal", "literal_figure", "md", "visible"]

md = markdown_literal
