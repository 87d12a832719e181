"""Text is legible where it is shown: no text below 8 pt at the width a chapter displays its picture.

A picture's text is measured in its own pixels (matplotlib's font size times the dpi it is drawn
at, or the pixel height of a number painted by plots.PaintedFigure), scaled by the width the
picture is shown at over its width in pixels, and given in CSS points (96 px = 72 pt). The
display widths are those of the notebooks' <img width=...> for images/, and the layout width of
each explorer's Image widget. Mathtext subscripts and superscripts are drawn at 0.7 of the size.
"""
import re
import struct
from contextlib import contextmanager
from pathlib import Path

import matplotlib.text
import numpy as np
import pytest
import ipywidgets as W

from test_widgets import _padding_explorer

from lstm_helpers import figures, plots, train, widgets

ROOT = Path(__file__).resolve().parents[1]
MIN_PT = 8.0
SCRIPT = 0.7  # mathtext's shrink factor for sub- and superscripts


def png_width(png):
    return struct.unpack(">I", png[16:20])[0]


@contextmanager
def text_sizes():
    """Record (size in the picture's pixels, picture width in pixels, text) of every text drawn."""
    found = []
    draw, paint = matplotlib.text.Text.draw, plots.PaintedFigure.text

    def recording_draw(self, renderer):
        s = self.get_text()
        if self.get_visible() and s.strip() and renderer is not None:
            size = self.get_fontsize() * renderer.dpi / 72
            if re.search(r"\$.*[_^].*\$", s):
                size *= SCRIPT
            found.append((size, self.figure.bbox.width, s))
        return draw(self, renderer)

    def recording_paint(frame, box, s, rgb, size_px):
        found.append((size_px, frame.shape[1], s))
        return paint(frame, box, s, rgb, size_px)

    matplotlib.text.Text.draw = recording_draw
    plots.PaintedFigure.text = staticmethod(recording_paint)
    try:
        yield found
    finally:
        matplotlib.text.Text.draw = draw
        plots.PaintedFigure.text = staticmethod(paint)


def too_small(found, png_w, display_w):
    """The texts of a picture png_w pixels wide, shown display_w CSS px wide, that are below MIN_PT."""
    out = []
    for size, width, s in found:
        if abs(width - png_w) > 1:
            continue  # drawn in another picture
        pt = size * display_w / png_w * 72 / 96
        if pt < MIN_PT - 1e-9:
            out.append(f"{s!r} at {pt:.1f} pt")
    return sorted(set(out))


def display_widths():
    """images/<stem>.png -> the narrowest width (CSS px) any notebook shows it at."""
    widths = {}
    for path in sorted((ROOT / "notebooks").rglob("*.ipynb")):
        text = path.read_text(encoding="utf-8")
        for stem, w in re.findall(r'<img src=\\"(?:\.\./)+images/(\w+)\.png\\"[^>]*?width=\\"(\d+)\\"', text):
            widths[stem] = min(widths.get(stem, 10**6), int(w))
    return widths


SHOWN = display_widths()


@pytest.mark.parametrize("name", sorted(SHOWN))
def test_static_figure_is_legible_where_a_chapter_shows_it(name):
    with text_sizes() as found:
        png, _ = figures.FIGURES[name]()
    small = too_small(found, png_width(png), SHOWN[name])
    assert found, "no text recorded"
    assert not small, f"images/{name}.png shown at {SHOWN[name]} px: " + "; ".join(small)


def _loss_curve():
    c = widgets.LiveLossCurve(baseline=0.17)
    h = train.History(steps=list(range(1, 101)), loss=list(np.linspace(1, 0.1, 100)), val_steps=[50, 100],
                      val_loss=[0.5, 0.2])
    c.track("demo")(h)
    return c


EXPLORERS = {
    "GateExplorer": widgets.GateExplorer,
    "GateExplorer(gates=('f',))": lambda: widgets.GateExplorer(gates=("f",)),
    "GRUExplorer": widgets.GRUExplorer,
    "GRUExplorer(reset_after=True)": lambda: widgets.GRUExplorer(reset_after=True),
    "SequenceStepper": widgets.SequenceStepper,
    "SequenceStepper(cell='rnn')": lambda: widgets.SequenceStepper(cell="rnn"),
    "GradientFlowExplorer": widgets.GradientFlowExplorer,
    "GateDemo": widgets.GateDemo,
    "ForgetSurvivalExplorer": widgets.ForgetSurvivalExplorer,
    "GradientCheckExplorer": widgets.GradientCheckExplorer,
    "SampleExplorer": widgets.SampleExplorer,
    "LiveLossCurve": _loss_curve,
    "PaddingExplorer": lambda: _padding_explorer(),
}


def _images(w):
    """Every ipywidgets.Image inside a widget (itself included) that shows a picture."""
    if isinstance(w, W.Image):
        return [w] if w.value else []
    return [img for child in getattr(w, "children", ()) for img in _images(child)]


@pytest.mark.parametrize("name", sorted(EXPLORERS))
def test_explorer_is_legible_at_its_display_width(name):
    with text_sizes() as found:
        w = EXPLORERS[name]()
    images = _images(w)
    assert images
    small = []
    for img in images:
        display = img.layout.width
        assert display and display.endswith("px"), f"{name}: an Image without a fixed width in px"
        small += too_small(found, png_width(img.value), float(display[:-2]))
    assert not small, f"{name}: " + "; ".join(small)
