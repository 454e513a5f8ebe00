"""BG/NBD and Gamma-Gamma: the published CDNOW results (Fader, Hardie & Lee 2005; Fader & Hardie 2013) and
small hand-computed cases."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from kacrm.analysis.clv import (
    BGNBDFit,
    GammaGammaFit,
    expected_order_value,
    expected_purchases,
    fit_bgnbd,
    fit_gamma_gamma,
    p_alive,
    purchase_history,
)
from kacrm.errors import InputError

CDNOW = Path(__file__).parent / "data" / "cdnow"
AS_OF = date(1997, 9, 30)


@pytest.fixture(scope="module")
def cdnow_history() -> pd.DataFrame:
    raw = pd.read_csv(
        CDNOW / "CDNOW_sample.txt",
        sep=r"\s+",
        header=None,
        names=["master_id", "customer_id", "day", "cds", "dollars"],
        dtype={"day": str},
    )
    raw["order_date"] = pd.to_datetime(raw["day"], format="%Y%m%d")
    raw["amount_cents"] = (raw["dollars"] * 100).round().astype("int64")
    raw = raw[raw["order_date"] <= pd.Timestamp(AS_OF)]
    days = raw.groupby(["customer_id", "order_date"], as_index=False)["amount_cents"].sum()
    return purchase_history(days, AS_OF, "week")


@pytest.fixture(scope="module")
def cdnow_fit(cdnow_history: pd.DataFrame) -> BGNBDFit:
    return fit_bgnbd(cdnow_history["frequency"], cdnow_history["recency"], cdnow_history["T"])


def test_cdnow_summary_matches_the_published_one(cdnow_history: pd.DataFrame) -> None:
    published = pd.read_csv(CDNOW / "cdnow_customers_summary_with_transactions.csv").set_index("ID")
    assert len(cdnow_history) == 2357
    mine = cdnow_history.reindex(published.index)
    assert (mine["frequency"] == published["x"]).all()
    assert np.allclose(mine["recency"], published["t_x"], atol=0.005)
    assert np.allclose(mine["T"], published["T"], atol=0.005)
    # zbar is printed to 2 decimals; values like 22.345 are rounded up there, so allow one cent plus float slack
    assert np.allclose(mine["monetary"], published["zbar"], atol=0.0051)


def test_cdnow_bgnbd_reproduces_the_published_parameters(cdnow_fit: BGNBDFit) -> None:
    # FHL (2005), section 5: r = 0.243, alpha = 4.414, a = 0.793, b = 2.426, LL = -9582.4
    assert cdnow_fit.converged
    assert cdnow_fit.customers == 2357
    assert cdnow_fit.r == pytest.approx(0.243, abs=0.0005)
    assert cdnow_fit.alpha == pytest.approx(4.414, abs=0.0005)
    assert cdnow_fit.a == pytest.approx(0.793, abs=0.0005)
    assert cdnow_fit.b == pytest.approx(2.426, abs=0.0005)
    assert cdnow_fit.log_likelihood == pytest.approx(-9582.4, abs=0.05)


def test_cdnow_customer_4_expected_purchases_and_p_alive(
    cdnow_fit: BGNBDFit, cdnow_history: pd.DataFrame
) -> None:
    # Master id 00004 = sample id 1: orders on 1997-01-01, 01-18, 08-02 -> x = 2,
    # t_x = 213 days / 7 = 30.43 weeks, T = 272 / 7 = 38.86 weeks; published: 1.226 in 39 weeks, P(alive) 0.727
    row = cdnow_history.loc[1]
    assert (row["frequency"], round(row["recency"], 2), round(row["T"], 2)) == (2, 30.43, 38.86)
    expected = expected_purchases(cdnow_fit, 39, row["frequency"], row["recency"], row["T"])
    assert float(expected) == pytest.approx(1.226, abs=0.0005)
    assert float(p_alive(cdnow_fit, row["frequency"], row["recency"], row["T"])) == pytest.approx(
        0.727, abs=0.0005
    )


def test_cdnow_gamma_gamma_reproduces_the_published_parameters(cdnow_history: pd.DataFrame) -> None:
    # Fader & Hardie (2013), "The Gamma-Gamma model of monetary value": 946 repeaters, p = 6.25, q = 3.74, v = 15.44
    fit = fit_gamma_gamma(cdnow_history["frequency"], cdnow_history["monetary"])
    assert fit.converged
    assert fit.customers == 946
    assert (round(fit.p, 2), round(fit.q, 2), round(fit.v, 2)) == (6.25, 3.74, 15.44)


def test_purchase_history_by_hand() -> None:
    days = pd.DataFrame(
        {
            "customer_id": [1, 1, 1, 2],
            "order_date": pd.to_datetime(["2024-01-01", "2024-01-15", "2024-02-12", "2024-03-01"]),
            "amount_cents": [10000, 3000, 5000, 7000],
        }
    )
    history = purchase_history(days, date(2024, 3, 4), "week")
    one, two = history.loc[1], history.loc[2]
    assert one["frequency"] == 2  # two days after the first
    assert one["recency"] == pytest.approx(42 / 7)  # 2024-01-01 -> 02-12 = 42 days
    assert one["T"] == pytest.approx(63 / 7)  # 2024-01-01 -> 03-04 = 31 + 29 + 3 = 63 days
    assert one["monetary"] == pytest.approx(
        40.0
    )  # (30 + 50) / 2 yuan: the first day is not a repeat
    assert (two["frequency"], two["recency"], two["monetary"]) == (0, 0.0, 0.0)
    assert purchase_history(days, date(2024, 3, 4), "day").loc[2, "T"] == 3  # 2024-03-01 -> 03-04


def test_p_alive_is_one_without_repeats_and_falls_with_silence() -> None:
    fit = BGNBDFit(
        r=0.5,
        alpha=5.0,
        a=0.8,
        b=2.5,
        log_likelihood=0.0,
        converged=True,
        iterations=0,
        customers=1,
    )
    assert float(p_alive(fit, 0, 0.0, 30.0)) == 1.0
    # x = 1, t_x = 5, T = 30: 1 / (1 + a/(b + x - 1) * ((alpha + T)/(alpha + t_x))^(r + x))
    #   = 1 / (1 + 0.8/2.5 * (35/10)^1.5) = 1 / (1 + 0.32 * 6.5479) = 1 / 3.09533 = 0.32307
    assert float(p_alive(fit, 1, 5.0, 30.0)) == pytest.approx(0.32307, abs=1e-5)


def test_expected_order_value_by_hand() -> None:
    fit = GammaGammaFit(
        p=6.0, q=4.0, v=15.0, log_likelihood=0.0, converged=True, iterations=0, customers=2
    )
    # x = 2, zbar = 30: (15 + 2*30) * 6 / (6*2 + 4 - 1) = 450 / 15 = 30.0
    # x = 0: the population mean p*v/(q-1) = 90 / 3 = 30.0 as well; x = 1, zbar = 10: 25*6/9 = 16.667
    values = expected_order_value(fit, [2, 0, 1], [30.0, 0.0, 10.0])
    assert values == pytest.approx([30.0, 30.0, 150 / 9])
    assert fit.mean_order_value == 30.0


def test_fits_refuse_too_little_data() -> None:
    with pytest.raises(InputError, match="no customer"):
        fit_bgnbd([], [], [])
    with pytest.raises(InputError, match="repeat purchases"):
        fit_gamma_gamma([0, 1], [0.0, 12.0])
    with pytest.raises(InputError, match="inconsistent"):
        fit_bgnbd([1], [5.0], [3.0])
