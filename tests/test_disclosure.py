"""Small groups on shared screens: primary and secondary suppression of a breakdown's groups."""

from __future__ import annotations

import pytest

from analytics.disclosure import NOT_SHOWN, group_texts, hidden

F = "fewer than 5"


@pytest.mark.parametrize(
    ("counts", "total_shown", "texts"),
    [
        # nothing small: everything shown, 0 included (it names nobody)
        ([5, 600, 800], True, ["5", "600", "800"]),
        ([0, 600, 800], True, ["0", "600", "800"]),
        # one small group and the total shown: the next-smallest goes with it
        ([4, 600, 800], True, [F, NOT_SHOWN, "800"]),
        ([1, 600, 800], True, [F, NOT_SHOWN, "800"]),
        # ... but without a total nothing can be subtracted
        ([4, 600, 800], False, [F, "600", "800"]),
        # the next-smallest is a group of people, never a 0 (hiding a 0 would protect nothing)
        ([4, 0, 600, 700], True, [F, "0", NOT_SHOWN, "700"]),
        # a tie for next-smallest: the first in order
        ([600, 4, 600], True, [NOT_SHOWN, F, "600"]),
        # two small groups whose sum leaves each one open (7 = 3 + 4 = 4 + 3 = ...): nothing more
        ([3, 4, 600, 800], True, [F, F, "600", "800"]),
        # two small groups that can only be 1 and 1 (their sum is 2): a third goes
        ([1, 1, 600, 800], True, [F, F, NOT_SHOWN, "800"]),
        # three at 4 sum to 12, and "fewer than 5" each leaves only 4 + 4 + 4
        ([4, 4, 4, 600, 800], True, [F, F, F, NOT_SHOWN, "800"]),
        # 1 beside a "not shown" 5: the pair sums to 6, and a group of 5 or more leaves only 1 + 5
        ([1, 5, 600], True, [F, NOT_SHOWN, NOT_SHOWN]),
        # 2 beside a 5: 7 could be 1 + 6 or 2 + 5: both stay open
        ([2, 5, 600], True, [F, NOT_SHOWN, "600"]),
        # a single group: it is the total, which is a small group itself and reads so
        ([4], True, [F]),
        ([4, 0], True, [F, "0"]),
    ],
)
def test_breakdown_groups_shown_and_hidden(counts, total_shown, texts):
    assert group_texts(counts, 5, total_shown) == texts
    assert hidden(counts, 5, total_shown) == [t in (F, NOT_SHOWN) for t in texts]


@pytest.mark.parametrize("counts", [[4, 600, 800], [1, 1, 600]])
def test_no_threshold_shows_every_count(counts):
    """The CMC's own pages: exact counts."""
    assert group_texts(counts, None) == [f"{n:,}" for n in counts]
    assert not any(hidden(counts, None))
