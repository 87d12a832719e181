"""Plots of training, of the cells' values and of a classifier's results (the confusion matrix).

Each takes ``ax=None`` and returns what it drew.
"""
from functools import lru_cache

import numpy as np
from matplotlib import colormaps
from matplotlib.colors import Normalize
from matplotlib.figure import Figure

from .i18n import tr


def _axes(ax, figsize=(6, 3.5)):
    if ax is None:
        ax = Figure(figsize=figsize, layout="constrained").add_subplot()
    return ax


def loss_curve(history, ax=None, baseline=None, label=None, logy=True, smooth=20):
    """Training loss (smoothed over ``smooth`` steps) and validation loss of a History.

    Parameters
    ----------
    history : train.History
    baseline : float or None, drawn as a dashed line (e.g. tasks.ADDING_BASELINE_MSE)
    label : str or None, prefix of the legend entries
    logy : bool, log-scale loss axis

    Returns
    -------
    ax : matplotlib Axes (its ``.figure`` displays in a notebook)
    """
    ax = _axes(ax)
    name = f"{label} " if label else ""
    loss = np.asarray(history.loss, dtype=float)
    if len(loss):
        k = max(1, min(smooth, len(loss)))
        smoothed = np.convolve(loss, np.ones(k) / k, mode="valid")
        line, = ax.plot(history.steps[k - 1:], smoothed, lw=1.2, alpha=0.6, label=tr("plots.training", name=name))
        if history.val_loss:
            ax.plot(history.val_steps, history.val_loss, "o-", ms=3, color=line.get_color(),
                    label=tr("plots.validation", name=name))
    if baseline is not None:
        ax.axhline(baseline, ls="--", color="0.4", lw=1, label=tr("plots.baseline", value=baseline))
    if logy:
        ax.set_yscale("log")
    ax.set_xlabel(tr("plots.training_step"))
    ax.set_ylabel(tr("plots.loss"))
    ax.legend(frameon=False, fontsize="small")
    return ax


def png_bytes(fig, dpi=None):
    """The figure rendered by Agg as PNG bytes (what images/ holds)."""
    import io
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    if not isinstance(fig.canvas, FigureCanvasAgg):
        FigureCanvasAgg(fig)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi)
    return buf.getvalue()


@lru_cache(maxsize=8192)
def _text_mask(s, size_px):
    """The alpha mask (h, w) in [0, 1] of the string ``s`` at a font height of ``size_px`` pixels.

    Always in DejaVu Sans, whatever the language: the mask depends on ``s`` and the size alone, so the cache
    serves the right picture in every language. Only numbers are stamped this way; words are matplotlib Texts.
    """
    from matplotlib.font_manager import FontProperties, findfont
    from matplotlib.ft2font import FT2Font, LoadFlags
    font = FT2Font(findfont(FontProperties(family="DejaVu Sans")))
    font.set_size(size_px, 72)  # points at 72 dpi are pixels
    font.set_text(s, 0.0, flags=LoadFlags.FORCE_AUTOHINT)
    font.draw_glyphs_to_bitmap(antialiased=True)
    mask = np.asarray(font.get_image(), dtype=np.float32) / 255.0
    rows, cols = np.nonzero(mask > 0)
    if rows.size == 0:
        return mask[:0, :0]
    return mask[rows.min():rows.max() + 1, cols.min():cols.max() + 1]  # the ink, tightly


class PaintedFigure:
    """Fast PNG frames of a figure in which only coloured boxes and numbers change.

    Agg draws the static picture once; each frame is a copy of its pixels with
    boxes filled and numbers stamped on by numpy, then encoded by Pillow with
    fast compression. Drawing numbers this way costs microseconds where a
    matplotlib Text costs about a millisecond here. Artists that change in other
    ways (a line's data) are set animated, left out of the static picture, and
    drawn over it by Agg in each frame (``png(artists=...)``), which skips the
    layout, ticks and labels of a full redraw. Call ``invalidate()`` when
    anything static changes (layout, colours of static artists, visibility).
    """

    def __init__(self, fig, dpi=80):
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        self.fig = fig
        self.canvas = FigureCanvasAgg(fig)
        fig.set_dpi(dpi)
        self._background = None
        self._boxes = {}

    def invalidate(self):
        """Forget the static picture; it is redrawn with the next frame."""
        self._background = None
        self._boxes = {}

    def background(self):
        """The static picture as an (h, w, 3) uint8 array."""
        if self._background is None:
            self.canvas.draw()  # animated artists are left out
            self._background = np.asarray(self.canvas.buffer_rgba())[:, :, :3].copy()
            self._region = self.canvas.copy_from_bbox(self.fig.bbox)
        return self._background

    def box(self, artist, inset=0):
        """The pixel box (x0, y0, x1, y1) of an artist in the frame (rows from the top)."""
        key = (id(artist), inset)
        if key not in self._boxes:
            self.background()
            bb = artist.get_window_extent(self.canvas.get_renderer())
            self._boxes[key] = self._to_pixels(bb.x0, bb.y0, bb.x1, bb.y1, inset)
        return self._boxes[key]

    def data_box(self, ax, x0, y0, x1, y1, inset=0):
        """The pixel box of a rectangle given in the data coordinates of ``ax``."""
        self.background()
        (a, b), (c, d) = ax.transData.transform([(x0, y0), (x1, y1)])
        return self._to_pixels(min(a, c), min(b, d), max(a, c), max(b, d), inset)

    def _to_pixels(self, x0, y0, x1, y1, inset):
        h = self.background().shape[0]
        return (int(round(x0)) + inset, int(round(h - y1)) + inset,
                int(round(x1)) - inset, int(round(h - y0)) - inset)

    @staticmethod
    def fill(frame, box, rgb):
        x0, y0, x1, y1 = box
        frame[max(y0, 0):max(y1, 0), max(x0, 0):max(x1, 0)] = np.asarray(rgb[:3]) * 255

    @staticmethod
    def outline(frame, box, rgb, width=2):
        x0, y0, x1, y1 = box
        c = np.asarray(rgb[:3]) * 255
        frame[y0:y0 + width, x0:x1] = c
        frame[y1 - width:y1, x0:x1] = c
        frame[y0:y1, x0:x0 + width] = c
        frame[y0:y1, x1 - width:x1] = c

    @staticmethod
    def text(frame, box, s, rgb, size_px):
        """Stamp the string ``s`` centred in ``box`` in colour ``rgb``."""
        mask = _text_mask(s, size_px)
        h, w = mask.shape
        x0, y0, x1, y1 = box
        top, left = (y0 + y1 - h) // 2, (x0 + x1 - w) // 2
        if top < 0 or left < 0 or top + h > frame.shape[0] or left + w > frame.shape[1]:
            return
        region = frame[top:top + h, left:left + w].astype(np.float32)
        a = mask[:, :, None]
        region += a * (np.asarray(rgb[:3], dtype=np.float32) * 255 - region)
        frame[top:top + h, left:left + w] = region

    def png(self, paint=None, artists=()):
        """PNG bytes of the static picture with ``artists`` drawn over it and ``paint(frame, self)`` applied.

        ``artists`` must be animated (``artist.set_animated(True)``) so that the static picture leaves them out.
        """
        if artists:
            self.background()
            self.canvas.restore_region(self._region)
            for a in artists:
                if not a.get_animated():
                    raise ValueError(tr("plots.not_animated", artist=a))
                (a.axes or self.fig).draw_artist(a)
            frame = np.asarray(self.canvas.buffer_rgba())[:, :, :3].copy()
        else:
            frame = self.background().copy()
        if paint is not None:
            paint(frame, self)
        return encode_png(frame)


def encode_png(rgb):
    """PNG bytes of an (h, w, 3) uint8 array (fast compression: frames are made for the screen)."""
    import io
    from PIL import Image
    buf = io.BytesIO()
    Image.fromarray(rgb).save(buf, format="PNG", compress_level=1)
    return buf.getvalue()


def state_heatmaps(values, names, fig=None, first_step=1, fontsize=9):
    """Heatmaps of inputs, gates and states over time: one row of axes per name, units by time steps.

    Steps are numbered from ``first_step`` (1: the course's t = 1 ... T), so the data coordinate of a
    column is its step number.

    Parameters
    ----------
    values : dict name -> ndarray of shape (T, H) (or (T, D) for "x"), one sequence
    names : which entries to draw, top to bottom (f, i, o on 0..1 viridis; others diverging)
    fig : matplotlib Figure or None (a new one 4.6 inches wide: show it at about 440 px)
    first_step : int, the number of the first column
    fontsize : points, for every label and tick

    Returns
    -------
    axes : list of Axes, one per name (``axes[0].figure`` is the figure)
    """
    from . import diagrams
    labels = {n: tr(f"plots.heat_{n}") for n in "xfigoch"}  # "input $x$", "forget gate $f$", ...
    rows = [np.asarray(values[n], dtype=float).reshape(len(values[n]), -1) for n in names]
    T = rows[0].shape[0]
    heights = [max(r.shape[1], 1.6) for r in rows]  # a one-row heatmap still has room for its label
    if fig is None:
        fig = Figure(figsize=(4.6, 0.45 + 0.27 * sum(heights) + 0.1 * len(names)), layout="constrained")
    axes = fig.subplots(len(names), 1, sharex=True, squeeze=False, gridspec_kw={"height_ratios": heights})[:, 0]
    lo, hi = first_step - 0.5, first_step + T - 0.5
    for ax, name, v in zip(axes, names, rows):
        cmap, norm = diagrams.SCALES[name]
        n = v.shape[1]
        im = ax.imshow(v.T, aspect="auto", cmap=cmap, norm=norm, interpolation="nearest",
                       extent=(lo, hi, n - 0.5, -0.5))
        ax.set_yticks(range(n))
        ax.tick_params(labelsize=fontsize, length=2, pad=1.5)
        ax.set_ylabel(labels.get(name, name), rotation=0, ha="right", va="center", fontsize=fontsize)
        bar = fig.colorbar(im, ax=ax, pad=0.01, aspect=max(2.5, 4 * n), fraction=0.05)
        bar.set_ticks([norm.vmin, (norm.vmin + norm.vmax) / 2, norm.vmax])
        bar.ax.tick_params(labelsize=fontsize - 0.5, length=2, pad=1.5)
    axes[-1].set_xticks(range(first_step, first_step + T))
    axes[-1].set_xlabel(tr("plots.time_step"), fontsize=fontsize)
    return list(axes)


def _class_indices(y, labels, name):
    """``y`` as indices into ``labels``: y holds labels, or (when the labels are names) indices into them."""
    if np.ndim(y) != 1:
        raise ValueError(tr("plots.not_one_label_each", name=name, shape=np.shape(y)))
    values = y.tolist() if isinstance(y, np.ndarray) else list(y)  # a list keeps its types: 1 is not "1"
    if all(isinstance(lab, str) for lab in labels) and all(
            isinstance(v, (int, np.integer)) and not isinstance(v, bool) for v in values):  # tasks.load_words' y
        bad = sorted({int(v) for v in values if not 0 <= v < len(labels)})
        if bad:
            raise ValueError(tr("plots.indices_outside", name=name, bad=bad[:5], n=len(labels)))
        return np.asarray(values, dtype=np.int64).reshape(-1)
    index = {lab: k for k, lab in enumerate(labels)}
    try:
        out = np.array([index.get(v, -1) for v in values], dtype=np.int64)
    except TypeError:  # an unhashable entry
        raise ValueError(tr("plots.not_labels", name=name)) from None
    if (out < 0).any():
        bad = sorted({repr(v) for v, k in zip(values, out) if k < 0})
        raise ValueError(tr("plots.not_in_labels", name=name, bad=", ".join(bad[:5]), labels=labels))
    return out


def confusion_matrix(y_true, y_pred, labels, ax=None, normalize=False):
    """The confusion matrix: how often each true class (row) was predicted as each class (column).

    Every cell prints its number (the text black or white, whichever reads on the cell's colour); the
    colours are cividis from 0 to the largest count (0 to 1 when normalized).

    Parameters
    ----------
    y_true, y_pred : array_like of shape (N,), the true and the predicted classes: elements of
        ``labels``, or, when the labels are strings, indices into them (as ``tasks.load_words`` gives)
    labels : sequence of the classes, in the order of the rows and columns (and their tick labels)
    ax : matplotlib Axes or None (a new figure about 0.45 inch per class: show it at its own size,
        96 px per inch, or wider)
    normalize : bool, divide each row by its number of examples (a row without any stays 0)

    Returns
    -------
    ax : matplotlib Axes
    matrix : ndarray of shape (K, K), K = len(labels); counts (int) whose sum is N, or with
        ``normalize`` the fraction of each true class (float, rows summing to 1)
    """
    from . import diagrams
    labels = [lab.item() if isinstance(lab, np.generic) else lab for lab in labels]  # np.int64(3) is 3
    K = len(labels)
    if K == 0:
        raise ValueError(tr("plots.labels_empty"))
    if len(set(labels)) != K:
        raise ValueError(tr("plots.labels_not_distinct", labels=labels))
    t = _class_indices(y_true, labels, "y_true")
    p = _class_indices(y_pred, labels, "y_pred")
    if len(t) != len(p):
        raise ValueError(tr("plots.lengths_differ", n_true=len(t), n_pred=len(p)))
    counts = np.zeros((K, K), dtype=np.int64)
    np.add.at(counts, (t, p), 1)  # (K, K): true rows, predicted columns
    if normalize:
        n = counts.sum(axis=1, keepdims=True)  # (K, 1)
        matrix = np.divide(counts, n, out=np.zeros((K, K)), where=n > 0)
        vmax, fmt = 1.0, "{:.2f}".format
    else:
        matrix = counts
        vmax, fmt = max(1, int(counts.max(initial=0))), "{:d}".format
    side = 0.45 * K + 1.2
    ax = _axes(ax, figsize=(side, side - 0.2))
    cmap = colormaps["cividis"]  # sequential, colour-blind safe
    norm = Normalize(0.0, vmax)
    ax.imshow(matrix, cmap=cmap, norm=norm, interpolation="nearest")
    size = 10 if normalize else 11
    for (i, j), v in np.ndenumerate(matrix):
        ax.text(j, i, fmt(v), ha="center", va="center", fontsize=size if K <= 10 else size - 1,
                color=diagrams.text_color(cmap(norm(v))))
    names = [str(lab) for lab in labels]
    ax.set_xticks(range(K), names)
    ax.set_yticks(range(K), names)
    ax.tick_params(length=0, labelsize=11)
    ax.set_xlabel(tr("plots.predicted"), fontsize=12)
    ax.set_ylabel(tr("plots.true"), fontsize=12)
    ax.xaxis.set_label_position("top")
    ax.xaxis.tick_top()
    return ax, matrix
