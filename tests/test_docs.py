"""docs/inputs.md documents every column, header spelling, value spelling and setting of the code."""

from __future__ import annotations

import re

import pytest
from pydantic import BaseModel

from loaders import _convert as cv
from loaders._headers import ABBREVIATIONS
from loaders._schema import DERIVED, SPECS
from loaders.config import DEFAULT_RULES, Facility, Rules
from tests.conftest import ROOT
from tests.docs_inputs import DOC, TYPES, render

TEXT = DOC.read_text(encoding="utf-8")


def _section(title: str) -> str:
    """The text of one `## ` section of the doc."""
    m = re.search(rf"^## {re.escape(title)}.*?(?=^## |\Z)", TEXT, re.M | re.S)
    assert m, title
    return m.group(0)


def _fields(model: type[BaseModel]) -> set[str]:
    """Every setting name of a settings model, nested tables included."""
    out = set()
    for name, info in model.model_fields.items():
        out.add(name)
        for t in (info.annotation, *getattr(info.annotation, "__args__", ())):
            if isinstance(t, type) and issubclass(t, BaseModel):
                out |= _fields(t)
    return out


def test_generated_parts_are_up_to_date():
    assert render(TEXT) == TEXT, "run: python -m tests.docs_inputs"


@pytest.mark.parametrize("kind", sorted(SPECS))
def test_every_column_and_spelling_is_in_its_kinds_table(kind):
    table = re.search(rf"^### {kind}\n(.*?)(?=^### |^<!-- end)", TEXT, re.M | re.S).group(1)
    for col in SPECS[kind]:
        if col.type in DERIVED:
            assert f"`{col.name}`" in TEXT
            continue
        row = next((r for r in table.splitlines() if r.startswith(f"| `{col.name}` |")), None)
        assert row is not None, (kind, col.name)
        assert ("| yes |" in row) == col.required
        for spelling in col.aliases:
            assert f"`{spelling}`" in row, (kind, col.name, spelling)


def test_every_value_type_is_described():
    used = {c.type for spec in SPECS.values() for c in spec if c.type not in DERIVED}
    assert used <= set(TYPES)


def test_every_value_spelling_is_documented():
    values = _section("Values")
    # Every enumeration of the converters, not only the ones the generator lists.
    tables = {
        n: t
        for n, t in vars(cv).items()
        if n.isupper() and isinstance(t, dict) and all(isinstance(v, str) for v in t.values())
    }
    assert {"LEVELS", "CUSTODY", "SEVERITY"} <= set(tables)
    for name, table in tables.items():
        for spelling in table:
            assert f"`{spelling}`" in values, (name, spelling)


def test_every_abbreviation_is_documented():
    part = _section("Header row")
    for short, fulls in ABBREVIATIONS.items():
        assert f"`{short}`" in part, short
        for full in fulls:
            assert f"| {full} |" in part, full


@pytest.mark.parametrize("model, section", [(Facility, "facility.toml"), (Rules, "rules.toml")])
def test_every_setting_is_documented(model, section):
    part = _section(section)
    for name in sorted(_fields(model)):
        assert any(form in part for form in (f"`{name}`", f"[{name}", f".{name}]")), (section, name)


def test_every_shipped_rule_setting_is_in_the_rules_table():
    part = _section("rules.toml")
    for line in DEFAULT_RULES.read_text(encoding="utf-8").splitlines():
        code = line.partition("#")[0].strip()
        if "=" in code:
            assert f"`{code.partition('=')[0].strip()}`" in part, code


def test_every_page_and_command_is_listed():
    from dashboard.navigation import VIEW_FILES
    from popdash.cli import _parser

    part = _section("What each page and command needs")
    for page in VIEW_FILES:
        assert f"/{page}" in part, page
    sub = next(a for a in _parser()._actions if a.dest == "command")
    for command in sub.choices:
        assert f"`popdash {command}`" in part, command


def test_readme_links_the_docs():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    head = readme[: readme.find("\n## ", readme.find("## Documentation") + 1)]
    assert "## Documentation" in head
    for doc in ("docs/inputs.md", "docs/architecture.md"):
        assert f"]({doc})" in head, doc
    for link in re.findall(r"\]\((docs/[^)#]+)", readme):
        assert (ROOT / link).exists(), link
