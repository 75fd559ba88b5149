"""Flag rules of domain.md section 5, one table row per boundary (as-of 2026-11-22)."""

from __future__ import annotations

import pandas as pd
import pytest

from analytics.flags import COLUMNS, RULE_IDS, evaluate_flags

AS_OF = pd.Timestamp("2026-11-22")
SEC_MGTV = {"SEC-ABOVE", "SEC-BELOW", "MGTV-EXPIRED", "MGTV-EXPIRING"}

# An inmate no rule flags: LOW in a LOW unit, classified, reviewed recently, release far off.
CLEAN = {
    "register_number": "10000-001",
    "unit": "D1",
    "security_level": "LOW",
    "custody": "IN",
    "arrival_date": "2025-01-01",
    "sex": "M",
    "psf": None,
    "mgtv": None,
    "mgtv_expires": None,
    "medical_care_level": 1,
    "mental_health_care_level": 1,
    "initial_classification_date": "2025-01-20",
    "last_program_review_date": "2026-10-01",
    "projected_release_date": "2030-06-01",
}
TEXT = ("register_number", "unit", "security_level", "custody", "sex", "psf", "mgtv")
DATES = (
    "arrival_date",
    "mgtv_expires",
    "initial_classification_date",
    "last_program_review_date",
    "projected_release_date",
)


def ago(days: int) -> str:
    return (AS_OF - pd.Timedelta(days=days)).strftime("%Y-%m-%d")


def ahead(days: int = 0, years: int = 0) -> str:
    return (AS_OF + pd.DateOffset(years=years) + pd.Timedelta(days=days)).strftime("%Y-%m-%d")


def frame(*rows: dict, drop: tuple[str, ...] = ()) -> pd.DataFrame:
    """A canonical roster frame (loaders' dtypes) from CLEAN plus per-row changes.

    A projected_release_date of "LIFE" becomes what the loader makes of it: NaT and life_sentence True.
    """
    recs = [{**CLEAN, "register_number": f"10000-{i + 1:03d}", **r} for i, r in enumerate(rows)]
    df = pd.DataFrame(recs)
    life = df["projected_release_date"].eq("LIFE")
    df["projected_release_date"] = df["projected_release_date"].mask(life, None)
    out = {c: df[c].astype("str") for c in TEXT}
    out |= {c: pd.to_datetime(df[c]).astype("datetime64[us]") for c in DATES}
    if life.any():
        out["life_sentence"] = life.astype("boolean")
    out |= {c: df[c].astype("Int64") for c in ("medical_care_level", "mental_health_care_level")}
    out["line"] = pd.Series(range(2, len(df) + 2))
    return pd.DataFrame(out).drop(columns=list(drop))


def rules_hit(facility, rules, row: dict, **kw) -> set[str]:
    report = evaluate_flags(frame(row), facility, rules, AS_OF, **kw)
    return set(report.flags["rule"])


def test_clean_inmate_has_no_flags(facility, rules):
    report = evaluate_flags(frame({}), facility, rules, AS_OF)
    assert report.flags.empty
    assert list(report.flags.columns) == COLUMNS
    assert report.skipped == [("DESIG-LEVEL", "no designations file was given")]
    assert report.warnings == []


@pytest.mark.parametrize(
    "row, expected",
    [
        ({}, set()),
        ({"unit": "CAMP"}, {"SEC-ABOVE"}),
        ({"unit": "A1"}, {"SEC-BELOW"}),
        ({"unit": "CAMP", "security_level": "MINIMUM", "custody": "OUT", "psf": "SEX OFFENDER"}, {"SEC-ABOVE"}),
        ({"unit": "CAMP", "security_level": "MINIMUM", "custody": "OUT"}, set()),
        (
            {
                "unit": "CAMP",
                "security_level": "MINIMUM",
                "custody": "OUT",
                "psf": "SEX OFFENDER",
                "mgtv": "POPULATION MANAGEMENT",
            },
            set(),
        ),
        (
            {"unit": "CAMP", "custody": "OUT", "mgtv": "POPULATION MANAGEMENT", "mgtv_expires": ahead(0)},
            {"MGTV-EXPIRING"},
        ),
        (
            {"unit": "CAMP", "custody": "OUT", "mgtv": "POPULATION MANAGEMENT", "mgtv_expires": ahead(30)},
            {"MGTV-EXPIRING"},
        ),
        ({"unit": "CAMP", "custody": "OUT", "mgtv": "POPULATION MANAGEMENT", "mgtv_expires": ahead(31)}, set()),
        (
            {"unit": "CAMP", "custody": "OUT", "mgtv": "POPULATION MANAGEMENT", "mgtv_expires": ago(1)},
            {"MGTV-EXPIRED", "SEC-ABOVE"},
        ),
        ({"unit": "A1", "mgtv": "POPULATION MANAGEMENT", "mgtv_expires": ago(1)}, {"MGTV-EXPIRED", "SEC-BELOW"}),
        ({"mgtv": "POPULATION MANAGEMENT", "mgtv_expires": ago(1)}, set()),  # R == level: nothing to justify
        ({"mgtv": "POPULATION MANAGEMENT", "mgtv_expires": ahead(3)}, set()),
        ({"unit": "SHU", "security_level": "HIGH", "custody": "MAXIMUM"}, set()),  # ADMINISTRATIVE unit exempt
        ({"unit": "SHU", "mgtv": "WORK CADRE", "mgtv_expires": ago(5)}, set()),
        ({"unit": "SHU", "mgtv": "WORK CADRE", "mgtv_expires": ahead(5)}, set()),
        ({"unit": "CAMP", "custody": "OUT", "security_level": "UNASSIGNED", "psf": "DSG"}, set()),  # UNASSIGNED exempt
        ({"unit": "A1", "security_level": "UNASSIGNED", "mgtv": "WORK CADRE", "mgtv_expires": ago(5)}, set()),
        ({"psf": "DSG"}, {"SEC-ABOVE"}),
        ({"psf": "DSG", "sex": "F"}, set()),  # female floor LOW
        ({"psf": "DISRUPTIVE GROUP;SEX OFFENDER"}, {"SEC-ABOVE"}),
        ({"unit": "A1", "psf": "SERIOUS ESCAPE"}, set()),  # male floor MEDIUM
        ({"unit": "A1", "psf": "SERIOUS ESCAPE", "sex": "F"}, {"SEC-BELOW"}),  # female floor LOW
        ({"unit": "A1", "psf": "PRISON DISTURBANCE", "sex": "F"}, set()),
        ({"unit": "CAMP", "custody": "OUT", "security_level": "MINIMUM", "psf": "NOT A REAL PSF"}, {"SEC-ABOVE"}),
        ({"unit": "A1", "psf": "NOT A REAL PSF"}, {"SEC-BELOW"}),  # unknown counts as LOW, not higher
    ],
)
def test_sec_and_mgtv_rules(facility, rules, row, expected):
    assert rules_hit(facility, rules, row) & SEC_MGTV == expected


@pytest.mark.parametrize(
    "unit, prd, expected",
    [
        ("D1", ahead(years=10), set()),  # exactly 10 years: not more than 10 -> LOW (the default)
        ("D1", ahead(1, years=10), set()),  # more than 10 -> LOW
        ("D1", ahead(years=20), set()),  # exactly 20: LOW
        ("D1", ahead(1, years=20), {"SEC-ABOVE"}),  # more than 20: MEDIUM
        ("A1", ahead(years=20), {"SEC-BELOW"}),
        ("A1", ahead(1, years=20), set()),
        ("A1", ahead(years=30), set()),  # exactly 30: MEDIUM
        ("A1", ahead(1, years=30), {"SEC-ABOVE"}),  # more than 30: HIGH
        ("CAMP", None, {"SEC-ABOVE"}),  # unknown release date: LOW
        ("CAMP", ago(10), {"SEC-ABOVE"}),  # release date already passed: LOW
        ("A1", "LIFE", {"SEC-ABOVE"}),  # life: HIGH, above a MEDIUM unit
        ("SHU", "LIFE", set()),  # ADMINISTRATIVE unit exempt
    ],
)
def test_sentence_length_floor(facility, rules, unit, prd, expected):
    row = {
        "unit": unit,
        "security_level": "MINIMUM",
        "custody": "OUT",
        "psf": "SENTENCE LENGTH",
        "projected_release_date": prd,
        "last_program_review_date": ago(1),
    }
    assert rules_hit(facility, rules, row) & SEC_MGTV == expected


def test_facility_sex_when_roster_has_none(facility, rules):
    women = facility.model_copy(update={"facility": facility.facility.model_copy(update={"sex": "F"})})
    row = {"psf": "DSG"}
    assert rules_hit(facility, rules, {**row, "sex": None}) == {"SEC-ABOVE"}
    assert rules_hit(women, rules, {**row, "sex": None}) == set()
    assert evaluate_flags(frame(row, drop=("sex",)), women, rules, AS_OF).flags.empty
    assert rules_hit(women, rules, {**row, "sex": "M"}) == {"SEC-ABOVE"}


@pytest.mark.parametrize(
    "row, expected",
    [
        ({"security_level": "UNASSIGNED", "arrival_date": ago(28)}, set()),
        ({"security_level": "UNASSIGNED", "arrival_date": ago(29)}, {"UNCLASSIFIED"}),
        ({"security_level": "UNASSIGNED", "arrival_date": ago(0)}, set()),
        ({"security_level": "UNASSIGNED", "arrival_date": None}, set()),
        ({"initial_classification_date": None, "arrival_date": ago(28), "last_program_review_date": None}, set()),
        (
            {"initial_classification_date": None, "arrival_date": ago(29), "last_program_review_date": None},
            {"CLASSIFICATION-OVERDUE"},
        ),
        ({"initial_classification_date": ago(1), "arrival_date": ago(29)}, set()),
        (
            {
                "security_level": "UNASSIGNED",
                "initial_classification_date": None,
                "last_program_review_date": None,
                "arrival_date": ago(40),
            },
            {"UNCLASSIFIED", "CLASSIFICATION-OVERDUE"},
        ),
    ],
)
def test_classification_rules(facility, rules, row, expected):
    assert rules_hit(facility, rules, row) == expected


@pytest.mark.parametrize(
    "review, initial, prd, expected",
    [
        (ago(180), ago(400), ahead(years=5), set()),
        (ago(181), ago(400), ahead(years=5), {"REVIEW-OVERDUE"}),
        (None, ago(180), ahead(years=5), set()),  # no review: the initial classification counts
        (None, ago(181), ahead(years=5), {"REVIEW-OVERDUE"}),
        (None, None, ahead(years=5), set()),  # neither date: CLASSIFICATION-OVERDUE's job, not this rule's
        (ago(90), ago(400), ahead(365), set()),  # release within 365 days: 90-day interval
        (ago(91), ago(400), ahead(365), {"REVIEW-OVERDUE"}),
        (ago(91), ago(400), ahead(366), set()),  # release 366 days away: 180-day interval
        (ago(91), ago(400), ahead(0), {"REVIEW-OVERDUE"}),  # release today: within 0 days
        (ago(91), ago(400), ago(1), set()),  # release date passed: not "within", 180 applies
        (ago(91), ago(400), None, set()),
        (ago(91), ago(400), "LIFE", set()),  # a lifer is never near release: 180-day interval
        (ago(180), ago(400), "LIFE", set()),
        (ago(181), ago(400), "LIFE", {"REVIEW-OVERDUE"}),
    ],
)
def test_review_overdue(facility, rules, review, initial, prd, expected):
    row = {"last_program_review_date": review, "initial_classification_date": initial, "projected_release_date": prd}
    assert rules_hit(facility, rules, row) & {"REVIEW-OVERDUE"} == expected


@pytest.mark.parametrize(
    "unit, level, custody, expected",
    [
        ("CAMP", "MINIMUM", "OUT", set()),
        ("CAMP", "MINIMUM", "COMMUNITY", set()),
        ("CAMP", "MINIMUM", "IN", {"CUSTODY-UNIT"}),
        ("D1", "LOW", "COMMUNITY", set()),
        ("D1", "LOW", "MAXIMUM", {"CUSTODY-UNIT"}),
        ("A1", "MEDIUM", "OUT", set()),
        ("A1", "MEDIUM", "COMMUNITY", {"CUSTODY-UNIT"}),
        ("SHU", "HIGH", "MAXIMUM", set()),  # ADMINISTRATIVE allows every custody
        ("CAMP", "UNASSIGNED", "IN", {"CUSTODY-UNIT"}),  # UNASSIGNED is exempt from SEC-*/MGTV-* only
    ],
)
def test_custody_unit(facility, rules, unit, level, custody, expected):
    row = {"unit": unit, "security_level": level, "custody": custody}
    assert rules_hit(facility, rules, row) & {"CUSTODY-UNIT"} == expected


@pytest.mark.parametrize(
    "medical, mental, expected",
    [
        (2, 2, None),
        (3, 2, "medical care level 3 above the institution's 2"),
        (2, 4, "mental-health care level 4 above the institution's 2"),
        (3, 3, "medical care level 3 above the institution's 2; mental-health care level 3 above the institution's 2"),
        (None, None, None),
        (None, 3, "mental-health care level 3 above the institution's 2"),
    ],
)
def test_care_level(facility, rules, medical, mental, expected):
    row = {"medical_care_level": medical, "mental_health_care_level": mental}
    flags = evaluate_flags(frame(row), facility, rules, AS_OF).flags
    care = flags[flags["rule"] == "CARE-LEVEL"]
    assert list(care["explanation"]) == ([] if expected is None else [expected])


@pytest.mark.parametrize(
    "drop, skipped",
    [
        (("psf",), {"SEC-ABOVE", "SEC-BELOW", "MGTV-EXPIRED", "MGTV-EXPIRING"}),
        (("mgtv",), {"SEC-ABOVE", "SEC-BELOW", "MGTV-EXPIRED", "MGTV-EXPIRING"}),
        (("mgtv_expires",), {"MGTV-EXPIRED", "MGTV-EXPIRING"}),
        (("medical_care_level",), set()),
        (("medical_care_level", "mental_health_care_level"), {"CARE-LEVEL"}),
        (("initial_classification_date",), {"CLASSIFICATION-OVERDUE"}),
        (("last_program_review_date",), {"REVIEW-OVERDUE"}),
        (("custody",), {"CUSTODY-UNIT"}),
        (("arrival_date",), {"UNCLASSIFIED", "CLASSIFICATION-OVERDUE"}),
    ],
)
def test_missing_column_skips_the_rule(facility, rules, drop, skipped):
    report = evaluate_flags(frame({"unit": "CAMP"}, drop=drop), facility, rules, AS_OF)
    got = {rule for rule, _ in report.skipped} - {"DESIG-LEVEL"}
    assert got == skipped
    for _rule, reason in report.skipped:
        assert reason and "\n" not in reason
    assert not set(report.flags["rule"]) & skipped


def test_missing_mgtv_expires_counts_every_mgtv_active_and_warns(facility, rules):
    report = evaluate_flags(
        frame({"unit": "CAMP", "custody": "OUT", "mgtv": "WORK CADRE"}, drop=("mgtv_expires",)), facility, rules, AS_OF
    )
    assert report.flags.empty
    assert any("mgtv_expires" in w for w in report.warnings)


def test_unknown_names_are_warned_without_register_numbers(facility, rules):
    rows = [{"psf": "MADE UP;SEX OFFENDER"}, {"psf": "MADE UP"}, {"psf": "OTHER THING"}, {"mgtv": "NEW CODE"}]
    report = evaluate_flags(frame(*rows), facility, rules, AS_OF)
    assert (
        "3 inmates carry PSF names the rules file does not know, counted as LOW: MADE UP, OTHER THING"
        in report.warnings
    )
    assert "1 inmate carries MGTV names the rules file does not know (still honoured): NEW CODE" in report.warnings
    assert not any("10000-" in w for w in report.warnings)


@pytest.mark.parametrize(
    "row, expected",
    [
        (
            {"unit": "CAMP", "security_level": "LOW", "custody": "OUT", "psf": "SEX OFFENDER"},
            "scored LOW; PSF SEX OFFENDER raises to LOW; unit CAMP is MINIMUM; no active MGTV",
        ),
        ({"unit": "CAMP", "custody": "OUT"}, "scored LOW; unit CAMP is MINIMUM; no active MGTV"),
        (
            {"unit": "A1", "psf": "SEX OFFENDER"},
            "scored LOW; PSF SEX OFFENDER raises to LOW; unit A1 is MEDIUM; no active MGTV",
        ),
        ({"psf": "DSG;SXO"}, "scored LOW; PSF DISRUPTIVE GROUP raises to HIGH; unit D1 is LOW; no active MGTV"),
        (
            {"unit": "CAMP", "custody": "OUT", "mgtv": "POPULATION MANAGEMENT", "mgtv_expires": "2026-10-01"},
            "scored LOW; unit CAMP is MINIMUM; MGTV POPULATION MANAGEMENT expired 2026-10-01",
        ),
        (
            {"psf": "SLG", "projected_release_date": ahead(1, years=20)},
            "scored LOW; PSF SENTENCE LENGTH (more than 20 years to release) raises to MEDIUM; unit D1 is LOW; "
            "no active MGTV",
        ),
        (
            {"unit": "CAMP", "custody": "OUT", "security_level": "MINIMUM", "psf": "ZZZ"},
            "scored MINIMUM; PSF ZZZ (unknown, counted as LOW) raises to LOW; unit CAMP is MINIMUM; no active MGTV",
        ),
        (
            {"unit": "A1", "psf": "SENTENCE LENGTH", "projected_release_date": "LIFE"},
            "scored LOW; PSF SENTENCE LENGTH (life sentence) raises to HIGH; unit A1 is MEDIUM; no active MGTV",
        ),
        (
            {"unit": "A1", "psf": "SLG;SXO", "projected_release_date": "LIFE", "sex": "F"},
            "scored LOW; PSF SENTENCE LENGTH (life sentence) raises to HIGH; unit A1 is MEDIUM; no active MGTV",
        ),
    ],
)
def test_sec_explanations(facility, rules, row, expected):
    flags = evaluate_flags(frame(row), facility, rules, AS_OF).flags
    assert list(flags.loc[flags["rule"].str.startswith("SEC-"), "explanation"]) == [expected]


@pytest.mark.parametrize(
    "row, rule, expected",
    [
        (
            {"unit": "CAMP", "custody": "OUT", "mgtv": "POPULATION MANAGEMENT", "mgtv_expires": "2026-10-01"},
            "MGTV-EXPIRED",
            "MGTV POPULATION MANAGEMENT expired 2026-10-01; required LOW, unit CAMP is MINIMUM",
        ),
        (
            {"unit": "CAMP", "custody": "OUT", "mgtv": "WORK CADRE", "mgtv_expires": ahead(0)},
            "MGTV-EXPIRING",
            "MGTV WORK CADRE expires 2026-11-22, today; required LOW, unit CAMP is MINIMUM",
        ),
        (
            {"unit": "CAMP", "custody": "OUT", "mgtv": "WORK CADRE", "mgtv_expires": ahead(9)},
            "MGTV-EXPIRING",
            "MGTV WORK CADRE expires 2026-12-01, in 9 days; required LOW, unit CAMP is MINIMUM",
        ),
        (
            {"security_level": "UNASSIGNED", "arrival_date": "2026-10-01"},
            "UNCLASSIFIED",
            "arrived 2026-10-01, 52 days ago, still UNASSIGNED",
        ),
        (
            {"initial_classification_date": None, "last_program_review_date": None, "arrival_date": "2026-10-01"},
            "CLASSIFICATION-OVERDUE",
            "arrived 2026-10-01, 52 days ago, no initial classification recorded",
        ),
        (
            {"custody": "MAXIMUM"},
            "CUSTODY-UNIT",
            "custody MAXIMUM not allowed in a LOW unit (allowed: IN, OUT, COMMUNITY)",
        ),
        ({"medical_care_level": 3}, "CARE-LEVEL", "medical care level 3 above the institution's 2"),
        (
            {"last_program_review_date": "2026-01-01"},
            "REVIEW-OVERDUE",
            "last program review 2026-01-01, 325 days ago; due every 180 days",
        ),
        (
            {
                "last_program_review_date": None,
                "initial_classification_date": "2026-08-01",
                "projected_release_date": "2027-03-01",
            },
            "REVIEW-OVERDUE",
            "no program review recorded; initial classification 2026-08-01, 113 days ago; due every 90 days "
            "(release 2027-03-01 within 365 days)",
        ),
    ],
)
def test_other_explanations(facility, rules, row, rule, expected):
    flags = evaluate_flags(frame(row), facility, rules, AS_OF).flags
    assert list(flags.loc[flags["rule"] == rule, "explanation"]) == [expected]


def designations(*rows: dict, drop: tuple[str, ...] = ()) -> pd.DataFrame:
    base = {
        "register_number": "20000-001",
        "security_level": "MEDIUM",
        "designation_date": "2026-11-01",
        "psf": None,
        "mgtv": None,
        "mgtv_expires": None,
        "sex": None,
        "projected_release_date": None,
    }
    df = pd.DataFrame([{**base, "register_number": f"20000-{i + 1:03d}", **r} for i, r in enumerate(rows)])
    for c in ("register_number", "security_level", "psf", "mgtv", "sex"):
        df[c] = df[c].astype("str")
    for c in ("designation_date", "mgtv_expires", "projected_release_date"):
        df[c] = pd.to_datetime(df[c]).astype("datetime64[us]")
    return df.drop(columns=list(drop))


@pytest.mark.parametrize(
    "row, flagged",
    [
        ({}, False),  # MEDIUM at a complex whose highest unit is MEDIUM
        ({"security_level": "HIGH"}, True),
        ({"security_level": "LOW", "psf": "DSG"}, True),
        ({"security_level": "LOW", "psf": "DSG", "sex": "F"}, False),
        ({"security_level": "MEDIUM", "psf": "SLG", "projected_release_date": ahead(1, years=30)}, True),
        ({"security_level": "MEDIUM", "psf": "SLG", "projected_release_date": ahead(years=30)}, False),
        ({"security_level": "HIGH", "mgtv": "GREATER SECURITY"}, False),
        ({"security_level": "HIGH", "mgtv": "GREATER SECURITY", "mgtv_expires": ahead(0)}, False),
        ({"security_level": "HIGH", "mgtv": "GREATER SECURITY", "mgtv_expires": ago(1)}, True),  # expired
        ({"security_level": "UNASSIGNED", "psf": "DSG"}, False),
    ],
)
def test_desig_level(facility, rules, row, flagged):
    flags = evaluate_flags(frame({}), facility, rules, AS_OF, designations=designations(row)).flags
    desig = flags[flags["rule"] == "DESIG-LEVEL"]
    assert len(desig) == int(flagged)
    if flagged:
        assert desig.iloc[0]["unit"] == "(inbound)"
        assert desig.iloc[0]["severity"] == "high"
        assert "above the institution's highest unit level MEDIUM" in desig.iloc[0]["explanation"]


def test_desig_level_exempt_at_an_administrative_institution(facility, rules):
    admin = facility.model_copy(
        update={"facility": facility.facility.model_copy(update={"security_level": "ADMINISTRATIVE"})}
    )
    report = evaluate_flags(frame({}), admin, rules, AS_OF, designations=designations({"security_level": "HIGH"}))
    assert "DESIG-LEVEL" not in set(report.flags["rule"])
    assert not any(rule == "DESIG-LEVEL" for rule, _ in report.skipped)


def test_desig_level_skipped_without_its_columns(facility, rules):
    report = evaluate_flags(frame({}), facility, rules, AS_OF, designations=designations({}, drop=("mgtv",)))
    assert report.skipped == [("DESIG-LEVEL", "the designations file has no mgtv column")]


def test_order_severity_then_rule_then_unit(facility, rules):
    rows = [
        {"unit": "A1", "medical_care_level": 3},
        {"unit": "CAMP", "custody": "OUT"},
        {"unit": "A2", "security_level": "HIGH", "last_program_review_date": ago(200)},
        {"custody": "MAXIMUM"},
    ]
    inbound = designations({"security_level": "HIGH"})
    flags = evaluate_flags(frame(*rows), facility, rules, AS_OF, designations=inbound).flags
    assert list(zip(flags["severity"], flags["rule"], flags["unit"])) == [
        ("high", "DESIG-LEVEL", "(inbound)"),
        ("high", "SEC-ABOVE", "A2"),
        ("high", "SEC-ABOVE", "CAMP"),
        ("medium", "CARE-LEVEL", "A1"),
        ("medium", "CUSTODY-UNIT", "D1"),
        ("low", "REVIEW-OVERDUE", "A2"),
        ("low", "SEC-BELOW", "A1"),
    ]
    assert all(str(flags[c].dtype) == "str" for c in COLUMNS)


def test_one_flag_per_inmate_per_rule(facility, rules):
    twice = frame({"unit": "CAMP", "custody": "OUT"}, {"unit": "CAMP", "custody": "OUT"})
    twice["register_number"] = "10000-001"
    flags = evaluate_flags(twice, facility, rules, AS_OF).flags
    assert list(flags["rule"]) == ["SEC-ABOVE"]


def test_severity_comes_from_the_rules_file(facility, rules):
    strict = rules.model_copy(update={"severity": {**rules.severity, "SEC-BELOW": "high"}})
    flags = evaluate_flags(frame({"unit": "A1"}), facility, strict, AS_OF).flags
    assert list(flags["severity"]) == ["high"]


def test_thresholds_come_from_the_rules_file(facility, rules):
    days = rules.days.model_copy(update={"unclassified": 10})
    row = {"security_level": "UNASSIGNED", "arrival_date": ago(11)}
    assert rules_hit(facility, rules, row) == set()
    assert rules_hit(facility, rules.model_copy(update={"days": days}), row) == {"UNCLASSIFIED"}


def test_unlisted_unit_is_warned_not_checked(facility, rules):
    report = evaluate_flags(frame({"unit": "NOWHERE", "custody": "MAXIMUM"}), facility, rules, AS_OF)
    assert report.flags.empty
    assert report.warnings == [
        "1 inmate(s) are in units the facility file does not list: not checked against a unit level"
    ]


def test_empty_roster(facility, rules):
    report = evaluate_flags(frame({}).iloc[0:0], facility, rules, AS_OF)
    assert report.flags.empty and list(report.flags.columns) == COLUMNS


def test_rule_ids_cover_the_domain_table():
    assert set(RULE_IDS) == {
        "SEC-ABOVE",
        "SEC-BELOW",
        "MGTV-EXPIRED",
        "MGTV-EXPIRING",
        "UNCLASSIFIED",
        "CUSTODY-UNIT",
        "CARE-LEVEL",
        "CLASSIFICATION-OVERDUE",
        "REVIEW-OVERDUE",
        "DESIG-LEVEL",
    }


def test_empty_roster_gives_no_column_warnings(facility, rules):
    roster = frame({}, drop=("projected_release_date", "mental_health_care_level")).iloc[0:0]
    report = evaluate_flags(roster, facility, rules, AS_OF, designations=designations({"security_level": "HIGH"}))
    assert report.warnings == [] and list(report.flags["rule"]) == ["DESIG-LEVEL"]


def test_life_floor_comes_from_the_rules_file(facility, rules):
    row = {"unit": "A1", "psf": "SENTENCE LENGTH", "projected_release_date": "LIFE"}
    assert rules_hit(facility, rules, row) & SEC_MGTV == {"SEC-ABOVE"}
    medium = rules.model_copy(update={"sentence_length": rules.sentence_length.model_copy(update={"life": "MEDIUM"})})
    assert rules_hit(facility, medium, row) & SEC_MGTV == set()
    # LIFE without the SENTENCE LENGTH PSF sets no floor of its own
    assert rules_hit(facility, rules, {**row, "psf": None}) & SEC_MGTV == {"SEC-BELOW"}
