"""Contact windows and tables of the contact model (:mod:`rossim.ops.contact`).

The coarse-grid brackets and extrema the model collects as the engine commits are refined in
batches by :func:`rossim.search.refine_crossings` to :data:`TOL_S`; :class:`ContactWindowsMixin`
turns the crossings into per-link windows (AOS, LOS, duration, maximum elevation of each ground
pass), their union per kind of link, the minutes per calendar day and the 0/1 contact
channels; :func:`contact_record` is what a run archives (``contact_windows``,
``telemetry_contact``, the daily minutes of ``telemetry_daily``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from rossim.search import refine_crossings

if TYPE_CHECKING:
    from rossim.ops.contact import ContactModel

TOL_S = 1e-3
KINDS = ("ground", "relay")


class ContactWindowsMixin:
    """Windows and tables of :class:`rossim.ops.contact.ContactModel` (its state: links,
    masks, the collected brackets ``_todo``, peaks ``_peaks`` and crossings ``_cross``)."""

    def _refine(self) -> None:
        """Refine every bracket found since the last call (one batch)."""
        if not self._todo:
            return
        t_keep = np.concatenate([x[0] for x in self._todo])
        r_keep = np.concatenate([x[1] for x in self._todo])
        t_keep, idx = np.unique(t_keep, return_index=True)
        r_keep = r_keep[idx]
        br = tuple(np.concatenate([x[2][i] for x in self._todo]) for i in range(5))
        ex = tuple(np.concatenate([x[3][i] for x in self._todo]) for i in range(5))
        self._todo = []
        if len(t_keep) < 2:
            return
        tc, ser, rising = refine_crossings(
            lambda x, s: self.g_interp(x, s, t_keep, r_keep), br, ex, TOL_S)
        self._cross.append((tc, ser, rising))

    def windows(self, t_end_s: float | None = None) -> dict[str, np.ndarray]:
        """Contact windows of every link up to ``t_end_s`` (default: the last committed
        sample): columns ``link`` (index), ``name``, ``kind``, ``aos_s``, ``los_s`` (run
        seconds), ``duration_s``, ``max_elevation_deg`` (ground; NaN for relays),
        ``aos_clipped``/``los_clipped`` (in contact at the run start / still in contact)."""
        if self._carry is None:
            e = np.empty(0)
            return {"link": e.astype(int), "name": e.astype(str), "kind": e.astype(str),
                    "aos_s": e, "los_s": e, "duration_s": e, "max_elevation_deg": e,
                    "aos_clipped": e.astype(bool), "los_clipped": e.astype(bool)}
        t_last = float(self._carry[0][-1])
        t_end = t_last if t_end_s is None else min(float(t_end_s), t_last)
        if self._cache is not None and self._cache["t_end"] == t_end:
            return self._cache["windows"]
        self._refine()
        if self._cross:
            tc, ser, rising = (np.concatenate([c[i] for c in self._cross]) for i in range(3))
            o = np.lexsort((ser, tc))
            tc, ser, rising = tc[o], ser[o], rising[o]
            self._cross = [(tc, ser, rising)]
        else:
            tc = np.empty(0)
            ser = np.empty(0, dtype=int)
            rising = np.empty(0, dtype=bool)
        begin, end, link, bclip, eclip = _intervals(0.0, t_last, self._state0, tc, ser,
                                                    rising, len(self.links))
        k = begin < t_end
        begin, end, link, bclip, eclip = begin[k], end[k], link[k], bclip[k], eclip[k]
        eclip = eclip | (end > t_end)
        end = np.minimum(end, t_end)
        o = np.lexsort((link, begin))
        begin, end, link, bclip, eclip = begin[o], end[o], link[o], bclip[o], eclip[o]
        elev = np.full(len(begin), np.nan)
        g = link < self.n_ground
        elev[g] = np.degrees(np.arcsin(self.sin_mask[link[g]]))
        if self._peaks:
            pt, ps, pv = (np.concatenate([x[i] for x in self._peaks]) for i in range(3))
            self._peaks = [(pt, ps, pv)]
            for li in range(self.n_ground):
                w = np.flatnonzero(link == li)
                q = ps == li
                if not w.size or not q.any():
                    continue
                t_pk, v_pk = pt[q], pv[q]
                j = np.searchsorted(begin[w], t_pk, side="right") - 1
                inside = (j >= 0) & (t_pk <= end[w[np.maximum(j, 0)]] + self.coarse)
                el = np.full(w.size, -np.inf)
                np.maximum.at(el, j[inside], np.degrees(np.arcsin(np.clip(v_pk[inside], -1, 1))))
                elev[w] = np.maximum(elev[w], el)
        names = np.array([lk.name for lk in self.links])
        out = {"link": link, "name": names[link] if link.size else np.empty(0, dtype=str),
               "kind": self.kind[link] if link.size else np.empty(0, dtype=str),
               "aos_s": begin, "los_s": end, "duration_s": end - begin,
               "max_elevation_deg": elev, "aos_clipped": bclip, "los_clipped": eclip}
        self._cache = {"t_end": t_end, "windows": out}
        return out

    def union(self, kinds: tuple[str, ...] = KINDS, t_end_s: float | None = None
              ) -> tuple[np.ndarray, np.ndarray]:
        """Disjoint (begin_s, end_s) of contact over any link of ``kinds``, sorted."""
        w = self.windows(t_end_s)
        k = np.isin(w["kind"], kinds)
        return _merge(w["aos_s"][k], w["los_s"][k])

    def daily_minutes(self, days: np.ndarray, kind: str = "union") -> np.ndarray:
        """Contact minutes on calendar ``days`` (datetime64[D]): ``kind`` ``"ground"``,
        ``"relay"`` or ``"union"`` (any link)."""
        kinds = KINDS if kind == "union" else (kind,)
        b, e = self.union(kinds)
        d = days.astype("datetime64[D]").astype(np.int64)
        lo = (d * 86400.0) - self.t_ref_unix
        return (_covered(b, e, lo + 86400.0) - _covered(b, e, lo)) / 60.0

    def contact_steps(self) -> tuple[np.ndarray, dict[str, np.ndarray]]:
        """The 0/1 channels ``in_contact`` (any link), ``in_ground_contact`` and
        ``in_relay_contact`` as steps: (run seconds, {channel: value}) with one row at the run
        start and at every AOS and LOS of any of them, each value holding from that instant."""
        spans = {"in_contact": self.union(KINDS), "in_ground_contact": self.union(("ground",)),
                 "in_relay_contact": self.union(("relay",))}
        t = np.unique(np.concatenate([[0.0]] + [np.r_[b, e] for b, e in spans.values()]))
        out = {}
        for name, (b, e) in spans.items():
            if len(b) == 0:
                out[name] = np.zeros(len(t))
                continue
            j = np.searchsorted(b, t, side="right") - 1
            out[name] = ((j >= 0) & (t < e[np.maximum(j, 0)])).astype(float)
        return t, out

    def mean_wait_min(self) -> float | None:
        """Mean wait (min) of a request or an answer for an uplink contact (None: none)."""
        if not self.waits_s:
            return None
        return float(np.mean([w for _, w in self.waits_s])) / 60.0


def _intervals(t_start: float, t_end: float, state0, tc: np.ndarray, ser: np.ndarray,
               rising: np.ndarray, n_links: int):
    """Per-link intervals in [t_start, t_end] from the state at ``t_start`` and the sorted
    crossings: ``(begin, end, link, begin_clipped, end_clipped)``."""
    outs = []
    state0 = np.zeros(n_links, bool) if state0 is None else np.asarray(state0, bool)
    for li in range(n_links):
        q = ser == li
        t, up = tc[q], rising[q]
        # a consistent sequence alternates, starting with the opposite of the initial state
        expect = np.arange(len(up)) % 2 == (0 if not state0[li] else 1)
        if len(up) and not np.array_equal(up, expect):
            keep, s = [], bool(state0[li])
            for i in range(len(up)):
                if bool(up[i]) != s:
                    keep.append(i)
                    s = bool(up[i])
            t, up = t[keep], up[keep]
        b = t[up]
        e = t[~up]
        bc = np.zeros(len(b), bool)
        if state0[li]:
            b = np.r_[t_start, b]
            bc = np.r_[True, bc]
        ec = np.zeros(len(e), bool)
        if len(b) > len(e):
            e = np.r_[e, t_end]
            ec = np.r_[ec, True]
        outs.append((b, e, np.full(len(b), li), bc, ec))
    if not outs:
        z = np.empty(0)
        return z, z, z.astype(int), z.astype(bool), z.astype(bool)
    return tuple(np.concatenate(x) for x in zip(*outs, strict=True))


def _merge(b: np.ndarray, e: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Union of intervals [b, e] as disjoint sorted intervals."""
    if len(b) == 0:
        return b, e
    o = np.argsort(b, kind="stable")
    b, e = b[o], e[o]
    reach = np.maximum.accumulate(e)
    new = np.r_[True, b[1:] > reach[:-1]]
    gid = np.cumsum(new) - 1
    ends = np.full(gid[-1] + 1, -np.inf)
    np.maximum.at(ends, gid, e)
    return b[new], ends


def _covered(b: np.ndarray, e: np.ndarray, x: np.ndarray) -> np.ndarray:
    """Seconds of the disjoint sorted intervals [b, e] before each ``x``."""
    if len(b) == 0:
        return np.zeros(len(x))
    cum = np.r_[0.0, np.cumsum(e - b)]
    j = np.searchsorted(b, x, side="right")        # intervals starting before x
    full = cum[np.maximum(j - 1, 0)]
    part = np.where(j > 0, np.minimum(x, e[np.maximum(j - 1, 0)]) - b[np.maximum(j - 1, 0)],
                    0.0)
    return np.where(j > 0, full + part, 0.0)


def relay_service(model: ContactModel, engine) -> list[dict]:
    """Each relay's service window against the run: ``name``, ``from`` and ``to`` (ISO UTC
    dates; None: no bound, a relay given without dates or an in-slot successor assumed),
    ``in_run``: ``"whole"`` (in service from the run's start to its end), ``"part"``,
    ``"retired"`` (its service ended before the run) or ``"later"`` (after the run), and
    ``service`` in words (``"retired 2021-12-10"``, ``"until 2024-04-27"``, ...)."""
    out = []
    end = float(engine.t_end_s)
    for i, lk in enumerate(model.links):
        if lk.kind != "relay":
            continue
        a, b = float(model.serve_from[i]), float(model.serve_to[i])
        d0 = None if np.isinf(a) else str(engine.epoch(a))[:10]
        d1 = None if np.isinf(b) else str(engine.epoch(b))[:10]
        if b <= 0.0:
            state, words = "retired", f"retired {d1}"
        elif a >= end:
            state, words = "later", f"in service from {d0}"
        elif a <= 0.0 and b >= end:
            state, words = "whole", "the whole run"
        else:
            state = "part"
            words = " ".join(x for x in (f"from {d0}" if a > 0.0 else "",
                                         f"until {d1}" if b < end else "") if x)
        out.append({"name": lk.name, "from": d0, "to": d1, "in_run": state,
                    "service": words})
    return out


def uplink_words(rec: dict) -> str:
    """What carried the uplink in the run, in words (the summary's
    ``communications.uplink_via`` and the report): the kinds of ``[communications]
    uplink_via`` joined by ``+``, the relay kind only when a relay was in service in the run
    (``rec["relays"]``, :func:`relay_service`), e.g. ``"ground (no relay in service: Luch-5A
    retired 2021-12-10, ...)"``; a relay in service for part of the run says when."""
    via = list(rec["uplink_via"])
    relays = rec.get("relays") or []
    if "relay" not in via or not relays:
        return "+".join(via)
    if all(r["in_run"] in ("retired", "later") for r in relays):
        rest = "+".join(k for k in via if k != "relay") or "none"
        return (f"{rest} (no relay in service: "
                + ", ".join(f"{r['name']} {r['service']}" for r in relays) + ")")
    part = [f"{r['name']} {r['service']}" for r in relays if r["in_run"] == "part"]
    return "+".join(via) + (f" ({', '.join(part)})" if part else "")


def contact_record(model: ContactModel, engine, days: np.ndarray) -> dict:
    """What a run archives of communications: ``windows`` (columns ``name``, ``kind``,
    ``aos``, ``los`` (datetime64[us], UTC), ``duration_s``, ``max_elevation_deg``,
    ``aos_clipped``, ``los_clipped``), ``daily`` (minutes per calendar day of ``days``:
    ``ground``, ``relay``, ``union``), ``in_contact`` ((epochs, {channel: 0/1}) at every
    AOS/LOS: :meth:`ContactModel.contact_steps`), ``uplink_via`` (the configured kinds),
    ``relays`` (:func:`relay_service`) and the mean wait of a ground request for an uplink
    contact."""
    w = model.windows()
    t_ic, v_ic = model.contact_steps()
    return {
        "windows": {"name": w["name"], "kind": w["kind"],
                    "aos": engine.epochs(w["aos_s"]), "los": engine.epochs(w["los_s"]),
                    "duration_s": w["duration_s"], "max_elevation_deg": w["max_elevation_deg"],
                    "aos_clipped": w["aos_clipped"], "los_clipped": w["los_clipped"]},
        "daily": {k: model.daily_minutes(days, k) for k in ("ground", "relay", "union")},
        "in_contact": (engine.epochs(t_ic), v_ic),
        "uplink_via": list(model.uplink_kinds),
        "relays": relay_service(model, engine),
        "links": [(lk.name, lk.kind) for lk in model.links],
        "mean_wait_min": model.mean_wait_min(),
        "requests_waited": len(model.waits_s),
    }
