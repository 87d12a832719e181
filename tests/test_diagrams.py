import io

import numpy as np
import pytest
from matplotlib import patches
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


def _segments(ax):
    """(start, tip, has_head) of every arrow drawn by _arrow and _wire, and the polylines of ax.lines."""
    arrows = []
    for a in ax.texts:
        if getattr(a, "arrow_patch", None) is not None:
            head = type(a.arrow_patch.get_arrowstyle()).__name__ != "Curve"
            arrows.append((np.asarray(a.xyann, float), np.asarray(a.xy, float), head))
    lines = [np.asarray(line.get_xydata(), float) for line in ax.lines]
    return arrows, lines


@pytest.mark.parametrize("kind", ["rnn", "lstm"])
def test_repeating_module_lines_run_from_module_to_module(kind):
    """No arrow head sits where another segment carries on (a doubled head); the lines between the
    modules start at the left neighbour's edge and end, with one head, at the right neighbour's edge."""
    ax = diagrams.repeating_module(kind)
    arrows, lines = _segments(ax)
    starts = [s for s, _, _ in arrows] + [line[0] for line in lines]
    for _, tip, head in arrows:
        if head:
            assert not any(np.allclose(tip, s) for s in starts), f"a second segment starts at the head {tip}"
    boxes = [p for p in ax.patches if isinstance(p, patches.FancyBboxPatch) and p.get_facecolor()[:3] ==
             pytest.approx((0xdb / 255, 0xe9 / 255, 0xf6 / 255))]
    assert len(boxes) == 2
    (lx0, _, lx1, _), (rx0, ry0, rx1, ry1) = [b.get_extents().transformed(ax.transData.inverted()).extents
                                             for b in sorted(boxes, key=lambda b: b.get_x())]
    for y in ((1.5, 7.5) if kind == "lstm" else (1.5,)):
        pts = [p for s, t, _ in arrows for p in (s, t) if abs(s[1] - y) < 1e-9 and abs(t[1] - y) < 1e-9]
        pts += [p for line in lines for p in line if abs(p[1] - y) < 1e-9]
        left, right = min(pts, key=lambda p: p[0]), max(pts, key=lambda p: p[0])
        assert abs(left[0] - lx1) < 0.3, f"the line at y={y} starts at x={left[0]}, not at the left module"
        assert abs(right[0] - rx0) < 0.3, f"the line at y={y} ends at x={right[0]}, not at the right module"
        assert any(h and np.allclose(t, right) for _, t, h in arrows), "it ends with an arrow head"
    names = {t.get_text() for t in ax.texts}
    want = {"$x_t$", "$h_t$", "$h_{t-1}$", "$x_{t-1}$", "$x_{t+1}$", "$h_{t+1}$"}
    want |= {"$C_t$", "$C_{t-1}$"} if kind == "lstm" else set()
    assert want <= names, want - names


def test_words_fit_inside_their_shapes():
    """'tanh' inside its ellipse and its box, at the size the module figure and the cell are drawn."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    for ax in (diagrams.repeating_module("lstm"), diagrams.lstm_cell().ax):
        renderer = FigureCanvasAgg(ax.figure).get_renderer()
        shapes = [p for p in ax.patches if isinstance(p, (patches.Ellipse, patches.FancyBboxPatch))]
        checked = 0
        for t in ax.texts:
            if t.get_text() != "tanh":
                continue
            box = t.get_window_extent(renderer)
            host = min(shapes, key=lambda p: np.hypot(*(np.asarray(p.get_window_extent(renderer).bounds[:2]) +
                                                         np.asarray(p.get_window_extent(renderer).bounds[2:]) / 2
                                                         - (box.x0 + box.width / 2, box.y0 + box.height / 2))))
            hb = host.get_window_extent(renderer)
            if isinstance(host, patches.Ellipse):
                cx, cy, a, b = hb.x0 + hb.width / 2, hb.y0 + hb.height / 2, hb.width / 2, hb.height / 2
                ink = (box.x0 + 1, box.y0 + 0.2 * box.height, box.x1 - 1, box.y1 - 0.15 * box.height)  # glyphs
                for x in ink[0::2]:
                    for y in ink[1::2]:
                        assert ((x - cx) / a) ** 2 + ((y - cy) / b) ** 2 <= 1.0, "tanh overflows its ellipse"
            else:
                assert box.x0 >= hb.x0 and box.x1 <= hb.x1, "tanh overflows its box"
            checked += 1
        assert checked >= 1


def _chip_sets():
    for H, D in ((1, 1), (2, 2), (2, 4)):
        yield f"cell H={H} D={D}", diagrams.LSTMCell(hidden_size=H, input_size=D)
    for n in (1, 3, 4):
        yield f"gate n={n}", diagrams.GateDiagram(n)


@pytest.mark.parametrize("number", ["-0.80", "-9.99", "-12", "0.00"])
def test_chip_numbers_keep_clear_of_the_chip_borders(number):
    """The widest numbers a chip prints fit inside it with at least 2 pixels on each side (the GateDemo's
    minus signs touched the borders)."""
    for name, d in _chip_sets():
        pf = plots.PaintedFigure(d.figure, dpi=d.dpi)
        for chips in d.chips.values():
            size = chips.size_px(pf.fig.dpi)
            w = plots._text_mask(number, size).shape[1]
            x0, y0, x1, y1 = pf.box(chips.rects[0], inset=1)
            assert w + 4 <= x1 - x0, f"{name}: {number!r} is {w} px wide in a chip of {x1 - x0} px"


def test_chip_rows_do_not_overlap():
    for name, d in _chip_sets():
        rects = [r for chips in d.chips.values() for r in chips.rects]
        ext = [r.get_bbox() for r in rects]
        for a in range(len(ext)):
            for b in range(a + 1, len(ext)):
                inter = ext[a].intersection(ext[a], ext[b])
                assert inter is None or inter.width < 1e-9 or inter.height < 1e-9, f"{name}: chips overlap"


def test_ctc_panel_merges_to_the_word_it_shows():
    panel = [s for s in diagrams.SEQUENCE_SHAPES if s[5]][0]
    letters = panel[5]
    merged = [c for k, c in enumerate(letters) if c != "–" and (k == 0 or c != letters[k - 1])]
    assert "".join(merged) == diagrams.CTC_MERGED and len(letters) == panel[2]  # one output per input frame
    ax = diagrams.sequence_shapes()
    shown = [t.get_text() for t in ax.texts]
    assert all(c in shown for c in letters) and "read all, then write" in " ".join(shown)
