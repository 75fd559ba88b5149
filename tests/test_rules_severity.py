"""Flag severities live in the rules file only: the shipped [severity] table is the one list."""

from __future__ import annotations

import pytest

from analytics.flags import RULE_IDS
from loaders.config import DEFAULT_RULES, load_rules


@pytest.mark.parametrize("rule", RULE_IDS)
def test_every_flag_has_a_shipped_severity(rule):
    assert load_rules().severity[rule] in ("high", "medium", "low")


@pytest.mark.parametrize(
    ("table", "rule", "expected"),
    [
        ("", "SEC-ABOVE", "high"),  # no [severity] table: the shipped severities hold
        ("", "SEC-BELOW", "low"),
        ('[severity]\nSEC-BELOW = "high"\n', "SEC-BELOW", "high"),  # the file's own entry wins
        ('[severity]\nSEC-BELOW = "high"\n', "DESIG-LEVEL", "high"),  # the others keep the shipped one
        ('[severity]\nSEC-BELOW = "high"\n', "REVIEW-OVERDUE", "low"),
    ],
)
def test_a_rules_file_overrides_severities_one_by_one(tmp_path, table, rule, expected):
    text = DEFAULT_RULES.read_text(encoding="utf-8")
    start = text.index("[severity]")
    end = text.index("\n[", start + 1)
    path = tmp_path / "rules.toml"
    path.write_text(text[:start] + table + text[end + 1 :], encoding="utf-8")
    assert load_rules(path).severity[rule] == expected
