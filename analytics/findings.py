"""Program Review trends (domain.md section 6): repeat findings and corrective-action status.

Pure functions over the `findings` frame of `loaders.load(..., kind="findings")`; the
as-of date is always an argument.

Rules, as domain.md section 6 states them:
- A finding is a **repeat** when an earlier review (strictly earlier review date) of the same
  facility found the same discipline and policy reference. A blank facility is the home
  institution. Policy references match case-insensitively with runs of white space folded;
  disciplines and facility names are compared the same way, so that one office's
  "Health Services" and another's "HEALTH  SERVICES" are one discipline.
- A finding with no policy reference is never a repeat, and never makes another finding one:
  without a reference there is nothing to say that two findings are the same deficiency.
- `repeat_of` is the review date of the earliest earlier match.
- Corrective-action status at the as-of date: CLOSED (closed on or before its due date, or
  closed with no due date), CLOSED LATE (closed after its due date), OVERDUE (not closed, due
  before the as-of date), OPEN otherwise. A closing date after the as-of date is not closed yet.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

STATUSES = ("OVERDUE", "OPEN", "CLOSED LATE", "CLOSED")
RATINGS = ("SUPERIOR", "GOOD", "ACCEPTABLE", "DEFICIENT", "AT RISK")  # best to worst
PROGRAM_REVIEW = "PROGRAM REVIEW"


def fold(values: pd.Series) -> pd.Series:
    """Upper case, runs of white space folded to one space, ends stripped; blank -> <NA>."""
    s = values.astype("str").str.upper().str.replace(r"\s+", " ", regex=True).str.strip()
    return s.mask(s == "")


def _dates(frame: pd.DataFrame, column: str) -> pd.Series:
    if column not in frame.columns:
        return pd.Series(pd.NaT, index=frame.index, dtype="datetime64[ns]")
    return pd.to_datetime(frame[column]).dt.normalize()


def _text(frame: pd.DataFrame, column: str) -> pd.Series:
    if column not in frame.columns:
        return pd.Series(pd.NA, index=frame.index, dtype="str")
    return frame[column].astype("str")


def repeats(findings: pd.DataFrame) -> pd.DataFrame:
    """`repeat` (bool) and `repeat_of` (review date of the earliest earlier match, else NaT) per finding."""
    review = _dates(findings, "review_date")
    facility = fold(_text(findings, "facility")).fillna("")  # blank = the home institution
    keys = pd.DataFrame(
        {
            "facility": facility,
            "discipline": fold(_text(findings, "discipline")),
            "reference": fold(_text(findings, "policy_reference")),
            "review": review,
        }
    )
    usable = keys["discipline"].notna() & keys["reference"].notna() & review.notna()
    first = keys[usable].groupby(["facility", "discipline", "reference"])["review"].transform("min")
    first = first.reindex(findings.index)
    is_repeat = (usable & (first < review)).astype(bool)
    return pd.DataFrame({"repeat": is_repeat, "repeat_of": first.where(is_repeat)}, index=findings.index)


def action_status(findings: pd.DataFrame, as_of: date) -> pd.Series:
    """CLOSED, CLOSED LATE, OVERDUE or OPEN per finding at the as-of date."""
    day = pd.Timestamp(as_of)
    due = _dates(findings, "corrective_action_due")
    closed = _dates(findings, "corrective_action_closed")
    closed = closed.where(closed <= day)  # closed later: not closed yet
    status = np.select(
        [closed.notna() & (due.isna() | (closed <= due)), closed.notna(), due < day],
        ["CLOSED", "CLOSED LATE", "OVERDUE"],
        default="OPEN",
    )
    return pd.Series(status, index=findings.index, dtype="str", name="action_status")


def annotate(findings: pd.DataFrame, as_of: date) -> pd.DataFrame:
    """The log with `facility` (always present), `repeat`, `repeat_of` and `action_status` added."""
    out = findings.copy()
    if "facility" not in out.columns:
        out["facility"] = pd.Series(pd.NA, index=out.index, dtype="str")
    r = repeats(out)
    out["repeat"], out["repeat_of"] = r["repeat"], r["repeat_of"]
    out["action_status"] = action_status(out, as_of)
    return out


def home(annotated: pd.DataFrame, facility: str | None = None) -> pd.DataFrame:
    """The rows of one facility: the home institution (blank facility) when facility is None."""
    f = fold(_text(annotated, "facility"))
    return annotated[f.isna()] if facility is None else annotated[f == fold(pd.Series([facility])).iat[0]]


def scope_counts(annotated: pd.DataFrame) -> tuple[int, int]:
    """(findings of the home institution, findings of other facilities) in a log.

    The one split of the log every surface uses: the pages and the briefing count the home
    institution's (`home`); `popdash findings` lists every row and says how many are whose.
    """
    own = len(home(annotated))
    return own, len(annotated) - own


def scope_sentence(annotated: pd.DataFrame) -> str:
    """'49 of the home institution, 4 of other facilities', or 'all of the home institution'."""
    own, other = scope_counts(annotated)
    if other == 0:
        return "all of the home institution"
    return f"{own:,} of the home institution, {other:,} of other facilities"


def trend(annotated: pd.DataFrame) -> pd.DataFrame:
    """Findings and repeats per review and discipline: review_date, review_type, discipline, findings, repeats."""
    a = annotated.assign(
        review_type=_text(annotated, "review_type").fillna(""), review_date=_dates(annotated, "review_date")
    )
    by = a.groupby(["review_date", "review_type", "discipline"])["repeat"]  # named aggregation costs twice this
    out = pd.DataFrame({"findings": by.size(), "repeats": by.sum()}).reset_index()
    return out.astype({"findings": "int64", "repeats": "int64"}).sort_values(
        ["review_date", "discipline"], ignore_index=True
    )


def repeat_matrix(annotated: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(findings, repeats): discipline x review date counts, zeros where nothing was found."""
    t = trend(annotated)
    return _grid(t, "findings", "sum", fill=0), _grid(t, "repeats", "sum", fill=0)


def _grid(long: pd.DataFrame, values: str, how: str, fill: int | None = None) -> pd.DataFrame:
    """discipline x review date of one column, aggregated by `how`: what pivot_table gives, at a
    fraction of its cost (a page's first render asks for four)."""
    grouped = long.groupby(["discipline", "review_date"])[values].agg(how)
    return grouped.unstack("review_date") if fill is None else grouped.unstack("review_date", fill_value=fill)


def ratings(annotated: pd.DataFrame) -> pd.DataFrame:
    """Rating per review and discipline (the worst when rows differ): review_date, review_type, discipline, rating, rank."""
    if "rating" not in annotated.columns:
        return pd.DataFrame(columns=["review_date", "review_type", "discipline", "rating", "rank"])
    a = annotated.assign(
        rank=fold(annotated["rating"]).map({r: k for k, r in enumerate(RATINGS)}),
        review_type=_text(annotated, "review_type").fillna(""),
        review_date=_dates(annotated, "review_date"),
    ).dropna(subset=["rank"])
    worst = a.groupby(["review_date", "review_type", "discipline"], as_index=False)["rank"].max()
    worst["rank"] = worst["rank"].astype("int64")
    worst["rating"] = worst["rank"].map(dict(enumerate(RATINGS))).astype("str")
    return worst[["review_date", "review_type", "discipline", "rating", "rank"]].sort_values(
        ["review_date", "discipline"], ignore_index=True
    )


def action_queue(annotated: pd.DataFrame, as_of: date, within_days: int = 30) -> pd.DataFrame:
    """Open corrective actions to chase: OVERDUE first (oldest due first), then those due within N days."""
    day = pd.Timestamp(as_of)
    due = _dates(annotated, "corrective_action_due")
    days = (due - day).dt.days
    take = (annotated["action_status"] == "OVERDUE") | (
        (annotated["action_status"] == "OPEN") & days.between(0, within_days)
    )
    q = annotated[take].assign(
        corrective_action_due=due[take],
        days_to_due=days[take].astype("Int64"),
        _order=(annotated["action_status"][take] != "OVERDUE").astype(int),
    )
    return q.sort_values(["_order", "corrective_action_due", "review_date"], kind="stable").drop(columns="_order")


def top_repeats(annotated: pd.DataFrame, n: int = 5) -> pd.DataFrame:
    """The deficiencies found most often: discipline, policy_reference, reviews, first, latest."""
    a = annotated.assign(
        _ref=fold(_text(annotated, "policy_reference")),
        _disc=fold(annotated["discipline"]),
        _fac=fold(_text(annotated, "facility")).fillna(""),
        review_date=_dates(annotated, "review_date"),
    ).dropna(subset=["_ref"])
    keys = ["_fac", "_disc", "_ref"]
    repeated = a[a["repeat"]][keys].drop_duplicates()
    a = a.merge(repeated, on=keys)
    if a.empty:
        return pd.DataFrame(columns=["facility", "discipline", "policy_reference", "reviews", "first", "latest"])
    g = a.groupby(keys, as_index=False).agg(
        facility=("facility", "first"),
        discipline=("discipline", "last"),
        policy_reference=("_ref", "first"),
        reviews=("review_date", "nunique"),
        first=("review_date", "min"),
        latest=("review_date", "max"),
    )
    g = g.sort_values(["reviews", "latest", "discipline"], ascending=[False, False, True], ignore_index=True)
    return g.drop(columns=keys).head(n)


def trending_worse(annotated: pd.DataFrame, review_type: str = PROGRAM_REVIEW) -> pd.DataFrame:
    """Disciplines with more findings, or a worse rating, at the latest review than at the one before.

    Only reviews of `review_type` are compared (a Program Review audits every discipline, an
    Operational Review or self-audit only some), unless the log has none of that type.
    """
    cols = [
        "discipline",
        "previous_review",
        "latest_review",
        "previous_findings",
        "latest_findings",
        "previous_rating",
        "latest_rating",
        "why",
    ]
    kinds = fold(_text(annotated, "review_type"))
    a = annotated[kinds == review_type] if (kinds == review_type).any() else annotated
    dates = sorted(_dates(a, "review_date").dropna().unique())
    if len(dates) < 2:
        return pd.DataFrame(columns=cols)
    prev, last = pd.Timestamp(dates[-2]), pd.Timestamp(dates[-1])
    counts = _grid(trend(a), "findings", "sum")
    counts = counts.reindex(columns=[prev, last]).fillna(0).astype("int64")
    rated = _grid(ratings(a), "rank", "max")
    rated = rated.reindex(index=counts.index, columns=[prev, last])
    more = counts[last] > counts[prev]
    lower = (rated[last] > rated[prev]).fillna(False).astype(bool)
    name = dict(enumerate(RATINGS))
    out = pd.DataFrame(
        {
            "discipline": counts.index,
            "previous_review": prev,
            "latest_review": last,
            "previous_findings": counts[prev].to_numpy(),
            "latest_findings": counts[last].to_numpy(),
            "previous_rating": rated[prev].map(name).to_numpy(),
            "latest_rating": rated[last].map(name).to_numpy(),
        }
    )
    why = np.where(
        more.to_numpy() & lower.to_numpy(),
        "more findings and a lower rating",
        np.where(more.to_numpy(), "more findings", "lower rating"),
    )
    out["why"] = why
    keep = (more | lower).to_numpy()
    return out[keep].sort_values(["latest_findings", "discipline"], ascending=[False, True], ignore_index=True)


def _day(d: date) -> str:
    """'3 Mar 2026', as the dashboard writes dates."""
    t = pd.Timestamp(d)
    return f"{t.day} {t:%b %Y}"


def agenda(
    annotated: pd.DataFrame,
    as_of: date,
    within_days: int = 30,
    top: int = 5,
    *,
    queue: pd.DataFrame | None = None,
    worse: pd.DataFrame | None = None,
) -> str:
    """Plain text for the next case-management meeting: top repeats, overdue actions, disciplines trending worse.

    `queue` and `worse`: `action_queue(home(annotated), as_of, within_days)` and
    `trending_worse(home(annotated))` when the caller has them already (the page shows both).
    """
    log = home(annotated)
    lines = [f"Program Review follow-up for the case-management meeting (as of {_day(as_of)})", ""]
    reviews = _dates(log, "review_date").nunique()
    lines.append(
        f"Findings log: {len(log):,} findings of the home institution over {reviews:,} reviews, "
        f"{int(log['repeat'].sum()):,} of them repeats."
    )
    lines += ["", "1. Repeat findings (found again at a later review)"]
    rep = top_repeats(log, top)
    lines += [
        f"   - {r.discipline}, {r.policy_reference}: found at {r.reviews} reviews, "
        f"first {_day(r.first)}, latest {_day(r.latest)}"
        for r in rep.itertuples()
    ] or ["   - none"]
    if queue is None:
        queue = action_queue(log, as_of, within_days)
    overdue = queue[queue["action_status"] == "OVERDUE"]
    soon = queue[queue["action_status"] == "OPEN"]
    lines += ["", f"2. Overdue corrective actions ({len(overdue)})"]
    lines += [_action_line(r, "overdue") for _, r in overdue.iterrows()] or ["   - none"]
    lines += ["", f"3. Corrective actions due within {within_days} days ({len(soon)})"]
    lines += [_action_line(r, "due") for _, r in soon.iterrows()] or ["   - none"]
    if worse is None:
        worse = trending_worse(log)
    head = "4. Disciplines trending worse"
    if len(worse):
        head += f" ({_day(worse['latest_review'].iat[0])} against {_day(worse['previous_review'].iat[0])})"
    lines += ["", head]
    for r in worse.itertuples():
        rating = ""
        if isinstance(r.latest_rating, str) and isinstance(r.previous_rating, str):
            rating = f"; rated {r.latest_rating}, was {r.previous_rating}"
        noun = "finding" if r.latest_findings == 1 else "findings"
        lines.append(f"   - {r.discipline}: {r.latest_findings} {noun} against {r.previous_findings}{rating}")
    if not len(worse):
        lines.append("   - none")
    return "\n".join(lines) + "\n"


def _action_line(r: pd.Series, kind: str) -> str:
    ref = r.get("policy_reference")
    ref = f", {ref}" if isinstance(ref, str) and ref else ""
    ident = r.get("finding_id")
    ident = f"{ident} " if isinstance(ident, str) and ident else ""
    days = int(r["days_to_due"])
    if kind == "overdue":
        when = "1 day overdue" if days == -1 else f"{-days} days overdue"
    else:
        when = {0: "due today", 1: "due tomorrow"}.get(days, f"due in {days} days")
    who = r.get("responsible")
    who = f"; {who}" if isinstance(who, str) and who else ""
    return f"   - {ident}{r['discipline']}{ref} (review {_day(r['review_date'])}): due {_day(r['corrective_action_due'])}, {when}{who}"
