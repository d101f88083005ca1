"""The unsat-core reduction (QuickXplain) finds exactly the core that deletion in order finds,
with fewer solver calls; it is what explains an inconsistent case (``Result.core``)."""

from __future__ import annotations

import random

from pyreasoner._engine import minimal_core


def _deletion(unsat, items):
    """The reference: drop each item in turn while the rest stays unsatisfiable."""
    kept = list(items)
    i = 0
    while i < len(kept):
        trial = kept[:i] + kept[i + 1:]
        if unsat(trial):
            kept = trial
        else:
            i += 1
    return kept


def test_quickxplain_equals_deletion_in_order_on_random_conflict_families():
    rng = random.Random(2026)
    compared = fewer = 0
    for _ in range(3000):
        n = rng.randrange(1, 40)
        # unsatisfiable iff the set contains one of a few random conflicts (a monotone oracle)
        family = [frozenset(rng.sample(range(n), rng.randrange(1, min(n, 5) + 1))) for _ in range(rng.randrange(1, 5))]
        items = list(range(n))
        rng.shuffle(items)
        calls = [0]

        def unsat(subset, calls=calls, family=family):
            calls[0] += 1
            s = set(subset)
            return any(f <= s for f in family)

        if not unsat(items):
            continue
        reference = _deletion(lambda s, family=family: any(f <= set(s) for f in family), items)
        calls[0] = 0
        assert minimal_core(unsat, items) == reference, (family, items)
        compared += 1
        fewer += calls[0] < n
    assert compared > 1000
    assert fewer > compared // 2  # the point of it: fewer solver calls than items, most of the time


def test_empty_and_single_item():
    assert minimal_core(lambda s: True, []) == []
    assert minimal_core(lambda s: bool(s), ["x"]) == ["x"]
