"""Goal Attainment Scaling as practised in Finnish rehabilitation: pure functions, no ORM.

Each goal of a plan is written with the client on a five-level scale (Kiresuk & Sherman
1968; Kela's GAS practice):

- the **baseline** — where the client stands when the goal is set — sits at −1 in Kela's
  practice, so that a worse situation is still −2; at −2 when the situation is as bad as
  it can be (Turner-Stokes 2009); at 0 for a goal of keeping what the client has (a
  maintenance goal: holding the present level is the expected outcome);
- **0** is the expected level: the goal reached by the review date as agreed;
- **+1** and **+2** are somewhat and much better than expected, **−1** and **−2**
  somewhat and much less than expected.

Each goal may be weighted by its **importance** to the client and its **difficulty**, 0–3
each; its weight is importance × difficulty, or 1 when neither is given (unweighted).
The T-score of a review is Kiresuk & Sherman's, with ρ = 0.3: 50 when every goal is met
as expected, 10 per standard deviation.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

LEVELS = (-2, -1, 0, 1, 2)
BASELINE_LEVELS = (-2, -1, 0)
DEFAULT_BASELINE_LEVEL = -1
WEIGHT_FACTORS = (0, 1, 2, 3)
# The assumed correlation between goal scales (Kiresuk & Sherman's convention).
RHO = 0.3


def goal_weight(importance: int | None, difficulty: int | None) -> int:
    """importance × difficulty (each 0–3), or 1 for a goal weighted by neither."""
    if importance is None and difficulty is None:
        return 1
    if importance is None or difficulty is None:
        raise ValueError("a goal is weighted by both importance and difficulty, or by neither")
    if importance not in WEIGHT_FACTORS or difficulty not in WEIGHT_FACTORS:
        raise ValueError("importance and difficulty are whole numbers from 0 to 3")
    return importance * difficulty


def gas_t_score(
    levels: Sequence[int], weights: Sequence[float] | None = None, rho: float = RHO
) -> float:
    """Kiresuk & Sherman (1968) goal attainment T-score.

    T = 50 + 10·Σwᵢxᵢ / √((1 − ρ)·Σwᵢ² + ρ·(Σwᵢ)²), with each goal's attainment level xᵢ in
    −2…+2 (0 = the expected outcome), weights wᵢ (1 each by default; 0 allowed, as with
    importance × difficulty weights, while at least one is positive) and ρ the assumed
    correlation between goal scales (0.3 by convention). T is 50 when every goal is met as
    expected.
    """
    if not levels:
        raise ValueError("goal attainment needs at least one goal")
    for level in levels:
        if isinstance(level, bool) or not isinstance(level, int) or level not in LEVELS:
            raise ValueError(f"goal attainment levels must be integers from -2 to 2, not {level!r}")
    goal_weights = [1.0] * len(levels) if weights is None else [float(w) for w in weights]
    if len(goal_weights) != len(levels):
        raise ValueError(f"{len(levels)} goals but {len(goal_weights)} weights")
    if any(not math.isfinite(w) or w < 0 for w in goal_weights):
        raise ValueError("goal weights must be non-negative numbers")
    if not any(goal_weights):
        raise ValueError("at least one goal weight must be positive")
    if not 0 <= rho < 1:
        raise ValueError(f"rho must be at least 0 and below 1, not {rho!r}")
    weighted = math.fsum(w * x for w, x in zip(goal_weights, levels, strict=True))
    spread = (1 - rho) * math.fsum(w * w for w in goal_weights) + rho * math.fsum(goal_weights) ** 2
    return 50 + 10 * weighted / math.sqrt(spread)


def review_t_score(levels: Sequence[int], weights: Sequence[int]) -> float | None:
    """The T-score of one review, or ``None`` when it has none: no goal rated, or every
    goal weighted 0 (not important, or not difficult, at all)."""
    if not levels or not any(weights):
        return None
    return gas_t_score(levels, weights)
