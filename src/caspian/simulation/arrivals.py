"""Arrival streams: time-varying Poisson, appointment (e-queue) slots, and CSV input."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import numpy as np
from numba import njit

from caspian.errors import DataError
from caspian.io.files import read_user_text
from caspian.io.yamlsafe import shorten

__all__ = [
    "apply_equeue",
    "expected_arrivals",
    "poisson_arrivals",
    "read_arrivals_csv",
    "seasonal_factor",
]

_DAYS_IN_MONTH = np.array([31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])
DIRECTION_LABELS: dict[str, int] = {"IR->AZ": 0, "AZ->IR": 1, "0": 0, "1": 1}


def _month_of_day(days: int, start_month: int) -> np.ndarray:
    """Month index (0..11) of each simulated day, starting on the 1st of ``start_month``."""
    months = np.repeat(np.arange(12), _DAYS_IN_MONTH)
    months = np.roll(months, -int(_DAYS_IN_MONTH[: start_month - 1].sum()))
    reps = days // 365 + 1
    return np.tile(months, reps)[:days]


def _day_weights(days: float, month_profile: tuple[float, ...], start_month: int) -> np.ndarray:
    """Normalised month weight of each simulated day (the last one weighted by its fraction)."""
    n = max(int(np.ceil(days)), 1)
    month_w = np.asarray(month_profile, dtype=np.float64)
    month_w = month_w / month_w.mean()
    weights: np.ndarray = month_w[_month_of_day(n, start_month)].astype(np.float64)
    weights[-1] *= days - (n - 1)
    return weights


def seasonal_factor(days: float, month_profile: tuple[float, ...], start_month: int) -> float:
    """Mean month factor over a run of ``days`` from the 1st of ``start_month``.

    The configured traffic is a yearly average; a run's arrivals are that times this factor
    (1.23 for a week in January with the shipped Astara profile).
    """
    if not days > 0:
        return 1.0
    return float(_day_weights(days, month_profile, start_month).sum() / days)


def expected_arrivals(
    rate_per_day: float, days: float, month_profile: tuple[float, ...], start_month: int
) -> float:
    """Expected number of Poisson arrivals in ``days`` (seasonal profile applied)."""
    return rate_per_day * days * seasonal_factor(days, month_profile, start_month)


def poisson_arrivals(
    rng: np.random.Generator,
    *,
    rate_per_day: float,
    days: int,
    hour_profile: tuple[float, ...],
    month_profile: tuple[float, ...],
    start_month: int = 1,
) -> np.ndarray:
    """Sample a non-homogeneous Poisson process by thinning.

    The rate in hour ``h`` of a day in month ``m`` is ``rate_per_day / 24 * H[h] * M[m]`` with the
    profiles normalised to mean 1, so ``rate_per_day`` is the average over a year.

    Returns
    -------
    numpy.ndarray
        Sorted arrival times in hours from the start.
    """
    horizon_hours = 24.0 * days
    if rate_per_day <= 0 or days <= 0:
        return np.empty(0)
    hour_w = np.asarray(hour_profile, dtype=np.float64)
    hour_w = hour_w / hour_w.mean()
    month_w = np.asarray(month_profile, dtype=np.float64)
    month_w = month_w / month_w.mean()
    day_factor = month_w[_month_of_day(days, start_month)]
    rate_max = rate_per_day / 24.0 * hour_w.max() * day_factor.max()
    n_cand = rng.poisson(rate_max * horizon_hours)
    t = np.sort(rng.random(n_cand)) * horizon_hours
    day = np.minimum((t // 24.0).astype(np.int64), days - 1)
    hour = np.minimum((t - 24.0 * day).astype(np.int64), 23)
    accept_p = rate_per_day / 24.0 * hour_w[hour] * day_factor[day] / rate_max
    keep = rng.random(n_cand) < accept_p
    out: np.ndarray = t[keep]
    return out


@njit(cache=True)
def _equeue_hours(
    arrival_hours: np.ndarray,
    direction: np.ndarray,
    offsets: np.ndarray,
    open_hour: np.ndarray,
    cap: int,
    n_slots: int,
) -> np.ndarray:
    # Wishes are sorted, so every open slot between a direction's previous wish and the slot
    # it got is full: the next search starts there (linear time even when overloaded). The
    # last slot takes every booking that finds no room before it.
    n = arrival_hours.shape[0]
    booked = np.zeros((2, n_slots), dtype=np.int64)
    frontier = np.zeros(2, dtype=np.int64)
    out = np.empty(n)
    for i in range(n):
        d = direction[i]
        h = min(int(np.floor(arrival_hours[i])), n_slots - 1)
        if h < frontier[d]:
            h = frontier[d]
        while h < n_slots - 1 and (not open_hour[h % 24] or booked[d, h] >= cap):
            h += 1
        booked[d, h] += 1
        frontier[d] = h
        out[i] = h + offsets[i]
    return out


def apply_equeue(
    rng: np.random.Generator,
    arrival_hours: np.ndarray,
    direction: np.ndarray,
    *,
    slots_per_hour: int,
    open_from_hour: float,
    open_to_hour: float,
    horizon_hours: float | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Move each booking to the first hour slot at or after its wish with room left.

    Appointment slots exist only in opening hours and are capped per hour and direction;
    a truck arrives at a uniform time inside its slot hour. ``arrival_hours`` must be sorted.
    With ``horizon_hours``, slots are kept only up to the horizon and every booking that
    finds no room before it gets an arrival at or after the horizon (outside the run).

    Returns
    -------
    tuple
        New sorted arrival hours, the directions and the appointment delays (new arrival minus
        wished arrival, hours) in the same order.
    """
    if arrival_hours.size == 0:
        return arrival_hours, direction, np.zeros(0)
    hours = np.arange(24) + 0.5
    if open_from_hour <= open_to_hour:
        open_hour = (hours >= open_from_hour) & (hours < open_to_hour)
    else:
        open_hour = (hours >= open_from_hour) | (hours < open_to_hour)
    offsets = rng.random(arrival_hours.size)
    n = arrival_hours.size
    if horizon_hours is None:
        n_slots = int(arrival_hours[-1]) + 2 + (n // max(slots_per_hour, 1)) * 2 + 48
    else:
        n_slots = int(np.ceil(horizon_hours)) + 1
    new = _equeue_hours(
        np.ascontiguousarray(arrival_hours, dtype=np.float64),
        np.ascontiguousarray(direction, dtype=np.int64),
        offsets,
        open_hour,
        int(slots_per_hour),
        n_slots,
    )
    order = np.argsort(new, kind="stable")
    delay = np.maximum(new - arrival_hours, 0.0)
    return new[order], direction[order], delay[order]


def read_arrivals_csv(path: str | Path) -> tuple[np.ndarray, np.ndarray]:
    """Read truck arrivals from a CSV with columns ``arrival_hours`` and ``direction``.

    ``arrival_hours`` is a number >= 0 (hours from the start of the simulation); ``direction``
    is ``IR->AZ`` or ``AZ->IR`` (or ``0`` / ``1``). Rows need not be sorted.

    Raises
    ------
    DataError
        Naming the file, row (header is row 1), column, the bad value and what is valid.
    ValidationError
        The file is missing, a folder or device, larger than 20 MiB or not UTF-8.
    """
    file = str(path)
    text = read_user_text(path, what="arrivals CSV")
    try:
        return _parse_arrivals(text, file)
    except csv.Error as exc:
        raise DataError(f"not a readable CSV ({exc})", file=file) from None


def _parse_arrivals(text: str, file: str) -> tuple[np.ndarray, np.ndarray]:
    times: list[float] = []
    dirs: list[int] = []
    reader = csv.DictReader(io.StringIO(text, newline=""))
    missing = [c for c in ("arrival_hours", "direction") if c not in (reader.fieldnames or [])]
    if missing:
        raise DataError(
            f"missing column(s) {', '.join(missing)}; required: arrival_hours, direction",
            file=file,
            row=1,
        )
    for row_no, row in enumerate(reader, start=2):
        raw_t = (row.get("arrival_hours") or "").strip()
        try:
            value = float(raw_t)
        except ValueError:
            value = float("nan")
        if not np.isfinite(value) or value < 0:
            raise DataError(
                f"bad value {shorten(raw_t)}; valid: a finite number of hours >= 0",
                file=file,
                row=row_no,
                column="arrival_hours",
            )
        raw_d = (row.get("direction") or "").strip()
        if raw_d not in DIRECTION_LABELS:
            raise DataError(
                f"bad value {shorten(raw_d)}; valid: IR->AZ, AZ->IR, 0, 1",
                file=file,
                row=row_no,
                column="direction",
            )
        times.append(value)
        dirs.append(DIRECTION_LABELS[raw_d])
    t = np.asarray(times, dtype=np.float64)
    d = np.asarray(dirs, dtype=np.int64)
    order = np.argsort(t, kind="stable")
    return t[order], d[order]
