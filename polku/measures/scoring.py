"""Scoring and change statistics: pure functions of an instrument definition and numbers.

Nothing here touches the database or a file: callers load the ``Definition`` of the exact
instrument version the answers were given on and pass plain values in, so that a score can
always be recomputed from what was stored, and each function is tested against published
reference values (``tests/test_scoring.py``).

- ``score`` / ``is_complete``: an instrument's total, subscales and band from item answers.
- ``reliable_change``: Jacobson & Truax (1991) reliable change index for one person.
- ``gas_t_score``: Kiresuk & Sherman (1968) goal attainment T-score (``pathways.gas``).
- ``change_summary``: group statistics of change, suppressed below the minimum cell size.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from polku.measures.definitions import Definition

# The goal attainment T-score lives with the plan's goals, whose pages show it too (a
# lower layer); the weights are each goal's importance × difficulty at the review.
from polku.pathways.gas import gas_t_score as gas_t_score

# |RC| above this is unlikely (p < .05, two-sided) without true change: Jacobson & Truax 1991.
RELIABLE_CHANGE_THRESHOLD = 1.96
# Small-cell suppression: a group statistic over fewer persons than this is never shown.
MIN_CELL = 5


# --- Instrument scores -------------------------------------------------------------------


@dataclass(frozen=True)
class ScoreResult:
    """The scores of one set of answers.

    ``total`` and each of ``subscales`` is ``None`` when the method gives no total
    (``"none"``) or when more items are missing than ``scoring.max_missing_share`` allows.
    ``prorated`` is true when the total or any subscale was prorated over missing items.
    ``missing`` lists, in definition order, the items without a scorable answer (no answer, or
    a value in the scale's ``missing_values``). ``complete`` is ``is_complete(...)``.
    ``items`` holds the scored value of each answered item, after reverse scoring.
    """

    total: float | None
    subscales: dict[str, float | None]
    band: str | None
    prorated: bool
    missing: tuple[str, ...]
    complete: bool
    items: dict[str, float] = field(default_factory=dict)


def is_complete(definition: Definition, answers: Mapping[str, int | None]) -> bool:
    """Whether every required item has an answer; a draft is complete only when this holds.

    A value from the scale's ``missing_values`` ("not applicable") is an answer the person
    chose, so it completes the item here even though ``score`` counts it as missing.
    """
    return all(answers.get(item.code) is not None for item in definition.items if item.required)


def score(definition: Definition, answers: Mapping[str, int | None]) -> ScoreResult:
    """Score ``answers`` (item code -> value, ``None`` or absent when unanswered).

    Reverse-scored items count as ``scale.minimum + scale.maximum - value``, and an item
    that ``scoring.weighted_by`` weights counts as its value times the weight that the
    answer to the weighting item chooses (the Work Ability Index's item 2 is 1.5 × the
    physical and 0.5 × the mental demands answer when the work is mainly physical, and so
    gives half points). Unscored items (``scored: false``) count in no score. Methods:
    ``sum``; ``mean``; ``rescaled`` (the sum mapped linearly from the lowest and highest
    possible sums, ``sum_range``, onto ``scoring.rescale_to``); ``none`` (no total, item
    values only).

    With k of the n scored items missing (all scored items for the total, the subscale's
    items for a subscale): k = 0 scores exactly; 0 < k/n <= ``max_missing_share`` prorates
    (the sum becomes the mean of the answered items times n; a mean is the mean of the
    answered items); a larger share gives no score (``None``). A missing answer to the
    weighting item leaves every item unweighted.

    Raises ``ValueError`` for an item code the definition does not have or a value its scale
    does not allow: answers given on another version must not be scored with this one.
    """
    values = _scored_values(definition, answers)
    missing = tuple(item.code for item in definition.scored_items if item.code not in values)
    subscales: dict[str, float | None] = {}
    if definition.scoring.method == "none":
        subscales = {subscale.code: None for subscale in definition.subscales}
        return ScoreResult(
            total=None,
            subscales=subscales,
            band=None,
            prorated=False,
            missing=missing,
            complete=is_complete(definition, answers),
            items=values,
        )
    total, prorated = _score_items(
        definition, [item.code for item in definition.scored_items], values
    )
    for subscale in definition.subscales:
        subscales[subscale.code], sub_prorated = _score_items(definition, subscale.items, values)
        prorated = prorated or sub_prorated
    band = definition.band_for(total)
    return ScoreResult(
        total=total,
        subscales=subscales,
        band=band.code if band else None,
        prorated=prorated,
        missing=missing,
        complete=is_complete(definition, answers),
        items=values,
    )


def _scored_values(definition: Definition, answers: Mapping[str, int | None]) -> dict[str, float]:
    """The answered scored items' values after reverse scoring and weighting; missing
    values and unscored items are left out."""
    unknown = sorted(set(answers) - definition.item_codes)
    if unknown:
        raise ValueError(
            f"{definition.code} {definition.version} has no items {', '.join(unknown)}"
        )
    values: dict[str, float] = {}
    for item in definition.items:
        value = answers.get(item.code)
        if value is None:
            continue
        scale = definition.scales[item.scale]
        if isinstance(value, bool) or not isinstance(value, int) or not scale.allows(value):
            raise ValueError(f"{value!r} is not a value of scale {scale.code!r} (item {item.code})")
        if value in scale.missing_values or not item.scored:
            continue
        values[item.code] = scale.minimum + scale.maximum - value if item.reverse else value
    weighting = definition.scoring.weighted_by
    if weighting is not None:
        for code, weight in weighting.for_answer(answers.get(weighting.item)).items():
            if code in values:
                values[code] *= weight
    return values


def _weightings(definition: Definition) -> list[Mapping[str, float]]:
    """Every set of item weights an answer can choose (no weights among them)."""
    weighting = definition.scoring.weighted_by
    return [{}, *(weighting.weights.values() if weighting else [])]


def sum_range(definition: Definition, codes: Sequence[str]) -> tuple[float, float]:
    """The lowest and highest possible sum of the scored items ``codes``, with any weights
    the answers can choose (the Work Ability Index's 7 to 49)."""
    sums = [
        (
            math.fsum(
                weights.get(code, 1) * definition.scales[definition.item(code).scale].minimum
                for code in codes
            ),
            math.fsum(
                weights.get(code, 1) * definition.scales[definition.item(code).scale].maximum
                for code in codes
            ),
        )
        for weights in _weightings(definition)
    ]
    return min(low for low, _high in sums), max(high for _low, high in sums)


def score_range(definition: Definition) -> tuple[float, float]:
    """The lowest and highest possible total, for axes and for telling a score's place."""
    codes = [item.code for item in definition.scored_items]
    if definition.scoring.method == "rescaled" and definition.scoring.rescale_to:
        return definition.scoring.rescale_to
    low, high = sum_range(definition, codes)
    if definition.scoring.method == "mean":
        return low / len(codes), high / len(codes)
    return low, high


def _score_items(
    definition: Definition, codes: Sequence[str], values: Mapping[str, float]
) -> tuple[float | None, bool]:
    """Score the items ``codes`` by the definition's method: (score or None, prorated)."""
    n = len(codes)
    answered = [values[code] for code in codes if code in values]
    missing = n - len(answered)
    if not answered or missing / n > definition.scoring.max_missing_share:
        return None, False
    answered_sum = math.fsum(answered)
    # Multiplying before dividing keeps a prorated sum exact where it can be (9 answered of 10).
    full_sum = answered_sum if not missing else answered_sum * n / len(answered)
    method = definition.scoring.method
    if method == "sum":
        result = full_sum
    elif method == "mean":
        result = answered_sum / len(answered)
    elif method == "rescaled":
        result = _rescale(full_sum, definition, codes)
    else:
        raise ValueError(f"unknown scoring method {method!r}")
    return result, missing > 0


def _rescale(raw_sum: float, definition: Definition, codes: Sequence[str]) -> float:
    low, high = sum_range(definition, codes)
    if definition.scoring.rescale_to is None:
        raise ValueError(f"{definition.code} {definition.version} has no rescale_to")
    target_low, target_high = definition.scoring.rescale_to
    return target_low + (raw_sum - low) * (target_high - target_low) / (high - low)


# --- Reliable change ---------------------------------------------------------------------


class ChangeClass(StrEnum):
    IMPROVED = "improved"
    NO_RELIABLE_CHANGE = "no_reliable_change"
    DETERIORATED = "deteriorated"


@dataclass(frozen=True)
class ReliableChange:
    rc: float
    s_diff: float
    classification: ChangeClass

    @property
    def reliable(self) -> bool:
        return self.classification != ChangeClass.NO_RELIABLE_CHANGE


def reliable_change(
    x1: float, x2: float, *, sd: float, reliability: float, higher_is_better: bool = True
) -> ReliableChange:
    """Jacobson & Truax (1991) reliable change index from ``x1`` (before) to ``x2`` (after).

    SE = sd·√(1 − r); S_diff = √(2·SE²); RC = (x2 − x1) / S_diff. A change is reliable when
    |RC| > 1.96; it is an improvement when it goes the way ``higher_is_better`` says is good.
    ``sd`` is the reference (normative or baseline) SD, ``reliability`` the test-retest or
    internal-consistency coefficient of the instrument.
    """
    if not (math.isfinite(x1) and math.isfinite(x2)):
        raise ValueError("scores must be finite numbers")
    if not (math.isfinite(sd) and sd > 0):
        raise ValueError(f"sd must be a positive number, not {sd!r}")
    if not 0 <= reliability < 1:
        raise ValueError(f"reliability must be at least 0 and below 1, not {reliability!r}")
    standard_error = sd * math.sqrt(1 - reliability)
    s_diff = math.sqrt(2 * standard_error**2)
    rc = (x2 - x1) / s_diff
    if abs(rc) <= RELIABLE_CHANGE_THRESHOLD:
        classification = ChangeClass.NO_RELIABLE_CHANGE
    elif (rc > 0) == higher_is_better:
        classification = ChangeClass.IMPROVED
    else:
        classification = ChangeClass.DETERIORATED
    return ReliableChange(rc=rc, s_diff=s_diff, classification=classification)


# --- Group statistics of change ----------------------------------------------------------

# Two-sided 95 % critical values of Student's t for df 1..30, to six decimals (the standard
# table values, e.g. 12.706, 2.228 at df 10, 2.042 at df 30).
_T_975 = (
    12.706205, 4.302653, 3.182446, 2.776445, 2.570582, 2.446912, 2.364624, 2.306004,
    2.262157, 2.228139, 2.200985, 2.178813, 2.160369, 2.144787, 2.131450, 2.119905,
    2.109816, 2.100922, 2.093024, 2.085963, 2.079614, 2.073873, 2.068658, 2.063899,
    2.059539, 2.055529, 2.051831, 2.048407, 2.045230, 2.042272,
)  # fmt: skip
_Z_975 = 1.959963984540054


def t_critical_95(df: int) -> float:
    """The two-sided 95 % critical value of Student's t (its 0.975 quantile) for ``df``.

    df 1..30 come from the table above. Above 30 the Cornish-Fisher expansion of t in powers
    of 1/df around the normal quantile (Abramowitz & Stegun 1964, 26.7.5) is used; its error
    there is below 3·10⁻⁸, far under the precision at which an interval is shown.
    """
    if df < 1:
        raise ValueError(f"degrees of freedom must be at least 1, not {df!r}")
    if df <= len(_T_975):
        return _T_975[df - 1]
    z = _Z_975
    g1 = (z**3 + z) / 4
    g2 = (5 * z**5 + 16 * z**3 + 3 * z) / 96
    g3 = (3 * z**7 + 19 * z**5 + 17 * z**3 - 15 * z) / 384
    g4 = (79 * z**9 + 776 * z**7 + 1482 * z**5 - 1920 * z**3 - 945 * z) / 92160
    return z + g1 / df + g2 / df**2 + g3 / df**3 + g4 / df**4


@dataclass(frozen=True)
class ChangeSummary:
    """Change from baseline to follow-up in a group (change = follow-up − baseline).

    ``effect_size`` is the mean change divided by the SD of the baseline scores (the
    baseline-SD "effect size" of Kazis et al. 1989, a Cohen's d for paired change; not the
    standardised response mean, which divides by the SD of change); ``None`` when all
    baselines are equal. Signs are raw: read them with ``higher_is_better``. The shares of
    persons with reliable improvement / deterioration are ``None`` without sd and reliability.
    """

    n: int
    mean_change: float
    sd_change: float
    ci_low: float
    ci_high: float
    effect_size: float | None
    share_improved: float | None
    share_deteriorated: float | None


def change_summary(
    pairs: Sequence[tuple[float, float]],
    *,
    sd: float | None,
    reliability: float | None,
    higher_is_better: bool,
    min_cell: int = MIN_CELL,
) -> ChangeSummary | None:
    """Summarise (baseline, follow-up) pairs; ``None`` when fewer than ``min_cell`` persons.

    The 95 % confidence interval of the mean change uses Student's t with n − 1 degrees of
    freedom (``t_critical_95``). ``sd`` and ``reliability`` feed ``reliable_change`` for each
    person. ``min_cell`` may be raised but never set below ``MIN_CELL``.
    """
    if min_cell < MIN_CELL:
        raise ValueError(f"min_cell may not be below {MIN_CELL}: small groups are never shown")
    if len(pairs) < min_cell:
        return None
    for baseline, follow_up in pairs:
        if not (math.isfinite(baseline) and math.isfinite(follow_up)):
            raise ValueError("scores must be finite numbers")
    n = len(pairs)
    changes = [follow_up - baseline for baseline, follow_up in pairs]
    mean_change = statistics.fmean(changes)
    sd_change = statistics.stdev(changes)
    margin = t_critical_95(n - 1) * sd_change / math.sqrt(n)
    sd_baseline = statistics.stdev(baseline for baseline, _ in pairs)
    share_improved: float | None = None
    share_deteriorated: float | None = None
    if sd is not None and reliability is not None:
        classes = [
            reliable_change(
                baseline,
                follow_up,
                sd=sd,
                reliability=reliability,
                higher_is_better=higher_is_better,
            ).classification
            for baseline, follow_up in pairs
        ]
        share_improved = classes.count(ChangeClass.IMPROVED) / n
        share_deteriorated = classes.count(ChangeClass.DETERIORATED) / n
    return ChangeSummary(
        n=n,
        mean_change=mean_change,
        sd_change=sd_change,
        ci_low=mean_change - margin,
        ci_high=mean_change + margin,
        effect_size=mean_change / sd_baseline if sd_baseline > 0 else None,
        share_improved=share_improved,
        share_deteriorated=share_deteriorated,
    )
