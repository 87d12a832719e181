"""The Chinese edition of what the explorers and figures show: no English word left, every glyph drawn.

A text "has an English word" when it holds a run of three or more ASCII letters that is not one of the
math and code names below (function names, class and framework names, dtypes, people cited).
"""
import logging
import re
import warnings

import ipywidgets as W
import numpy as np
import pytest

from lstm_helpers import figures, i18n, plots, widgets
from lstm_helpers.i18n import set_language

ALLOWED = {  # lower case; compared with each run of letters lowered
    "tanh", "sigma", "sigmoid", "exp", "max", "min", "log", "eps", "softmax",
    "lstm", "rnn", "gru", "bptt", "ctc", "cho", "pytorch", "cudnn", "pascanu",
    "gers", "schmidhuber", "cummins", "uci",  # authors cited and a data set's name, kept in Latin letters
    "float", "nan", "inf",
    "gateexplorer", "gruexplorer",  # class names, as the chapters call them
}
WORD = re.compile(r"[A-Za-z]{3,}")
TAG = re.compile(r"<[^>]+>")
TEX = re.compile(r"\\[A-Za-z]+")  # mathtext commands: $\tilde{C}$, tick labels' $\mathdefault{10^{-6}}$
NAME = re.compile(r"[A-Za-z]+_\{?[A-Za-z0-9,+\-]*\}?")  # variable names: h_prev, dh_{next}, spike_step, W_nh


@pytest.fixture(autouse=True)
def zh():
    set_language("zh")
    yield
    set_language("en")


def english_words(text, data=()):
    """The English words of ``text``: runs of 3+ ASCII letters outside ALLOWED and outside ``data`` (the
    reader's own words: a word the PaddingExplorer reads, a model's label given by the chapter). A word
    quoted in Chinese quotation marks (“few”) is data, not English prose."""
    text = NAME.sub(" ", TEX.sub(" ", TAG.sub(" ", re.sub(r"“[^”]*”", " ", text))))
    for d in data:
        text = text.replace(d, " ")
    return [w for w in WORD.findall(text) if w.lower() not in ALLOWED]


def visible_texts(widget):
    """(where, text) of every text a reader sees on ``widget`` and the widgets inside it."""
    out = []
    name = type(widget).__name__
    if isinstance(widget, (W.Output, W.Image)):
        return out
    for attr in ("description", "tooltip", "placeholder"):
        value = getattr(widget, attr, None)
        if isinstance(value, str) and value.strip():
            out.append((f"{name}.{attr}", value))
    if isinstance(widget, (W.Label, W.HTML)) and widget.value.strip():
        out.append((f"{name}.value", widget.value))
    if isinstance(widget, W.Tab):
        out += [(f"Tab title {k}", t) for k, t in enumerate(widget.titles)]
    if hasattr(widget, "_options_labels"):
        out += [(f"{name} option", label) for label in widget._options_labels]
    for tip in getattr(widget, "tooltips", None) or ():
        out.append((f"{name} tooltip", tip))
    for child in getattr(widget, "children", ()):
        out += visible_texts(child)
    return out


def figure_texts(fig):
    """Every visible text of a matplotlib figure: titles, labels, tick labels, legends, annotations."""
    from matplotlib.text import Text
    return [t.get_text() for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip()]


def render_checked(fig_or_png):
    """Draw (or take) a picture with every warning and mathtext complaint recorded; fail on a missing glyph."""
    handler = _Collect()
    logging.getLogger("matplotlib").addHandler(handler)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            png = fig_or_png() if callable(fig_or_png) else plots.png_bytes(fig_or_png, dpi=80)
    finally:
        logging.getLogger("matplotlib").removeHandler(handler)
    missing = [str(w.message) for w in caught if "missing from font" in str(w.message)]
    missing += [m for m in handler.messages if "does not have a glyph" in m]
    assert not missing, missing
    return png


class _Collect(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages = []

    def emit(self, record):
        self.messages.append(record.getMessage())


def _sample_explorer():
    from lstm_helpers import SequenceModel, tasks
    vocab = tasks.Vocabulary("def f(x):\n    return x < 1 & 'a'\n")
    model = SequenceModel("lstm", vocab.size, 6, vocab.size, np.random.default_rng(1), loss="xent",
                          many_to_one=False)
    return widgets.SampleExplorer(model, vocab, prime="def", length=30, seed=3)


PADDING_DATA = ("bead", "fac", "lengths", "to the end")


def _padding_explorer():
    from lstm_helpers import SequenceModel, tasks
    rng = np.random.default_rng(0)
    models = {"lengths": (SequenceModel("lstm", 8, 5, 3, rng, loss="xent"), True),
              "to the end": (SequenceModel("lstm", 8, 5, 3, rng, loss="xent"), False)}
    return widgets.PaddingExplorer(models, lambda ws, T: tasks.encode_words(ws, "abcdefgh", T), ["bead", "fac"],
                                   ["x", "y", "z"], max_padding=12)


# name -> (make, the slider to move, its new value, the attribute holding the picture, the figure or None)
EXPLORERS = {
    "GateExplorer": (widgets.GateExplorer, lambda e: e.sliders["x[0]"], -1.0, "image", None),
    "GRUExplorer": (widgets.GRUExplorer, lambda e: e.sliders["x[0]"], -1.0, "image", None),
    "GRUExplorer PyTorch": (lambda: widgets.GRUExplorer(widgets.default_gru_params(reset_after=True)),
                            lambda e: e.sliders["b_hn[0]"], -2.0, "image", None),
    "SequenceStepper": (widgets.SequenceStepper, lambda e: e.t, 5, "heat_image", lambda e: e.heat_axes[0].figure),
    "SequenceStepper rnn": (lambda: widgets.SequenceStepper(cell="rnn"), lambda e: e.t, 5, "heat_image",
                            lambda e: e.heat_axes[0].figure),
    "GradientFlowExplorer": (lambda: widgets.GradientFlowExplorer(hidden_size=4, seq_len=20), lambda e: e.radius,
                             1.2, "image", lambda e: e.figure),
    "ForgetSurvivalExplorer": (lambda: widgets.ForgetSurvivalExplorer(hidden_size=4, seq_len=30),
                               lambda e: e.forget_bias, 3.0, "image", lambda e: e.figure),
    "GradientCheckExplorer": (widgets.GradientCheckExplorer, lambda e: e.eps, 1e-3, "image", lambda e: e.figure),
    "GateDemo": (widgets.GateDemo, lambda e: e.gate, 0.9, "image", None),
    "SampleExplorer": (_sample_explorer, lambda e: e.temperature, 0.3, "image", None),
    "PaddingExplorer": (_padding_explorer, lambda e: e.padding, 5, "image", lambda e: e.figure),
}


@pytest.mark.parametrize("name", list(EXPLORERS))
def test_every_explorer_speaks_chinese_and_redraws(name):
    make, slider, value, image, figure = EXPLORERS[name]
    e = render_checked(make)
    data = PADDING_DATA if name == "PaddingExplorer" else ()
    before = getattr(e, image).value
    render_checked(lambda: setattr(slider(e), "value", value))
    assert e.last_error is None, e.last_error
    assert getattr(e, image).value != before, f"{name}: moving {slider(e).description} left the picture as it was"
    shown = visible_texts(e)
    assert shown, name
    english = [(where, text) for where, text in shown if english_words(text, data)]
    assert not english, f"{name}: English left in {english}"
    if figure is not None:
        fig = figure(e)
        render_checked(fig)
        english = [t for t in figure_texts(fig) if english_words(t, data)]
        assert not english, f"{name}: English left in its figure: {english}"


def test_gate_explorer_presets_and_forcing_in_chinese():
    g = widgets.GateExplorer()
    assert g.preset.label == "初始" and g.preset.value == widgets.START  # values stay the presets' keys
    g.preset.value = "remember"
    assert g.preset.label == "记住" and g.record.f[0] > 0.99
    g.force_boxes["f"].value = True
    assert "（强制）" in g.readout.value and "forced" not in g.readout.value
    assert g.tabs.titles == ("输入", "f：遗忘门", "i：输入门", "候选值", "o：输出门", "强制")
    gru = widgets.GRUExplorer()
    gru.form.value = "PyTorch (reset after)"
    assert gru.reset_after and gru.form.label == "PyTorch（后置重置）"


def test_live_loss_curve_in_chinese():
    from lstm_helpers import tasks, train
    curve = widgets.LiveLossCurve(baseline=tasks.ADDING_BASELINE_MSE)
    render_checked(curve.figure)
    assert not [t for t in figure_texts(curve.figure) if english_words(t)]
    history = train.History(steps=list(range(1, 41)), loss=list(np.linspace(1, 0.1, 40)), val_steps=[20, 40],
                            val_loss=[0.5, 0.2])
    before = curve.value
    curve.track("LSTM")(history)
    assert curve.value != before and curve.ax.get_ylabel() == "损失"
    render_checked(curve.figure)
    english = [t for t in figure_texts(curve.figure) if english_words(t)]
    assert not english, english


def test_an_explorer_made_in_english_redraws_its_figure_in_chinese():
    set_language("en")
    f = widgets.ForgetSurvivalExplorer(hidden_size=4, seq_len=30)
    s = widgets.SequenceStepper()
    assert f.ax.get_ylabel() == "fraction left" and s.heat_axes[-1].get_xlabel() == "time step t"
    set_language("zh")
    f.forget_bias.value = 2.0
    s.t.value = 4
    assert f.ax.get_ylabel() == "剩余比例" and s.heat_axes[-1].get_xlabel() == "时间步 t"
    assert not [t for t in figure_texts(f.figure) if english_words(t)]


def test_plots_in_chinese():
    from lstm_helpers import train
    history = train.History(steps=list(range(1, 41)), loss=list(np.linspace(1, 0.1, 40)), val_steps=[20, 40],
                            val_loss=[0.5, 0.2])
    ax = plots.loss_curve(history, baseline=0.17, label="LSTM")
    values = {"x": np.zeros((5, 1)), **{n: np.zeros((5, 2)) for n in "figoch"}}
    heat = plots.state_heatmaps(values, list(values))
    cm, _ = plots.confusion_matrix([0, 1, 2], [0, 2, 2], labels=["en", "de", "fr"])
    for fig in (ax.figure, heat[0].figure, cm.figure):
        render_checked(fig)
        english = [t for t in figure_texts(fig) if english_words(t)]
        assert not english, english
    assert cm.get_xlabel() == "预测" and heat[0].get_ylabel() == "输入 $x$"
    with pytest.raises(ValueError, match="labels 为空"):
        plots.confusion_matrix([0], [0], labels=[])


def test_errors_a_student_can_meet_are_in_chinese():
    from lstm_helpers import gradflow, lstm
    for call in (lambda: widgets.GateExplorer(lstm.init_params(1, 3, np.random.default_rng(0))),
                 lambda: widgets.GateExplorer(gates=("f", "z")),
                 lambda: widgets.SequenceStepper(cell="gru"),
                 lambda: widgets.default_sequence(13),
                 lambda: gradflow.forget_products(np.zeros(3))):
        with pytest.raises(ValueError) as err:
            call()
        assert re.search(r"[\u4e00-\u9fff]", str(err.value)), str(err.value)


@pytest.mark.parametrize("name", list(figures.FIGURES))
def test_every_figure_draws_in_chinese(name):
    png, alt = render_checked(figures.FIGURES[name])  # padding_explorer trains two word models (about 10 s)
    assert png[:4] == b"\x89PNG"
    make = getattr(figures.FIGURES[name], "make", None)  # a drawing of diagrams: read the texts on it
    if make is not None:
        obj = make()
        fig = getattr(obj, "figure", obj)
        english = [t for t in figure_texts(fig) if english_words(t)]
        assert not english, f"{name}: English left on the figure: {english}"
    assert not english_words(alt), f"{name}: English in its alt text {english_words(alt)}"
    assert re.search(r"[\u4e00-\u9fff]", alt)


@pytest.mark.parametrize("name", ["gate_explorer", "gradient_flow", "gradient_check", "forget_survival",
                                  "sequence_stepper"])
def test_figures_made_from_explorers_have_no_english_on_them(name):
    makers = {"gate_explorer": lambda: widgets.GateExplorer().cell.figure,
              "gradient_flow": lambda: widgets.GradientFlowExplorer().figure,
              "gradient_check": lambda: widgets.GradientCheckExplorer().figure,
              "forget_survival": lambda: widgets.ForgetSurvivalExplorer().figure,
              "sequence_stepper": lambda: widgets.SequenceStepper().heat_axes[0].figure}
    fig = makers[name]()
    render_checked(fig)
    english = [t for t in figure_texts(fig) if english_words(t)]
    assert not english, f"{name}: {english}"


def test_write_all_in_chinese_restores_the_language(tmp_path, monkeypatch):
    set_language("en")
    monkeypatch.setattr(figures, "FIGURES", {n: figures.FIGURES[n] for n in ("forget_survival", "gate")})
    paths = figures.write_all(tmp_path, lang="zh")
    assert i18n.language() == "en" and len(paths) == 3
    index = (tmp_path / "README.md").read_text(encoding="utf-8")
    assert index.startswith("# 图片") and "- `forget_survival.png`: 对数坐标" in index
