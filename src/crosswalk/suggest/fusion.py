"""Fusing the signals into one score: fixed weights, or a logistic model fitted honestly.

With no links between the two frameworks (a new crosswalk, ``--blind``) there is
nothing to fit on, so the text signals are added with fixed weights chosen before any
evaluation: meaning first, shared words second, a chain as strong as meaning.  When the
catalog already holds links between them (completing a crosswalk, ``--leave-one-out``)
a logistic regression is fitted on those links, one row per (source item, target
item), with each row's link-based signals computed without that row's source item
(see :mod:`crosswalk.suggest.features`), so a weight is never learnt from the answer
it is used on.  The fitted probability is the suggestion's confidence.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from crosswalk.suggest.encoder import Matrix
from crosswalk.suggest.features import FEATURES

# Blind weights (per-row standardised semantic and lexical, log-count chain) and a
# bias that makes a typical best candidate land near 0.5.
TEXT_WEIGHTS = {"semantic": 1.0, "lexical": 0.35, "chain": 1.0}
TEXT_BIAS = -2.0
MIN_TRAINING_ITEMS = 5  # fewer linked source items than this: too little to fit on
_L2 = 1.0
_ITERATIONS = 25


@dataclass(frozen=True, slots=True)
class Fusion:
    """Weights per signal (in :data:`FEATURES` order), a bias, and where they came from."""

    weights: tuple[float, ...]
    bias: float
    fitted_on: int  # source items the weights were fitted on; 0 = fixed weights

    def logits(self, values: Matrix) -> Matrix:
        return (values @ np.asarray(self.weights, dtype=np.float32) + self.bias).astype(np.float32)

    def scores(self, values: Matrix) -> Matrix:
        return (1.0 / (1.0 + np.exp(-self.logits(values)))).astype(np.float32)

    def contributions(self, row: Matrix) -> dict[str, float]:
        """Each signal's share of one pair's logit (weight × value)."""
        return {name: float(w * v) for name, w, v in zip(FEATURES, self.weights, row, strict=True)}


FIXED = Fusion(tuple(TEXT_WEIGHTS.get(name, 0.0) for name in FEATURES), TEXT_BIAS, 0)


def fit(values: Matrix, labels: Matrix, rows: list[int]) -> Fusion:
    """A logistic regression on the pairs of source items ``rows`` (those with links).

    Signals that do not vary over the training pairs cannot be weighed; they keep the
    fixed weight (zero for the link-based ones).
    """
    if len(rows) < MIN_TRAINING_ITEMS:
        return FIXED
    x = values[rows].reshape(-1, len(FEATURES)).astype(np.float64)
    y = labels[rows].reshape(-1).astype(np.float64)
    if y.sum() == 0 or y.sum() == len(y):
        return FIXED
    varying = x.std(0) > 1e-9
    weights = np.array(FIXED.weights, dtype=np.float64)
    fitted, bias = _logistic(x[:, varying], y)
    weights[varying] = fitted
    return Fusion(tuple(float(w) for w in weights), float(bias), len(rows))


def _logistic(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, float]:
    """L2-regularised logistic regression by Newton's method (bias not penalised)."""
    design = np.hstack([x, np.ones((len(x), 1))])
    beta = np.zeros(design.shape[1])
    penalty = np.full(design.shape[1], _L2)
    penalty[-1] = 0.0
    for _ in range(_ITERATIONS):
        p = 1.0 / (1.0 + np.exp(-(design @ beta)))
        gradient = design.T @ (p - y) + penalty * beta
        hessian = (design * (p * (1 - p))[:, None]).T @ design + np.diag(penalty + 1e-9)
        step = np.linalg.solve(hessian, gradient)
        beta -= step
        if np.abs(step).max() < 1e-8:
            break
    return beta[:-1], float(beta[-1])
