"""Analytic results the classic rules are validated against (docs/VALIDATION.md).

* Bass (1969): the closed-form adoption curve, its peak, and the mean-field recurrence of the
  weekly discretisation used by the model (so the discretisation error is known exactly).
* Watts (2002): the cascade condition on a random graph, sum_k k(k-1) rho_k p_k = z, where
  rho_k is the probability that a degree-k node is vulnerable (phi <= 1/k); the window of mean
  degrees z where it holds, for Poisson degrees and one threshold phi for everyone; and, in the
  same tree approximation, the probability that one random seed triggers a global cascade
  (the seed's "extended vulnerable cluster" percolates).
* Gleeson & Cahalane (2007): the size of a global cascade in the same approximation.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

__all__ = [
    "bass_closed_form",
    "bass_peak_time",
    "bass_recurrence",
    "poisson_pmf",
    "watts_cascade_condition",
    "watts_cascade_probability",
    "watts_cascade_size",
    "watts_window",
]


# -- Bass --------------------------------------------------------------------------------------
def bass_closed_form(t: np.ndarray, p: float, q: float) -> np.ndarray:
    """Adopted share F(t) = (1 - e^{-(p+q)t}) / (1 + (q/p) e^{-(p+q)t}), with F(0) = 0."""
    e = np.exp(-(p + q) * np.asarray(t, float))
    return (1.0 - e) / (1.0 + (q / p) * e)


def bass_peak_time(p: float, q: float) -> float:
    """Time of the adoption peak, ln(q/p) / (p + q) (0 when q <= p: adoption only slows)."""
    return max(0.0, math.log(q / p) / (p + q)) if q > 0 else 0.0


def bass_recurrence(steps: int, p: float, q: float, dt: float, f0: float = 0.0) -> np.ndarray:
    """Mean-field share of the model's discretisation at steps 0..steps (infinite population):
    F_{k+1} = F_k + (1 - F_k)(1 - exp(-(p + q F_k) dt))."""
    f = np.empty(steps + 1)
    f[0] = f0
    for k in range(steps):
        f[k + 1] = f[k] + (1.0 - f[k]) * (1.0 - math.exp(-(p + q * f[k]) * dt))
    return f


# -- Watts -------------------------------------------------------------------------------------
def poisson_pmf(z: float, kmax: int) -> np.ndarray:
    """p_k for k = 0..kmax (Erdős–Rényi degrees in the large-N limit)."""
    k = np.arange(kmax + 1)
    if z <= 0:
        return (k == 0).astype(float)
    log_factorial = np.array([math.lgamma(i + 1) for i in k])
    return np.exp(-z + k * math.log(z) - log_factorial)


def _kmax(z: float) -> int:
    return int(z + 12.0 * math.sqrt(z + 1.0) + 30)


def _vulnerable(k: np.ndarray, phi: float) -> np.ndarray:
    """rho_k for one threshold phi: a degree-k node adopts after one active neighbour."""
    return ((k >= 1) & (phi * k <= 1.0)).astype(float)


def watts_cascade_condition(z: float, phi: float) -> float:
    """sum_k k(k-1) rho_k p_k - z: positive inside the cascade window."""
    kmax = _kmax(z)
    k = np.arange(kmax + 1)
    return float((k * (k - 1) * _vulnerable(k, phi) * poisson_pmf(z, kmax)).sum() - z)


def _bisect(f: Callable[[float], float], lo: float, hi: float) -> float:
    flo = f(lo)
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        fm = f(mid)
        if (fm > 0) == (flo > 0):
            lo, flo = mid, fm
        else:
            hi = mid
    return 0.5 * (lo + hi)


def watts_window(phi: float, z_max: float = 50.0, grid: int = 5000) -> tuple[float, float] | None:
    """(lower, upper) mean degree between which global cascades are possible, or None."""
    zs = np.linspace(1e-6, z_max, grid)
    g = np.array([watts_cascade_condition(z, phi) for z in zs])
    inside = np.flatnonzero(g > 0)
    if inside.size == 0:
        return None
    i, j = inside[0], inside[-1]
    lower = _bisect(lambda z: watts_cascade_condition(z, phi), zs[i - 1], zs[i])
    upper = _bisect(lambda z: watts_cascade_condition(z, phi), zs[j], zs[min(j + 1, grid - 1)])
    return lower, upper


def watts_cascade_probability(z: float, phi: float) -> float:
    """Probability that one random seed triggers a global cascade (tree approximation).

    u, the chance that a tie leads only to a finite vulnerable branch, is the smallest root of
    u = sum_k (k p_k / z) [1 - rho_k + rho_k u^(k-1)]; the seed (active whatever its degree)
    starts a global cascade unless all its ties do: P = 1 - sum_k p_k u^k.
    """
    if z <= 0:
        return 0.0
    kmax = _kmax(z)
    k = np.arange(kmax + 1)
    pk = poisson_pmf(z, kmax)
    rho = _vulnerable(k, phi)
    excess = k * pk / z
    u = 0.0
    for _ in range(100_000):
        nxt = float((excess * (1.0 - rho + rho * u ** np.maximum(k - 1, 0))).sum())
        if abs(nxt - u) < 1e-13:
            break
        u = nxt
    return float(max(0.0, 1.0 - (pk * u**k).sum()))


def watts_cascade_size(z: float, phi: float, rho0: float = 1e-4) -> float:
    """Final active share after a vanishing seed share ``rho0`` (Gleeson & Cahalane 2007).

    q is the chance that a tie's far end is active; iterate from q = rho0:
    q <- rho0 + (1 - rho0) sum_k (k p_k / z) sum_m Bin(m; k-1, q) F(m / k), and the active share
    is rho0 + (1 - rho0) sum_k p_k sum_m Bin(m; k, q) F(m / k), F(x) = 1 if x >= phi (k >= 1).
    """
    if z <= 0:
        return rho0
    kmax = _kmax(z)
    k = np.arange(kmax + 1)
    pk = poisson_pmf(z, kmax)
    m = np.arange(kmax + 1)
    comb = np.array([[math.comb(int(a), int(b)) for b in m] for a in k], float)
    adopt = (m[None, :] >= phi * k[:, None]) & (k[:, None] >= 1)  # F(m/k) for m active of k

    def spread(q: float, shift: int) -> np.ndarray:
        """sum_m Bin(m; k - shift, q) F(m / k) for every k."""
        n = np.maximum(k - shift, 0)[:, None]
        valid = m[None, :] <= n
        pmf = np.where(valid, comb[n[:, 0]] * q ** m[None, :] * (1 - q) ** (n - m[None, :]), 0)
        return (pmf * adopt).sum(axis=1)

    q = rho0
    for _ in range(100_000):
        nxt = rho0 + (1 - rho0) * float((k * pk / z * spread(q, 1)).sum())
        if abs(nxt - q) < 1e-12:
            break
        q = nxt
    return float(rho0 + (1 - rho0) * (pk * spread(q, 0)).sum())
