"""Codes shared by the flow model's modules: levels, custody, PSF and MGTV names, column sets."""

from __future__ import annotations

NO = 10**9  # no date / nothing scheduled
MIN, LOW, MED, HIGH, ADMIN = 0, 1, 2, 3, 4
UNAS = -1
C_MAX, C_IN, C_OUT, C_COMM = 0, 1, 2, 3
ALLOWED = {MIN: (C_OUT, C_COMM), LOW: (C_IN, C_OUT, C_COMM), MED: (C_IN, C_OUT)}
DEFAULT_CUSTODY = {MIN: C_OUT, LOW: C_IN, MED: C_IN}

PSF_NAMES = (
    "",
    "DEPORTABLE ALIEN",
    "SEX OFFENDER",
    "GREATEST SEVERITY OFFENSE",
    "THREAT TO GOVERNMENT OFFICIALS",
    "DEPORTABLE ALIEN;GREATEST SEVERITY OFFENSE",
    "SERIOUS ESCAPE",
    "PRISON DISTURBANCE",
)
PSF_LOW = (1, 2, 3, 4, 5)  # indexes whose floor is LOW
PSF_MED = (6, 7)  # indexes whose floor is MEDIUM
MGTV_NAMES = (
    "",
    "GREATER SECURITY",
    "POPULATION MANAGEMENT",
    "LESSER SECURITY",
    "JUDICIAL RECOMMENDATION",
    "RELEASE RESIDENCE",
    "PSF WAIVED",
    "WORK CADRE",
)
MGTV_UP = (1, 2)  # placed above the required level
MGTV_DOWN = (3, 4, 5)  # placed below it

# Columns that can change while a person is here: a change opens a new segment.
MUTABLE = (
    "unit",
    "bed",
    "points",
    "scored",
    "custody",
    "psf",
    "mgtv",
    "mgtv_exp",
    "init_class",
    "last_review",
    "med",
    "mh",
)
STATIC = (
    "serial",
    "district",
    "first",
    "last",
    "birth",
    "prd",
    "relm",
    "detainer",
    "cim",
    "arrival",
    "desig_level",
    "desig_day",
    "via_transfer",
    "life",
)
LIFE_YEARS = 25  # remaining sentences drawn this long are written as LIFE (their date is never reached)
SCHEDULE = (
    "class_day",
    "review_day",
    "move_day",
    "move_level",
    "transfer_day",
    "shu_until",
    "home",
    "fix_day",
    "fix_kind",
    "open_request",
    "mgtv_day",
)
