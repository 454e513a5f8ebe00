"""Tiering: check the request, load the customers' values, rank and tier them, store the run, return the outcome.

abc, the pyramid and rfm by customer are ranked and stored in SQL (store.tier_ranking, store.tier_rfm: a table
output never loads pandas); clv and abc by region are computed in pandas (analysis.tiering, analysis.clv) from
frames read by store.tier_frames and stored in bulk.
"""

from __future__ import annotations

import json
from datetime import date
from typing import TYPE_CHECKING, Any

from kacrm.analysis.tier_rules import (
    TierOutcome,
    TierRequest,
    check_percentages,
    parse_thresholds,
)
from kacrm.analysis.windows import parse_window, window_after
from kacrm.app.primary import Primary, check_primary_method
from kacrm.domain import ALL_TIERS, METHODS, METRICS, TIER_BYS, TIERS, pin_method
from kacrm.errors import KacrmError, UsageError, worded
from kacrm.i18n import t, text
from kacrm.store import tier_history
from kacrm.store.tier_dimensions import method_tiers as tiers
from kacrm.store.tier_history import PreviousRun, customer_names, newest_run_day, previous_run
from kacrm.store.tier_ranking import run_in_database, unknown_costs

if TYPE_CHECKING:
    import pandas as pd
    from sqlalchemy import Engine

    from kacrm.analysis.clv import CLVPrediction
    from kacrm.config import TierSettings
    from kacrm.store.reader import SqliteBook

SHOWN = 20  # moved customers and pin overrides listed under the summary table


def _check_method(method: str, by: str) -> None:
    """A UsageError ("--option: reason", exit 2) unless the method and the grouping go together."""
    if by not in TIER_BYS:
        raise worded(UsageError, "tier_bad_by", by=by)
    if by == "region" and method != "abc":
        raise worded(UsageError, "tier_region_abc_only")
    if method not in METHODS:
        raise worded(UsageError, "tier_bad_method", method=method, methods=", ".join(METHODS))


def check_window(window: str) -> None:
    """An InputError ("--window: reason") unless the window is 12m, 24m… or all."""
    parse_window(window)


def tier_request(
    *,
    method: str,
    metric: str,
    window: str,
    by: str,
    thresholds: str | None,
    horizon_days: int | None,
    time_unit: str,
    dry_run: bool,
    settings: TierSettings,
) -> TierRequest:
    """The request of `kacrm tier`'s options, the settings filling in what they leave out, checked."""
    _check_method(method, by)
    check_window(window)
    return TierRequest(
        method=method,
        metric=metric,
        window=window,
        by=by,
        thresholds=parse_thresholds(thresholds) if thresholds else tuple(settings.abc_thresholds),
        percentages=check_percentages(settings.pyramid_percentages),
        horizon_days=horizon_days if horizon_days is not None else settings.clv_horizon_days,
        time_unit=time_unit,
        dry_run=dry_run,
    )


def set_primary(
    engine: Engine, method: str, metric: str | None, window: str | None, today: date
) -> tuple[Primary, int | None, list[tuple[str, str | None, str | None]]]:
    """`kacrm tier primary`: store the choice, re-derive the tier in force from the method's latest run and
    pins, record the movements; returns (the primary, the run used, [(code, old tier, new tier)]). A metric or
    window not given is the latest run's, whose tiers come in force (else revenue; 12m, all for clv): the
    primary then names what the tiers in force were computed by, and the next `kacrm tier` computes the same."""
    from kacrm.store.tier_primary import latest_run_choice, switch_primary, tiers_lost_without_run

    check_primary_method(method, "METHOD")
    latest = latest_run_choice(engine, method)
    if metric is None:
        metric = latest[0] if latest is not None and latest[0] in METRICS else "revenue"
    if window is None:
        window = latest[1] if latest is not None else ("all" if method == "clv" else "12m")
    check_window(window)
    if metric not in METRICS:
        raise UsageError(f"--metric: {metric!r} is not one of {', '.join(METRICS)}")
    lost = tiers_lost_without_run(engine, method)
    if lost:  # SPEC §6: the switch re-derives from the method's latest run; without one it would only empty
        words = {"method": method, "lost": lost}
        raise KacrmError(
            t("tier_primary_no_run", "en", **words),
            t("tier_primary_no_run", "zh", **words, method_zh=text(f"method_{method}", "zh")),
        )
    run_id, moved = switch_primary(
        engine, {"method": method, "metric": metric, "window": window}, today
    )
    return Primary(method, metric, window, "database"), run_id, moved


def method_tiers(
    book: SqliteBook | Engine, customer_ids: list[int] | None = None
) -> dict[int, dict[str, Any]]:
    """customer_id → {abc, pyramid, rfm, clv}: each method's latest tier (or pin), None where never run."""
    found = tiers(book, customer_ids)
    keys = customer_ids if customer_ids is not None else list(found)
    return {cid: {m: found.get(cid, {}).get(m) for m in METHODS} for cid in keys}


def run_tiering(
    book: SqliteBook | Engine,
    request: TierRequest,
    today: date,
    *,
    rows: bool = True,
    primary_method: str | None = "abc",
) -> TierOutcome:
    """Compute a tiering, compare it with the previous run of the same method, and store it (unless dry run).

    ``request`` is a checked one (tier_request, or TierRequest's defaults). ``rows=False`` may leave
    ``outcome.rows`` out: for output that shows the summary and a few rows only. Only a run of
    ``primary_method`` by customer changes the tier in force; other runs are stored as their method's dimension.
    ``book``: an engine, or for a dry run a current SQLite file read without SQLAlchemy (kacrm.store.reader).
    """
    in_force = request.by == "customer" and request.method == primary_method
    newer = newest_run_day(book, request.method) if in_force else None
    # a run of a past day fills in history (`tier --as-of`): the tier in force stays the newer run's, as
    # `tier primary` re-derives it
    if newer is not None and newer > today:
        in_force = False
    previous = previous_run(book, request.method, request.by, today)
    start = window_after(parse_window(request.window), today)
    left_out = unknown_costs(book, request, start, today)
    if request.by == "customer" and request.method in ("abc", "pyramid", "rfm"):
        outcome = _run_in_database(book, request, start, today, previous, rows, in_force)
    else:
        outcome = _run_in_pandas(book, request, start, today, previous, rows, in_force)
    outcome.unknown_costs = left_out
    if newer is not None and not in_force:
        outcome.newer_in_force = newer
    outcome.previous_run = {"id": previous.id, "as_of": previous.as_of} if previous else None
    return outcome


def _run_in_database(
    book: SqliteBook | Engine,
    request: TierRequest,
    start: date | None,
    today: date,
    previous: PreviousRun | None,
    rows: bool,
    in_force: bool,
) -> TierOutcome:
    done = run_in_database(
        book,
        request,
        start,
        today,
        previous.id if previous else None,
        rows=rows,
        shown=SHOWN,
        in_force=in_force,
    )
    frame = done.rows
    if frame is not None:
        from kacrm.analysis import tiering

        frame = tiering.with_shares(frame)
        frame["movement"] = tiering.movements(frame["previous_tier"], frame["tier"], request.method)
    return TierOutcome(
        request,
        today,
        done.summary,
        done.movement_counts,
        done.moved,
        done.pin_overrides,
        rows=frame,
        run_id=done.run_id,
    )


def _entities(
    book: SqliteBook | Engine,
    request: TierRequest,
    start: date | None,
    today: date,
    previous_id: int | None,
    names: bool,
) -> tuple[pd.DataFrame, CLVPrediction | None]:
    """The customers with their value (and clv columns); returns also the clv prediction, if any."""
    from kacrm.store.tier_frames import load_customers

    if request.method == "clv":
        from kacrm.analysis.clv import predict_clv, purchase_history
        from kacrm.store.tier_frames import purchase_days

        frame = load_customers(
            book, previous_id, names=names, regions=False, pin_method=request.method
        )
        history = purchase_history(purchase_days(book, start, today), today, request.time_unit)
        prediction = predict_clv(history, request.horizon_days, request.time_unit)
        extra = prediction.frame.reindex(frame["key"]).set_axis(frame.index)
        frame = frame.join(extra)
        frame["value"] = frame["predicted_value"].fillna(0.0)
        return frame, prediction
    frame = load_customers(
        book,
        previous_id,
        request.metric,
        start,
        today,
        names=names,
        regions=request.by == "region",
        pin_method=request.method if request.by == "customer" else None,
    )
    return frame, None


def _run_in_pandas(
    book: SqliteBook | Engine,
    request: TierRequest,
    start: date | None,
    today: date,
    previous: PreviousRun | None,
    rows: bool,
    in_force: bool,
) -> TierOutcome:
    """clv or abc by region: ranked in pandas (tiering.tier_rows), stored unless dry run."""
    from kacrm.analysis import tiering
    from kacrm.store.tier_frames import store_run

    previous_id = previous.id if previous is not None and previous.by == "customer" else None
    entities, prediction = _entities(book, request, start, today, previous_id, rows)
    if request.by == "region":
        before = (
            {r["region"]: r["tier"] for r in json.loads(previous.parameters).get("regions", [])}
            if previous
            else {}
        )
        entities = tiering.regions_of(entities, before)
    ranked = tiering.tier_rows(entities, request.method, request.thresholds)
    counts = ranked["movement"].value_counts()
    moved = ranked[ranked["movement"].isin(("up", "down", "changed"))].head(SHOWN)
    if not rows and request.by == "customer":  # names left out: look up the few shown
        moved = moved.assign(name=moved["key"].map(customer_names(book, moved["key"].tolist())))
    pins = ranked[ranked["pinned"] & (ranked["tier"] != ranked["computed_tier"])].head(SHOWN)
    outcome = TierOutcome(
        request,
        today,
        tiering.tier_summary(ranked, request.method),
        movement_counts={kind: int(count) for kind, count in counts.items()},
        moved=moved[["code", "name", "previous_tier", "tier", "movement"]].to_dict("records"),
        pin_overrides=pins[["code", "tier", "computed_tier"]].to_dict("records"),
        rows=ranked,
        fit=fit_object(prediction, request.time_unit) if prediction else None,
    )
    if not request.dry_run:
        outcome.run_id = store_run(book, request, today, ranked, in_force=in_force)
    return outcome


def fit_object(prediction: CLVPrediction, time_unit: str) -> dict[str, Any]:
    """The fitted models as SPEC §6's `tier fit` object (plus convergence, which the CLI shows separately)."""
    bg, gg = prediction.bgnbd, prediction.gamma_gamma
    return {
        "time_unit": time_unit,
        "customers": bg.customers,
        "r": bg.r,
        "alpha": bg.alpha,
        "a": bg.a,
        "b": bg.b,
        "log_likelihood": bg.log_likelihood,
        "p": gg.p,
        "q": gg.q,
        "v": gg.v,
        "converged": bg.converged and gg.converged,
        "iterations": bg.iterations + gg.iterations,
    }


def fit_models(engine: Engine, window: str, today: date, time_unit: str) -> dict[str, Any]:
    """`tier fit`: both models fitted on the orders in the window up to today, without storing anything."""
    from kacrm.analysis.clv import predict_clv, purchase_history
    from kacrm.store.tier_frames import purchase_days

    start = window_after(parse_window(window), today)
    history = purchase_history(purchase_days(engine, start, today), today, time_unit)
    return fit_object(predict_clv(history, 365, time_unit), time_unit)


def customer_history(engine: Engine, code: str) -> list[dict[str, Any]]:
    """One customer's tier in every stored run, oldest first."""
    return tier_history.customer_history(engine, code)


def pin_tier(
    engine: Engine, code: str, tier: str | None, primary_method: str, method: str | None = None
) -> tuple[str, str, str | None]:
    """Pin a customer's tier for one method (re-tiering by it leaves the pin alone) or unpin it (tier None);
    returns (code, method, old pin). Without ``method``: the primary method where the tier is one of its tiers,
    else the method whose tiers hold it (A/B/C abc, platinum…lead pyramid, segments rfm); unpinning without it
    unpins the primary method's pin.

    A pin of the primary method sets the tier in force at once; unpinning it puts back the tier the method's
    latest run computed. Pins of other methods change only that method's dimension (from its next run).
    """
    from kacrm.store.tier_primary import pin_tier as pin

    if tier is not None and tier not in ALL_TIERS:
        raise worded(UsageError, "tier_not_a_tier", tier=tier)
    if method is None:
        method = primary_method if tier is None else pin_method(tier, primary_method)
    elif method not in METHODS:
        raise UsageError(f"--method: {method!r} is not one of {', '.join(METHODS)}")
    if tier is not None and tier not in TIERS[method]:
        raise worded(
            UsageError,
            "tier_not_of_method",
            tier=tier,
            method=method,
            method_zh=text(f"method_{method}", "zh"),
            tiers=", ".join(TIERS[method]),
        )
    pinned_code, old = pin(engine, code, method, tier, primary_method)
    return pinned_code, method, old
