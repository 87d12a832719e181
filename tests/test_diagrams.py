import io

import numpy as np
import pytest
from matplotlib import patches
from PIL import Image

from lstm_helpers import diagrams, gru, lstm, plots


def _image(png):
    im = Image.open(io.BytesIO(png))
    im.load()
    return np.asarray(im)


STATIC = {
    "rnn_loop": diagrams.rnn_loop, "rnn_unrolled": diagrams.rnn_unrolled,
    "gap_short": lambda: diagrams.dependency_gap("short"), "gap_long": lambda: diagrams.dependency_gap("long"),
    "module_rnn": lambda: diagrams.repeating_module("rnn"), "module_lstm": lambda: diagrams.repeating_module("lstm"),
    "notation": diagrams.notation_legend, "sequence_shapes": diagrams.sequence_shapes,
    "rnn_bptt": diagrams.rnn_bptt, "lstm_bptt": diagrams.lstm_bptt, "rows_as_steps": diagrams.rows_as_steps,
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
        yield f"1997 cell H={H} D={D}", diagrams.LSTMCell(hidden_size=H, input_size=D, forget_gate=False)
        for reset_after in (False, True):
            yield f"GRU H={H} D={D} reset_after={reset_after}", diagrams.GRUCell(hidden_size=H, input_size=D,
                                                                                 reset_after=reset_after)
    for kw in (dict(peepholes=True), dict(coupled=True)):
        yield f"cell {kw}", diagrams.LSTMCell(hidden_size=1, input_size=4, **kw)
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


# The BPTT drawings (chapter 08, section 1)
BPTT_SHOWN_PX = 768  # the width chapter 08 shows them at


def _texts_inside(ax, patch):
    box = patch.get_bbox()
    return [t.get_text() for t in ax.texts if t.get_text().strip() and box.contains(*t.get_position())]


@pytest.mark.parametrize("kind", ["rnn", "lstm"])
@pytest.mark.parametrize("T", [3, 4])
def test_bptt_drawing_shows_order_cache_and_the_sum_over_steps(kind, T):
    ax = diagrams.bptt_unrolled(kind, T)
    names = {t.get_text() for t in ax.texts}
    # the backward order: badges on the copies, left to right T, T-1, ..., 1
    white = [t for t in ax.texts if t.get_color() == "white"]
    key_y = max(t.get_position()[1] for t in white)  # the key's badge sits above the drawing
    on_copies = sorted((t for t in white if t.get_position()[1] < key_y), key=lambda t: t.get_position()[0])
    assert [t.get_text() for t in on_copies] == [str(T - k) for k in range(T)]
    # under each copy, its cache
    caches = sorted((p for p in ax.patches if isinstance(p, patches.FancyBboxPatch) and p.get_linestyle() != "solid"),
                    key=lambda p: p.get_x())
    assert len(caches) == T
    for t, box in enumerate(caches, start=1):
        items = {i for line in _texts_inside(ax, box) for i in line.split(", ")}
        want = {f"$h_{t - 1}$", f"$x_{t}$"} | ({f"$h_{t}$"} if kind == "rnn" else
                                             {f"$f_{t}$", f"$i_{t}$", rf"$\tilde{{C}}_{t}$", f"$o_{t}$",
                                              f"$C_{t - 1}$", f"$C_{t}$"})
        assert items == want, f"step {t}: {items ^ want}"
    # every step's dW into one shared W, which sums them
    assert "$dW = " + " + ".join(f"dW_{{{t}}}" for t in range(1, T + 1)) + "$" in names
    assert {f"$dW_{{{t}}}$" for t in range(1, T + 1)} <= names
    # the ends of the chain: initial states in, their gradients out, zero from beyond step T
    states = ("h", "C") if kind == "lstm" else ("h",)
    assert {f"${s}_{{0}}$" for s in states} | {f"$d{s}_{{0}}$" for s in states} <= names
    assert sum(t.get_text() == "0" for t in ax.texts) == len(states)
    if kind == "lstm":  # dC_t: from C_{t+1} through f_{t+1}, and from h_t through o_t and tanh
        assert {f"$f_{{{t}}}$" for t in range(1, T + 1)} <= names and "tanh′" in names
        assert {f"$o_{{{t}}}$" for t in range(1, T + 1)} <= names
    assert {"forward: values", "backward: gradients", "order of the backward pass"} <= names


@pytest.mark.parametrize("kind", ["rnn", "lstm"])
def test_bptt_backward_is_dashed_and_forward_solid(kind):
    """The backward pass is told by its dashes as well as its colour; heads sit at the ends of dashed lines."""
    from matplotlib.colors import to_hex
    ax = diagrams.bptt_unrolled(kind)
    lines = list(ax.lines)
    assert lines and all(to_hex(line.get_color()) == diagrams.BACKWARD and line.get_linestyle() == "--"
                         for line in lines)
    ends = [line.get_xydata()[-1] for line in lines]
    heads = [t for t in ax.texts if getattr(t, "arrow_patch", None) is not None]
    for h in heads:
        color = to_hex(h.arrow_patch.get_edgecolor())
        assert color in (diagrams.BACKWARD, diagrams.INK)
        if color == diagrams.BACKWARD:
            assert any(np.allclose(h.xyann, e) for e in ends), "a backward head without its dashed line"
    assert sum(to_hex(h.arrow_patch.get_edgecolor()) == diagrams.INK for h in heads) >= 3 * 3  # x, h up, chain


def assert_clear_layout(ax, boxes, on_lines=()):
    """Each (label, window extent) in ``boxes`` inside the figure, overlapping no other, and on no line of the
    drawing unless it is one of ``on_lines`` (or starts with "chip": a chip sits on its own line)."""
    fig = ax.figure
    for s, b in boxes:
        assert fig.bbox.x0 <= b.x0 and b.x1 <= fig.bbox.x1 and fig.bbox.y0 <= b.y0 and b.y1 <= fig.bbox.y1, s
    for i, (s, a) in enumerate(boxes):
        for r, b in boxes[i + 1:]:
            assert not (a.x0 < b.x1 - 1 and b.x0 < a.x1 - 1 and a.y0 < b.y1 - 1 and b.y0 < a.y1 - 1), (s, r)
    segments = [ax.transData.transform(line.get_xydata()) for line in ax.lines]
    segments += [ax.transData.transform([t.xyann, t.xy]) for t in ax.texts if getattr(t, "arrow_patch", None)]
    u = np.linspace(0, 1, 60)[:, None]
    for s, b in boxes:
        if s in on_lines or s.startswith("chip"):
            continue
        b = b.padded(-1.5)
        for pts in segments:
            for p, q in zip(pts[:-1], pts[1:]):
                on = p + u * (q - p)
                inside = (on[:, 0] > b.x0) & (on[:, 0] < b.x1) & (on[:, 1] > b.y0) & (on[:, 1] < b.y1)
                assert not inside.any(), f"{s!r} sits on a line"


@pytest.mark.parametrize("kind", ["rnn", "lstm"])
@pytest.mark.parametrize("T", [3, 4, 5])
def test_bptt_text_stays_clear_of_text_and_lines(kind, T):
    """No label overlaps another or a line, none leaves the figure; only the symbols of the pointwise
    operations (drawn over their lines) sit on a line."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    ax = diagrams.bptt_unrolled(kind, T)
    fig = ax.figure
    renderer = FigureCanvasAgg(fig).get_renderer()
    fig.draw(renderer)
    boxes = [(t.get_text(), t.get_window_extent(renderer)) for t in ax.texts if t.get_text().strip()]
    assert_clear_layout(ax, boxes, on_lines=("×", "+", "tanh′"))


@pytest.mark.parametrize("name", ["rnn_bptt", "lstm_bptt"])
def test_bptt_text_is_legible_at_the_width_chapter_08_shows(name):
    """8 pt or more at 768 px; mathtext subscripts count at 0.7 of their size."""
    import re
    ax = getattr(diagrams, name)()
    scale = BPTT_SHOWN_PX / (ax.figure.get_figwidth() * 96)
    for t in ax.texts:
        if t.get_text().strip():
            pt = t.get_fontsize() * (0.7 if re.search(r"\$.*[_^].*\$", t.get_text()) else 1.0) * scale
            assert pt >= 8.0, f"{t.get_text()!r} reads as {pt:.1f} pt"


def test_bptt_rejects_what_it_cannot_draw():
    with pytest.raises(ValueError, match="kind"):
        diagrams.bptt_unrolled("gru")
    with pytest.raises(ValueError, match="steps"):
        diagrams.bptt_unrolled("rnn", 2)


# The LSTM's family and the GRU (chapter 09)
FAMILY = {"lstm_peephole": diagrams.lstm_peephole, "lstm_coupled": diagrams.lstm_coupled,
          "lstm_1997": diagrams.lstm_1997, "gru_cell": diagrams.gru_cell}
SYMBOLS = ("×", "+", "tanh", "1 −", "σ", "forced")  # drawn over their own lines or boxes


def _one_record(rec):
    return type(rec)(*(np.asarray(a)[0] for a in rec))


@pytest.mark.parametrize("name", sorted(FAMILY))
def test_family_drawings_render_and_have_alt_text(name):
    d = FAMILY[name]()
    img = _image(d.png())
    assert img.std() > 10 and len(diagrams.ALT_TEXT[name]) > 100
    assert not d.live and not d.chips


def _points(ax):
    """Every point the lines and arrows of ``ax`` pass through, as (x, y) data pairs."""
    arrows, lines = _segments(ax)
    return [p for s, t, _ in arrows for p in (s, t)] + [p for line in lines for p in line]


def _patch_at(ax, xy, kind):
    return [p for p in ax.patches if isinstance(p, kind) and
            np.allclose(p.get_center() if hasattr(p, "get_center") else
                        (p.get_x() + p.get_width() / 2, p.get_y() + p.get_height() / 2), xy, atol=0.05)]


def test_the_1997_cell_has_no_forget_gate_on_its_cell_state():
    cell = diagrams.lstm_1997()
    assert not _patch_at(cell.ax, (3.0, 7.5), patches.Circle)        # no multiplication on the cell state
    assert _patch_at(cell.ax, (7.5, 7.5), patches.Circle)            # the addition stays
    absent = _patch_at(cell.ax, (3.0, 2.8), patches.FancyBboxPatch)  # the layer's place: a dotted outline
    assert len(absent) == 1 and absent[0].get_linestyle() != "solid" and absent[0].get_facecolor()[3] == 0
    assert "$f_t = 1$" in {t.get_text() for t in cell.ax.texts}
    kept = set(map(id, cell.parts["update"]))  # highlighted: the cell line, the addition, i * C~
    assert all(a.get_alpha() == 1.0 for a in cell.parts["update"])
    assert any(a.get_alpha() == 0.22 for a in cell.parts["_all"] if id(a) not in kept)
    live = diagrams.LSTMCell(forget_gate=False)
    assert "f" not in live.chips and "fc" not in live.chips and "f" not in live.forced_marks


def test_the_coupled_cell_reads_its_input_gate_from_the_forget_gate():
    cell = diagrams.lstm_coupled()
    boxes = [p for p in cell.ax.patches if isinstance(p, patches.FancyBboxPatch)]
    assert not _patch_at(cell.ax, (5.5, 2.8), patches.FancyBboxPatch)  # no input layer
    one_minus = [t for t in cell.ax.texts if t.get_text() == "1 −"]
    assert len(one_minus) == 1 and one_minus[0] in cell.parts["coupled"]
    assert _patch_at(cell.ax, (3.0, 2.8), patches.FancyBboxPatch)[0] in cell.parts["coupled"]  # fed from f
    assert len(boxes) == 1 + 3  # the cell's background and the layers f, C~, o
    live = diagrams.LSTMCell(coupled=True)
    assert "i" in live.chips and "i" not in live.forced_marks


def test_peepholes_run_from_the_cell_state_into_the_gates():
    cell = diagrams.lstm_peephole()
    ax = cell.ax
    heads = [(np.asarray(a.xyann), np.asarray(a.xy)) for a in cell.parts["peepholes"]
             if getattr(a, "arrow_patch", None) is not None]
    # three heads, each pointing right into the side of a gate's layer: f (x 3.0), i (5.5), o (10.5)
    tips = sorted(t[0] for s, t in heads if abs(t[1] - 2.8) < 1e-9 and s[0] < t[0])
    assert len(tips) == 3
    for tip, x in zip(tips, (3.0, 5.5, 10.5)):
        assert x - 0.8 < tip < x - 0.6
    pts = _points(ax)
    starts = [p for p in pts if abs(p[1] - 7.5) < 1e-9]
    assert any(abs(p[0] - 1.9) < 1e-9 for p in starts)   # C_{t-1}: before the forget gate's multiplication
    assert any(abs(p[0] - 9.4) < 1e-9 for p in starts)   # C_t: after the addition
    names = {t.get_text() for t in cell.parts["peepholes"] if hasattr(t, "get_text")}
    assert {"$p_f$", "$p_i$", "$p_o$", "$C_{t-1}$", "$C_t$"} <= names
    # without a forget gate or with coupled gates, only the peepholes of the gates the cell has
    assert "$p_f$" not in {t.get_text() for t in diagrams.LSTMCell(live=False, peepholes=True,
                                                                    forget_gate=False).ax.texts}
    assert "$p_i$" not in {t.get_text() for t in diagrams.LSTMCell(live=False, peepholes=True,
                                                                    coupled=True).ax.texts}


def test_variant_parts_and_options_are_checked():
    with pytest.raises(ValueError, match="highlight"):
        diagrams.lstm_cell(highlight="peepholes")            # the standard cell has none
    with pytest.raises(ValueError, match="forget gate"):
        diagrams.LSTMCell(coupled=True, forget_gate=False)
    with pytest.raises(ValueError, match="1 unit"):
        diagrams.LSTMCell(hidden_size=2, peepholes=True)
    with pytest.raises(ValueError, match="highlight"):
        diagrams.gru_cell(highlight="forget")
    with pytest.raises(ValueError, match="live=False"):
        diagrams.GRUCell(live=False).update([0.0], [0.0], None)


@pytest.mark.parametrize("kw", [dict(peepholes=True), dict(coupled=True), dict(forget_gate=False),
                                dict(peepholes=True, forget_gate=False)], ids=str)
def test_live_variant_cells_show_the_step_numbers(kw):
    rng = np.random.default_rng(3)
    p = lstm.init_params(2, 1, rng, **kw)
    for k in p:
        p[k] = p[k] + 0.3 * rng.standard_normal(p[k].shape)
    x, h, c = rng.standard_normal((1, 2)), rng.uniform(-1, 1, (1, 1)), rng.standard_normal((1, 1))
    one = _one_record(lstm.step(p, x, h, c))
    cell = diagrams.lstm_cell({"x": x[0], "h_prev": h[0], "c_prev": c[0], "record": one}, **kw)
    for name in cell.chips:
        want = {"x": x[0], "h_prev": h[0], "c_prev": c[0], "fc": one.f * c[0], "ig": one.i * one.g,
                "tc": np.tanh(one.c)}.get(name, getattr(one, name, None))
        np.testing.assert_array_equal(cell.chips[name].values, want)
    if kw.get("coupled"):
        np.testing.assert_allclose(cell.chips["i"].values, 1 - one.f)
    assert _image(cell.png()).std() > 10


@pytest.mark.parametrize("reset_after", [False, True], ids=["cho", "pytorch"])
@pytest.mark.parametrize("H,D", [(1, 1), (2, 3)])
def test_live_gru_cell_shows_what_gru_step_computes(reset_after, H, D):
    rng = np.random.default_rng(4)
    q = gru.init_params(D, H, rng, reset_after=reset_after)
    for k in q:
        q[k] = q[k] + 0.5 * rng.standard_normal(q[k].shape)
    x, h = rng.standard_normal((1, D)), rng.uniform(-1, 1, (1, H))
    one = _one_record(gru.step(q, x, h))
    cell = diagrams.gru_cell({"x": x[0], "h_prev": h[0], "record": one})
    assert isinstance(cell, diagrams.LiveDiagram) and cell.hidden_size == H
    cell = diagrams.gru_cell({"x": x[0], "h_prev": h[0], "record": one}, reset_after=reset_after)
    for name, want in (("x", x[0]), ("h_prev", h[0]), ("z", one.z), ("r", one.r), ("n", one.n), ("h", one.h),
                       ("zh", one.z * h[0]), ("zn", (1 - one.z) * one.n)):
        np.testing.assert_array_equal(cell.chips[name].values, want)
    np.testing.assert_allclose(cell.chips["zh"].values + cell.chips["zn"].values, one.h, rtol=1e-12, atol=1e-15)
    # r_t h_{t-1} is a value of Cho's form only: PyTorch's multiplies W_nh h_{t-1} + b_hn inside the layer
    assert ("rh" in cell.chips) is (not reset_after)
    assert ("b_{hn}" in cell.formula.get_text()) is reset_after
    first = cell.png()
    one2 = _one_record(gru.step(q, x, h, force={"z": 1.0}))
    cell.update(x[0], h[0], one2, forced=("z",))
    assert cell.png() != first
    assert cell.forced_marks["z"].get_visible() and not cell.forced_marks["r"].get_visible()
    np.testing.assert_allclose(cell.chips["h"].values, h[0], rtol=1e-12, atol=1e-15)  # z = 1 keeps h_{t-1}


def test_gru_cell_highlights_grey_out_the_rest():
    plain = _image(diagrams.gru_cell().png())
    for part in diagrams.GRU_PARTS:
        cell = diagrams.gru_cell(highlight=part)
        assert cell.parts[part] and (_image(cell.png()) != plain).any()
        kept = set(map(id, cell.parts[part]))
        assert all(a.get_alpha() == (1.0 if id(a) in kept else 0.22) for a in cell.parts["_all"])


def _family_cases():
    for name, make in FAMILY.items():
        yield name, make
    yield "gru_cell reset_after", lambda: diagrams.gru_cell(reset_after=True)
    for kw in (dict(peepholes=True), dict(coupled=True), dict(forget_gate=False)):
        yield f"live cell {kw}", lambda kw=kw: diagrams.LSTMCell(**kw)
    yield "live 1997 cell H=2", lambda: diagrams.LSTMCell(hidden_size=2, forget_gate=False)
    for H in (1, 2):
        for reset_after in (False, True):
            yield f"live GRU H={H} reset_after={reset_after}", \
                lambda H=H, r=reset_after: diagrams.GRUCell(hidden_size=H, reset_after=r)


@pytest.mark.parametrize("name,make", list(_family_cases()), ids=lambda v: v if isinstance(v, str) else "")
def test_family_text_stays_clear_of_text_chips_and_lines(name, make):
    """No label or chip overlaps another, none leaves the figure, and no label sits on a line (chips sit on
    their own lines; the symbols of boxes and pointwise operations are drawn over theirs)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    d = make()
    ax, fig = d.ax, d.figure
    renderer = FigureCanvasAgg(fig).get_renderer()
    fig.draw(renderer)
    boxes = [(t.get_text(), t.get_window_extent(renderer)) for t in ax.texts
             if t.get_text().strip() and t.get_visible()]
    boxes += [(f"chip {n}", r.get_window_extent(renderer)) for n, c in d.chips.items() for r in c.rects]
    assert_clear_layout(ax, boxes, on_lines=SYMBOLS)


# Applications (chapter 10): a digit read row by row
ROWS_SHOWN_PX = 720  # the narrowest width it is legible at (its docstring says so)


def test_rows_as_steps_shows_the_first_test_digit_its_rows_and_a_many_to_one_chain():
    from lstm_helpers import tasks
    (_, _), (x_test, y_test) = tasks.load_digits()
    assert y_test[0] == 0 and "a 0," in diagrams.ALT_TEXT["rows_as_steps"]  # the alt text names the digit shown
    ax = diagrams.rows_as_steps()
    np.testing.assert_array_equal(ax.images[0].get_array(), x_test[0])
    assert ax.images[0].norm.vmin == 0 and ax.images[0].norm.vmax == 1  # fixed limits, and a key
    names = {t.get_text() for t in ax.texts}
    assert {f"t = {t}" for t in range(1, 9)} <= names                   # steps numbered from 1
    assert {"$x_1$", "$x_2$", "$x_3$", "$x_8$", "$h_0$", "$h_8$", "softmax", "p(digit)", "pixel value"} <= names
    assert sum(t.get_text() == "A" for t in ax.texts) == 4 and "· · ·" in names
    # one line from every row: solid into the four boxes drawn, dotted up to the dots for steps 4 to 7
    rows = {8 - t + 0.5: t for t in range(1, 9)}
    starts = [line.get_xydata()[0] for line in ax.lines if line.get_xydata()[0][0] > 8]
    assert sorted(rows[y] for x, y in starts) == list(range(1, 9))
    # many-to-one: one arrow goes up out of the chain, from the last box into the softmax
    ups = [(a.xyann, a.xy) for a in ax.texts if getattr(a, "arrow_patch", None) is not None
           and a.xyann[0] == a.xy[0] and a.xyann[1] > 10.0]
    assert len(ups) == 2 and all(s[0] == max(s[0] for s, _ in ups) for s, _ in ups)  # h_8 up, then p(digit)


def test_rows_as_steps_draws_a_given_image_and_rejects_what_it_cannot():
    from matplotlib.figure import Figure
    img = np.linspace(0, 1, 64).reshape(8, 8)
    ax = Figure().add_subplot()
    assert diagrams.rows_as_steps(img, ax=ax) is ax
    np.testing.assert_array_equal(ax.images[0].get_array(), img)
    with pytest.raises(ValueError, match=r"\(8, 8\)"):
        diagrams.rows_as_steps(np.zeros((28, 28)))
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        diagrams.rows_as_steps(16 * img)


def test_rows_as_steps_text_is_clear_and_legible_at_720_px():
    """No label overlaps another or a line, none leaves the figure; 8 pt or more shown 720 px wide."""
    import re
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    ax = diagrams.rows_as_steps()
    fig = ax.figure
    renderer = FigureCanvasAgg(fig).get_renderer()
    fig.draw(renderer)
    boxes = [(t.get_text(), t.get_window_extent(renderer)) for t in ax.texts if t.get_text().strip()]
    assert_clear_layout(ax, boxes)
    scale = ROWS_SHOWN_PX / (fig.get_figwidth() * 96)
    for t in ax.texts:
        if t.get_text().strip():
            pt = t.get_fontsize() * (0.7 if re.search(r"\$.*[_^].*\$", t.get_text()) else 1.0) * scale
            assert pt >= 8.0, f"{t.get_text()!r} reads as {pt:.1f} pt"
