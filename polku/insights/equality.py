"""Statistics of the equality view: how far apart two groups of clients are (women and
men, two age bands, two languages …), with a 95 % interval, or no figure at all when either
group is too small to say anything of without saying it of a few persons.

Pure functions of numbers, no ORM, tested against published worked examples:

- ``wilson_interval``: Wilson's (1927) score interval of one proportion;
- ``proportion_gap``: the difference of two independent proportions with Newcombe's (1998)
  hybrid score interval (his method 10), built from the two Wilson intervals;
- ``mean_gap``: the difference of two means with Welch's interval (unequal variances,
  Welch–Satterthwaite degrees of freedom), whose t quantile ``t_quantile_975`` computes
  for any real degrees of freedom.

A gap over a group of fewer than ``MIN_GROUP`` persons is not given: its ``Gap`` carries
the reason instead of the figures.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _

from polku.core.small_cells import MIN_CELL
from polku.measures.scoring import t_critical_95

# A gap is given only between groups of at least this many persons each.
MIN_GROUP = MIN_CELL
# The 0.975 quantile of the standard normal distribution.
Z_975 = 1.959963984540054


@dataclass(frozen=True)
class Gap:
    """``estimate`` = group a − group b, with its 95 % interval ``low``–``high``. When a
    group is too small the figures are None and ``reason`` says why."""

    groups: tuple[str, str]
    estimate: float | None
    low: float | None
    high: float | None
    sizes: tuple[int, int]
    reason: str = ""

    @property
    def given(self) -> bool:
        return self.estimate is not None


def too_small(groups: tuple[str, str], sizes: tuple[int, int]) -> Gap | None:
    """The gap withheld, when either group has fewer than ``MIN_GROUP`` persons (the
    callers whose values are not one a person check the persons with this first)."""
    if min(sizes) >= MIN_GROUP:
        return None
    return Gap(
        groups,
        None,
        None,
        None,
        sizes,
        reason=_(
            "Not given: a group has fewer than %(minimum)s persons, too few to compare "
            "without telling about individuals."
        )
        % {"minimum": MIN_GROUP},
    )


def wilson_interval(successes: int, n: int, z: float = Z_975) -> tuple[float, float]:
    """Wilson's score interval of the proportion ``successes / n`` (no continuity
    correction). It stays within [0, 1] and is sensible at 0/n and n/n."""
    if n <= 0 or not 0 <= successes <= n:
        raise ValueError(f"need 0 <= successes <= n and n > 0, not {successes!r}/{n!r}")
    p = successes / n
    centre = p + z * z / (2 * n)
    spread = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    denominator = 1 + z * z / n
    # Rounding may put a bound a hair outside [0, 1] or past p at the ends.
    low = max(0.0, min(p, (centre - spread) / denominator))
    high = min(1.0, max(p, (centre + spread) / denominator))
    return low, high


def proportion_gap(
    successes_a: int,
    n_a: int,
    successes_b: int,
    n_b: int,
    *,
    groups: tuple[str, str] = ("a", "b"),
) -> Gap:
    """p_a − p_b with Newcombe's hybrid score interval (1998, method 10): with the Wilson
    intervals (l_a, u_a) and (l_b, u_b), the bounds are
    D − √((p_a − l_a)² + (u_b − p_b)²) and D + √((u_a − p_a)² + (p_b − l_b)²)."""
    sizes = (n_a, n_b)
    withheld = too_small(groups, sizes)
    if withheld is not None:
        return withheld
    p_a, p_b = successes_a / n_a, successes_b / n_b
    low_a, high_a = wilson_interval(successes_a, n_a)
    low_b, high_b = wilson_interval(successes_b, n_b)
    estimate = p_a - p_b
    low = estimate - math.sqrt((p_a - low_a) ** 2 + (high_b - p_b) ** 2)
    high = estimate + math.sqrt((high_a - p_a) ** 2 + (p_b - low_b) ** 2)
    return Gap(groups, estimate, max(-1.0, low), min(1.0, high), sizes)


def mean_gap(
    values_a: Sequence[float],
    values_b: Sequence[float],
    *,
    groups: tuple[str, str] = ("a", "b"),
) -> Gap:
    """mean_a − mean_b with Welch's 95 % interval: standard error √(s_a²/n_a + s_b²/n_b),
    Welch–Satterthwaite degrees of freedom, Student's t quantile at those (real) degrees."""
    sizes = (len(values_a), len(values_b))
    withheld = too_small(groups, sizes)
    if withheld is not None:
        return withheld
    for value in (*values_a, *values_b):
        if not math.isfinite(value):
            raise ValueError("values must be finite numbers")
    estimate = statistics.fmean(values_a) - statistics.fmean(values_b)
    share_a = statistics.variance(values_a) / sizes[0]
    share_b = statistics.variance(values_b) / sizes[1]
    standard_error = math.sqrt(share_a + share_b)
    if standard_error == 0:
        # Every value equal within each group: the difference is known exactly.
        return Gap(groups, estimate, estimate, estimate, sizes)
    # Welch–Satterthwaite, with both shares divided by the larger so that no square of a
    # tiny variance underflows to zero.
    scale = max(share_a, share_b)
    a, b = share_a / scale, share_b / scale
    df = (a + b) ** 2 / (a**2 / (sizes[0] - 1) + b**2 / (sizes[1] - 1))
    margin = t_quantile_975(df) * standard_error
    return Gap(groups, estimate, estimate - margin, estimate + margin, sizes)


# --- Student's t at real degrees of freedom ----------------------------------------------


def _incomplete_beta_fraction(a: float, b: float, x: float) -> float:
    """The continued fraction of the regularised incomplete beta function (DLMF 8.17.22),
    evaluated by the modified Lentz method; converges fast for x < (a + 1) / (a + b + 2)."""
    tiny = 1e-300
    c, d = 1.0, 1.0 - (a + b) * x / (a + 1)
    d = 1 / (d if abs(d) > tiny else tiny)
    result = d
    for m in range(1, 500):
        # The even step d_{2m}, then the odd step d_{2m+1}.
        for numerator in (
            m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m)),
            -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1)),
        ):
            d = 1 + numerator * d
            d = 1 / (d if abs(d) > tiny else tiny)
            c = 1 + numerator / c
            c = c if abs(c) > tiny else tiny
            result *= c * d
        if abs(c * d - 1) < 1e-15:
            break
    return result


def regularized_incomplete_beta(a: float, b: float, x: float) -> float:
    """I_x(a, b) for a, b > 0 and 0 ≤ x ≤ 1."""
    if not 0 <= x <= 1:
        raise ValueError(f"x must be within [0, 1], not {x!r}")
    if x in (0, 1):
        return float(x)
    log_front = (
        math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x)
    )
    if x < (a + 1) / (a + b + 2):
        return math.exp(log_front) * _incomplete_beta_fraction(a, b, x) / a
    # The symmetry I_x(a, b) = 1 − I_{1−x}(b, a) keeps the fraction where it converges.
    return 1 - math.exp(log_front) * _incomplete_beta_fraction(b, a, 1 - x) / b


def t_upper_tail(t: float, df: float) -> float:
    """P(T > t) for Student's t with ``df`` (> 0, real) degrees of freedom, t ≥ 0."""
    return regularized_incomplete_beta(df / 2, 0.5, df / (df + t * t)) / 2


def t_quantile_975(df: float) -> float:
    """The 0.975 quantile of Student's t for real ``df`` > 0 (whole degrees from
    ``measures.scoring.t_critical_95``), found by bisection on the exact upper tail."""
    if not df > 0:
        raise ValueError(f"degrees of freedom must be positive, not {df!r}")
    if df == int(df):
        return t_critical_95(int(df))
    low, high = Z_975, 2.0
    while t_upper_tail(high, df) > 0.025:
        high *= 2
    for _step in range(200):
        middle = (low + high) / 2
        if t_upper_tail(middle, df) > 0.025:
            low = middle
        else:
            high = middle
        if high - low < 1e-12:
            break
    return (low + high) / 2
