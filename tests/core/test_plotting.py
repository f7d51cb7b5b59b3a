"""Figures fit their protocol (issue 11, item 4): a clamp shows its target and glucose infusion rate,
diagnostic thresholds appear only where they apply, and nothing overlaps or leaves the figure."""

import matplotlib

matplotlib.use("Agg")

import pytest  # noqa: E402
from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: E402

from irsim.protocols import OGTT, Clamp, DailyLife, Fasting, Meal  # noqa: E402
from irsim.simulation import Simulation  # noqa: E402

PROTOCOLS = {"ogtt": OGTT(), "clamp": Clamp(), "meal": Meal(), "day": DailyLife(days=2), "fasting": Fasting(120),
             "meal+ogtt": Meal(50).then(OGTT(), at_min=240)}


@pytest.fixture(scope="module")
def figures(tmp_path_factory):
    out = {}
    for name, protocol in PROTOCOLS.items():
        result = Simulation("dalla-man-2007", "t2d", protocol).solve(step_min=5.0)
        fig = result.plot(tmp_path_factory.mktemp("fig") / f"{name}.png")
        FigureCanvasAgg(fig).draw()  # the figure as saved, at its default size
        out[name] = fig
    return out


def _legend(fig) -> list[str]:
    return [t.get_text() for t in fig.axes[0].get_legend().get_texts()]


@pytest.mark.parametrize("name", PROTOCOLS)
def test_thresholds_only_where_they_apply(figures, name):
    legend = " | ".join(_legend(figures[name]))
    assert ("diabetes at 2 h" in legend) == ("ogtt" in name)
    assert ("diabetes (fasting)" in legend) == (name == "fasting")
    assert ("clamp target 90 mg/dL" in legend) == (name == "clamp")
    assert ("time in range" in legend) == (name == "day")


def test_a_clamp_shows_its_glucose_infusion_rate(figures):
    labels = [ax.get_ylabel() for ax in figures["clamp"].axes if ax.get_ylabel()]
    assert any(label.startswith("glucose infusion") for label in labels)
    assert not any(label.startswith("glucose infusion") for f in ("ogtt", "meal") for label in
                   [ax.get_ylabel() for ax in figures[f].axes])


@pytest.mark.parametrize("name", PROTOCOLS)
def test_no_text_is_cut_or_overlaps(figures, name):
    """Titles, axis labels, legends and dose labels lie inside the figure (tick labels outside the
    view are never drawn), and dose labels do not overlap one another."""
    fig = figures[name]
    renderer = fig.canvas.get_renderer()
    box = fig.bbox
    ticks = {id(label) for tick in fig.findobj(matplotlib.axis.Tick) for label in (tick.label1, tick.label2)}
    texts = [t for t in fig.findobj(matplotlib.text.Text)
             if t.get_visible() and t.get_text().strip() and id(t) not in ticks]
    for t in texts:
        extent = t.get_window_extent(renderer)
        assert box.x0 - 1 <= extent.x0 and extent.x1 <= box.x1 + 1, f"cut: {t.get_text()!r}"
        assert box.y0 - 1 <= extent.y0 and extent.y1 <= box.y1 + 1, f"cut: {t.get_text()!r}"
    doses = [t for t in fig.axes[0].texts if t.get_rotation() == 90]
    assert bool(doses) == (name not in ("fasting", "clamp"))  # a clamp has infusions only
    extents = [t.get_window_extent(renderer) for t in doses]
    for a, b in zip(extents, extents[1:]):
        assert not a.overlaps(b), "dose labels overlap"
