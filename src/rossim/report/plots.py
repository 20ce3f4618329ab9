"""Plots of the station. Files are written atomically; PNG and SVG output is deterministic
(no timestamps in the metadata, fixed SVG hash salt)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.dates as mdates  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import matplotlib.ticker as mticker  # noqa: E402
import numpy as np  # noqa: E402

from rossim.errors import InputError  # noqa: E402
from rossim.fileio import atomic_path  # noqa: E402

FORMATS = {".png": "png", ".svg": "svg"}


class YearStarts(mticker.Locator):
    """Ticks on 1 January of every year, the ticks of ``matplotlib.dates.YearLocator()``
    (from the year at or before the view's start to the year after its end; the axis keeps
    those in view), computed with numpy instead of a dateutil rule: a date axis asks its
    locator several times per figure (layout, label placement, drawing)."""

    def __call__(self):
        vmin, vmax = self.axis.get_view_interval()
        return self.tick_values(vmin, vmax)

    def tick_values(self, vmin, vmax):
        lo, hi = sorted((float(vmin), float(vmax)))
        first = np.datetime64(mdates.num2date(lo).replace(tzinfo=None), "Y")
        last = np.datetime64(mdates.num2date(hi).replace(tzinfo=None), "Y") + 1
        years = np.arange(first, last + 1).astype("datetime64[us]")
        return self.raise_if_exceeds(mdates.date2num(years))


class YearLabels(mticker.Formatter):
    """The year of a matplotlib date number, as ``matplotlib.dates.DateFormatter("%Y")``
    writes it, computed with numpy (no ``datetime`` per tick and per draw)."""

    def __call__(self, x, pos=None):
        epoch = np.datetime64(mdates.get_epoch(), "us")
        when = epoch + np.timedelta64(int(round(float(x) * 86_400e6)), "us")
        return str(when.astype("datetime64[Y]"))


def year_axis(ax) -> None:
    """Label the x axis (matplotlib date numbers) with the years, ticks on 1 January."""
    ax.xaxis.set_major_locator(YearStarts())
    ax.xaxis.set_major_formatter(YearLabels())


def fixed_layout(fig, left: float = 0.8, right: float = 0.3, top: float = 0.35,
                 bottom: float = 0.35, hspace_in: float | None = None) -> None:
    """Place the axes with fixed margins (inches: room for tick labels, axis labels and the
    title) instead of ``fig.tight_layout()``, which measures every label by drawing the
    figure once more before it is saved. ``hspace_in``: gap between stacked axes (inches)."""
    w, h = fig.get_size_inches()
    kw = {"left": left / w, "right": 1.0 - right / w, "top": 1.0 - top / h,
          "bottom": bottom / h}
    if hspace_in is not None:
        n = max(len(fig.axes), 1)
        kw["hspace"] = hspace_in / ((h - top - bottom - hspace_in * (n - 1)) / n)
    fig.subplots_adjust(**kw)


def _without_layout_engine(fig) -> None:
    """Drop the inert layout engine that ``fig.tight_layout()`` leaves behind: with one set,
    ``savefig`` draws the whole figure once more (without rendering) before the real draw,
    about a quarter of the cost of saving. The layout already done stays; the bytes written
    are the same."""
    from matplotlib.layout_engine import PlaceHolderLayoutEngine

    if isinstance(fig.get_layout_engine(), PlaceHolderLayoutEngine):
        fig.set_layout_engine(None)


def save_figure(fig, path: str | Path) -> Path:
    """Save ``fig`` atomically to ``path`` (.png or .svg), deterministically."""
    path = Path(path)
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise InputError("argument", "path", str(path), "a file name ending in .png or .svg")
    metadata = {"Date": None} if fmt == "svg" else {"Software": None}
    _without_layout_engine(fig)
    with matplotlib.rc_context({"svg.hashsalt": "rossim"}), atomic_path(path) as tmp:
        fig.savefig(tmp, format=fmt, dpi=110, metadata=metadata)
    plt.close(fig)
    return path


def assembly_timeline(timeline, path: str | Path) -> Path:
    """Write :func:`assembly_timeline_figure` to ``path`` (.png or .svg)."""
    return save_figure(assembly_timeline_figure(timeline), path)


#: zlib level of the report's PNGs: 3 encodes in about half the time of Pillow's default (6)
#: for files within a few per cent of the same size (the figures are lines on white).
PNG_COMPRESS_LEVEL = 3


def figure_png_bytes(fig) -> bytes:
    """PNG bytes of ``fig`` at 100 dpi (RGB, no metadata: deterministic); closes the figure.

    The figure is drawn once by the Agg canvas and its pixels are written as RGB (the
    figures are opaque, so the alpha channel, a quarter of the bytes to compress, carries
    nothing) at :data:`PNG_COMPRESS_LEVEL`."""
    import io

    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from PIL import Image

    _without_layout_engine(fig)
    fig.set_dpi(100)
    canvas = fig.canvas if isinstance(fig.canvas, FigureCanvasAgg) else FigureCanvasAgg(fig)
    canvas.draw()
    rgba = np.asarray(canvas.buffer_rgba())
    buf = io.BytesIO()
    Image.fromarray(np.ascontiguousarray(rgba[..., :3])).save(
        buf, format="png", compress_level=PNG_COMPRESS_LEVEL, dpi=(100, 100))
    plt.close(fig)
    return buf.getvalue()


def assembly_timeline_figure(timeline, flown=None):
    """Gantt chart of modules and docked vehicles (by port) over the scenario span, above
    the station mass and crew aboard: the plan's (parts at launch mass) and, with ``flown``
    ``(epochs datetime64, mass kg)`` (telemetry_hourly), the flown mass of a run
    (:mod:`rossim.ops.station_mass`)."""
    scen = timeline.scenario
    end = scen.span.end
    rows: dict[str, list[tuple[dt.datetime, dt.datetime, str]]] = {}
    stage_colour = {"module": "#3465a4", "crew": "#cc0000", "cargo": "#f57900",
                    "service": "#75507b"}
    # Module rows: from docking to separation or span end. A ship planned to "auto" is drawn
    # at the port the plan gave it (the phases' occupancy), as in the plan-as-run figure.
    given_port: dict[str, str] = {}
    for ph in timeline.phases:
        for port, who in ph.occupancy.items():
            given_port.setdefault(who, port)
    open_since: dict[str, tuple[dt.datetime, str, str]] = {}
    for ev in timeline.events:
        if ev.part_kind == "module":
            if ev.kind == "dock":
                open_since[ev.part] = (ev.time, "module", ev.part)
            else:
                t0, kind, _ = open_since.pop(ev.part)
                rows.setdefault(f"module {ev.part}", []).append((t0, ev.time, kind))
        else:
            key = f"port {given_port.get(ev.part, ev.port) if ev.port == 'auto' else ev.port}"
            if ev.kind == "dock":
                open_since[ev.part] = (ev.time, timeline.catalog.vehicles[ev.catalog_id].kind, key)
            else:
                t0, kind, key = open_since.pop(ev.part)
                rows.setdefault(key, []).append((t0, ev.time, kind))
    for part, (t0, kind, key) in open_since.items():
        label = f"module {part}" if kind == "module" else key
        rows.setdefault(label, []).append((t0, end, kind))

    labels = sorted(rows, key=lambda k: (not k.startswith("module"),
                                         min(s for s, _, _ in rows[k])))
    fig, (ax, ax2) = plt.subplots(2, 1, figsize=(12, 0.32 * len(labels) + 4.2), sharex=True,
                                  gridspec_kw={"height_ratios": [max(3, len(labels) * 0.32), 2]})
    bars = [(y, t0, t1, stage_colour.get(kind, "grey")) for y, label in enumerate(labels)
            for t0, t1, kind in rows[label]]
    if bars:  # one call for every bar (the same rectangles as one call per bar)
        ys, t0s, t1s, colours = zip(*bars, strict=True)
        left = np.asarray(mdates.date2num(list(t0s)))
        right = np.asarray(mdates.date2num(list(t1s)))
        ax.barh(ys, right - left, left=left, height=0.7, color=colours, edgecolor="none")
    ax.set_yticks(range(len(labels)), [_plain(x) for x in labels], fontsize=8)
    ax.invert_yaxis()
    ax.set_title(f"{_plain(scen.name)}: assembly and visits ({scen.orbit.altitude_km:g} km, "
                 f"{scen.orbit.inclination_deg:g} deg)")
    handles = [plt.Rectangle((0, 0), 1, 1, color=c) for c in stage_colour.values()]
    ax.legend(handles, ["module", "crew vehicle", "cargo vehicle", "service vehicle"],
              loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8)
    ax.grid(axis="x", alpha=0.3)

    days = np.arange(np.datetime64(scen.span.start.date()), np.datetime64(end.date()) + 1,
                     np.timedelta64(1, "D"))
    series = timeline.at(days)
    t_num = mdates.date2num(days.astype("datetime64[us]"))
    ax2.step(t_num, series.mass_kg / 1000.0, where="post", color="#3465a4",
             label="plan (parts at launch mass)")
    if flown is not None and len(flown[0]):
        ax2.plot(mdates.date2num(np.asarray(flown[0]).astype("datetime64[us]")),
                 np.asarray(flown[1]) / 1000.0, color="#729fcf", lw=0.8,
                 label="flown (tanks, stores; ships less what they unloaded)")
        ax2.legend(loc="upper left", fontsize=8)
    ax3 = ax2.twinx()
    ax3.step(t_num, series.crew_aboard, where="post", color="#cc0000", label="crew aboard")
    ax3.set_ylabel("crew aboard", color="#cc0000")
    ax2.set_ylabel("mass incl. docked ships (t)", color="#3465a4")
    ax3.set_ylim(0, max(4, float(series.crew_aboard.max()) + 1))
    year_axis(ax2)
    ax2.grid(alpha=0.3)
    fig.tight_layout()
    return fig


def _plain(text: str) -> str:
    """User text (scenario and visit names) shown literally: a ``$`` pair would otherwise be
    parsed as matplotlib mathtext (and fail on ``$x^{2$``)."""
    return str(text).replace("$", r"\$")
