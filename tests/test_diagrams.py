import io

import numpy as np
import pytest
from PIL import Image

from lstm_helpers import diagrams, lstm, plots


def _image(png):
    im = Image.open(io.BytesIO(png))
    im.load()
    return np.asarray(im)


STATIC = {
    "rnn_loop": diagrams.rnn_loop, "rnn_unrolled": diagrams.rnn_unrolled,
    "gap_short": lambda: diagrams.dependency_gap("short"), "gap_long": lambda: diagrams.dependency_gap("long"),
    "module_rnn": lambda: diagrams.repeating_module("rnn"), "module_lstm": lambda: diagrams.repeating_module("lstm"),
    "notation": diagrams.notation_legend, "sequence_shapes": diagrams.sequence_shapes,
}


@pytest.mark.parametrize("name", sorted(STATIC))
def test_static_drawings_render_and_have_alt_text(name):
    ax = STATIC[name]()
    img = _image(plots.png_bytes(ax.figure, dpi=40))
    assert img.std() > 10  # something was drawn
    assert len(diagrams.ALT_TEXT[name]) > 40


def test_drawings_go_into_a_given_axes():
    from matplotlib.figure import Figure
    fig = Figure()
    ax1, ax2 = fig.subplots(1, 2)
    assert diagrams.rnn_loop(ax=ax1) is ax1
    assert diagrams.lstm_cell(highlight="forget", ax=ax2).ax is ax2


def test_live_cell_shows_the_step_numbers():
    rng = np.random.default_rng(0)
    p = lstm.init_params(2, 2, rng)
    x, h, c = rng.standard_normal((1, 2)), rng.uniform(-1, 1, (1, 2)), rng.standard_normal((1, 2))
    rec = lstm.step(p, x, h, c)
    one = lstm.LSTMRecord(*(a[0] for a in rec))
    cell = diagrams.lstm_cell({"x": x[0], "h_prev": h[0], "c_prev": c[0], "record": one})
    np.testing.assert_array_equal(cell.chips["f"].values, one.f)
    np.testing.assert_array_equal(cell.chips["fc"].values, one.f * c[0])
    np.testing.assert_array_equal(cell.chips["h"].values, one.h)
    first = cell.png()
    assert cell._repr_png_() == first
    cell.update(x[0] + 1, h[0], c[0], lstm.LSTMRecord(*(a[0] for a in lstm.step(p, x + 1, h, c))), forced=("f",))
    assert cell.png() != first
    assert cell.forced_marks["f"].get_visible() and not cell.forced_marks["i"].get_visible()


def test_highlights_grey_out_the_rest():
    plain = _image(diagrams.lstm_cell().png())
    for part in diagrams.PARTS:
        cell = diagrams.lstm_cell(highlight=part)
        img = _image(cell.png())
        assert img.shape == plain.shape and (img != plain).any()
        assert part in ("cell_state",) or f"lstm_{part}" in diagrams.ALT_TEXT
    with pytest.raises(ValueError, match="highlight"):
        diagrams.lstm_cell(highlight="gates")


def test_a_highlight_fades_every_arrow_outside_its_part():
    cell = diagrams.lstm_cell(highlight="update")
    kept = set(map(id, cell.parts["update"]))
    arrows = [a for a in cell.parts["_all"] if getattr(a, "arrow_patch", None) is not None]
    assert arrows and all(a.arrow_patch.get_alpha() == (1.0 if id(a) in kept else 0.22) for a in arrows)
    assert any(id(a) not in kept for a in arrows)


def test_chip_numbers_and_limits():
    assert diagrams.Chips.format(-0.001) == "0.00"
    assert diagrams.Chips.format(0.456) == "0.46"
    assert diagrams.Chips.format(-12.3) == "-12"
    with pytest.raises(ValueError, match="1 or 2 units"):
        diagrams.LSTMCell(hidden_size=3)
    g = diagrams.gate([0.0, 0.5, 1.0], [2.0, 2.0, 2.0])
    np.testing.assert_allclose(g.chips["out"].values, [0.0, 1.0, 2.0])
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        g.update([1.5, 0, 0])


def test_painted_text_is_drawn_in_the_box():
    from matplotlib.figure import Figure
    fig = Figure(figsize=(1, 1))
    pf = plots.PaintedFigure(fig, dpi=60)
    frame = pf.background().copy()
    pf.fill(frame, (10, 10, 50, 40), (1.0, 1.0, 1.0))
    pf.text(frame, (10, 10, 50, 40), "0.57", (0, 0, 0), 12)
    ink = frame[10:40, 10:50].min(axis=2) < 128
    assert ink.sum() > 10 and not (frame[:10] < 128).any()
