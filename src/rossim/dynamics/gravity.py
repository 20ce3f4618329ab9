"""Earth gravity: point mass, zonal J2..J6 and full spherical harmonics N x M.

Coefficients are read from an ICGEM ``.gfc`` file (fully normalised ``Cbar``/``Sbar``, as
published by the ICGEM service; the file in ``rossim/data/gravity/`` is the one the Orekit
fixtures use). Time-variable terms of ICGEM 1.0 (``gfct``/``trnd``/``acos``/``asin``) are
evaluated once, at the epoch given to :func:`load_gravity_field`; their change over a
propagation of weeks is far below the millimetre level for degree <= 8.

The acceleration is the Cunningham (1970) V/W recursion as given by Montenbruck & Gill,
*Satellite Orbits* (2000), section 3.2.5, compiled with numba. The recursion runs on
un-normalised coefficients, converted once at load; with double precision this is exact to
rounding for degree <= 70 (the supported maximum), which covers every LEO use here.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np
from numba import njit

from rossim.errors import InputError

__all__ = [
    "MAX_DEGREE",
    "GravityField",
    "default_gravity_file",
    "harmonic_acceleration",
    "load_gravity_field",
    "parse_gravity_spec",
]

MAX_DEGREE = 70


@dataclass(frozen=True)
class GravityField:
    """Spherical-harmonic field truncated to ``degree`` x ``order``.

    ``mu_m3_s2`` and ``radius_m`` are the field's own constants; ``c``/``s`` are the
    **un-normalised** coefficients, shape (degree+1, degree+1), with ``c[0, 0] = 1``
    (point mass) and ``c[1, *] = 0`` (origin at the centre of mass).
    """

    mu_m3_s2: float
    radius_m: float
    degree: int
    order: int
    c: np.ndarray
    s: np.ndarray
    source: str = ""

    @property
    def j(self) -> np.ndarray:
        """Zonal coefficients J_n = -C_n0 (un-normalised), index n."""
        return -self.c[:, 0]


def default_gravity_file() -> Path:
    """The gravity file shipped in ``rossim/data/gravity`` (the first ``*.gfc`` found)."""
    folder = resources.files("rossim") / "data" / "gravity"
    try:
        candidates = sorted(p for p in folder.iterdir() if p.name.endswith((".gfc", ".gfc.gz")))
    except (FileNotFoundError, NotADirectoryError):
        candidates = []
    if not candidates:
        raise InputError("rossim/data/gravity", "file", None,
                         "an ICGEM .gfc gravity file shipped with rossim")
    return Path(str(candidates[0]))


def _normalisation(n: int, m: int) -> float:
    """Factor N with C_unnormalised = N * C_normalised (geodesy 4-pi convention)."""
    k = 1.0 if m == 0 else 2.0
    # lgamma keeps the factorial ratio in range up to high degree.
    return math.sqrt(k * (2 * n + 1) * math.exp(math.lgamma(n - m + 1) - math.lgamma(n + m + 1)))


def _epoch_years(epoch) -> float | None:
    if epoch is None:
        return None
    from astropy.time import Time

    t = epoch if isinstance(epoch, Time) else Time(epoch, scale="utc")
    return float(t.tt.jyear)


def _icgem_date_to_jyear(text: str) -> float:
    from astropy.time import Time

    m = re.fullmatch(r"(\d{4})(\d{2})(\d{2})(?:\.(\d{2})(\d{2})?)?", text)
    if not m:
        raise InputError("gravity file", "t0", text, "an ICGEM date yyyymmdd[.hhmm]")
    y, mo, d, hh, mm = m.groups()
    iso = f"{y}-{mo}-{d}T{hh or '00'}:{mm or '00'}:00"
    return float(Time(iso, scale="tt").jyear)


def load_gravity_field(degree: int, order: int | None = None, path: str | Path | None = None,
                       epoch=None) -> GravityField:
    """Read an ICGEM ``.gfc`` file and truncate it to ``degree`` x ``order``.

    ``epoch`` (anything :func:`rossim.time.to_time` accepts) evaluates time-variable terms;
    without it only the static (``gfc``/``gfct`` reference) values are used.
    """
    order = degree if order is None else order
    if not (0 <= order <= degree <= MAX_DEGREE):
        raise InputError("argument", "gravity", f"{degree}x{order}",
                         f"degree and order with 0 <= order <= degree <= {MAX_DEGREE}")
    path = Path(path) if path is not None else default_gravity_file()
    if path.suffix == ".gz":
        import gzip

        text = gzip.open(path, "rt", encoding="latin-1").read()
    else:
        text = path.read_text(encoding="latin-1")
    header, _, body = text.partition("end_of_head")
    if not body:
        raise InputError(str(path), "end_of_head", None, "an ICGEM .gfc file")
    meta: dict[str, str] = {}
    for line in header.splitlines():
        parts = line.split()
        if len(parts) >= 2:
            meta[parts[0].lower()] = parts[1]
    try:
        mu = float(meta["earth_gravity_constant"].replace("D", "E").replace("d", "e"))
        radius = float(meta["radius"].replace("D", "E").replace("d", "e"))
    except KeyError as exc:
        raise InputError(str(path), exc.args[0], None, "an ICGEM header keyword") from exc
    norm = meta.get("norm", "fully_normalized").lower()
    normalised = not norm.startswith("unnormalized")
    t_years = _epoch_years(epoch)
    cb = np.zeros((degree + 1, degree + 1))
    sb = np.zeros((degree + 1, degree + 1))
    for line in body.splitlines():
        parts = line.replace("D", "E").replace("d", "e").split()
        if len(parts) < 5:
            continue
        key = parts[0].lower()
        n, m = int(parts[1]), int(parts[2])
        if n > degree or m > order:
            continue
        c, s = float(parts[3]), float(parts[4])
        if key in ("gfc", "gfct"):
            cb[n, m] += c
            sb[n, m] += s
            if key == "gfct" and len(parts) >= 8:
                t0 = _icgem_date_to_jyear(parts[7])
                meta.setdefault("_t0", str(t0))
        elif t_years is None:
            continue
        elif key == "trnd":
            dt = t_years - float(meta.get("_t0", t_years))
            cb[n, m] += c * dt
            sb[n, m] += s * dt
        elif key in ("acos", "asin") and len(parts) >= 8:
            period = float(parts[7])
            dt = t_years - float(meta.get("_t0", t_years))
            arg = 2.0 * math.pi * dt / period
            f = math.cos(arg) if key == "acos" else math.sin(arg)
            cb[n, m] += c * f
            sb[n, m] += s * f
    if normalised:
        for n in range(degree + 1):
            for m in range(min(n, order) + 1):
                f = _normalisation(n, m)
                cb[n, m] *= f
                sb[n, m] *= f
    cb[0, 0] = 1.0
    if degree >= 1:
        cb[1, :] = 0.0
        sb[1, :] = 0.0
    return GravityField(mu_m3_s2=mu, radius_m=radius, degree=degree, order=order, c=cb, s=sb,
                        source=path.name)


def parse_gravity_spec(spec: str) -> tuple[int, int]:
    """``"point"`` -> (0, 0); ``"j2"`` -> (2, 0); ``"j6"`` -> (6, 0); ``"8x8"`` -> (8, 8)."""
    text = str(spec).strip().lower()
    if text in ("point", "pointmass", "point-mass", "two-body", "twobody"):
        return 0, 0
    m = re.fullmatch(r"j([2-6])", text)
    if m:
        return int(m.group(1)), 0
    m = re.fullmatch(r"(\d+)\s*x\s*(\d+)", text)
    if m:
        n, k = int(m.group(1)), int(m.group(2))
        if 0 <= k <= n <= MAX_DEGREE:
            return n, k
    raise InputError("argument", "gravity", spec,
                     f"point, j2..j6 or NxM with 0 <= M <= N <= {MAX_DEGREE}")


# Recursion factors of the V/W functions (Montenbruck & Gill eq. 3.30): for n > m,
# V[n,m] = _RA[n,m] z0 V[n-1,m] - _RB[n,m] rho V[n-2,m], so that the compiled loop multiplies
# instead of dividing (numba freezes these module arrays into the compiled code).
_NTAB = MAX_DEGREE + 3
_RA = np.zeros((_NTAB, _NTAB))
_RB = np.zeros((_NTAB, _NTAB))
for _n in range(1, _NTAB):
    for _m in range(_n):
        _RA[_n, _m] = (2 * _n - 1) / (_n - _m)
        _RB[_n, _m] = (_n + _m - 1) / (_n - _m)


@njit(cache=True)
def harmonic_flat(x, y, z, mu, radius, c, c_off, s, s_off, kc, n_max, m_max, vw, v_off,
                  w_off, kv):
    """Body-fixed gravity acceleration ``(ax, ay, az)`` (m/s^2) at body-fixed ``(x, y, z)``.

    Flat-array form of :func:`harmonic_acceleration` for the compiled right-hand side:
    un-normalised coefficients ``C[n, m] = c[c_off + n kc + m]`` and ``S[n, m] =
    s[s_off + n kc + m]``; V/W work values at ``vw[v_off + n kv + m]`` and
    ``vw[w_off + n kv + m]`` (``kv >= n_max + 2``).
    """
    r_sqr = x * x + y * y + z * z
    rho = radius * radius / r_sqr
    x0 = radius * x / r_sqr
    y0 = radius * y / r_sqr
    z0 = radius * z / r_sqr
    nn = n_max + 1
    mm = min(m_max + 1, nn)
    vw[v_off] = radius / math.sqrt(r_sqr)
    vw[w_off] = 0.0
    vw[v_off + kv] = z0 * vw[v_off]
    vw[w_off + kv] = 0.0
    for n in range(2, nn + 1):
        i = n * kv
        vw[v_off + i] = (_RA[n, 0] * z0 * vw[v_off + i - kv]
                         - _RB[n, 0] * rho * vw[v_off + i - 2 * kv])
        vw[w_off + i] = 0.0
    for m in range(1, mm + 1):
        i = m * kv + m
        j = i - kv - 1
        vm = vw[v_off + j]
        wm = vw[w_off + j]
        vw[v_off + i] = (2 * m - 1) * (x0 * vm - y0 * wm)
        vw[w_off + i] = (2 * m - 1) * (x0 * wm + y0 * vm)
        if m <= n_max:
            vw[v_off + i + kv] = (2 * m + 1) * z0 * vw[v_off + i]
            vw[w_off + i + kv] = (2 * m + 1) * z0 * vw[w_off + i]
        for n in range(m + 2, nn + 1):
            i = n * kv + m
            a = _RA[n, m] * z0
            b = _RB[n, m] * rho
            vw[v_off + i] = a * vw[v_off + i - kv] - b * vw[v_off + i - 2 * kv]
            vw[w_off + i] = a * vw[w_off + i - kv] - b * vw[w_off + i - 2 * kv]
    ax = 0.0
    ay = 0.0
    az = 0.0
    for n in range(0, n_max + 1):
        cc = c[c_off + n * kc]
        i = (n + 1) * kv
        ax -= cc * vw[v_off + i + 1]
        ay -= cc * vw[w_off + i + 1]
        az -= (n + 1) * cc * vw[v_off + i]
    for m in range(1, m_max + 1):
        for n in range(m, n_max + 1):
            cc = c[c_off + n * kc + m]
            ss = s[s_off + n * kc + m]
            fac = 0.5 * (n - m + 1) * (n - m + 2)
            i = (n + 1) * kv + m
            vp = vw[v_off + i + 1]
            wp = vw[w_off + i + 1]
            vq = vw[v_off + i - 1]
            wq = vw[w_off + i - 1]
            ax += 0.5 * (-cc * vp - ss * wp) + fac * (cc * vq + ss * wq)
            ay += 0.5 * (-cc * wp + ss * vp) + fac * (-cc * wq + ss * vq)
            az += (n - m + 1) * (-cc * vw[v_off + i] - ss * vw[w_off + i])
    k = mu / (radius * radius)
    return k * ax, k * ay, k * az


@njit(cache=True)
def harmonic_acceleration(r_bf, mu, radius, c, s, n_max, m_max, vw, out):
    """Gravity acceleration (m/s^2) in the body-fixed frame at body-fixed position ``r_bf``.

    ``c``/``s``: un-normalised coefficients (square, C-contiguous); ``vw``: work array
    (2, K, K) with K >= n_max + 2; the result is written into ``out`` (3,) and returned.
    Evaluated by :func:`harmonic_flat`.
    """
    kv = vw.shape[1]
    flat = vw.reshape(vw.size)
    ax, ay, az = harmonic_flat(r_bf[0], r_bf[1], r_bf[2], mu, radius, c.reshape(c.size), 0,
                               s.reshape(s.size), 0, c.shape[1], n_max, m_max, flat, 0,
                               kv * vw.shape[2], vw.shape[2])
    out[0] = ax
    out[1] = ay
    out[2] = az
    return out
