"""Header spellings of real exports: abbreviations, punctuation, word order, and the sentence
when a column is not recognised."""

from __future__ import annotations

import pytest

from loaders import LoadError, _schema, load
from loaders._schema import LOOKUPS, SPECS, norm_header, resolve, suggestions, token_lookup
from tests._loadhelp import write

# Abbreviated spellings of the kind real exports use, none of them in the alias table.
ROSTER = {
    "REG NBR": ("register_number", ["12345-678", "23456-789"]),
    "HSG UNIT": ("unit", ["A1", "B2"]),
    "SECURITY LEV": ("security_level", ["LOW", "MEDIUM"]),
    "CUST LVL": ("custody", ["IN", "OUT"]),
    "ARR DT": ("arrival_date", ["01/05/2026", "02/01/2026"]),
    "GNDR": ("sex", ["M", "M"]),
    "DT OF BIRTH": ("birth_date", ["01/02/1980", "03/04/1975"]),
    "QTR": ("quarters", ["101L", "202U"]),
    "Sec Pt": ("security_points", ["12", "17"]),
    "MGTV": ("mgtv", ["GREATER SECURITY", ""]),
    "MGTV EXP DT": ("mgtv_expires", ["06/30/2027", ""]),
    "MGMT SEC LVL": ("msl", ["", ""]),
    "MED CARE LEV": ("medical_care_level", ["1", "2"]),
    "MH CARE LEV": ("mental_health_care_level", ["1", "1"]),
    "INIT CLASS DT": ("initial_classification_date", ["01/20/2026", "02/15/2026"]),
    "LAST TEAM DT": ("last_program_review_date", ["07/01/2026", "08/01/2026"]),
    "PROJ RLS DT": ("projected_release_date", ["12/31/2030", "LIFE"]),
    "REL MTHD": ("release_method", ["GCT REL", ""]),
    "DTNR": ("detainer", ["N", "Y"]),
    "CIM STAT": ("cim", ["", "SEPARATION"]),
    "InitClassDt": ("initial_classification_date", None),  # a second spelling of one column: not loaded
}


def test_abbreviated_spellings_are_not_in_the_alias_table():
    new = [h for h, (_, v) in ROSTER.items() if h != "MGTV" and v is not None]
    assert len(new) >= 15
    assert [h for h in new if norm_header(h) in LOOKUPS["population"]] == []


def test_roster_with_abbreviated_headers_loads_whole(tmp_path, facility):
    heads = list(ROSTER)
    rows = [",".join((v[i] if v else "") for _, v in ROSTER.values()) for i in range(2)]
    r = load(
        write(tmp_path, "roster_2026-11-22.csv", "\n".join([",".join(heads), *rows]) + "\n"),
        kind="population",
        facility=facility,
    )
    rep = r.report
    assert (rep["rows_read"], rep["rows_accepted"], rep["errors"]) == (2, 2, [])
    assert rep["unknown_columns"] == ["InitClassDt"]
    assert not [w for w in rep["warnings"] if "InitClassDt" in w]  # a repeated column is no typing slip
    loaded = {c for c, v in ROSTER.values() if v is not None}
    assert loaded <= set(r.frame.columns)
    f = r.frame
    assert f["register_number"].tolist() == ["12345-678", "23456-789"]
    assert f["unit"].tolist() == ["A1", "B2"]
    assert f["security_level"].tolist() == ["LOW", "MEDIUM"]
    assert f["custody"].tolist() == ["IN", "OUT"]
    assert f["arrival_date"].dt.strftime("%Y-%m-%d").tolist() == ["2026-01-05", "2026-02-01"]
    assert f["birth_date"].dt.strftime("%Y-%m-%d").tolist() == ["1980-01-02", "1975-03-04"]
    assert f["initial_classification_date"].dt.strftime("%Y-%m-%d").tolist() == ["2026-01-20", "2026-02-15"]
    assert f["last_program_review_date"].dt.strftime("%Y-%m-%d").tolist() == ["2026-07-01", "2026-08-01"]
    assert f["mgtv_expires"].dt.strftime("%Y-%m-%d").tolist()[0] == "2027-06-30"
    assert f["life_sentence"].tolist() == [False, True]
    assert f["security_points"].tolist() == [12, 17]
    assert f["quarters"].tolist() == ["101L", "202U"]
    assert f["detainer"].tolist() == [False, True]
    assert f["release_method"].tolist()[0] == "GCT REL"
    assert f["cim"].tolist()[1] == "SEPARATION"


@pytest.mark.parametrize(
    "kind, header, column",
    [
        ("population", "INIT CLASS DT", "initial_classification_date"),
        ("population", "Init. Class. Dt.", "initial_classification_date"),
        ("population", "init_class_dte", "initial_classification_date"),
        ("population", "INITIAL CLASSIFICATION DT", "initial_classification_date"),
        ("population", "LAST TEAM DT", "last_program_review_date"),
        ("population", "DT LAST TEAM", "last_program_review_date"),  # word order does not matter
        ("population", "REG #", "register_number"),
        ("population", "REGISTER NUM", "register_number"),
        ("population", "MH LVL", "mental_health_care_level"),
        ("population", "MENTAL HEALTH CARE LEVEL", "mental_health_care_level"),
        ("population", "PRJ RLS DTE", "projected_release_date"),
        ("population", "HOUSING UNIT", "unit"),
        ("population", "SEC LEV", "security_level"),
        ("designations", "DESIG DT", "designation_date"),
        ("designations", "EXP ARR DT", "expected_arrival_date"),  # EXP read as "expected"
        ("designations", "MGTV EXPIRES", "mgtv_expires"),  # ... and as "expires"
        ("designations", "CURR LOC", "current_location"),
        ("designations", "SEC LVL", "security_level"),
        ("redesignations", "REQ DT", "request_date"),
        ("redesignations", "XFER TYPE", "transfer_type"),
        ("redesignations", "TGT SEC LVL", "target_security_level"),
        ("redesignations", "EXP MV DT", "expected_move_date"),
        ("redesignations", "REQ STAT", "status"),
        ("facility_counts", "POP", "population"),
        ("facility_counts", "FACL CD", None),  # CD is not an abbreviation the table knows
        ("facility_counts", "PEND IN", "pending_in"),
        ("facility_counts", "RATED CAP", "rated_capacity"),
        ("facility_counts", "DT", "date"),
        ("findings", "REVIEW DT", "review_date"),
        ("findings", "FINDING NBR", "finding_id"),
        ("findings", "POL REF", "policy_reference"),
        ("findings", "SEV", "severity"),
        ("population", "INITCLASSDT", "initial_classification_date"),  # written without spaces
        ("population", "LASTTEAMDT", "last_program_review_date"),
        ("population", "HSGUNIT", "unit"),
        ("designations", "EXPARRDT", "expected_arrival_date"),
        ("population", "SHOESIZE", None),
        ("population", "EXP ARR DT", None),  # no column of a roster
        ("population", "SHOE SIZE", None),
    ],
)
def test_header_spelling_resolves(kind, header, column):
    assert resolve(header, kind)[0] == column


def test_exact_spelling_claims_its_column_before_an_abbreviated_one(tmp_path):
    text = "register_number,unit,security_level,SEC LEV,custody,Arrival Date\n12345-678,A1,LOW,HIGH,IN,2026-01-05\n"
    r = load(write(tmp_path, "r_2026-11-22.csv", text), kind="population")
    assert r.frame["security_level"].tolist() == ["LOW"]
    assert r.report["unknown_columns"] == ["SEC LEV"]


def test_two_columns_sharing_abbreviated_words_is_refused(monkeypatch):
    spec = (
        _schema.Col("initial_date", "date", False, ("init dt",)),
        _schema.Col("first_date", "date", False, ("initial date",)),
    )
    monkeypatch.setitem(SPECS, "population", spec)
    with pytest.raises(ValueError, match="name both initial_date and first_date"):
        token_lookup("population")


@pytest.mark.parametrize("kind", sorted(SPECS))
def test_every_kind_builds_without_ambiguity(kind):
    table = token_lookup(kind)
    assert set(table.values()) == {c.name for c in SPECS[kind] if c.type not in _schema.DERIVED}


# --- not recognised; did you mean ----------------------------------------------------------------


def test_required_column_absent_names_the_header_that_is_probably_it(tmp_path):
    text = "Reg No,Hsng Unt,Sec Lvl,Cust,Arr Dt\n12345-678,A1,LOW,IN,2026-01-05\n"
    with pytest.raises(LoadError) as err:
        load(write(tmp_path, "r_2026-11-22.csv", text), kind="population")
    assert str(err.value) == (
        "required column unit is absent from the population file r_2026-11-22.csv; "
        "Hsng Unt was not recognised; did you mean unit?"
    )


def test_required_column_absent_lists_unrecognised_headers_when_none_is_close(tmp_path):
    text = "Reg No,Sec Lvl,Cust,Arr Dt,Shoe Size\n12345-678,LOW,IN,2026-01-05,9\n"
    with pytest.raises(LoadError, match="; headers not recognised: Shoe Size$"):
        load(write(tmp_path, "r_2026-11-22.csv", text), kind="population")


def test_optional_column_absent_is_a_warning_with_the_closest_column(tmp_path):
    text = "Reg No,Unit,Sec Lvl,Cust,Arr Dt,Init Clss Dt,Shoe Size\n12345-678,A1,LOW,IN,2026-01-05,2026-01-20,9\n"
    rep = load(write(tmp_path, "r_2026-11-22.csv", text), kind="population").report
    assert rep["unknown_columns"] == ["Init Clss Dt", "Shoe Size"]
    assert "Init Clss Dt was not recognised; did you mean initial_classification_date?" in rep["warnings"]
    assert not [w for w in rep["warnings"] if w.startswith("Shoe Size")]


@pytest.mark.parametrize(
    "fields, kind, expected",
    [
        (["Reg No", "Hsng Unt"], "population", {"Hsng Unt": "unit"}),
        (["Reg No", "Unit", "Lst Team Dt"], "population", {"Lst Team Dt": "last_program_review_date"}),
        (["Reg No", "Unit", "Favourite Colour", "Notes", "Age"], "population", {}),
        (["Reg No", "Desgn Date"], "designations", {"Desgn Date": "designation_date"}),
        (["Facility", "Date", "Populaton"], "facility_counts", {"Populaton": "population"}),
        # a column the file already has is never suggested again
        (["Reg No", "Unit", "Unt"], "population", {}),
    ],
)
def test_suggestions(fields, kind, expected):
    assert suggestions(fields, kind) == expected


def test_flags_command_names_the_header_behind_a_skipped_rule(tmp_path, capsys):
    from popdash.cli import main
    from tests.conftest import SAMPLE_FACILITY

    text = (
        "Reg No,Unit,Sec Lvl,Cust,Arr Dt,PSF,MGTV,Init Clss Dt,LAST TEAM DT\n"
        "12345-678,A1,LOW,IN,2026-11-01,,,2026-11-10,2026-11-12\n"
    )
    path = write(tmp_path, "roster_2026-11-22.csv", text)
    assert main(["flags", str(path), "--facility", str(SAMPLE_FACILITY)]) == 0
    out = capsys.readouterr().out
    hint = "Init Clss Dt was not recognised; did you mean initial_classification_date?"
    assert f"CLASSIFICATION-OVERDUE: the roster has no initial_classification_date column; {hint}" in out
    assert f"the roster has no initial_classification_date column; {hint}" in out.split("Warnings:")[1]
    assert "REVIEW-OVERDUE:" not in out  # LAST TEAM DT was read as last_program_review_date
