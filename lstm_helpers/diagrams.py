"""Our own drawings of RNNs and LSTMs, in one visual language (matplotlib).

The look, learned once: the cell state runs straight along the top, left to
right; h_{t-1} enters at the bottom left and h_t leaves at the bottom right (and
up); x_t enters from below. The four layers (sigma, sigma, tanh, sigma for f, i,
C~, o) are boxes along the bottom in that order; pointwise operations are small
circles on the lines; concatenation is two lines merging, a copy is a line
splitting. Live versions label every box and line with its current value:
gate values on a sequential map (viridis, fixed limits 0..1), signed values on
a diverging map centred on 0, always with the number printed. The LSTM's variants
(the 1997 cell, coupled gates, peepholes) are options of the same cell drawing, and
the GRU (``GRUCell``) is drawn in the same language, h along the top. The unrolled graphs
with their backward pass (``rnn_bptt``, ``lstm_bptt``) draw gradients dashed, in
BACKWARD, against the forward's solid dark arrows. ``rows_as_steps`` shows an image read
row by row, one row a step, classified from the last state (chapter 10).

Every function takes ``ax=None`` (a new figure when None) and returns what it
drew; ``ALT_TEXT`` describes each figure for readers who cannot see it (``texts/diagrams.toml``,
entries ``alt_<name>``, in the reader's language).

Every word drawn (captions, legends, the 'forced' mark, the example sentences) comes from
``texts/diagrams.toml`` in the reader's language (``i18n.tr``), looked up when the drawing is made;
math labels (σ, tanh, ×, $C_{t-1}$) are drawn as they are, the symbols in ``SYMBOL_FONT`` in every language.
"""
from collections.abc import Mapping

import numpy as np
from matplotlib import colormaps, patches, patheffects
from matplotlib.colors import Normalize
from matplotlib.figure import Figure

from .i18n import language, tr

INK = "#2b2b2b"
LAYER = "#9ecae1"     # neural-network layers (boxes)
POINTWISE = "#fdd0a2"  # pointwise operations (circles)
CELL_BG = "#f4f4f4"
FORCED = "#d62728"
ABSENT = "#8c8c8c"     # what a variant of the cell lacks: dotted outlines
BACKWARD = "#d55e00"   # the backward pass (Okabe-Ito vermillion), always dashed: never told by colour alone

GATE_CMAP = colormaps["viridis"]   # values in [0, 1]
SIGNED_CMAP = colormaps["RdBu_r"]  # values around 0
GATE_NORM = Normalize(0.0, 1.0)
UNIT_NORM = Normalize(-1.0, 1.0)   # tanh-bounded values: C~, h, tanh(C)
WIDE_NORM = Normalize(-2.0, 2.0)   # unbounded values: x, C (the number is always printed)

# Which quantity uses which colour scale.
SCALES = {"f": (GATE_CMAP, GATE_NORM), "i": (GATE_CMAP, GATE_NORM), "o": (GATE_CMAP, GATE_NORM),
          "g": (SIGNED_CMAP, UNIT_NORM), "h": (SIGNED_CMAP, UNIT_NORM), "h_prev": (SIGNED_CMAP, UNIT_NORM),
          "tc": (SIGNED_CMAP, UNIT_NORM), "ig": (SIGNED_CMAP, UNIT_NORM),
          "x": (SIGNED_CMAP, WIDE_NORM), "c_prev": (SIGNED_CMAP, WIDE_NORM), "c": (SIGNED_CMAP, WIDE_NORM),
          "fc": (SIGNED_CMAP, WIDE_NORM)}

PARTS = ("forget", "input", "update", "output", "cell_state")
VARIANT_PARTS = ("peepholes", "coupled")  # parts of the LSTM's variants, drawn only on their variant
GRU_PARTS = ("reset", "update", "candidate", "state")
# The symbols (σ, tanh, ×, +, 1 −, A, · · ·, the badges' numbers) are drawn in matplotlib's own font in every
# language: the Chinese font's middle dots and minus are wider and shorter, and would move them.
SYMBOL_FONT = "DejaVu Sans"
# Names with a subscript (x_t, C_{t-1}): mathtext draws the subscript at 0.7 of this size, so a cell drawing
# 9 inches wide shown at 720 px still shows it at 8 pt (14 * 0.7 * 720 / 864 = 8.2).
LABEL_PT = 14


class _AltText(Mapping):
    """The alt text of each static diagram, {name: text}, read-only: each value is looked up in the table
    (``texts/diagrams.toml``, entry ``alt_<name>``) in the reader's language when it is read."""

    def __init__(self, names):
        self._names = dict.fromkeys(names)

    def __getitem__(self, name):
        if name not in self._names:
            raise KeyError(name)
        return tr(f"diagrams.alt_{name}")

    def __iter__(self):
        return iter(self._names)

    def __len__(self):
        return len(self._names)

    def __repr__(self):
        return f"ALT_TEXT({', '.join(map(repr, self._names))})"


ALT_TEXT = _AltText(("rnn_loop", "rnn_unrolled", "gap_short", "gap_long", "module_rnn", "module_lstm",
                     "sequence_shapes", "notation", "cell_state", "gate", "lstm_cell", "lstm_forget", "lstm_input",
                     "lstm_update", "lstm_output", "lstm_peephole", "lstm_coupled", "lstm_1997", "gru_cell",
                     "rnn_bptt", "lstm_bptt", "rows_as_steps"))


def _bold(color=INK):
    """Bold text. The Chinese font has one weight: there a stroke of the text's own colour thickens it (asking for
    bold would fall back to the regular weight, with a warning)."""
    if language() == "zh":
        return dict(path_effects=[patheffects.withStroke(linewidth=0.8, foreground=color)])
    return dict(fontweight="bold")


def _new_ax(ax, figsize, xlim, ylim):
    if ax is None:
        fig = Figure(figsize=figsize, dpi=100)
        ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(*xlim)
    ax.set_ylim(*ylim)
    ax.set_aspect("equal")
    ax.axis("off")
    return ax


def text_color(rgba):
    """Black or white, whichever reads better on the colour ``rgba``."""
    r, g, b = rgba[:3]
    return "black" if 0.299 * r + 0.587 * g + 0.114 * b > 0.5 else "white"


def _arrow(ax, start, end, color=INK, lw=1.6, head=True, zorder=2):
    style = "-|>" if head else "-"
    return ax.annotate("", xy=end, xytext=start, zorder=zorder,
                       arrowprops=dict(arrowstyle=style, color=color, lw=lw, shrinkA=0, shrinkB=0,
                                       mutation_scale=12))


def _wire(ax, points, color=INK, lw=1.6, head=True, zorder=2):
    """A polyline through ``points``, with an arrow head on its last segment."""
    pts = np.asarray(points, dtype=float)
    artists = []
    if len(pts) > 2:
        line, = ax.plot(pts[:-1, 0], pts[:-1, 1], color=color, lw=lw, solid_capstyle="butt", zorder=zorder)
        artists.append(line)
    artists.append(_arrow(ax, pts[-2], pts[-1], color=color, lw=lw, head=head, zorder=zorder))
    return artists


def _crossing(ax, xy, w=0.34, h=0.3, fc=CELL_BG):
    """A gap in a horizontal line where a vertical one (drawn at zorder 3) passes over it: they do not join."""
    gap = patches.Rectangle((xy[0] - w / 2, xy[1] - h / 2), w, h, fc=fc, ec="none", zorder=2.5)
    ax.add_patch(gap)
    return gap


def _layer(ax, xy, label, w=1.3, h=0.8, fs=11):
    box = patches.FancyBboxPatch((xy[0] - w / 2, xy[1] - h / 2), w, h, boxstyle="round,pad=0.06",
                                 fc=LAYER, ec=INK, lw=1.3, zorder=4)
    ax.add_patch(box)
    txt = ax.text(xy[0], xy[1], label, ha="center", va="center", fontsize=fs, zorder=5, fontfamily=SYMBOL_FONT)
    return [box, txt]


def _absent_layer(ax, xy, label, w=1.3, h=0.8, fs=11):
    """Where a layer would be, in a cell that has none: a dotted grey outline, the label grey."""
    box = patches.FancyBboxPatch((xy[0] - w / 2, xy[1] - h / 2), w, h, boxstyle="round,pad=0.06",
                                 fc="none", ec=ABSENT, lw=1.3, ls=(0, (1.5, 1.5)), zorder=4)
    ax.add_patch(box)
    txt = ax.text(xy[0], xy[1], label, ha="center", va="center", fontsize=fs, color=ABSENT, zorder=5,
                  fontfamily=SYMBOL_FONT)
    return [box, txt]


def _pointwise(ax, xy, label, r=0.36, fs=12, wide=False):
    if wide:  # an ellipse wide enough for "tanh" at 10.5 pt, at the cell's own scale
        shape = patches.Ellipse(xy, 1.6, 0.72, fc=POINTWISE, ec=INK, lw=1.3, zorder=4)
    else:
        shape = patches.Circle(xy, r, fc=POINTWISE, ec=INK, lw=1.3, zorder=4)
    ax.add_patch(shape)
    txt = ax.text(xy[0], xy[1] - (0.02 if not wide else 0), label, ha="center", va="center",
                  fontsize=fs if not wide else 10.5, zorder=5, fontfamily=SYMBOL_FONT)
    return [shape, txt]


class Chips:
    """A row of small squares showing the live value of one vector: colour and number.

    The squares are drawn once (outlines); their colours and numbers are painted
    onto each frame by ``paint`` (see ``plots.PaintedFigure``).
    """

    WIDTH = 1.15  # times the height: room for "-0.80" with a margin at the number's size

    def __init__(self, ax, center, n, scale, label=None, size=1.0, label_side="above", width=None, font_pt=10.0,
                 label_pt=10.0):
        self.cmap, self.norm = SCALES[scale]
        self.rects = []
        self.font_pt = font_pt  # the numbers' size in points at the figure's own scale
        w = self.WIDTH * size if width is None else width
        x0 = center[0] - n * w / 2
        for k in range(n):
            rect = patches.Rectangle((x0 + k * w, center[1] - size / 2), w, size, fc="white",
                                     ec=INK, lw=0.7, zorder=6)
            ax.add_patch(rect)
            self.rects.append(rect)
        self.label = None
        if label:
            dy = size / 2 + 0.12
            y, va = (center[1] + dy, "bottom") if label_side == "above" else (center[1] - dy, "top")
            self.label = ax.text(center[0], y, label, ha="center", va=va, fontsize=label_pt, zorder=7, color=INK)
        self.values = np.full(n, np.nan)

    def set(self, values):
        """Remember the values to show (painted with the next frame)."""
        values = np.ravel(np.asarray(values, dtype=float))
        if values.shape != self.values.shape:
            raise ValueError(tr("errors.chips_count", n=self.values.size, got=values.size))
        self.values = values

    @staticmethod
    def format(v):
        """The number as the chips print it: two decimals (whole numbers from 10 on)."""
        if abs(v) < 0.005:
            return "0.00"  # not "-0.00"
        return f"{v:.2f}" if abs(v) < 9.995 else f"{v:.0f}"

    def size_px(self, dpi):
        """The numbers' font size in pixels in a frame rendered at ``dpi``."""
        return max(8, int(round(self.font_pt * dpi / 72)))

    def paint(self, frame, pf):
        size_px = self.size_px(pf.fig.dpi)
        for rect, v in zip(self.rects, self.values):
            if np.isnan(v):
                continue
            color = self.cmap(self.norm(v))
            box = pf.box(rect, inset=1)
            pf.fill(frame, box, color)
            pf.text(frame, box, self.format(v), (0, 0, 0) if text_color(color) == "black" else (1, 1, 1), size_px)

    @property
    def artists(self):
        return self.rects + ([self.label] if self.label else [])


class LiveDiagram:
    """A drawing with value chips: ``png()`` renders it with the current values.

    In a notebook the object displays itself (``_repr_png_``).
    """
    dpi = 80

    def png(self):
        """PNG bytes of the drawing with its current values (what the explorers display)."""
        from . import plots  # Agg and Pillow only when a picture is asked for
        if getattr(self, "_painted", None) is None:
            self._painted = plots.PaintedFigure(self.figure, dpi=self.dpi)
        return self._painted.png(self._paint)

    def _repr_png_(self):
        return self.png()

    def _paint(self, frame, pf):
        for chips in self.chips.values():
            chips.paint(frame, pf)

    def _invalidate(self):
        if getattr(self, "_painted", None) is not None:
            self._painted.invalidate()


class _CellDrawing(LiveDiagram):
    """What the cell drawings share: artists grouped into parts, and a highlight that greys out the rest."""

    def _begin(self, ax, figsize, xlim, ylim, live, dpi):
        self.ax = ax = _new_ax(ax, figsize, xlim, ylim)
        self.figure = ax.figure
        self.live, self.dpi = live, dpi
        self._painted = None
        self._forced = frozenset()
        self.parts = {p: [] for p in self.PARTS}
        self.chips = {}
        self.forced_marks = {}
        return ax

    def _add(self, artists, *parts):
        for p in parts:
            self.parts[p].extend(artists)
        self.parts.setdefault("_all", []).extend(artists)

    def highlight(self, part=None):
        """Grey out everything that is not ``part`` (None: show all)."""
        keep = set(map(id, self.parts[part])) if part else None
        for a in self.parts["_all"]:
            faded = keep is not None and id(a) not in keep
            a.set_alpha(0.22 if faded else 1.0)
            if getattr(a, "arrow_patch", None) is not None:  # an arrow is an annotation: its patch fades apart
                a.arrow_patch.set_alpha(0.22 if faded else 1.0)
        self._invalidate()

    def _forced_mark(self, name, x, y=1.93):
        """The 'forced' label on a layer's input (it is cut), hidden until ``update`` says so."""
        self.forced_marks[name] = self.ax.text(x, y, tr("diagrams.forced"), color=FORCED, fontsize=10,
                                               ha="center", va="center", zorder=7, visible=False, **_bold(FORCED),
                                               bbox=dict(fc="white", ec=FORCED, lw=0.8, pad=1.0))

    def _show_forced(self, forced):
        forced = frozenset(forced)
        if forced != self._forced:  # a static change: the picture is redrawn once
            for name, mark in self.forced_marks.items():
                mark.set_visible(name in forced)
            self._forced = forced
            self._invalidate()


class LSTMCell(_CellDrawing):
    """The LSTM cell, drawn once; ``update`` writes the current values onto it.

    The variants of ``lstm.init_params`` are options of the same drawing: without a forget gate
    (the 1997 cell) the cell state runs straight through where the forget gate's multiplication
    was, and the forget layer is a dotted outline (f_t = 1); coupled, the input gate's layer is
    replaced by a pointwise 1 - f_t fed from the forget gate; with peepholes, lines run from the
    cell state into the gates, C_{t-1} into f and i, C_t into o. Their parts are "peepholes" and
    "coupled" (see ``highlight``).

    Parameters
    ----------
    ax : matplotlib Axes or None
    hidden_size : int, H (1 or 2 fit on the live drawing; 1 on a live peephole or coupled cell)
    input_size : int, D (1 to 4; default H)
    live : bool, draw value chips on every box and line
    highlight : None or one of PARTS (or a part of the variant drawn), grey out the rest
    labels : bool, name the inputs and outputs (C_{t-1}, h_{t-1}, x_t, C_t, h_t) at the ends of the lines;
        "chain": above the lines, leaving their ends free for the neighbouring modules
    forget_gate, coupled, peepholes : bool, the variant (as in ``lstm.init_params``)
    """
    PARTS = PARTS + VARIANT_PARTS

    def __init__(self, ax=None, hidden_size=1, input_size=None, live=True, highlight=None, figsize=(9.0, 5.4),
                 dpi=80, labels=True, forget_gate=True, coupled=False, peepholes=False):
        if coupled and not forget_gate:
            raise ValueError(tr("errors.coupled_needs_forget"))
        here = PARTS + ("peepholes",) * bool(peepholes) + ("coupled",) * bool(coupled)
        if highlight not in (None,) + here:
            raise ValueError(tr("errors.highlight", parts=here, highlight=highlight))
        input_size = hidden_size if input_size is None else input_size
        if live and not (1 <= hidden_size <= 2 and 1 <= input_size <= 4):
            raise ValueError(tr("errors.live_sizes", hidden_size=hidden_size, input_size=input_size))
        if live and (peepholes or coupled) and hidden_size > 1:  # two units' chips would cover the new lines
            raise ValueError(tr("errors.live_one_unit", hidden_size=hidden_size))
        ax = self._begin(ax, figsize, (-5.0, 20.6), (-2.9, 11.0), live, dpi)
        self.hidden_size, self.input_size = hidden_size, input_size
        self.forget_gate, self.coupled, self.peepholes = bool(forget_gate), bool(coupled), bool(peepholes)
        add = self._add

        bg = patches.FancyBboxPatch((0.5, 0.4), 15.0, 8.2, boxstyle="round,pad=0.2", fc=CELL_BG, ec="#9a9a9a",
                                    lw=1.2, zorder=0)
        ax.add_patch(bg)
        # the cell state: a straight line along the top (without a forget gate, nothing multiplies it)
        if forget_gate:
            add(_wire(ax, [(-2.6, 7.5), (2.64, 7.5)]), "forget", "update", "cell_state")
            add(_wire(ax, [(3.36, 7.5), (7.14, 7.5)]), "forget", "update", "cell_state")
            add(_pointwise(ax, (3.0, 7.5), "×"), "forget", "update", "cell_state")
        else:
            add(_wire(ax, [(-2.6, 7.5), (7.14, 7.5)]), "forget", "update", "cell_state")
        add(_wire(ax, [(7.86, 7.5), (18.6, 7.5)]), "update", "cell_state", "output")
        add(_pointwise(ax, (7.5, 7.5), "+"), "input", "update", "cell_state")
        # h_{t-1} along the bottom, joined by x_t from below (concatenation)
        add(_wire(ax, [(-2.6, 1.5), (10.5, 1.5)], head=False), "forget", "input", "output")
        add(_wire(ax, [(1.5, -2.0), (1.5, 1.5)], head=False), "forget", "input", "output")
        # the layers, each reading [h_{t-1}, x_t]
        layers = [(7.5, "input"), (10.5, "output")]
        layers += [(3.0, "forget")] if forget_gate else []
        layers += [] if coupled else [(5.5, "input")]
        for x, part in layers:
            add(_wire(ax, [(x, 1.5), (x, 2.35)]), part)
        if forget_gate:
            add(_layer(ax, (3.0, 2.8), "σ"), "forget", *("coupled",) * coupled)
            # f_t up to the cell state; over the peephole line into i, which passes under it
            add(_wire(ax, [(3.0, 3.25), (3.0, 7.14)], zorder=3), "forget", "update", *("coupled",) * coupled)
        else:  # the 1997 cell: no forget gate, f_t = 1
            add(_absent_layer(ax, (3.0, 2.8), "σ"), "forget", "update", "cell_state")
            add([ax.text(3.0, 3.45, "$f_t = 1$", fontsize=LABEL_PT, ha="center", va="bottom",
                         color=ABSENT, zorder=5)], "forget", "update", "cell_state")
        if coupled:  # i_t = 1 - f_t: a pointwise operation fed from the forget gate replaces the input layer
            add(_wire(ax, [(3.0, 3.75), (4.7, 3.75)]), "input", "update", "coupled")
            add(_pointwise(ax, (5.5, 3.75), "1 −", wide=True), "input", "update", "coupled")
            add(_wire(ax, [(5.5, 4.11), (5.5, 5.3), (7.14, 5.3)]), "input", "update", "coupled")   # i_t
        else:
            add(_layer(ax, (5.5, 2.8), "σ"), "input")
            add(_wire(ax, [(5.5, 3.25), (5.5, 5.3), (7.14, 5.3)]), "input", "update")          # i_t
        add(_layer(ax, (7.5, 2.8), "tanh", fs=10.5), "input")
        add(_layer(ax, (10.5, 2.8), "σ"), "output")
        add(_wire(ax, [(7.5, 3.25), (7.5, 4.94)]), "input", "update")               # C~_t
        add(_pointwise(ax, (7.5, 5.3), "×"), "input", "update")
        add(_wire(ax, [(7.5, 5.66), (7.5, 7.14)]), "input", "update")               # i_t * C~_t
        # output: tanh of a copy of C_t, times o_t, is h_t
        add(_wire(ax, [(12.5, 7.5), (12.5, 6.46)]), "output")
        add(_pointwise(ax, (12.5, 6.1), "tanh", wide=True), "output")
        add(_wire(ax, [(12.5, 5.74), (12.5, 4.96)]), "output")
        add(_wire(ax, [(10.5, 3.25), (10.5, 4.6), (12.14, 4.6)]), "output")          # o_t
        add(_pointwise(ax, (12.5, 4.6), "×"), "output")
        add(_wire(ax, [(12.5, 4.24), (12.5, 1.5), (18.6, 1.5)]), "output")           # h_t to the right
        add(_wire(ax, [(14.6, 1.5), (14.6, 10.3)]), "output")                        # and up
        if peepholes:
            self._draw_peepholes()
        # names of the inputs and outputs: at the line ends, or (in a chain) above the lines between modules
        ends = (((-2.9, 7.5), "$C_{t-1}$", dict(ha="right")), ((18.9, 7.5), "$C_t$", dict(ha="left")),
                ((-2.9, 1.5), "$h_{t-1}$", dict(ha="right")), ((18.9, 1.5), "$h_t$", dict(ha="left")))
        if labels == "chain":
            ends = (((-1.05, 7.7), "$C_{t-1}$", dict(ha="center", va="bottom")),
                    ((17.1, 7.7), "$C_t$", dict(ha="center", va="bottom")),
                    ((-1.05, 1.7), "$h_{t-1}$", dict(ha="center", va="bottom")),
                    ((17.1, 1.7), "$h_t$", dict(ha="center", va="bottom")))
        for xy, s, kw in () if not labels else ends + (((1.5, -2.3), "$x_t$", dict(ha="center", va="top")),
                                                       ((14.6, 10.45), "$h_t$", dict(ha="center", va="bottom"))):
            ax.text(*xy, s, fontsize=LABEL_PT, va=kw.pop("va", "center"), zorder=5, **kw)
        # gate names beside their layers (the coupled cell's i_t beside its 1 - f_t)
        names = [(7.5, 2.8, r"$\tilde{C}_t$", "input"), (10.5, 2.8, "$o_t$", "output")]
        names += [(3.0, 2.8, "$f_t$", "forget")] if forget_gate else []
        names += [(5.6, 4.7, "$i_t$", "input")] if coupled else [(5.5, 2.8, "$i_t$", "input")]
        for x, y, s, part in names:
            add([ax.text(x + 0.74, y, s, fontsize=LABEL_PT, ha="left", va="center", zorder=5)], part,
                *("coupled",) * (coupled and s in ("$i_t$", "$f_t$")))
        if live:
            self._add_chips()
        if highlight:
            self.highlight(highlight)

    def _draw_peepholes(self):
        """Lines from the cell state into the gates: C_{t-1} into f and i, C_t into o (Gers & Schmidhuber 2000).
        Each enters its layer from the side: the weights p are elementwise, added to the layer's sum."""
        ax, add = self.ax, self._add
        has_f, has_i = self.forget_gate, not self.coupled
        x0 = 1.9  # where C_{t-1} is copied, before the forget gate's multiplication
        low = 2.8 if has_f else 6.3
        add(_wire(ax, [(x0, 7.5), (x0, low)], head=False), "peepholes", "forget", "input")
        if has_f:
            add(_wire(ax, [(x0, 2.8), (2.23, 2.8)]), "peepholes", "forget")
            add([ax.text(1.3, 3.9, "$p_f$", fontsize=LABEL_PT, ha="center", va="center", zorder=5)],
                "peepholes", "forget")
        if has_i:  # under f_t's line (a gap where they cross), then down beside the input layer
            add([_crossing(ax, (3.0, 6.3))], "peepholes", "input")
            add(_wire(ax, [(x0, 6.3), (4.4, 6.3), (4.4, 2.8), (4.73, 2.8)]), "peepholes", "input")
            add([ax.text(4.25, 6.55, "$p_i$", fontsize=LABEL_PT, ha="right", va="bottom", zorder=5)],
                "peepholes", "input")
        add([ax.text(x0 - 0.15, 5.0, "$C_{t-1}$", fontsize=LABEL_PT, ha="right", va="center", zorder=5)],
            "peepholes", "forget", "input")
        # C_t, after the update, into the output gate
        add(_wire(ax, [(9.4, 7.5), (9.4, 2.8), (9.73, 2.8)]), "peepholes", "output")
        add([ax.text(9.25, 4.5, "$C_t$", fontsize=LABEL_PT, ha="right", va="center", zorder=5),
             ax.text(9.55, 5.6, "$p_o$", fontsize=LABEL_PT, ha="left", va="center", zorder=5)],
            "peepholes", "output")

    def _add_chips(self):
        ax, n = self.ax, self.hidden_size
        w = 0.5 * n * Chips.WIDTH  # half the width of a row of chips
        spec = {  # name: (centre, label, label side, parts)
            "c_prev": ((-2.2, 8.35), None, "above", ("forget", "update", "cell_state")),
            "h_prev": ((-2.2, 0.65), None, "below", ("forget", "input", "output")),
            "x": ((1.0 - 0.5 * self.input_size * Chips.WIDTH, -1.1), None, "below", ("forget", "input", "output")),
            "f": ((3.0, 5.1), None, "above", ("forget",)),
            "i": ((5.5 - 0.15 * (n - 1), 4.25), None, "above", ("input",)),  # two units: apart from C~'s
            "g": ((7.5 + 0.15 * (n - 1), 4.1), None, "above", ("input",)),
            "o": ((10.5, 3.95), None, "above", ("output",)),
            "fc": ((5.25, 8.35), r"$f_t C_{t-1}$", "above", ("forget", "update", "cell_state")),
            "ig": ((8.0 + w, 6.45), r"$i_t \tilde{C}_t$", "below", ("input", "update")),
            "c": ((17.4, 8.35), None, "above", ("update", "cell_state", "output")),
            "tc": ((13.2 + w, 5.3), None, "above", ("output",)),
            "h": ((17.4, 0.65), None, "below", ("output",)),
        }
        if not self.forget_gate:  # f_t = 1: f and f_t C_{t-1} = C_{t-1} carry nothing new
            del spec["f"], spec["fc"]
        if self.coupled:  # on i_t's line, above the 1 - f_t
            spec["i"] = ((5.5 - 0.15 * (n - 1), 4.7), None, "above", ("input", "coupled"))
        for name, (xy, label, side, parts) in spec.items():
            chips = Chips(ax, xy, self.input_size if name == "x" else n, name, label=label, label_side=side,
                          label_pt=LABEL_PT)
            self.chips[name] = chips
            self._add(chips.artists, *parts)
        for name, x in (("f", 3.0), ("i", 5.5), ("g", 7.5), ("o", 10.5)):  # on the layer's input: it is cut
            if (name == "f" and not self.forget_gate) or (name == "i" and self.coupled):
                continue  # no layer of its own: nothing to force there
            self._forced_mark(name, x)

    def update(self, x, h_prev, c_prev, record, forced=()):
        """Write one step's values on the drawing.

        Parameters
        ----------
        x : ndarray of shape (D,)
        h_prev, c_prev : ndarray of shape (H,)
        record : LSTMRecord of one example, each field of shape (H,)
        forced : iterable of gate names fixed by hand (marked on the drawing)
        """
        if not self.live:
            raise ValueError(tr("errors.not_live"))
        r = record
        values = {"x": x, "h_prev": h_prev, "c_prev": c_prev, "f": r.f, "i": r.i,
                  "g": r.g, "o": r.o, "fc": r.f * c_prev, "ig": r.i * r.g, "c": r.c, "tc": np.tanh(r.c),
                  "h": r.h}
        for name, chips in self.chips.items():
            chips.set(values[name])
        self._show_forced(forced)


def lstm_cell(values=None, highlight=None, ax=None, hidden_size=None, forget_gate=True, coupled=False,
              peepholes=False):
    """The LSTM cell, optionally with one step's values and one part highlighted.

    Parameters
    ----------
    values : dict with x, h_prev, c_prev (each (H,) or (D,)) and record (an LSTMRecord of
        one example), and optionally forced; None for the plain drawing
    highlight : None or one of "forget", "input", "update", "output", "cell_state"; on a variant
        also "peepholes" or "coupled"
    forget_gate, coupled, peepholes : bool, the variant (as in ``lstm.init_params``)

    Returns
    -------
    LSTMCell (its ``.figure`` displays in a notebook)
    """
    live = values is not None
    H = hidden_size or (np.size(values["record"].h) if live else 1)
    cell = LSTMCell(ax=ax, hidden_size=H, input_size=np.size(values["x"]) if live else None, live=live,
                    highlight=highlight, forget_gate=forget_gate, coupled=coupled, peepholes=peepholes)
    if live:
        cell.update(values["x"], values["h_prev"], values["c_prev"], values["record"], values.get("forced", ()))
    return cell


def lstm_peephole(ax=None):
    """The LSTM cell with peephole connections highlighted: C_{t-1} into f and i, C_t into o.

    Returns
    -------
    LSTMCell
    """
    return lstm_cell(highlight="peepholes", ax=ax, peepholes=True)


def lstm_coupled(ax=None):
    """The coupled LSTM cell, its 1 - f_t (in place of the input gate's layer) highlighted.

    Returns
    -------
    LSTMCell
    """
    return lstm_cell(highlight="coupled", ax=ax, coupled=True)


def lstm_1997(ax=None):
    """The 1997 LSTM cell (no forget gate, f_t = 1), its update C_t = C_{t-1} + i_t C~_t highlighted.

    Returns
    -------
    LSTMCell
    """
    return lstm_cell(highlight="update", ax=ax, forget_gate=False)


class GRUCell(_CellDrawing):
    """The GRU cell (Cho et al. 2014) in the LSTM cell's visual language; ``update`` writes one step's values.

    One state line, h, runs along the top: z_t keeps z_t h_{t-1} of it (the multiplication) and
    (1 - z_t) n_t is added (the addition), h_t = z_t h_{t-1} + (1 - z_t) n_t. A copy of h_{t-1} runs
    down and is joined by x_t; the layers sigma (r_t), sigma (z_t) and tanh (n_t) sit along the bottom.
    In Cho's form the candidate's layer reads [r_t h_{t-1}, x_t]: r_t multiplies a copy of h_{t-1} first.
    In PyTorch's (``reset_after=True``) it reads [h_{t-1}, x_t] and r_t enters the layer itself, where it
    multiplies W_nh h_{t-1} + b_hn. The equation of the candidate is written under the cell.

    Parameters
    ----------
    ax : matplotlib Axes or None
    hidden_size : int, H (1 or 2 fit on the live drawing)
    input_size : int, D (1 to 4; default H)
    live : bool, draw value chips on every box and line
    highlight : None or one of GRU_PARTS, grey out the rest
    reset_after : bool, PyTorch's form of the candidate
    """
    PARTS = GRU_PARTS

    def __init__(self, ax=None, hidden_size=1, input_size=None, live=True, highlight=None, reset_after=False,
                 figsize=(7.7, 5.1), dpi=80):
        if highlight not in (None,) + GRU_PARTS:
            raise ValueError(tr("errors.highlight", parts=GRU_PARTS, highlight=highlight))
        input_size = hidden_size if input_size is None else input_size
        if live and not (1 <= hidden_size <= 2 and 1 <= input_size <= 4):
            raise ValueError(tr("errors.live_sizes", hidden_size=hidden_size, input_size=input_size))
        ax = self._begin(ax, figsize, (-3.6, 18.3), (-2.9, 11.6), live, dpi)  # the LSTM cell's scale
        self.hidden_size, self.input_size, self.reset_after = hidden_size, input_size, bool(reset_after)
        add = self._add
        xr, xz, xn = 3.0, 5.5, 10.0      # the layers: r, z, n
        x_copy, x_in, x_rh = 1.0, 2.0, 8.4  # h_{t-1} copied down; x_t up; r_t h_{t-1} (or r_t) down to the layer
        ys, y1z, x_up = 8.0, 6.8, 14.2      # the state line; the line of 1 - z_t; h_t up

        ax.add_patch(patches.FancyBboxPatch((0.5, 0.4), 14.2, 8.7, boxstyle="round,pad=0.2", fc=CELL_BG,
                                            ec="#9a9a9a", lw=1.2, zorder=0))
        # the state h along the top: multiplied by z_t, then (1 - z_t) n_t added
        add(_wire(ax, [(-1.9, ys), (xz - 0.36, ys)]), "update", "state")
        add(_pointwise(ax, (xz, ys), "×"), "update", "state")
        add(_wire(ax, [(xz + 0.36, ys), (xn - 0.36, ys)]), "update", "state")
        add(_pointwise(ax, (xn, ys), "+"), "update", "candidate", "state")
        add(_wire(ax, [(xn + 0.36, ys), (17.0, ys)]), "update", "state")
        add(_wire(ax, [(x_up, ys), (x_up, 10.8)]), "state")                          # h_t up
        # a copy of h_{t-1} down to the bottom, joined by x_t from below (concatenation)
        bus_end = xn if reset_after else xz
        add(_wire(ax, [(x_copy, ys), (x_copy, 1.5), (bus_end, 1.5)], head=False), "reset", "update", "candidate")
        add(_wire(ax, [(x_in, -2.0), (x_in, 1.5)], head=False), "reset", "update", "candidate")
        add(_wire(ax, [(xr, 1.5), (xr, 2.35)]), "reset")
        add(_wire(ax, [(xz, 1.5), (xz, 2.35)]), "update")
        add(_layer(ax, (xr, 2.8), "σ"), "reset")
        add(_layer(ax, (xz, 2.8), "σ"), "update")
        add(_layer(ax, (xn, 2.8), "tanh", fs=10.5), "candidate")
        add([_crossing(ax, (xz, 5.0))], "reset")  # r's line passes under z's
        if reset_after:  # [h_{t-1}, x_t] into the layer; r_t into the layer itself, from the side
            add(_wire(ax, [(xn, 1.5), (xn, 2.35)]), "candidate")
            add(_wire(ax, [(xr, 3.25), (xr, 5.0), (x_rh, 5.0), (x_rh, 2.8), (xn - 0.71, 2.8)]), "reset", "candidate")
            formula = r"$n_t = \tanh(W_{nx}\, x_t + b_n + r_t \odot (W_{nh}\, h_{t-1} + b_{hn}))$"
        else:  # r_t times a copy of h_{t-1}, joined by x_t: [r_t h_{t-1}, x_t] into the layer
            add(_wire(ax, [(xr, 3.25), (xr, 4.64)]), "reset")
            add(_wire(ax, [(x_copy, 5.0), (xr - 0.36, 5.0)]), "reset")
            add(_pointwise(ax, (xr, 5.0), "×"), "reset")
            add(_wire(ax, [(xr + 0.36, 5.0), (x_rh, 5.0), (x_rh, 0.9)], head=False), "reset", "candidate")
            add(_wire(ax, [(x_in, 0.9), (xn, 0.9), (xn, 2.35)]), "candidate")
            formula = r"$n_t = \tanh(W_n\, [r_t \odot h_{t-1},\ x_t] + b_n)$"
        # z_t up to the state line (over r's line), and 1 - z_t to the candidate's multiplication
        add(_wire(ax, [(xz, 3.25), (xz, ys - 0.36)], zorder=3), "update")
        add(_wire(ax, [(xz, y1z), (6.4, y1z)]), "update")
        add(_pointwise(ax, (7.2, y1z), "1 −", wide=True), "update")
        add(_wire(ax, [(8.0, y1z), (xn - 0.36, y1z)]), "update")
        add(_wire(ax, [(xn, 3.25), (xn, y1z - 0.36)]), "candidate")                  # n_t
        add(_pointwise(ax, (xn, y1z), "×"), "update", "candidate")
        add(_wire(ax, [(xn, y1z + 0.36), (xn, ys - 0.36)]), "update", "candidate")  # (1 - z_t) n_t
        # names: the ends of the lines, the layers' outputs, the candidate's equation under the cell
        for xy, text, kw in (((-2.2, ys), "$h_{t-1}$", dict(ha="right")), ((17.3, ys), "$h_t$", dict(ha="left")),
                             ((x_in, -2.3), "$x_t$", dict(ha="center", va="top")),
                             ((x_up, 10.95), "$h_t$", dict(ha="center", va="bottom"))):
            ax.text(*xy, text, fontsize=LABEL_PT, va=kw.pop("va", "center"), zorder=5, **kw)
        for x, text, part in ((xr, "$r_t$", "reset"), (xz, "$z_t$", "update"), (xn, "$n_t$", "candidate")):
            add([ax.text(x + 0.74, 2.8, text, fontsize=LABEL_PT, ha="left", va="center", zorder=5)], part)
        self.formula = ax.text(9.5, -0.45, formula, fontsize=LABEL_PT, ha="center", va="top", zorder=5)
        add([self.formula], "candidate", "reset")
        if live:
            self._add_chips()
        if highlight:
            self.highlight(highlight)

    def _add_chips(self):
        ax, n = self.ax, self.hidden_size
        w = 0.5 * n * Chips.WIDTH  # half the width of a row of chips
        spec = {  # name: (centre, label, label side, scale, parts)
            "h_prev": ((-1.0, 8.85), None, "above", "h_prev", ("update", "state")),
            "x": ((1.5 - 0.5 * self.input_size * Chips.WIDTH, -1.1), None, "below", "x",
                  ("reset", "update", "candidate")),
            "r": ((3.0, 3.9), None, "above", "f", ("reset",)),
            "z": ((5.5, 3.9), None, "above", "f", ("update",)),
            "n": ((10.0, 4.9), None, "above", "g", ("candidate",)),
            "zh": ((7.75, 8.85), r"$z_t h_{t-1}$", "above", "h", ("update", "state")),
            "zn": ((11.0 + w, 6.8), r"$(1 - z_t)\, n_t$", "below", "h", ("update", "candidate")),
            "h": ((16.0, 8.85), None, "above", "h", ("update", "state")),
        }
        if not self.reset_after:  # Cho's form: r_t h_{t-1}, on its way to the candidate's layer
            spec["rh"] = ((7.05, 5.0), r"$r_t h_{t-1}$", "above", "h", ("reset", "candidate"))
        for name, (xy, label, side, scale, parts) in spec.items():
            chips = Chips(ax, xy, self.input_size if name == "x" else n, scale, label=label, label_side=side,
                          label_pt=LABEL_PT)
            self.chips[name] = chips
            self._add(chips.artists, *parts)
        for name, x in (("r", 3.0), ("z", 5.5)):  # on the layer's input: it is cut
            self._forced_mark(name, x)

    def update(self, x, h_prev, record, forced=()):
        """Write one step's values on the drawing.

        Parameters
        ----------
        x : ndarray of shape (D,)
        h_prev : ndarray of shape (H,)
        record : GRURecord of one example, each field of shape (H,)
        forced : iterable of gate names ("z", "r") fixed by hand (marked on the drawing)
        """
        if not self.live:
            raise ValueError(tr("errors.not_live"))
        r = record
        values = {"x": x, "h_prev": h_prev, "r": r.r, "z": r.z, "n": r.n, "zh": r.z * h_prev,
                  "zn": (1.0 - r.z) * r.n, "h": r.h, "rh": r.r * h_prev}
        for name, chips in self.chips.items():
            chips.set(values[name])
        self._show_forced(forced)


def gru_cell(values=None, highlight=None, ax=None, hidden_size=None, reset_after=False):
    """The GRU cell, optionally with one step's values and one part highlighted.

    Parameters
    ----------
    values : dict with x (D,), h_prev (H,) and record (a GRURecord of one example), and optionally
        forced; None for the plain drawing
    highlight : None or one of "reset", "update", "candidate", "state"
    reset_after : bool, PyTorch's form of the candidate (see ``GRUCell``)

    Returns
    -------
    GRUCell (displays itself in a notebook; ``.png()`` gives the picture)
    """
    live = values is not None
    H = hidden_size or (np.size(values["record"].h) if live else 1)
    cell = GRUCell(ax=ax, hidden_size=H, input_size=np.size(values["x"]) if live else None, live=live,
                   highlight=highlight, reset_after=reset_after)
    if live:
        cell.update(values["x"], values["h_prev"], values["record"], values.get("forced", ()))
    return cell


def _module_box(ax, xy, w=2.2, h=1.6, label="A", fc=LAYER):
    box = patches.FancyBboxPatch((xy[0] - w / 2, xy[1] - h / 2), w, h, boxstyle="round,pad=0.1", fc=fc,
                                 ec=INK, lw=1.4, zorder=3)
    ax.add_patch(box)
    ax.text(xy[0], xy[1], label, ha="center", va="center", fontsize=14, zorder=4, fontfamily=SYMBOL_FONT)
    return box


def rnn_loop(ax=None):
    """The RNN as a loop: box A reads x_t, emits h_t, and feeds its state back to itself.

    Returns
    -------
    ax
    """
    ax = _new_ax(ax, (2.9, 3.4), (-2.0, 3.8), (-3.1, 3.4))
    _module_box(ax, (0, 0))
    _arrow(ax, (0, -2.3), (0, -0.9))
    _arrow(ax, (0, 0.9), (0, 2.4))
    ax.text(0, -2.5, "$x_t$", ha="center", va="top", fontsize=LABEL_PT)
    ax.text(0, 2.55, "$h_t$", ha="center", va="bottom", fontsize=LABEL_PT)
    # the state leaves A on the right and comes back into A: the loop
    loop = patches.FancyArrowPatch((1.2, 0.45), (1.2, -0.45), connectionstyle="arc3,rad=-1.9",
                                   arrowstyle="-|>", mutation_scale=12, lw=1.6, color=INK, zorder=2)
    ax.add_patch(loop)
    return ax


def rnn_unrolled(ax=None, steps=("t-1", "t", "t+1")):
    """The RNN unrolled over time: one copy of A per step, the state passed along.

    Returns
    -------
    ax
    """
    n = len(steps)
    ax = _new_ax(ax, (1.9 * n + 1.2, 3.2), (-2.4, 3.6 * (n - 1) + 2.4), (-3.1, 3.2))
    for k, s in enumerate(steps):
        x = 3.6 * k
        _module_box(ax, (x, 0))
        _arrow(ax, (x, -2.3), (x, -0.9))
        _arrow(ax, (x, 0.9), (x, 2.3))
        ax.text(x, -2.5, f"$x_{{{s}}}$", ha="center", va="top", fontsize=15)
        ax.text(x, 2.45, f"$h_{{{s}}}$", ha="center", va="bottom", fontsize=15)
        _arrow(ax, (x + 1.2, 0), (x + 2.4, 0)) if k < n - 1 else None
    _arrow(ax, (-2.3, 0), (-1.2, 0))
    _arrow(ax, (3.6 * (n - 1) + 1.2, 0), (3.6 * (n - 1) + 2.3, 0))
    return ax


def dependency_gap(gap="short", ax=None):
    """An unrolled RNN with the relevant input and the prediction marked: a short or a long gap.

    Returns
    -------
    ax
    """
    if gap not in ("short", "long"):
        raise ValueError(tr("errors.gap", gap=gap))
    # the words read, one a step, the relevant one in [brackets]: "the [clouds] are in the"
    words = tr(f"diagrams.gap_{gap}_words").split()
    relevant = [k for k, w in enumerate(words) if w.startswith("[")]
    words = [w.strip("[]") for w in words]
    answer = tr(f"diagrams.gap_{gap}_answer")
    n = len(words)
    step = 2.1
    ax = _new_ax(ax, (0.95 * n + 1.0, 3.0), (-1.6, step * (n - 1) + 1.6), (-2.9, 3.2))
    for k, w in enumerate(words):
        x = step * k
        if w == "…":
            ax.text(x, 0, "· · ·", ha="center", va="center", fontsize=16, fontfamily=SYMBOL_FONT)
            continue
        fc = "#fdae6b" if k in relevant else LAYER
        _module_box(ax, (x, 0), w=1.3, h=1.1, label="A", fc=fc)
        _arrow(ax, (x, -1.9), (x, -0.65))
        ax.text(x, -2.05, w, ha="center", va="top", fontsize=12,  # at least 8 pt where chapter 02 shows it
                **(_bold("black") if k in relevant else dict(fontweight="normal")))
        if k < n - 1:
            _arrow(ax, (x + 0.75, 0), (x + step - 0.75, 0))
    x = step * (n - 1)
    _arrow(ax, (x, 0.65), (x, 1.9))
    ax.text(x, 2.05, answer, ha="center", va="bottom", fontsize=13, color="#b35806", **_bold("#b35806"))
    ax.annotate("", xy=(x - 0.2, 2.3), xytext=(step * relevant[0], 0.75),
                arrowprops=dict(arrowstyle="-|>", ls="--", color="#b35806", lw=1.2,
                                connectionstyle="arc3,rad=-0.25", mutation_scale=10))
    return ax


def _neighbour(ax, x, step, kind, w=2.0):
    """A neighbouring module drawn as a plain box A with its own input x and output h, named by ``step``."""
    box = patches.FancyBboxPatch((x - w / 2, 0.6), w, 7.8, boxstyle="round,pad=0.2", fc="#dbe9f6", ec=INK,
                                 lw=1.3, zorder=3)
    ax.add_patch(box)
    ax.text(x, 4.5, "A", ha="center", va="center", fontsize=16, zorder=4, fontfamily=SYMBOL_FONT)
    _arrow(ax, (x, -2.0), (x, 0.4))
    _arrow(ax, (x, 8.6), (x, 10.3))
    ax.text(x, -2.3, f"$x_{{{step}}}$", ha="center", va="top", fontsize=LABEL_PT)
    ax.text(x, 10.45, f"$h_{{{step}}}$", ha="center", va="bottom", fontsize=LABEL_PT)


def repeating_module(kind="lstm", ax=None):
    """Three repeating modules in a chain: A at t-1, the module at t with its inner layers, A at t+1.

    kind "rnn": a single tanh layer; kind "lstm": four interacting layers and the cell state along the top.
    The module is drawn at the scale of the LSTM cell's own drawing, every line from one module into the next.

    Returns
    -------
    ax
    """
    if kind not in ("rnn", "lstm"):
        raise ValueError(tr("errors.kind", kind=kind))
    lim = (-5.6, 21.4), (-3.4, 11.8)
    ax = _new_ax(ax, (9.5, 5.35), *lim)
    _neighbour(ax, -3.6, "t-1", kind)
    _neighbour(ax, 19.8, "t+1", kind)
    if kind == "lstm":
        LSTMCell(ax=ax, hidden_size=1, live=False, labels="chain")
        ax.set_xlim(*lim[0])
        ax.set_ylim(*lim[1])
        return ax
    bg = patches.FancyBboxPatch((0.5, 0.4), 15.0, 8.2, boxstyle="round,pad=0.2", fc=CELL_BG, ec="#9a9a9a",
                                lw=1.2, zorder=0)
    ax.add_patch(bg)
    _wire(ax, [(-2.6, 1.5), (7.5, 1.5), (7.5, 3.35)])                  # h_{t-1}, joined by x_t, into the layer
    _wire(ax, [(4.0, -2.0), (4.0, 1.5)], head=False)
    _layer(ax, (7.5, 3.8), "tanh", fs=11)
    _wire(ax, [(7.5, 4.25), (7.5, 6.0), (12.0, 6.0), (12.0, 1.5), (18.6, 1.5)])  # h_t to the next module
    _wire(ax, [(14.6, 1.5), (14.6, 10.3)])                             # and up
    ax.text(4.0, -2.3, "$x_t$", ha="center", va="top", fontsize=LABEL_PT)
    ax.text(14.6, 10.45, "$h_t$", ha="center", va="bottom", fontsize=LABEL_PT)
    ax.text(-1.05, 1.7, "$h_{t-1}$", ha="center", va="bottom", fontsize=LABEL_PT)
    ax.text(17.1, 1.7, "$h_t$", ha="center", va="bottom", fontsize=LABEL_PT)
    return ax


SEQUENCE_SHAPES = (  # (row, caption, steps, steps that read an input, steps that emit an output, output labels)
    (0, "one-to-one", 1, {0}, {0}, None),
    (0, "one-to-many", 4, {0}, {0, 1, 2, 3}, None),
    (0, "many-to-one", 4, {0, 1, 2, 3}, {3}, None),
    (1, "many-to-many (unaligned):\nread all, then write", 6, {0, 1, 2}, {3, 4, 5}, None),
    (1, "many-to-many (unaligned), CTC:\na letter or a blank (–) per frame", 6, set(range(6)), set(range(6)),
     ("c", "c", "–", "a", "–", "t")),
    (1, "many-to-many (aligned)", 4, {0, 1, 2, 3}, {0, 1, 2, 3}, None),
)
CTC_MERGED = "cat"  # the CTC outputs with repeats merged and blanks dropped
# the keys of the captions, in the order of SEQUENCE_SHAPES: drawn in the reader's language
SEQUENCE_SHAPE_KEYS = ("one_to_one", "one_to_many", "many_to_one", "many_to_many_read_write", "many_to_many_ctc",
                       "many_to_many_aligned")


def sequence_shapes(ax=None):
    """The shapes of sequence problems: inputs below, the recurrent state, outputs above.

    Many-to-many unaligned is drawn twice, as the two kinds of system that do it: an encoder-decoder reads
    the whole input before it writes (machine translation, Sutskever et al. 2014); a CTC network (Graves et al.
    2006) emits a letter or a blank at every input frame, and merging repeats and dropping blanks leaves a
    shorter sequence that does not line up with the frames (speech recognition).

    Returns
    -------
    ax
    """
    ax = _new_ax(ax, (8.8, 4.92), (-2.6, 19.4), (-8.8, 3.5))
    input_fc, output_fc = "#f4a582", "#a6dba0"
    gap, row_y = 1.5, {0: 0.0, 1: -6.6}

    def box(x, y, fc, label=None):
        ax.add_patch(patches.FancyBboxPatch((x - 0.35, y - 0.35), 0.7, 0.7, boxstyle="round,pad=0.04", fc=fc,
                                            ec=INK, lw=1.0))
        if label:
            ax.text(x, y, label, ha="center", va="center", fontsize=12)

    x0 = {0: 0.0, 1: 0.0}
    for (row, _, n, ins, outs, letters), key in zip(SEQUENCE_SHAPES, SEQUENCE_SHAPE_KEYS):
        y = row_y[row]
        for k in range(n):
            x = x0[row] + 1.0 * k
            box(x, y + 1.3, LAYER)
            if k in ins:
                box(x, y, input_fc)
                _arrow(ax, (x, y + 0.4), (x, y + 0.9), lw=1.1)
            if k in outs:
                box(x, y + 2.6, output_fc, letters[k] if letters else None)
                _arrow(ax, (x, y + 1.7), (x, y + 2.2), lw=1.1)
            if k < n - 1:
                _arrow(ax, (x + 0.4, y + 1.3), (x + 0.6, y + 1.3), lw=1.1)
        if letters:  # merged: one box per letter that is left, above the per-frame outputs
            mid = x0[row] + (n - 1) / 2
            ax.plot([x0[row] - 0.35, x0[row] + n - 0.65], [y + 3.15, y + 3.15], color=INK, lw=1.0)
            _arrow(ax, (mid, y + 3.15), (mid, y + 3.55), lw=1.1)
            for j, ch in enumerate(CTC_MERGED):
                box(mid + 0.9 * (j - 1), y + 4.0, output_fc, ch)
        ax.text(x0[row] + (n - 1) / 2, y - 0.6, tr(f"diagrams.{key}"), ha="center", va="top", fontsize=11,
                linespacing=1.3)
        x0[row] += n + gap
    for y in row_y.values():
        ax.text(-0.75, y, tr("diagrams.row_input"), fontsize=11, ha="right", va="center", color="#b2182b")
        ax.text(-0.75, y + 1.3, tr("diagrams.row_state"), fontsize=11, ha="right", va="center")
        ax.text(-0.75, y + 2.6, tr("diagrams.row_output"), fontsize=11, ha="right", va="center", color="#1b7837")
    return ax


def notation_legend(ax=None):
    """The five symbols of the diagrams: layer, pointwise operation, vector transfer, concatenate, copy.

    Returns
    -------
    ax
    """
    ax = _new_ax(ax, (8.0, 1.9), (0, 20), (-1.6, 2.6))
    _layer(ax, (2, 1.2), "σ")
    _pointwise(ax, (6, 1.2), "×")
    _arrow(ax, (8.8, 1.2), (11.2, 1.2))
    ax.plot([12.8, 13.8], [1.9, 1.2], color=INK, lw=1.6)
    ax.plot([12.8, 13.8], [0.5, 1.2], color=INK, lw=1.6)
    _arrow(ax, (13.8, 1.2), (15.0, 1.2))
    ax.plot([16.6, 17.6], [1.2, 1.2], color=INK, lw=1.6)
    _arrow(ax, (17.6, 1.2), (18.7, 1.9))
    _arrow(ax, (17.6, 1.2), (18.7, 0.5))
    for x, s in ((2, "layer"), (6, "pointwise"), (10, "transfer"), (13.9, "concatenate"), (17.6, "copy")):
        ax.text(x, -0.1, tr(f"diagrams.notation_{s}"), ha="center", va="top", fontsize=11)
    return ax


def cell_state_line(ax=None):
    """The LSTM cell with its cell-state line highlighted.

    Returns
    -------
    LSTMCell
    """
    return LSTMCell(ax=ax, live=False, highlight="cell_state")


class GateDiagram(LiveDiagram):
    """A gate: a sigma layer and a pointwise multiply on a line; ``update`` shows what passes.

    Parameters
    ----------
    n : int, the number of components (1 to 4)
    ax : matplotlib Axes or None
    """

    def __init__(self, n=1, ax=None):
        if not 1 <= n <= 4:
            raise ValueError(tr("errors.gate_components", n=n))
        self.ax = ax = _new_ax(ax, (5.6, 3.2), (-0.8, 13.0), (-1.8, 6.4))
        self.figure = ax.figure
        _wire(ax, [(0.0, 4.5), (5.64, 4.5)])
        _wire(ax, [(6.36, 4.5), (12.6, 4.5)])
        _pointwise(ax, (6.0, 4.5), "×")
        _wire(ax, [(6.0, -0.8), (6.0, 0.95)], head=False)
        _layer(ax, (6.0, 1.4), "σ")
        _wire(ax, [(6.0, 1.85), (6.0, 4.14)])
        ax.text(6.0, -1.0, tr("diagrams.gate_input"), ha="center", va="top", fontsize=11)
        w = 1.3  # wide chips: "-0.80" keeps a margin inside its square
        kw = dict(width=w, font_pt=11, label_pt=11)
        self.chips = {"in": Chips(ax, (2.8, 5.25), n, "x", label=tr("diagrams.gate_passes_in"), **kw),
                      "gate": Chips(ax, (6.6 + 0.5 * n * w, 3.0), n, "f", label=tr("diagrams.gate_values"),
                                    label_side="below", **kw),
                      "out": Chips(ax, (9.6, 5.25), n, "x", label=tr("diagrams.gate_passes_out"), **kw)}

    def update(self, value, signal=None):
        """Show gate values ``value`` in [0, 1] applied to ``signal`` (default all ones)."""
        v = np.atleast_1d(np.asarray(value, dtype=float))
        if np.any((v < 0) | (v > 1)):
            raise ValueError(tr("errors.gate_values", values=v))
        s = np.ones_like(v) if signal is None else np.atleast_1d(np.asarray(signal, dtype=float))
        if s.shape != v.shape:
            raise ValueError(tr("errors.gate_signal", signal=s.shape, values=v.shape))
        self.chips["in"].set(s)
        self.chips["gate"].set(v)
        self.chips["out"].set(s * v)
        return self


def gate(value=None, signal=None, ax=None):
    """A gate: a sigma layer and a pointwise multiply on a line.

    Parameters
    ----------
    value : array_like of gate values in [0, 1] (shown as numbers), or None
    signal : array_like of what flows along the line (the same length), or None

    Returns
    -------
    GateDiagram (displays itself in a notebook; ``.png()`` gives the picture)
    """
    n = 1 if value is None else np.size(value)
    diagram = GateDiagram(n, ax=ax)
    if value is not None:
        diagram.update(value, signal)
    return diagram


# ---------------------------------------------------------------------------------------------------------
# Backpropagation through time: the unrolled graph with its backward pass (chapter 08)


DASHES = (0, (3.2, 1.8))  # the backward pass's line style


def _back(ax, points, lw=1.8, zorder=3):
    """A gradient's path through ``points``: dashed, in BACKWARD, with a solid head at the last point.

    Returns
    -------
    [Line2D, Annotation]: the dashed line and the head
    """
    pts = np.asarray(points, dtype=float)
    d = pts[-1] - pts[-2]
    stop = pts[-1] - 0.3 * d / np.hypot(*d)  # the dashes end where the solid head begins
    line, = ax.plot(*np.vstack([pts[:-1], stop]).T, color=BACKWARD, lw=lw, ls=DASHES, dash_capstyle="butt",
                    zorder=zorder)
    head = ax.annotate("", xy=pts[-1], xytext=stop, zorder=zorder,
                       arrowprops=dict(arrowstyle="-|>", color=BACKWARD, lw=lw, shrinkA=0, shrinkB=0,
                                       mutation_scale=12))
    return [line, head]


def _sum(ax, xy, r=0.3):
    """Where two gradients meet and are added: a pointwise circle with a backward-coloured rim."""
    ax.add_patch(patches.Circle(xy, r, fc=POINTWISE, ec=BACKWARD, lw=1.6, zorder=4))
    ax.text(xy[0], xy[1] - 0.02, "+", ha="center", va="center", fontsize=12, zorder=5, fontfamily=SYMBOL_FONT)


def _badge(ax, xy, n, r=0.36):
    """The backward pass's order: a filled circle with the number of the step in the backward sweep."""
    ax.add_patch(patches.Circle(xy, r, fc=BACKWARD, ec="white", lw=1.2, zorder=6))
    ax.text(xy[0], xy[1] - 0.01, str(n), ha="center", va="center", fontsize=11, color="white",
            fontweight="bold", zorder=7, fontfamily=SYMBOL_FONT)


def _bridge(ax, x, y, w=0.34, h=0.3):
    """A white gap where a vertical line passes over a horizontal one (it does not join it)."""
    ax.add_patch(patches.Rectangle((x - w / 2, y - h / 2), w, h, fc="white", ec="none", zorder=3.3))


def bptt_unrolled(kind="rnn", steps=3, ax=None):
    """The unrolled graph with its backward pass: what each step caches, where its gradients come from.

    Forward (solid, dark): x_t up into each copy, the state along the chain from h_0 (for the LSTM also C_0
    along the top), h_t up to the step's loss L_t. Backward (dashed, vermillion, the other way): dL_t/dh_t
    from the loss and the gradient from step t+1 meet in a sum and go into the copy, which passes dh_{t-1}
    (and dC_{t-1} = f_t dC_t) on to the left; the LSTM's dC_t adds what comes from C_{t+1} through f_{t+1}
    to what comes from h_t through o_t and tanh. Every copy's dW goes down into the one shared W, where they
    add up. Under each copy, the cache its backward reads; on each copy, its place in the backward order.

    Parameters
    ----------
    kind : "rnn" (one state line) or "lstm" (C along the top, h along the bottom)
    steps : int, T (3 to 5); the figure is 9.6 inches wide at T = 3 (legible shown 768 px wide) and grows
        with T at the same scale

    Returns
    -------
    ax
    """
    if kind not in ("rnn", "lstm"):
        raise ValueError(tr("errors.kind", kind=kind))
    if not 3 <= steps <= 5:
        raise ValueError(tr("errors.bptt_steps", steps=steps))
    T, is_lstm = steps, kind == "lstm"
    S, bw = 7.6, 2.2                                       # step spacing, box width
    bh = 5.6 if is_lstm else 2.0                           # box height
    yh, ydh = (-2.4, -1.4) if is_lstm else (-0.45, 0.45)   # forward h, backward dh
    yc, ydc = 2.4, 1.4                                     # forward C, backward dC (LSTM only)
    xs = [S * k for k in range(T)]
    dx_c, dx_h = 2.9, (4.1 if is_lstm else 2.9)            # the sums, right of each copy's centre
    y_top, y_bot = bh / 2, -bh / 2
    y_loss = y_top + 2.0
    cache = ([["$f_{t}$", "$i_{t}$"], [r"$\tilde{{C}}_{t}$", "$o_{t}$"], ["$C_{p}$", "$C_{t}$"],
              ["$h_{p}$", "$x_{t}$"]] if is_lstm else [["$h_{p}$"], ["$x_{t}$"], ["$h_{t}$"]])
    row, w = 0.62, (2.3 if is_lstm else 1.3)               # the cache's line height and width
    y_cache = y_bot - 2.45                                 # the cache's top
    y_W = y_cache - row * len(cache) - 1.9
    left, right = xs[0] - bw / 2 - 4.4, xs[-1] + dx_h + 2.3
    top = y_loss + 2.0
    bottom = y_W - 1.6
    inch = 9.6 / (right - left - S * (T - 3))             # 9.6 inches wide at T = 3, the same scale for any T
    ax = _new_ax(ax, (inch * (right - left), inch * (top - bottom)), (left, right), (bottom, top))

    def sub(s, k, color=INK):
        return dict(s=f"${s}_{{{k}}}$", fontsize=LABEL_PT, color=color)

    def times_f(x, t):  # C_{t-1} reached C_t through f_t: the way back multiplies by it
        _pointwise(ax, (x, ydc), "×", r=0.3)
        ax.text(x, ydc - 0.4, ha="center", va="top", **sub("f", t))

    x_in = xs[0] - bw / 2 - 3.0                            # where h_0 (C_0) enter and dh_0 (dC_0) leave
    for k, X in enumerate(xs):
        t = k + 1
        edge_l, edge_r = X - bw / 2 - 0.1, X + bw / 2 + 0.1
        _module_box(ax, (X, 0), w=bw, h=bh)
        _badge(ax, (X - bw / 2, y_top), T - k)
        # forward: x_t from below, h_t up to the step's loss, the states along the chain(s)
        xx = X - 0.35
        _arrow(ax, (xx, y_bot - 1.5), (xx, y_bot - 0.1))
        ax.text(xx, y_bot - 1.6, va="top", ha="center", **sub("x", t))
        xl = X - 0.3
        _arrow(ax, (xl, y_top + 0.1), (xl, y_loss - 0.45))
        ax.text(xl - 0.15, (y_top + y_loss) / 2 - 0.05, ha="right", va="center", **sub("h", t))
        ax.add_patch(patches.FancyBboxPatch((xl - 0.6, y_loss - 0.4), X + dx_h - xl + 1.2, 0.8,
                                            boxstyle="round,pad=0.06", fc="#e5e5e5", ec=INK, lw=1.2, zorder=3))
        ax.text((xl + X + dx_h) / 2, y_loss, ha="center", va="center", zorder=4, **sub("L", t))
        x_from = xs[k - 1] + bw / 2 + 0.1 if k else x_in
        for y, s in ((yh, "h"),) + (((yc, "C"),) if is_lstm else ()):
            _arrow(ax, (x_from, y), (edge_l, y))
            if k == 0:
                ax.text(x_in - 0.15, y, ha="right", va="center", **sub(s, 0))
        # backward: dL_t/dh_t from the loss and dh from step t+1 are added and go into the copy
        x_next = xs[k + 1] - bw / 2 - 0.1 if k < T - 1 else X + dx_h + 1.6
        xh = X + dx_h
        for y in ((yc, ydc) if is_lstm else ()):
            _bridge(ax, xh, y)                             # the loss's gradient passes over the C lines
        _back(ax, [(xh, y_loss - 0.45), (xh, ydh + 0.3)], zorder=3.6)
        _sum(ax, (xh, ydh))
        _back(ax, [(x_next, ydh), (xh + 0.3, ydh)])
        _back(ax, [(xh - 0.3, ydh), (edge_r, ydh)])
        ax.text(xh - 0.15, (y_top + y_loss) / 2 - 0.05, rf"$\partial L_{t} / \partial h_{t}$", ha="right",
                va="center", fontsize=LABEL_PT, color=BACKWARD)
        x_dh = (xh - 0.3 + edge_r) / 2 - (0.45 if is_lstm else 0)  # the LSTM's: left of the branch to C
        ax.text(x_dh, ydh - 0.12 if is_lstm else ydh + 0.12, ha="center", va="top" if is_lstm else "bottom",
                **sub("dh", t, BACKWARD))
        if k < T - 1:
            ax.text((xh + x_next) / 2 + (0.15 if is_lstm else 0), ydh + 0.12, "$dh_{next}$", ha="center",
                    va="bottom", fontsize=LABEL_PT, color=BACKWARD)
        if is_lstm:
            # dC_t: from C_{t+1} through f_{t+1}, plus from h_t back through o_t and tanh
            xc = X + dx_c
            _sum(ax, (xc, ydc))
            _back(ax, [(x_next, ydc), (xc + 0.3, ydc)])
            _back(ax, [(xc - 0.3, ydc), (edge_r, ydc)])
            ax.text((xc - 0.3 + edge_r) / 2, ydc + 0.12, ha="center", va="bottom", **sub("dC", t, BACKWARD))
            _back(ax, [(xc, ydh), (xc, ydc - 0.3)])
            _pointwise(ax, (xc, ydh + 0.8), "×", r=0.3)
            ax.text(xc + 0.4, ydh + 0.8, ha="left", va="center", **sub("o", t))
            _pointwise(ax, (xc, ydc - 0.95), "tanh′", wide=True)
            if k < T - 1:
                times_f(xs[k + 1] - bw / 2 - 0.75, t + 1)
        if k == T - 1:                                     # nothing comes back from beyond step T
            for y in ((ydc, ydh) if is_lstm else (ydh,)):
                ax.text(x_next + 0.15, y, "0", ha="left", va="center", fontsize=12, color=BACKWARD)
        if k == 0:
            for y, s in ((ydh, "dh"),) + (((ydc, "dC"),) if is_lstm else ()):
                _back(ax, [(edge_l, y), (x_in, y)])
                if s == "dC":
                    times_f(X - bw / 2 - 0.75, 1)
                ax.text(x_in - 0.15, y, ha="right", va="center", **sub(s, 0, BACKWARD))
        # this step's dW, down into the one shared W
        xw = X + 0.8
        _back(ax, [(xw, y_bot - 0.1), (xw, y_W + 0.55)])
        ax.text(xw + 0.15, y_W + 0.95, ha="left", va="center", **sub("dW", t, BACKWARD))
        # the cache: what the forward keeps for this step's backward
        lines = [", ".join(s.format(t=t, p=t - 1) for s in line) for line in cache]
        ax.add_patch(patches.FancyBboxPatch((xx - w / 2, y_cache - row * len(cache) - 0.15), w,
                                            row * len(cache) + 0.15, boxstyle="round,pad=0.08", fc="white",
                                            ec="#7f7f7f", lw=1.0, ls=(0, (1, 1.5)), zorder=3))
        for j, s in enumerate(lines):
            ax.text(xx, y_cache - row * (j + 0.5), s, ha="center", va="center", fontsize=LABEL_PT, zorder=4)
    # the shared weights and the sum of the steps' gradients
    x0, x1 = xs[0] - bw / 2, xs[-1] + dx_h + 0.6
    ax.add_patch(patches.FancyBboxPatch((x0, y_W - 0.45), x1 - x0, 0.9, boxstyle="round,pad=0.06", fc=LAYER,
                                        ec=INK, lw=1.3, zorder=3))
    total = " + ".join(f"dW_{{{t}}}" for t in range(1, T + 1))
    ax.text((x0 + x1) / 2, y_W, f"$dW = {total}$", ha="center", va="center", fontsize=LABEL_PT, zorder=4)
    ax.text(x0 - 0.3, y_W, tr("diagrams.bptt_shared"), ha="right", va="center", fontsize=11,
            linespacing=1.2)
    alike = tr("diagrams.bptt_alike_lstm" if is_lstm else "diagrams.bptt_alike_rnn")
    ax.text((x0 + x1) / 2, y_W - 0.7, alike, ha="center", va="top", fontsize=LABEL_PT)
    ax.text(xs[0] - 0.35 - w / 2 - 0.3, y_cache - 0.1,
            tr("diagrams.bptt_cache"), ha="right", va="top", fontsize=11,
            linespacing=1.25)
    # the key
    yk = top - 0.55
    kx = left + 0.3
    _arrow(ax, (kx, yk), (kx + 1.6, yk))
    ax.text(kx + 1.85, yk, tr("diagrams.bptt_key_forward"), ha="left", va="center", fontsize=11)
    kx += 7.0
    _back(ax, [(kx, yk), (kx + 1.6, yk)])
    ax.text(kx + 1.85, yk, tr("diagrams.bptt_key_backward"), ha="left", va="center", fontsize=11, color=BACKWARD)
    kx += 8.2
    _badge(ax, (kx + 0.3, yk), 1)
    ax.text(kx + 0.85, yk, tr("diagrams.bptt_key_order"), ha="left", va="center", fontsize=11)
    return ax


def rnn_bptt(ax=None):
    """The RNN unrolled over three steps with its backward pass (see ``bptt_unrolled``)."""
    return bptt_unrolled("rnn", 3, ax=ax)


def lstm_bptt(ax=None):
    """The LSTM chain unrolled over three steps with its backward pass on both lines (see ``bptt_unrolled``)."""
    return bptt_unrolled("lstm", 3, ax=ax)


# ---------------------------------------------------------------------------------------------------------
# Applications (chapter 10): an image read row by row


def rows_as_steps(image=None, ax=None):
    """An 8 x 8 digit read row by row: row t is the input x_t of step t, and h_8 is classified (many-to-one).

    On the left the image (grey scale, 0 white to 1 black, with its key), its rows numbered t = 1 ... 8;
    on the right the unrolled chain, steps 1, 2, 3, ..., 8 (4 to 7 drawn as dots), each copy of A reading
    its row from below; the last state h_8 goes up into a softmax, which gives p(digit) over the ten digits.
    Drawn 9 inches wide: legible shown 720 px wide or wider.

    Parameters
    ----------
    image : ndarray of shape (8, 8) with pixels in [0, 1], or None: the first test image of
        ``tasks.load_digits()`` (a 0)
    ax : matplotlib Axes or None

    Returns
    -------
    ax
    """
    if image is None:
        from . import tasks  # the data only when the default picture is drawn
        image = tasks.load_digits()[1][0][0]
    image = np.asarray(image, dtype=float)
    if image.shape != (8, 8):
        raise ValueError(tr("errors.image_shape", shape=image.shape))
    if not np.all((image >= 0) & (image <= 1)):
        raise ValueError(tr("errors.pixels"))
    T = 8
    rows_y = [T - t + 0.5 for t in range(1, T + 1)]  # row t's centre: row 1 at the top
    yc, bw, bh = 10.0, 1.6, 1.2                      # the chain's line, the boxes' size
    shown = {1: 10.3, 2: 13.0, 3: 15.7, 8: 21.6}     # the steps drawn as boxes, at their x
    hidden = {4: 18.05, 5: 18.5, 6: 18.95, 7: 19.4}  # steps 4 to 7: their rows go up to the dots
    x_dots = 18.7
    ax = _new_ax(ax, (9.0, 6.7), (-2.2, 23.0), (-2.9, 15.6))
    # the image: its pixels, a grid, the rows numbered
    ax.imshow(image, cmap="gray_r", vmin=0.0, vmax=1.0, extent=(0, 8, 0, 8), interpolation="nearest", zorder=1)
    for k in range(T + 1):
        ax.plot([0, 8], [k, k], color="#9a9a9a", lw=0.8 if 0 < k < T else 1.3, zorder=2)
        ax.plot([k, k], [0, 8], color="#d0d0d0" if 0 < k < T else "#9a9a9a", lw=0.5 if 0 < k < T else 1.3,
                zorder=2)
    for t, y in enumerate(rows_y, start=1):
        ax.text(-0.2, y, f"t = {t}", ha="right", va="center", fontsize=11)
    ax.text(4.0, 8.3, tr("diagrams.rows_each_row"), ha="center", va="bottom", fontsize=LABEL_PT)
    # the key: pixel values 0 (white) to 1 (black)
    ax.imshow(np.linspace(0, 1, 64)[None, :], cmap="gray_r", vmin=0.0, vmax=1.0, extent=(1.5, 6.5, -1.25, -0.75),
              aspect="auto", zorder=1)
    ax.set_aspect("equal")  # imshow's aspect="auto" would stretch the drawing to a given axes
    ax.add_patch(patches.Rectangle((1.5, -1.25), 5.0, 0.5, fc="none", ec="#9a9a9a", lw=1.0, zorder=2))
    ax.text(1.3, -1.0, "0", ha="right", va="center", fontsize=11)
    ax.text(6.7, -1.0, "1", ha="left", va="center", fontsize=11)
    ax.text(4.0, -1.45, tr("diagrams.rows_pixel_value"), ha="center", va="top", fontsize=11)
    # each row, out of the image's right edge and up into its step's copy of A (a staircase: no crossings)
    for t, y in enumerate(rows_y, start=1):
        if t in shown:
            x = shown[t]
            _wire(ax, [(8.1, y), (x, y), (x, yc - bh / 2 - 0.1)])
            ax.text(x + 0.15, yc - bh / 2 - 0.55, f"$x_{t}$", ha="left", va="center", fontsize=LABEL_PT)
        else:
            x = hidden[t]
            ax.plot([8.1, x, x], [y, y, yc - 0.7], color=ABSENT, lw=1.2, ls=(0, (1.5, 1.5)), zorder=2)
    # the chain: h_0 in, the state from copy to copy, steps 4 to 7 as dots
    x1 = shown[1]
    _arrow(ax, (x1 - bw / 2 - 1.1, yc), (x1 - bw / 2 - 0.1, yc))
    ax.text(x1 - bw / 2 - 1.2, yc, "$h_0$", ha="right", va="center", fontsize=LABEL_PT)
    for t, x in shown.items():
        _module_box(ax, (x, yc), w=bw, h=bh)
    stops = [(shown[1], 1), (shown[2], 2), (shown[3], 3), (x_dots, None), (shown[8], 8)]
    for (xa, ta), (xb, tb) in zip(stops[:-1], stops[1:]):
        a = xa + (bw / 2 + 0.1 if ta else 0.75)
        b = xb - (bw / 2 + 0.1 if tb else 0.75)
        _arrow(ax, (a, yc), (b, yc))
        ax.text((a + b) / 2, yc + 0.15, f"$h_{ta if ta else 7}$", ha="center", va="bottom", fontsize=LABEL_PT)
    ax.text(x_dots, yc, "· · ·", ha="center", va="center", fontsize=16, fontfamily=SYMBOL_FONT)
    # many-to-one: only h_8 goes on, up into the softmax over the ten digits
    x8 = shown[8]
    _arrow(ax, (x8, yc + bh / 2 + 0.1), (x8, 12.2))
    ax.text(x8 + 0.15, 11.5, "$h_8$", ha="left", va="center", fontsize=LABEL_PT)
    _layer(ax, (x8, 12.7), "softmax", w=2.2, h=0.8, fs=12)
    _arrow(ax, (x8, 13.25), (x8, 14.3))
    ax.text(x8, 14.4, tr("diagrams.rows_probabilities"), ha="center", va="bottom", fontsize=13)
    ax.text(x8 - 1.35, 12.7, tr("diagrams.rows_ten_digits"), ha="right", va="center", fontsize=11,
            linespacing=1.2)
    return ax
