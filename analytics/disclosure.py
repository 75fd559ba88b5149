"""Small groups on shared screens: which counts of a breakdown are hidden, and how each one reads.

A count of people from 1 to `small` - 1 (the rules file's `[disclosure] small_group`) reads
"fewer than 5" on the briefing, its PDF and its PPTX. When the breakdown's total is shown too,
a single hidden group could be worked out by subtraction (total minus the groups shown), so
the next-smallest group is hidden as well ("not shown"), and so on until no hidden group can be
worked out from the total and the ranges the words give away.
Pure: counts in, a mask and words out.
"""

from __future__ import annotations

from collections.abc import Sequence

# How a group hidden only to protect a small one reads: it is not small, so "fewer than 5" would be false.
NOT_SHOWN = "not shown"


def is_small(n: int, small: int | None) -> bool:
    """A count of people too small to show on a shared screen: 1 up to `small` less one.

    0 is not small: it names nobody, and "none pending" is a fact the meeting needs.
    """
    return small is not None and 0 < n < small


def _derivable(counts: Sequence[int], hide: Sequence[bool], small: int) -> bool:
    """Whether some hidden group has one possible value, given the total and what each hidden one's words say.

    A reader knows the hidden groups' sum (the total less the groups shown), that a "fewer than"
    group holds 1 to small - 1 and that a "not shown" group holds `small` or more.
    """
    hidden = [i for i, h in enumerate(hide) if h]
    if not hidden:
        return False
    rest = sum(counts[i] for i in hidden)
    low = {i: 1 if is_small(counts[i], small) else small for i in hidden}
    high = {i: small - 1 if is_small(counts[i], small) else rest for i in hidden}
    for i in hidden:
        others_low = sum(low[j] for j in hidden if j != i)
        others_high = sum(high[j] for j in hidden if j != i)
        if max(low[i], rest - others_high) >= min(high[i], rest - others_low):
            return True
    return False


def hidden(counts: Sequence[int], small: int | None, total_shown: bool = True) -> list[bool]:
    """Which groups of a breakdown are hidden: every small one and, when the total is shown, the
    smallest groups shown besides (first in order on a tie) until none can be worked out by subtraction."""
    values = [int(n) for n in counts]
    hide = [is_small(n, small) for n in values]
    if small is None or not total_shown:
        return hide
    while _derivable(values, hide, small):
        left = [(n, i) for i, n in enumerate(values) if not hide[i] and n > 0]
        if not left:
            break  # nothing more to hide: the total itself is then a small group and reads so
        hide[min(left)[1]] = True
    return hide


def group_texts(counts: Sequence[int], small: int | None, total_shown: bool = True) -> list[str]:
    """How each group reads: '703', 'fewer than 5' (a small group) or 'not shown' (hidden beside one)."""
    out = []
    for n, h in zip(counts, hidden(counts, small, total_shown)):
        n = int(n)
        out.append((f"fewer than {small}" if is_small(n, small) else NOT_SHOWN) if h else f"{n:,}")
    return out
