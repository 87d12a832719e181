"""The static figures in images/: each made by the package's own functions, each with alt text.

    python -m lstm_helpers.figures [folder]               (what `make images` runs; default images/)
    python -m lstm_helpers.figures --lang zh [folder]     (the Chinese edition's; default images/zh/)

writes every figure as PNG and an index, README.md, with the alt text of
each, for chapters read without a kernel (GitHub, a printout). Every word drawn
and every alt text is in the language asked for (lstm_helpers/texts).
"""
import functools
import sys
from pathlib import Path

import numpy as np

from . import diagrams, i18n, plots
from .i18n import tr

DPI = 100


def _drawing(name, make):
    """A figure of diagrams: its PNG and its alt text (diagrams.ALT_TEXT, in the current language)."""
    def run():
        obj = make()
        png = obj.png() if hasattr(obj, "png") else plots.png_bytes(obj.figure, dpi=DPI)
        return png, diagrams.ALT_TEXT[name]
    run.make = make  # the drawing itself, for a test that reads its texts
    return run


def _gate_explorer():
    from . import widgets  # ipywidgets only for the explorers
    g = widgets.GateExplorer()
    r = g.record
    alt = tr("figures.alt_gate_explorer", x=g.x[0], h=g.h_prev[0], c=g.c_prev[0], f=r.f[0], i=r.i[0], g=r.g[0],
             o=r.o[0], c_new=r.c[0], h_new=r.h[0])
    return g.image.value, alt


def _gru_explorer():
    from . import widgets
    g = widgets.GRUExplorer()
    r, x, h = g.record, g.x[0], g.h_prev[0]
    alt = tr("figures.alt_gru_explorer", x=x, h=h, r=r.r[0], z=r.z[0], rh=r.r[0] * h, n=r.n[0], z_part=r.z[0] * h,
             n_part=(1 - r.z[0]) * r.n[0], h_new=r.h[0])
    return g.image.value, alt


def _word_models():
    """Chapter 10's two word classifiers, {label: (model, reads_lengths)}, labelled in the current language;
    with the alphabet and the test words (the models are trained once, by ``_trained_word_models``)."""
    trained, alphabet, words_test, y_test = _trained_word_models()
    labels = {True: tr("figures.model_given"), False: tr("figures.model_reads")}
    return {labels[r]: (trained[r], r) for r in (True, False)}, alphabet, words_test, y_test


@functools.lru_cache(maxsize=1)
def _trained_word_models():
    """Chapter 10's two word classifiers (seed 0, tasks.WORD_SETTINGS), {reads_lengths: model}: one trained with
    each word's length (True), one trained reading the padding to the settings' length (False); with the
    alphabet and the test words. About 10 s of training. No text: the cache serves every language."""
    from . import optim, tasks, train
    from .model import SequenceModel
    (words, y), (words_test, y_test) = tasks.load_words()
    alphabet = sorted(set("".join(words)))
    s = tasks.WORD_SETTINGS
    x, lengths = tasks.encode_words(words, alphabet, s["length"])
    x = x.astype(np.float32)
    models = {}
    for reads_lengths in (True, False):
        rng = np.random.default_rng(0)
        model = SequenceModel("lstm", len(alphabet), s["hidden"], 5, rng, loss="xent", dtype=np.float32)

        def batch(rng=rng, reads_lengths=reads_lengths):
            rows = rng.integers(0, len(x), s["batch"])
            return (x[rows], y[rows]) + ((lengths[rows],) if reads_lengths else ())
        train.train(model, batch, s["steps"], optimizer=optim.Adam(model.params, lr=s["lr"]), clip=1.0,
                    progress=False)
        models[reads_lengths] = model
    return models, alphabet, words_test, y_test


def _padding_explorer():
    from . import tasks, widgets
    models, alphabet, words_test, y_test = _word_models()
    examples = [next(w for w, y in zip(words_test, y_test) if y == k) for k in range(5)]
    g = widgets.PaddingExplorer(models, lambda ws, T: tasks.encode_words(ws, alphabet, T), examples,
                                tasks.WORD_LANGUAGES)
    given, reads = models
    # the first word and padding at which the two models disagree
    word, pad = next((w, p) for w in examples for p in range(31)
                     if np.argmax(g.probabilities(w, p)[given]) != np.argmax(g.probabilities(w, p)[reads]))
    g.word.value, g.padding.value = word, pad
    probs, L = g.probabilities(), tasks.WORD_LANGUAGES
    lang = L[y_test[words_test.index(word)]]
    said = {label: (L[int(np.argmax(p))], float(np.max(p))) for label, p in probs.items()}
    alt = tr("figures.alt_padding_explorer", word=word, lang=lang, letters=len(word), pad=pad, given=said[given][0],
             p_given=said[given][1], reads=said[reads][0], p_reads=said[reads][1])
    return g.image.value, alt


def _sequence_stepper():
    from . import widgets
    s = widgets.SequenceStepper()
    spike = int(np.argmax(s.x[:, 0])) + 1  # the step number t of the spike (x_t is x[t - 1])
    s.t.value = spike + 2
    o, k = s.out, spike - 1
    alt = tr("figures.alt_sequence_stepper", T=s.T, t=s.t.value, i_spike=o.i[k, 0], spike=spike, x_spike=s.x[k, 0],
             i_else=np.delete(o.i[:, 0], k).max(), f_min=o.f[:, 0].min(), c_spike=o.c[k, 0], c_end=o.c[-1, 0])
    return s.heat_image.value, alt


def _rnn_stepper():
    from . import widgets
    s = widgets.SequenceStepper(cell="rnn")
    spike = int(np.argmax(s.x[:, 0])) + 1
    s.t.value = spike + 1
    h, k = s.out, spike - 1  # h[t - 1] is h_t
    eig = np.sort(np.linalg.eigvals(s.params["W"][:, :s.H]).real)[::-1]
    alt = tr("figures.alt_rnn_stepper", T=s.T, t=s.t.value, spike=spike, x_spike=s.x[k, 0], h0=h[k, 0], h1=h[k, 1],
             a=h[k + 1, 1], t1=spike + 1, b=h[k + 2, 1], t2=spike + 2, c=h[k + 3, 1], t3=spike + 3, e0=eig[0],
             e1=eig[1], end0=h[-1, 0], end1=h[-1, 1])
    return s.heat_image.value, alt


def _memory_stepper():
    from . import widgets
    s = widgets.SequenceStepper(widgets.memory_demo_params(), widgets.memory_demo_sequence(1.0))
    s.t.value = s.T
    o = s.out
    k = int(np.argmax(s.x[:, 1]))  # the marked row; its step number is k + 1
    alt = tr("figures.alt_memory_stepper", T=s.T, m=k + 1, f_m=o.f[k, 0], i_m=o.i[k, 0], v=s.x[k, 0], c_m=o.c[k, 0],
             f_else=np.delete(o.f[:, 0], k).min(), i_else=np.delete(o.i[:, 0], k).max(), c_end=o.c[-1, 0],
             h_end=o.h[-1, 0])
    return s.heat_image.value, alt


def _forget_survival():
    from . import widgets
    s = widgets.ForgetSurvivalExplorer()
    c, b = s.values["cell"], s.values["bias"]
    alt = tr("figures.alt_forget_survival", b_f=s.forget_bias.value, s=b[0], T=s.T, left=c[-1], bias_left=b[-1])
    return s.image.value, alt


def _gradient_flow():
    from . import widgets
    g = widgets.GradientFlowExplorer()
    v, d = g.values, 50
    alt = tr("figures.alt_gradient_flow", rho=g.radius.value, b_f=g.forget_bias.value, f_mean=v["f_mean"], d=d,
             rnn=v["rnn"][d], bound=v["bound"][d], lstm_h=v["lstm_h"][d], lstm_c=v["lstm_c"][d],
             cell=v["cell_path"][d])
    return g.image.value, alt


def _gradient_check():
    from . import widgets
    g = widgets.GradientCheckExplorer()
    (e64, m64), (e32, m32) = g.best("float64"), g.best("float32")
    v = g.values
    alt = tr("figures.alt_gradient_check", t64=v["float64"][-1], t32=v["float32"][-1], r64=v["float64"][0],
             r32=v["float32"][0], m64=m64, e64=e64, m32=m32, e32=e32, eps=g.record["eps"], at64=g.record["float64"],
             at32=g.record["float32"])
    return g.image.value, alt


FIGURES = {  # file stem -> a function returning (PNG bytes, alt text)
    "rnn_loop": _drawing("rnn_loop", diagrams.rnn_loop),
    "rnn_unrolled": _drawing("rnn_unrolled", diagrams.rnn_unrolled),
    "gap_short": _drawing("gap_short", lambda: diagrams.dependency_gap("short")),
    "gap_long": _drawing("gap_long", lambda: diagrams.dependency_gap("long")),
    "module_rnn": _drawing("module_rnn", lambda: diagrams.repeating_module("rnn")),
    "module_lstm": _drawing("module_lstm", lambda: diagrams.repeating_module("lstm")),
    "notation": _drawing("notation", diagrams.notation_legend),
    "sequence_shapes": _drawing("sequence_shapes", diagrams.sequence_shapes),
    "cell_state": _drawing("cell_state", diagrams.cell_state_line),
    "gate": _drawing("gate", lambda: diagrams.gate([0.05, 0.5, 0.95], [1.0, 1.0, 1.0])),
    "lstm_cell": _drawing("lstm_cell", diagrams.lstm_cell),
    **{f"lstm_{part}": _drawing(f"lstm_{part}", lambda part=part: diagrams.lstm_cell(highlight=part))
       for part in ("forget", "input", "update", "output")},
    "lstm_peephole": _drawing("lstm_peephole", diagrams.lstm_peephole),
    "lstm_coupled": _drawing("lstm_coupled", diagrams.lstm_coupled),
    "lstm_1997": _drawing("lstm_1997", diagrams.lstm_1997),
    "gru_cell": _drawing("gru_cell", diagrams.gru_cell),
    "rnn_bptt": _drawing("rnn_bptt", diagrams.rnn_bptt),
    "lstm_bptt": _drawing("lstm_bptt", diagrams.lstm_bptt),
    "rows_as_steps": _drawing("rows_as_steps", diagrams.rows_as_steps),
    "gate_explorer": _gate_explorer,
    "gru_explorer": _gru_explorer,
    "padding_explorer": _padding_explorer,
    "sequence_stepper": _sequence_stepper,
    "rnn_stepper": _rnn_stepper,
    "memory_stepper": _memory_stepper,
    "forget_survival": _forget_survival,
    "gradient_flow": _gradient_flow,
    "gradient_check": _gradient_check,
}


def write_all(folder="images", lang=None):
    """Write every figure and the index in ``lang`` (None: the current language); returns the paths written."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    before = i18n.language()
    if lang is not None:
        i18n.set_language(lang)
    try:
        written, lines = [], [tr("figures.index_title"), "", tr("figures.index_intro"), ""]
        for name, make in FIGURES.items():
            png, alt = make()
            path = folder / f"{name}.png"
            path.write_bytes(png)
            written.append(path)
            lines.append(f"- `{name}.png`: {alt}")
        (folder / "README.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    finally:
        if lang is not None:
            i18n.set_language(before)
    return written + [folder / "README.md"]


FOLDERS = {"en": "images", "zh": "images/zh"}  # where each edition's figures go by default


def main(argv=None):
    """python -m lstm_helpers.figures [--lang en|zh] [folder]: write every figure; print the paths."""
    import argparse
    parser = argparse.ArgumentParser(prog="python -m lstm_helpers.figures", description=__doc__.split("\n")[0])
    parser.add_argument("folder", nargs="?", help="where to write (default images/, or images/zh/ for zh)")
    parser.add_argument("--lang", choices=i18n.LANGUAGES, default="en", help="the edition (default en)")
    args = parser.parse_args(argv)
    for p in write_all(args.folder or FOLDERS[args.lang], lang=args.lang):
        print(p)


if __name__ == "__main__":
    main(sys.argv[1:])
