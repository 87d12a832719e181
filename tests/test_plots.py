"""plots: the confusion matrix (the other plots are tested where they are used: train, widgets)."""
import numpy as np
import pytest
from matplotlib.figure import Figure

from lstm_helpers import diagrams, plots, tasks

Y_TRUE = [0, 0, 0, 1, 1, 2, 2, 2, 2]
Y_PRED = [0, 1, 0, 1, 1, 2, 0, 2, 1]
WANT = [[2, 1, 0],   # true 0: twice 0, once 1
        [0, 2, 0],
        [1, 1, 2]]


def _cell_texts(ax):
    """{(row, column): text} of the numbers written in the cells."""
    return {(round(t.get_position()[1]), round(t.get_position()[0])): t for t in ax.texts}


def test_counts_rows_true_columns_predicted_and_sum_to_the_examples():
    ax, m = plots.confusion_matrix(Y_TRUE, Y_PRED, labels=[0, 1, 2])
    np.testing.assert_array_equal(m, WANT)
    assert m.dtype.kind == "i" and m.sum() == len(Y_TRUE)
    np.testing.assert_array_equal(m.sum(axis=1), np.bincount(Y_TRUE))
    np.testing.assert_array_equal(m.sum(axis=0), np.bincount(Y_PRED))
    cells = _cell_texts(ax)
    assert {k: t.get_text() for k, t in cells.items()} == {(i, j): str(WANT[i][j]) for i in range(3)
                                                           for j in range(3)}
    assert ax.get_ylabel() == "true" and ax.get_xlabel() == "predicted"
    assert [t.get_text() for t in ax.get_xticklabels()] == ["0", "1", "2"]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["0", "1", "2"]
    im = ax.images[0]
    assert im.get_cmap().name in ("cividis", "viridis") and (im.norm.vmin, im.norm.vmax) == (0, 2)


def test_the_order_of_labels_orders_rows_and_columns():
    _, m = plots.confusion_matrix(Y_TRUE, Y_PRED, labels=[2, 1, 0])
    np.testing.assert_array_equal(m, np.asarray(WANT)[::-1, ::-1])
    _, m = plots.confusion_matrix(Y_TRUE, Y_PRED, labels=[0, 1, 2, 3])  # a class never seen: a row of zeros
    assert m.shape == (4, 4) and not m[3].any() and not m[:, 3].any()


def test_names_as_labels_or_indices_into_them():
    names = ["en", "de", "fr"]
    _, by_index = plots.confusion_matrix(np.array(Y_TRUE), np.array(Y_PRED), names)  # as tasks.load_words gives
    _, by_name = plots.confusion_matrix([names[k] for k in Y_TRUE], [names[k] for k in Y_PRED], names)
    np.testing.assert_array_equal(by_index, WANT)
    np.testing.assert_array_equal(by_name, WANT)
    ax, _ = plots.confusion_matrix([0, 4], [4, 4], tasks.WORD_LANGUAGES)
    assert [t.get_text() for t in ax.get_xticklabels()] == list(tasks.WORD_LANGUAGES)


def test_normalized_rows_are_fractions_of_each_true_class():
    ax, m = plots.confusion_matrix(Y_TRUE, Y_PRED, labels=[0, 1, 2, 3], normalize=True)
    np.testing.assert_allclose(m[:3, :3], np.asarray(WANT) / np.asarray([[3], [2], [4]]))
    np.testing.assert_allclose(m.sum(axis=1), [1, 1, 1, 0])  # a class without examples stays 0
    assert _cell_texts(ax)[(2, 0)].get_text() == "0.25"
    assert (ax.images[0].norm.vmin, ax.images[0].norm.vmax) == (0, 1)


def test_cell_text_reads_on_its_colour():
    ax, m = plots.confusion_matrix(Y_TRUE, Y_PRED, labels=[0, 1, 2])
    im = ax.images[0]
    for (i, j), t in _cell_texts(ax).items():
        assert t.get_color() == diagrams.text_color(im.cmap(im.norm(m[i, j])))
    colours = {t.get_color() for t in ax.texts}
    assert colours == {"black", "white"}  # the dark and the bright end of cividis


@pytest.mark.parametrize("y_true,y_pred,labels,match", [
    ([0, 1, 2], [0, 1], [0, 1, 2], "3 examples and y_pred 2"),
    ([0, 1, 5], [0, 1, 2], [0, 1, 2], r"y_true holds 5, not in labels \[0, 1, 2\]"),
    ([0, 1, 2], [0, 1, "x"], [0, 1, 2], "y_pred holds 'x'"),
    ([0, 1, 3], [0, 1, 2], ["en", "de", "fr"], r"indices \[3\] outside labels"),
    ([[0, 1]], [[0, 1]], [0, 1], r"shape \(N,\)"),
    ([0, 1], [0, 1], [0, 1, 1], "distinct"),
    ([0, 1], [0, 1], [], "empty"),
])
def test_bad_inputs_say_what_is_wrong(y_true, y_pred, labels, match):
    with pytest.raises(ValueError, match=match):
        plots.confusion_matrix(y_true, y_pred, labels)


def test_draws_into_a_given_axes():
    ax = Figure().add_subplot()
    got, _ = plots.confusion_matrix(Y_TRUE, Y_PRED, [0, 1, 2], ax=ax)
    assert got is ax


@pytest.mark.parametrize("normalize", [False, True])
def test_ten_classes_are_legible_at_the_figures_own_size(normalize):
    """Every text at 8 pt or more when the new figure is shown at 96 px per inch (its own size), and
    each cell's number fits inside its cell."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    rng = np.random.default_rng(1)
    y = np.repeat(np.arange(10), 40)
    p = np.where(rng.random(y.size) < 0.8, y, rng.integers(0, 10, y.size))
    p[:20] = 0  # a count of two digits
    ax, _ = plots.confusion_matrix(y, p, range(10), normalize=normalize)
    fig = ax.figure
    renderer = FigureCanvasAgg(fig).get_renderer()
    fig.draw(renderer)
    texts = list(ax.texts) + ax.get_xticklabels() + ax.get_yticklabels() + [ax.xaxis.label, ax.yaxis.label]
    assert min(t.get_fontsize() for t in texts if t.get_text()) >= 8.0
    cell = ax.transData.transform([(0, 0), (1, 0)])
    cell_px = abs(cell[1][0] - cell[0][0])
    for t in ax.texts:
        assert t.get_window_extent(renderer).width <= cell_px - 4, f"{t.get_text()!r} overflows its cell"
    bbox = fig.bbox
    for t in texts:
        b = t.get_window_extent(renderer)
        assert bbox.x0 <= b.x0 and b.x1 <= bbox.x1 and bbox.y0 <= b.y0 and b.y1 <= bbox.y1, t.get_text()
