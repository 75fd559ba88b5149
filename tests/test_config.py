"""Facility and rules files: defaults, validation, one-sentence errors."""

from __future__ import annotations

import pytest

from loaders.config import ConfigError, load_facility, load_rules


def test_sample_facility_capacity(facility):
    assert facility.rated_capacity == 1856
    assert facility.operational_capacity == 1998
    assert facility.unit_levels["CAMP"] == "MINIMUM"
    assert facility.unit_levels["SHU"] == "ADMINISTRATIVE"
    assert facility.highest_unit_level == "MEDIUM"


def test_default_rules_carry_domain_thresholds(rules):
    d = rules.days
    assert (
        d.initial_classification,
        d.mgtv_expiring,
        d.cim_review,
        d.program_review_near_release,
        d.program_review,
        d.near_release,
    ) == (28, 30, 60, 90, 180, 365)
    lookup = rules.psf_lookup()
    assert lookup["DISRUPTIVE GROUP"].floor_m == "HIGH"
    assert lookup["SERIOUS ESCAPE"].floor_f == "LOW"
    assert rules.sentence_length.ladder("M") == [(30, "HIGH"), (20, "MEDIUM"), (10, "LOW")]
    assert (rules.sentence_length.life, rules.sentence_length.default) == ("HIGH", "LOW")
    assert rules.custody["MINIMUM"] == ["OUT", "COMMUNITY"]
    assert (rules.projection.arrival_lag_days, rules.projection.move_lag_days, rules.projection.refill_days) == (
        30,
        30,
        14,
    )


def test_every_rules_entry_has_a_source_tag():
    text = (load_rules.__globals__["DEFAULT_RULES"]).read_text()
    for line in text.splitlines():
        s = line.strip()
        if "=" in s and not s.startswith("#") and not s.startswith("name") and not s.startswith("aliases"):
            if s.endswith("[") or s.startswith('"'):
                continue
            assert any(tag in s for tag in ("[P]", "[S]", "[U]")) or s.startswith(
                (
                    "SEC-",
                    "MGTV-",
                    "UNCLASSIFIED",
                    "CUSTODY-",
                    "CARE-",
                    "CLASSIFICATION-",
                    "REVIEW-",
                    "DESIG-",
                    "default",
                    "HIGH",
                    "MEDIUM",
                    "LOW",
                    "MINIMUM",
                )
            ), s


@pytest.mark.parametrize(
    "text, fragment",
    [
        ("not toml [", "not valid TOML"),
        ('[facility]\ncode="XMP"\nname="x"\ntype="FCI"\nsecurity_level="MEDIUM"\n', "units"),
        (
            '[facility]\ncode="XMP"\nname="x"\ntype="JAIL"\nsecurity_level="MEDIUM"\n[[units]]\nname="A"\nrated_capacity=1\n',
            "type",
        ),
        (
            '[facility]\ncode="XMP"\nname="x"\ntype="FCI"\nsecurity_level="MEDIUM"\n[[units]]\nname="A"\nrated_capacity=1\n[[units]]\nname="a"\nrated_capacity=2\n',
            "repeat",
        ),
    ],
)
def test_bad_facility_file_gets_one_sentence(tmp_path, text, fragment):
    p = tmp_path / "f.toml"
    p.write_text(text)
    with pytest.raises(ConfigError) as exc:
        load_facility(p)
    assert fragment in str(exc.value)
    assert "\n" not in str(exc.value)


def test_missing_facility_file(tmp_path):
    with pytest.raises(ConfigError, match="not found"):
        load_facility(tmp_path / "nope.toml")


@pytest.mark.parametrize(
    "text, life",
    [
        ("", "HIGH"),  # the field's default when a rules file leaves it out
        ('[sentence_length]\nlife = "medium"\n', None),  # levels are written in capitals
        ('[sentence_length]\nlife = "MEDIUM"\n', "MEDIUM"),
        ('[sentence_length]\nlife = "LIFE"\n', None),
    ],
)
def test_sentence_length_life(tmp_path, text, life):
    path = tmp_path / "rules.toml"
    path.write_text(text)
    if life is None:
        with pytest.raises(ConfigError, match=r"^rules file rules.toml: sentence_length.life: "):
            load_rules(path)
    else:
        assert load_rules(path).sentence_length.life == life
