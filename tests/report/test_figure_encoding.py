"""The report's cheaper figure path draws the same pictures: PNG pixels equal to matplotlib's
own ``savefig`` at the same dpi, the year labels equal to ``DateFormatter("%Y")``, fixed
margins where they were asked (rossim.report.plots; issue 19, fixed costs)."""

import io

import matplotlib

matplotlib.use("Agg")
import matplotlib.dates as mdates  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from PIL import Image  # noqa: E402

from rossim.report.plots import (  # noqa: E402
    YearLabels,
    figure_png_bytes,
    fixed_layout,
    year_axis,
)


def _figure():
    t = np.arange(np.datetime64("2027-12-15"), np.datetime64("2035-12-31"),
                  np.timedelta64(1, "D")).astype("datetime64[us]")
    x = mdates.date2num(t)
    fig, (ax, ax2) = plt.subplots(2, 1, figsize=(11, 4.0), sharex=True)
    ax.plot(x, np.sin(np.arange(x.size) / 50.0), lw=0.8)
    ax2.plot(x, np.cos(np.arange(x.size) / 70.0), lw=0.8, color="#cc0000")
    ax.set_title("test figure")
    ax.set_ylabel("y (unit)")
    year_axis(ax2)
    fixed_layout(fig, left=0.75, hspace_in=0.2)
    return fig


def test_png_pixels_equal_matplotlib_savefig():
    ours = Image.open(io.BytesIO(figure_png_bytes(_figure())))
    fig = _figure()
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=100)
    plt.close(fig)
    ref = Image.open(io.BytesIO(buf.getvalue()))
    assert ours.mode == "RGB" and ours.size == ref.size == (1100, 400)
    ref_rgba = np.asarray(ref)
    assert (ref_rgba[..., 3] == 255).all()          # opaque: dropping alpha loses nothing
    assert np.array_equal(np.asarray(ours), ref_rgba[..., :3])


def test_png_bytes_deterministic():
    assert figure_png_bytes(_figure()) == figure_png_bytes(_figure())


def test_year_labels_as_dateformatter():
    ref = mdates.DateFormatter("%Y")
    days = mdates.date2num(np.arange(np.datetime64("1957-01-01"), np.datetime64("2101-01-01"),
                                     np.timedelta64(97, "D")).astype("datetime64[us]"))
    starts = mdates.date2num(np.arange(np.datetime64("1990", "Y"), np.datetime64("2060", "Y"))
                             .astype("datetime64[us]"))
    fmt = YearLabels()
    for x in np.concatenate([days, starts, starts - 1e-7, starts + 0.5]):
        assert fmt(x) == ref(x), x


def test_fixed_layout_margins_in_inches():
    fig = _figure()
    w, h = fig.get_size_inches()
    p = fig.subplotpars
    assert abs(p.left * w - 0.75) < 1e-12 and abs((1 - p.right) * w - 0.3) < 1e-12
    assert abs((1 - p.top) * h - 0.35) < 1e-12 and abs(p.bottom * h - 0.35) < 1e-12
    top_ax, bottom_ax = fig.axes
    gap_in = (top_ax.get_position().y0 - bottom_ax.get_position().y1) * h
    assert abs(gap_in - 0.2) < 1e-9
    plt.close(fig)
