"""Facility and rules files (TOML), validated with pydantic.

Both are small, hand-edited files: a mistake gets one clear sentence
(`ConfigError`), never a traceback.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from loaders.errors import PopdashError

LEVELS: tuple[str, ...] = ("MINIMUM", "LOW", "MEDIUM", "HIGH")
"""Ordered security levels: MINIMUM < LOW < MEDIUM < HIGH."""
FACILITY_TYPES = ("FPC", "FCI", "USP", "FCC", "MDC", "MCC", "FDC", "FMC", "MCFP", "FTC")
DEFAULT_RULES = Path(__file__).parent / "defaults" / "rules.toml"

Level = Literal["MINIMUM", "LOW", "MEDIUM", "HIGH"]
UnitLevel = Literal["MINIMUM", "LOW", "MEDIUM", "HIGH", "ADMINISTRATIVE"]
UNIT_LEVELS: tuple[str, ...] = get_args(UnitLevel)  # a unit may also hold every level
Sex = Literal["M", "F"]


class ConfigError(PopdashError):
    """A facility or rules file that cannot be used; the message is one sentence."""


def level_rank(level: str) -> int:
    """Rank of a security level (MINIMUM=0 .. HIGH=3)."""
    return LEVELS.index(level)


def _upper(v: object) -> object:
    return v.strip().upper() if isinstance(v, str) else v


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class FacilityInfo(_Strict):
    code: str = Field(pattern=r"^[A-Za-z]{3}$")
    name: str
    type: str
    security_level: UnitLevel
    medical_care_level: int = Field(default=4, ge=1, le=4)
    mental_health_care_level: int = Field(default=4, ge=1, le=4)
    sex: Sex = "M"
    region: str = ""

    _up = field_validator("code", "type", "security_level", "sex", mode="before")(_upper)

    @field_validator("type")
    @classmethod
    def _known_type(cls, v: str) -> str:
        if v not in FACILITY_TYPES:
            raise ValueError(f"type must be one of {', '.join(FACILITY_TYPES)}")
        return v


class Unit(_Strict):
    name: str
    security_level: UnitLevel | None = None
    rated_capacity: int = Field(ge=0)
    operational_capacity: int | None = Field(default=None, ge=0)

    _up = field_validator("security_level", mode="before")(_upper)


class Thresholds(_Strict):
    occupancy_warning: float = Field(default=0.95, gt=0)
    occupancy_critical: float = Field(default=1.00, gt=0)


class Facility(_Strict):
    """The institution: its own level and care levels, and its housing units."""

    facility: FacilityInfo
    units: list[Unit] = Field(min_length=1)
    thresholds: Thresholds = Thresholds()

    @model_validator(mode="after")
    def _unique_units(self) -> Facility:
        names = [u.name.strip().upper() for u in self.units]
        dupes = sorted({n for n in names if names.count(n) > 1})
        if dupes:
            raise ValueError(f"unit names repeat: {', '.join(dupes)}")
        return self

    def unit_level(self, unit: str) -> str:
        """Security level of a unit (its own, else the facility's)."""
        u = self.unit(unit)
        return u.security_level or self.facility.security_level

    def unit(self, name: str) -> Unit:
        key = name.strip().upper()
        for u in self.units:
            if u.name.strip().upper() == key:
                return u
        raise KeyError(name)

    @property
    def unit_levels(self) -> dict[str, str]:
        """Unit name -> effective security level."""
        return {u.name: u.security_level or self.facility.security_level for u in self.units}

    @property
    def rated_capacity(self) -> int:
        return sum(u.rated_capacity for u in self.units)

    @property
    def operational_capacity(self) -> int:
        """Sum of operational capacities; a unit without one counts its rated capacity."""
        return sum(
            u.operational_capacity if u.operational_capacity is not None else u.rated_capacity for u in self.units
        )

    @property
    def highest_unit_level(self) -> str | None:
        """Highest level among units, ADMINISTRATIVE units aside (None when all are administrative)."""
        levels = [lv for lv in self.unit_levels.values() if lv in LEVELS]
        return max(levels, key=level_rank) if levels else None


class PsfRule(_Strict):
    name: str
    aliases: list[str] = []
    floor_m: Level
    floor_f: Level

    _up = field_validator("name", "floor_m", "floor_f", mode="before")(_upper)

    @field_validator("aliases", mode="before")
    @classmethod
    def _up_aliases(cls, v: object) -> object:
        return [_upper(a) for a in v] if isinstance(v, list) else v


class Days(_Strict):
    initial_classification: int = Field(default=28, ge=0)
    unclassified: int = Field(default=28, ge=0)
    mgtv_expiring: int = Field(default=30, ge=0)
    program_review: int = Field(default=180, ge=0)
    program_review_near_release: int = Field(default=90, ge=0)
    near_release: int = Field(default=365, ge=0)
    cim_review: int = Field(default=60, ge=0)
    due_soon: int = Field(default=14, ge=0)


class SentenceLength(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    default: Level = "LOW"
    life: Level = "HIGH"  # no release date because the sentence is life (or death): the top step
    M: dict[Level, int] = {"HIGH": 30, "MEDIUM": 20, "LOW": 10}
    F: dict[Level, int] = {"HIGH": 30, "MEDIUM": 20, "LOW": 10}

    def ladder(self, sex: str) -> list[tuple[int, str]]:
        """(years, level) pairs, most years first, for a sex ('M' or 'F')."""
        table = self.F if sex == "F" else self.M
        return sorted(((years, lvl) for lvl, years in table.items()), reverse=True)


class Mgtv(_Strict):
    known: list[str] = []

    @field_validator("known", mode="before")
    @classmethod
    def _up_known(cls, v: object) -> object:
        return [_upper(a) for a in v] if isinstance(v, list) else v


class ProjectionDefaults(_Strict):
    """Timing assumptions of the institution projection, used only when the data does not say."""

    arrival_lag_days: int = Field(default=30, ge=0)
    move_lag_days: int = Field(default=30, ge=0)
    refill_days: int = Field(default=14, ge=0)


class Disclosure(_Strict):
    """What a shared screen (the briefing, its PDF and PPTX) may show of a small group of people."""

    small_group: int = Field(default=5, ge=1)  # counts from 1 to this less one read "fewer than N"


class Rules(_Strict):
    """Policy facts and thresholds: everything [S]/[U] lives here, not in code."""

    days: Days = Days()
    points: dict[Sex, dict[Level, tuple[int, int]]] = {}
    psf: list[PsfRule] = []
    sentence_length: SentenceLength = SentenceLength()
    mgtv: Mgtv = Mgtv()
    custody: dict[UnitLevel, list[str]] = {}
    severity: dict[str, Literal["high", "medium", "low"]] = {}
    projection: ProjectionDefaults = ProjectionDefaults()
    disclosure: Disclosure = Disclosure()

    def psf_lookup(self) -> dict[str, PsfRule]:
        """Every known PSF spelling (name or alias, upper case) -> its rule."""
        out: dict[str, PsfRule] = {}
        for rule in self.psf:
            out[rule.name] = rule
            for alias in rule.aliases:
                out[alias] = rule
        return out


def _read_toml(path: Path | str, what: str) -> dict:
    p = Path(path)
    try:
        with p.open("rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        raise ConfigError(f"{what} file not found: {p}") from None
    except IsADirectoryError:
        raise ConfigError(f"{what} file is a folder, not a TOML file: {p}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{what} file {p.name} is not valid TOML: {exc}") from None


def _one_sentence(exc: ValidationError, what: str, name: str) -> ConfigError:
    first = exc.errors()[0]
    where = ".".join(str(x) for x in first["loc"]) or "top level"
    more = f" (and {exc.error_count() - 1} more problems)" if exc.error_count() > 1 else ""
    return ConfigError(f"{what} file {name}: {where}: {first['msg']}{more}")


def load_facility(path: Path | str) -> Facility:
    """Read and validate a facility TOML file."""
    data = _read_toml(path, "facility")
    try:
        return Facility.model_validate(data)
    except ValidationError as exc:
        raise _one_sentence(exc, "facility", Path(path).name) from None


def load_rules(path: Path | str | None = None) -> Rules:
    """Read and validate a rules TOML file (the shipped defaults when path is None)."""
    p = Path(path) if path is not None else DEFAULT_RULES
    data = _read_toml(p, "rules")
    if p != DEFAULT_RULES:
        # A flag the file gives no severity keeps the shipped one: the shipped [severity] table
        # is the one list of severities (domain.md section 5).
        shipped = _read_toml(DEFAULT_RULES, "rules").get("severity", {})
        given = data.get("severity", {})
        data["severity"] = {**shipped, **given} if isinstance(given, dict) else given
    try:
        return Rules.model_validate(data)
    except ValidationError as exc:
        raise _one_sentence(exc, "rules", p.name) from None
