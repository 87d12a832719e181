"""The Chinese edition's diagrams and errors: every word drawn comes from the table (texts/diagrams.toml), every
glyph is in the course's font, the layout still holds; the errors a student can meet read in Chinese, and in
English they stay exactly as they were."""
import re
import warnings

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg

from lstm_helpers import (ShapeError, charlm, diagrams, gru, layers, losses, lstm, model, optim, plots, rnn, tasks,
                          train)
from lstm_helpers.i18n import set_language, tr
from test_diagrams import FAMILY, STATIC, SYMBOLS, assert_clear_layout

CJK = re.compile(r"[\u3400-\u9fff\uff00-\uffef]")
MATH_NAMES = {"tanh", "sigma", "softmax", "next", "CTC"}  # drawn as they are in both languages


@pytest.fixture
def zh():
    set_language("zh")
    yield
    set_language("en")


def _lstm_values(kw=None, H=1, D=1):
    rng = np.random.default_rng(0)
    p = lstm.init_params(D, H, rng, **(kw or {}))
    x, h, c = rng.standard_normal((1, D)), rng.uniform(-1, 1, (1, H)), rng.standard_normal((1, H))
    one = lstm.LSTMRecord(*(np.asarray(a)[0] for a in lstm.step(p, x, h, c)))
    return {"x": x[0], "h_prev": h[0], "c_prev": c[0], "record": one, "forced": () if kw else ("f",)}


def _gru_values(reset_after):
    rng = np.random.default_rng(1)
    q = gru.init_params(2, 2, rng, reset_after=reset_after)
    x, h = rng.standard_normal((1, 2)), rng.uniform(-1, 1, (1, 2))
    one = gru.GRURecord(*(np.asarray(a)[0] for a in gru.step(q, x, h)))
    return {"x": x[0], "h_prev": h[0], "record": one, "forced": ("z",)}


# Every public diagram: the static drawings, the cells (plain, each highlight, live, the variants), the gate
DRAWINGS = dict(STATIC)
DRAWINGS.update(FAMILY)
DRAWINGS.update({
    "lstm_cell": diagrams.lstm_cell,
    "cell_state_line": diagrams.cell_state_line,
    **{f"lstm_cell highlight={part}": (lambda part=part: diagrams.lstm_cell(highlight=part)) for part in diagrams.PARTS},
    "lstm_cell live, forced f": lambda: diagrams.lstm_cell(_lstm_values(H=2, D=2)),
    "lstm_cell live peepholes": lambda: diagrams.lstm_cell(_lstm_values(dict(peepholes=True)), peepholes=True),
    "gru_cell live": lambda: diagrams.gru_cell(_gru_values(False)),
    "gru_cell live reset_after": lambda: diagrams.gru_cell(_gru_values(True), reset_after=True),
    "gate": lambda: diagrams.gate([0.1, 0.5, 0.9], [1.0, -2.0, 0.5]),
    "bptt lstm T=5": lambda: diagrams.bptt_unrolled("lstm", 5),
})


def _draw(make):
    """Draw ``make()`` to PNG; return the axes and the warnings raised while drawing."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        d = make()
        if hasattr(d, "png"):
            d.png()
            ax = d.ax
        else:
            ax = d
            plots.png_bytes(ax.figure, dpi=60)
    return ax, [str(w.message) for w in caught]


def _english_words(text):
    """Runs of 3 or more ASCII letters that are not the names of math (TeX commands like \\tilde dropped)."""
    text = re.sub(r"\\[A-Za-z]+", " ", text)
    return [w for w in re.findall(r"[A-Za-z]{3,}", text) if w not in MATH_NAMES]


def _texts(ax):
    return [t.get_text() for t in ax.texts if t.get_text().strip()]


@pytest.mark.parametrize("name", sorted(DRAWINGS))
def test_chinese_diagrams_draw_every_glyph_and_no_english_word(zh, name):
    ax, caught = _draw(DRAWINGS[name])
    assert not [m for m in caught if "missing from font" in m], caught
    english = {t: _english_words(t) for t in _texts(ax) if _english_words(t)}
    assert not english, f"{name}: English words drawn in the Chinese edition: {english}"
    # where the English drawing has words, the Chinese one has Chinese in their place
    set_language("en")
    words_en = [t for t in _texts(_draw(DRAWINGS[name])[0]) if _english_words(t)]
    set_language("zh")
    if words_en:
        assert any(CJK.search(t) for t in _texts(ax)), f"{name}: the English words {words_en} have no Chinese twin"


def test_english_diagrams_keep_their_words():
    names = {t.get_text() for t in diagrams.notation_legend().texts}
    assert {"neural network\nlayer", "pointwise\noperation", "concatenate", "copy"} <= names
    gap = diagrams.dependency_gap("long")
    assert [t.get_text() for t in gap.texts if t.get_text() in ("France", "French?")] == ["France", "French?"]
    assert [t.get_fontweight() for t in gap.texts if t.get_text() == "France"] == ["bold"]
    assert "forced" in {t.get_text() for t in diagrams.LSTMCell().ax.texts}


def test_the_chinese_gaps_mark_the_relevant_word_and_ask_for_the_answer(zh):
    for gap, word, answer in (("short", "白云", "天空？"), ("long", "法国", "法语？")):
        ax = diagrams.dependency_gap(gap)
        texts = _texts(ax)
        assert word in texts and answer in texts
        relevant, = [t for t in ax.texts if t.get_text() == word]
        assert relevant.get_path_effects(), "the relevant word is drawn thicker (the font has no bold)"
        assert not [t for t in ax.texts if t.get_text() != word and CJK.search(t.get_text()) and
                    t.get_path_effects() and t.get_text() != answer]


def test_chinese_bold_needs_no_bold_font(zh, caplog):
    """The Chinese font has one weight: asking it for bold would log a warning under the notebook's figures."""
    import logging
    with caplog.at_level(logging.WARNING, logger="matplotlib.font_manager"):
        for make in (lambda: diagrams.dependency_gap("long"), diagrams.lstm_1997):
            d = make()
            plots.png_bytes(getattr(d, "ax", d).figure, dpi=40)
        cell = diagrams.LSTMCell()
        cell.forced_marks["f"].set_visible(True)
        cell.png()
    assert not [r for r in caplog.records if "Failed to find font weight" in r.getMessage()]


def _layout_cases():
    for kind in ("rnn", "lstm"):
        for T in (3, 4, 5):
            yield f"bptt {kind} T={T}", lambda kind=kind, T=T: diagrams.bptt_unrolled(kind, T)
    yield "rows_as_steps", diagrams.rows_as_steps
    for name, make in FAMILY.items():
        yield name, make
    yield "live cell", lambda: diagrams.LSTMCell(hidden_size=2, input_size=2)
    yield "live GRU", lambda: diagrams.GRUCell(hidden_size=2, reset_after=True)


@pytest.mark.parametrize("name,make", list(_layout_cases()), ids=lambda v: v if isinstance(v, str) else "")
def test_chinese_text_stays_clear_of_text_chips_and_lines(zh, name, make):
    """The layout checks of test_diagrams, on the Chinese drawings (sized for the English words)."""
    d = make()
    ax = getattr(d, "ax", d)
    renderer = FigureCanvasAgg(ax.figure).get_renderer()
    for mark in getattr(d, "forced_marks", {}).values():
        mark.set_visible(True)  # the widest state: every 'forced' label shown
    ax.figure.draw(renderer)
    boxes = [(t.get_text(), t.get_window_extent(renderer)) for t in ax.texts
             if t.get_text().strip() and t.get_visible()]
    boxes += [(f"chip {n}", r.get_window_extent(renderer)) for n, c in getattr(d, "chips", {}).items()
              for r in c.rects]
    on_lines = SYMBOLS + (tr("diagrams.forced"),) if hasattr(d, "forced_marks") else ("×", "+", "tanh′")
    assert_clear_layout(ax, boxes, on_lines=on_lines)


# The errors a student can meet: (what triggers it, the exception, the English message exactly)
RNG = np.random.default_rng(0)
P = lstm.init_params(2, 3, RNG)
Q = gru.init_params(2, 3, RNG)
R = rnn.init_params(2, 3, RNG)
X = np.zeros((1, 2))
ERRORS = {
    "sequence of one example": (lambda: lstm.forward(P, np.zeros((4, 2))), ShapeError,
                                "x must have shape (B, T, D) = (batch, time, features); got shape (4, 2); "
                                "for one sequence of shape (T, D) use x[None]"),
    "wrong input size": (lambda: gru.step(Q, np.zeros((1, 5)), None), ShapeError,
                         "x_t has 5 features but the parameters expect input_size=2 (x_t has shape (1, 5); "
                         "expected (B, 2))"),
    "single example": (lambda: rnn.step(R, np.zeros(2), None), ShapeError,
                       "x_t must have shape (B, D) = (batch, features); got shape (2,); for a single example of "
                       "shape (D,) use x_t[None]"),
    "wrong state": (lambda: lstm.step(P, X, np.zeros((1, 4)), None), ShapeError,
                    "h_prev must have shape (B, H) = (1, 3) to match the input's batch and the parameters' "
                    "hidden_size; got shape (1, 4)"),
    "NaN input": (lambda: lstm.step(P, np.array([[np.nan, 0.0]]), None, None), ShapeError,
                  "x_t contains NaN or infinity; every entry must be a finite number"),
    "missing parameter": (lambda: rnn.step({"W": R["W"]}, X, None), ShapeError,
                          "rnn parameters are missing ['b']; expected the keys ['W', 'b'] "
                          "(make them with rnn.init_params)"),
    "wrong parameter shape": (lambda: rnn.step({"W": R["W"], "b": np.zeros(4)}, X, None), ShapeError,
                              "rnn parameter b has shape (4,); expected (3,)"),
    "forced out of range": (lambda: gru.step(Q, X, None, force={"z": 2}), ValueError,
                            "a forced z must lie in [0, 1]; got 2"),
    "forced unknown gate": (lambda: lstm.step(P, X, None, None, force={"q": 1}), ValueError,
                            "force can fix the gates ['f', 'g', 'i', 'o']; got 'q'"),
    "coupled without forget gate": (lambda: lstm.init_params(2, 3, RNG, coupled=True, forget_gate=False), ValueError,
                                    "a coupled cell writes i = 1 - f: it needs its forget gate (forget_gate=True)"),
    "stack": (lambda: layers.forward({}, np.zeros((1, 2, 2))), ShapeError,
              'a stack is a dict {"cell": "rnn" | "lstm" | "gru", "layers": [...]}: make it with layers.init_params'),
    "unknown cell": (lambda: model.SequenceModel("lstmx", 2, 3, 1, RNG), ValueError,
                     "cell must be one of ['gru', 'lstm', 'rnn']; got 'lstmx'"),
    "targets": (lambda: model.SequenceModel("lstm", 2, 3, 1, RNG).loss_and_grads(np.zeros((2, 3, 2)),
                                                                                  np.zeros((3, 1))), ShapeError,
                "targets do not fit the model's output: target has shape (3, 1); the predictions have shape (2, 1)"),
    "steps": (lambda: train.train(model.SequenceModel("lstm", 2, 3, 1, RNG), lambda: None, steps=0), ValueError,
              "steps must be a positive integer; got 0"),
    "rng": (lambda: tasks.adding_problem(2, 5, 0), TypeError,
            "rng must be a numpy Generator, e.g. np.random.default_rng(0); got int"),
    "temperature": (lambda: charlm.temperature_probs(np.zeros(3), 0), ValueError,
                    "temperature must be > 0; got 0.0"),
    "learning rate": (lambda: optim.SGD({}, lr=0), ValueError,
                      "need lr > 0 and 0 <= momentum < 1; got lr=0, momentum=0.0"),
    "class indices": (lambda: losses.softmax_cross_entropy(np.zeros((2, 3)), np.array([0, 5])), ValueError,
                      "target must hold integer class indices in [0, 3)"),
    "diagram highlight": (lambda: diagrams.lstm_cell(highlight="gates"), ValueError,
                          "highlight must be None or one of ('forget', 'input', 'update', 'output', 'cell_state'); "
                          "got 'gates'"),
    "gate values": (lambda: diagrams.gate([1.5, 0.0]), ValueError, "gate values must lie in [0, 1]; got [1.5 0. ]"),
}


def _message(trigger, exc_type):
    with pytest.raises(exc_type) as info:
        trigger()
    return str(info.value)


@pytest.mark.parametrize("name", sorted(ERRORS))
def test_errors_read_in_chinese_and_stay_exactly_the_same_in_english(zh, name):
    trigger, exc_type, english = ERRORS[name]
    chinese = _message(trigger, exc_type)
    assert CJK.search(chinese) and chinese != english, chinese
    set_language("en")
    assert _message(trigger, exc_type) == english
