"""Purchase probability and customer value: BG/NBD (Fader, Hardie & Lee 2005) and Gamma-Gamma (Fader & Hardie 2013).

Inputs are the usual per-customer summary of a transaction log: ``frequency`` x (repeat purchase days),
``recency`` t_x (first to last purchase day) and ``T`` (first purchase day to the as-of date), in one time unit,
and ``monetary``: the mean value of the repeat purchase days. Everything is vectorised over customers; identical
(x, t_x, T) triples are fitted once with a weight, which makes the fit fast on day-resolution data.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd
from scipy.optimize import minimize
from scipy.special import betaln, gammaln, hyp2f1

from kacrm.errors import input_error

DAYS_PER_UNIT = {"week": 7.0, "day": 1.0}


@dataclass(frozen=True)
class BGNBDFit:
    r: float
    alpha: float
    a: float
    b: float
    log_likelihood: float
    converged: bool
    iterations: int
    customers: int


@dataclass(frozen=True)
class GammaGammaFit:
    p: float
    q: float
    v: float  # the scale parameter gamma of Fader & Hardie's note
    log_likelihood: float
    converged: bool
    iterations: int
    customers: int  # customers with at least one repeat purchase

    @property
    def mean_order_value(self) -> float:
        """The population mean of the order value, E(M) = p·v / (q − 1) (infinite when q ≤ 1)."""
        return self.p * self.v / (self.q - 1.0) if self.q > 1.0 else float("inf")


def days_per_unit(time_unit: str) -> float:
    try:
        return DAYS_PER_UNIT[time_unit]
    except KeyError:
        raise input_error("clv_bad_unit", unit=time_unit) from None


def purchase_history(
    day_totals: pd.DataFrame, today: date, time_unit: str = "week"
) -> pd.DataFrame:
    """The per-customer summary from purchase days.

    ``day_totals`` has one row per customer and order day (``customer_id``, ``order_date``, ``amount_cents``);
    several orders on one day must already be summed (they count as one purchase, as in the literature).
    Returns, indexed by customer_id: frequency, recency, T (in ``time_unit``), monetary (mean value of the
    repeat purchase days in yuan, 0 without repeats), first_order_on.
    """
    unit = days_per_unit(time_unit)
    if day_totals.empty:
        return pd.DataFrame(
            columns=["frequency", "recency", "T", "monetary", "first_order_on"],
            index=pd.Index([], name="customer_id"),
        )
    days = day_totals.sort_values(["customer_id", "order_date"])
    grouped = days.groupby("customer_id", sort=True)
    first = grouped["order_date"].min()
    last = grouped["order_date"].max()
    frequency = grouped["order_date"].count() - 1
    total = grouped["amount_cents"].sum()
    first_amount = grouped["amount_cents"].first()
    as_of = pd.Timestamp(today)
    repeat_cents = (total - first_amount).astype("float64")
    monetary = np.where(frequency > 0, repeat_cents / frequency.clip(lower=1) / 100.0, 0.0)
    return pd.DataFrame(
        {
            "frequency": frequency.astype("int64"),
            "recency": (last - first).dt.days / unit,
            "T": (as_of - first).dt.days / unit,
            "monetary": monetary,
            "first_order_on": first.dt.date,
        }
    )


def _bgnbd_loglik(params: np.ndarray, x: np.ndarray, t_x: np.ndarray, T: np.ndarray) -> np.ndarray:
    """Per-customer log-likelihood, FHL (2005) eq. 6."""
    r, alpha, a, b = params
    common = gammaln(r + x) - gammaln(r) + r * np.log(alpha)
    term_alive = betaln(a, b + x) - betaln(a, b) - (r + x) * np.log(alpha + T)
    has_repeat = x > 0
    # the dropout term only exists for x > 0; evaluate it on a safe argument elsewhere and mask it out
    term_drop = (
        betaln(a + 1, np.where(has_repeat, b + x - 1, b))
        - betaln(a, b)
        - (r + x) * np.log(alpha + t_x)
    )
    both = np.logaddexp(term_alive, np.where(has_repeat, term_drop, -np.inf))
    return common + both


def _weighted_unique(*columns: np.ndarray) -> tuple[list[np.ndarray], np.ndarray]:
    stacked = np.column_stack(columns)
    unique, counts = np.unique(stacked, axis=0, return_counts=True)
    return [unique[:, i] for i in range(unique.shape[1])], counts.astype("float64")


def _maximise(negative_ll, start: np.ndarray) -> tuple[np.ndarray, float, bool, int]:
    """Minimise over log-parameters (keeps them positive); Nelder-Mead polish after BFGS for robustness.

    The polish's function tolerance is 1e-10, or 1e-14 of the log-likelihood when that is larger: on 100,000
    customers the log-likelihood is about 1e6, where 1e-10 is below the float resolution, and the polish then ran
    into its 40,000-evaluation limit (3 minutes) without converging.
    """
    first = minimize(negative_ll, np.log(start), method="BFGS")
    fatol = max(1e-10, 1e-14 * abs(float(first.fun))) if np.isfinite(first.fun) else 1e-10
    result = minimize(
        negative_ll,
        first.x,
        method="Nelder-Mead",
        options={"xatol": 1e-8, "fatol": fatol, "maxiter": 20000, "maxfev": 40000},
    )
    converged = bool(result.success and np.isfinite(result.fun))
    return np.exp(result.x), float(-result.fun), converged, int(first.nit + result.nit)


def fit_bgnbd(frequency, recency, T) -> BGNBDFit:
    """Fit r, alpha, a, b by maximum likelihood on the customers given."""
    x, t_x, big_t = (np.asarray(v, dtype="float64") for v in (frequency, recency, T))
    if x.size == 0:
        raise input_error("clv_no_orders")
    if np.any(x < 0) or np.any(t_x < 0) or np.any(t_x > big_t):
        raise input_error("clv_inconsistent")
    (ux, ut, uT), weight = _weighted_unique(x, t_x, big_t)

    def negative_ll(log_params: np.ndarray) -> float:
        value = -np.sum(weight * _bgnbd_loglik(np.exp(log_params), ux, ut, uT))
        return value if np.isfinite(value) else 1e300

    scale = max(float(np.mean(big_t)), 1e-9)
    params, ll, converged, iterations = _maximise(negative_ll, np.array([1.0, scale, 1.0, 1.0]))
    r, alpha, a, b = (float(p) for p in params)
    return BGNBDFit(r, alpha, a, b, ll, converged, iterations, int(x.size))


def p_alive(fit: BGNBDFit, frequency, recency, T) -> np.ndarray:
    """P(still active | x, t_x, T), FHL (2005) eq. 13 (1 for customers without repeat purchases)."""
    x, t_x, big_t = (np.asarray(v, dtype="float64") for v in (frequency, recency, T))
    return 1.0 / (1.0 + _dropout_odds(fit, x, t_x, big_t))


def _dropout_odds(fit: BGNBDFit, x: np.ndarray, t_x: np.ndarray, big_t: np.ndarray) -> np.ndarray:
    ratio = (x > 0) * fit.a / np.maximum(fit.b + x - 1, 1e-300)
    return ratio * np.exp((fit.r + x) * (np.log(fit.alpha + big_t) - np.log(fit.alpha + t_x)))


def expected_purchases(fit: BGNBDFit, t: float, frequency, recency, T) -> np.ndarray:
    """Expected purchases in the next ``t`` time units given the history, FHL (2005) eq. 10."""
    x, t_x, big_t = (np.asarray(v, dtype="float64") for v in (frequency, recency, T))
    r, alpha, a, b = fit.r, fit.alpha, fit.a, fit.b
    z = t / (alpha + big_t + t)
    head = (a + b + x - 1) / (a - 1)
    tail = 1 - ((alpha + big_t) / (alpha + big_t + t)) ** (r + x) * hyp2f1(
        r + x, b + x, a + b + x - 1, z
    )
    return head * tail / (1 + _dropout_odds(fit, x, t_x, big_t))


def fit_gamma_gamma(frequency, monetary) -> GammaGammaFit:
    """Fit p, q, v on the customers with frequency > 0 and a positive mean repeat value."""
    x, z = np.asarray(frequency, dtype="float64"), np.asarray(monetary, dtype="float64")
    keep = (x > 0) & (z > 0)
    x, z = x[keep], z[keep]
    if x.size < 2:
        raise input_error("clv_few_repeaters")
    (ux, uz), weight = _weighted_unique(x, z)

    def negative_ll(log_params: np.ndarray) -> float:
        p, q, v = np.exp(log_params)
        px = p * ux
        ll = (
            gammaln(px + q)
            - gammaln(px)
            - gammaln(q)
            + q * np.log(v)
            + (px - 1) * np.log(uz)
            + px * np.log(ux)
            - (px + q) * np.log(v + ux * uz)
        )
        value = -np.sum(weight * ll)
        return value if np.isfinite(value) else 1e300

    params, ll, converged, iterations = _maximise(
        negative_ll, np.array([1.0, 1.0, float(np.mean(z))])
    )
    p, q, v = (float(value) for value in params)
    return GammaGammaFit(p, q, v, ll, converged, iterations, int(x.size))


def expected_order_value(fit: GammaGammaFit, frequency, monetary) -> np.ndarray:
    """E(M | x, z̄) = (v + x·z̄)·p / (p·x + q − 1); the population mean for customers without repeats."""
    x, z = np.asarray(frequency, dtype="float64"), np.asarray(monetary, dtype="float64")
    z = np.where(x > 0, z, 0.0)
    return (fit.v + x * z) * fit.p / (fit.p * x + fit.q - 1)


@dataclass(frozen=True)
class CLVPrediction:
    frame: (
        pd.DataFrame
    )  # per customer: p_alive, expected_purchases, expected_order_value, predicted_value
    bgnbd: BGNBDFit
    gamma_gamma: GammaGammaFit


def predict_clv(
    history: pd.DataFrame, horizon_days: float, time_unit: str = "week"
) -> CLVPrediction:
    """Fit both models on ``history`` (from purchase_history) and predict each customer's value over the horizon.

    predicted_value = expected purchases in the horizon × expected order value (yuan).
    """
    if horizon_days <= 0:
        raise input_error("clv_bad_horizon", days=horizon_days)
    x, t_x, big_t = history["frequency"], history["recency"], history["T"]
    bgnbd = fit_bgnbd(x, t_x, big_t)
    gamma_gamma = fit_gamma_gamma(x, history["monetary"])
    purchases = expected_purchases(bgnbd, horizon_days / days_per_unit(time_unit), x, t_x, big_t)
    order_value = expected_order_value(gamma_gamma, x, history["monetary"])
    frame = pd.DataFrame(
        {
            "p_alive": p_alive(bgnbd, x, t_x, big_t),
            "expected_purchases": purchases,
            "expected_order_value": order_value,
            "predicted_value": purchases * order_value,
        },
        index=history.index,
    )
    return CLVPrediction(frame, bgnbd, gamma_gamma)
