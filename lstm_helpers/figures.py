"""The static figures in images/: each made by the package's own functions, each with alt text.

    python -m lstm_helpers.figures [folder]      (what `make images` runs; default images/)

writes every figure as PNG and an index, images/README.md, with the alt text of
each, for chapters read without a kernel (GitHub, a printout).
"""
import functools
import sys
from pathlib import Path

import numpy as np

from . import diagrams, plots

DPI = 100


def _drawing(name, make):
    """A figure of diagrams: its PNG and its alt text from diagrams.ALT_TEXT."""
    def run():
        obj = make()
        png = obj.png() if hasattr(obj, "png") else plots.png_bytes(obj.figure, dpi=DPI)
        return png, diagrams.ALT_TEXT[name]
    return run


def _gate_explorer():
    from . import widgets  # ipywidgets only for the explorers
    g = widgets.GateExplorer()
    r = g.record
    alt = (f"One LSTM step drawn with its numbers, as the GateExplorer starts: x_t = {g.x[0]:.2f}, "
           f"h_(t-1) = {g.h_prev[0]:.2f} and C_(t-1) = {g.c_prev[0]:.2f} give f = {r.f[0]:.2f}, i = {r.i[0]:.2f}, "
           f"C~ = {r.g[0]:.2f} and o = {r.o[0]:.2f}, so the new cell state is C_t = {r.c[0]:.2f} and "
           f"h_t = {r.h[0]:.2f}.")
    return g.image.value, alt


def _gru_explorer():
    from . import widgets
    g = widgets.GRUExplorer()
    r, x, h = g.record, g.x[0], g.h_prev[0]
    alt = (f"One GRU step drawn with its numbers, as the GRUExplorer starts (Cho's form): x_t = {x:.2f} and "
           f"h_(t-1) = {h:.2f} give the reset gate r = {r.r[0]:.2f} and the update gate z = {r.z[0]:.2f}; the "
           f"candidate reads r * h_(t-1) = {r.r[0] * h:.2f} joined with x_t, n = tanh(W_n [r * h_(t-1), x_t] + "
           f"b_n) = {r.n[0]:.2f}; the new state is h_t = z * h_(t-1) + (1 - z) * n = {r.z[0] * h:.2f} + "
           f"{(1 - r.z[0]) * r.n[0]:.2f} = {r.h[0]:.2f}.")
    return g.image.value, alt


@functools.lru_cache(maxsize=1)
def _word_models():
    """Chapter 10's two word classifiers (seed 0, its settings): one trained with each word's length, one trained
    reading the padding to step 12; with the alphabet and the test words. About 10 s of training."""
    from . import optim, tasks, train
    from .model import SequenceModel
    (words, y), (words_test, y_test) = tasks.load_words()
    alphabet = sorted(set("".join(words)))
    x, lengths = tasks.encode_words(words, alphabet, 12)
    x = x.astype(np.float32)
    models = {}
    for label, reads_lengths in (("trained with lengths, given the length", True),
                                 ("trained reading to step 12, reads to the end", False)):
        rng = np.random.default_rng(0)
        model = SequenceModel("lstm", len(alphabet), 48, 5, rng, loss="xent", dtype=np.float32)

        def batch(rng=rng, reads_lengths=reads_lengths):
            rows = rng.integers(0, len(x), 64)
            return (x[rows], y[rows]) + ((lengths[rows],) if reads_lengths else ())
        train.train(model, batch, 1500, optimizer=optim.Adam(model.params, lr=1e-2), clip=1.0, progress=False)
        models[label] = (model, reads_lengths)
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
    alt = (f"Bars of the probabilities of the five languages en, de, fr, es and it for the test word '{word}' "
           f"({lang}, {len(word)} letters) followed by {pad} padding steps, from two LSTMs of chapter 10. The model "
           f"trained with each word's length and given it says {said[given][0]} with probability "
           f"{said[given][1]:.2f}, whatever the padding; the model trained reading its padding to step 12 reads "
           f"these {pad} steps too and says {said[reads][0]} with probability {said[reads][1]:.2f}.")
    return g.image.value, alt


def _sequence_stepper():
    from . import widgets
    s = widgets.SequenceStepper()
    spike = int(np.argmax(s.x[:, 0])) + 1  # the step number t of the spike (x_t is x[t - 1])
    s.t.value = spike + 2
    o, k = s.out, spike - 1
    alt = (f"Heatmaps of the input x and of the forget gate, input gate, candidate, output gate, cell state and "
           f"hidden state of a two-unit LSTM over {s.T} steps, t = 1 to {s.T}, step {s.t.value} outlined. Unit 0's "
           f"input gate is {o.i[k, 0]:.2f} at the spike x_{spike} = {s.x[k, 0]:.0f} and at most "
           f"{np.delete(o.i[:, 0], k).max():.2f} elsewhere; its forget gate stays at {o.f[:, 0].min():.2f} or more, "
           f"so its cell state, {o.c[k, 0]:.2f} after the spike, is still {o.c[-1, 0]:.2f} at t = {s.T}.")
    return s.heat_image.value, alt


def _rnn_stepper():
    from . import widgets
    s = widgets.SequenceStepper(cell="rnn")
    spike = int(np.argmax(s.x[:, 0])) + 1
    s.t.value = spike + 1
    h, k = s.out, spike - 1  # h[t - 1] is h_t
    eig = np.sort(np.linalg.eigvals(s.params["W"][:, :s.H]).real)[::-1]
    alt = (f"Heatmaps of the input x and of the two hidden units of a small vanilla RNN over {s.T} steps, t = 1 to "
           f"{s.T}, step {s.t.value} outlined. The spike x_{spike} = {s.x[k, 0]:.0f} drives the state to "
           f"h_{spike} = ({h[k, 0]:.2f}, {h[k, 1]:.2f}). After it unit 0 stays positive while unit 1 changes sign at "
           f"every step ({h[k + 1, 1]:.2f} at t = {spike + 1}, {h[k + 2, 1]:.2f} at t = {spike + 2}, "
           f"{h[k + 3, 1]:.2f} at t = {spike + 3}), because the recurrent weight W_h has the eigenvalues "
           f"{eig[0]:+.1f} and {eig[1]:+.1f}; at t = {s.T} the state is ({h[-1, 0]:.2f}, {h[-1, 1]:.2f}).")
    return s.heat_image.value, alt


def _memory_stepper():
    from . import widgets
    s = widgets.SequenceStepper(widgets.memory_demo_params(), widgets.memory_demo_sequence(1.0))
    s.t.value = s.T
    o = s.out
    k = int(np.argmax(s.x[:, 1]))  # the marked row; its step number is k + 1
    alt = (f"Heatmaps of the input (value, marker) and of the gates and states of a two-unit LSTM with hand-set "
           f"weights over {s.T} steps, t = 1 to {s.T}, the last step outlined. At t = {k + 1} a marker makes "
           f"unit 0's forget gate {o.f[k, 0]:.2f} and its input gate {o.i[k, 0]:.2f}, writing the marked value "
           f"{s.x[k, 0]:.1f} as C = {o.c[k, 0]:.2f}; at every other step its forget gate is "
           f"{np.delete(o.f[:, 0], k).min():.2f} and its input gate {np.delete(o.i[:, 0], k).max():.2f}, so at "
           f"t = {s.T} its cell still holds {o.c[-1, 0]:.2f} and its output is h = {o.h[-1, 0]:.2f}. "
           f"Unit 1 follows the distractors.")
    return s.heat_image.value, alt


def _forget_survival():
    from . import widgets
    s = widgets.ForgetSurvivalExplorer()
    c, b = s.values["cell"], s.values["bias"]
    alt = (f"On a log scale, the fraction of a value left in an LSTM's cell t steps after it was written, with "
           f"nothing new written, for forget bias {s.forget_bias.value:.1f}: sigma(b_f) = {b[0]:.3f}, and after "
           f"{s.T} steps {c[-1]:.1e} of the value is left in the real cell ({b[-1]:.1e} for sigma(b_f)^t).")
    return s.image.value, alt


def _gradient_flow():
    from . import widgets
    g = widgets.GradientFlowExplorer()
    v, d = g.values, 50
    alt = (f"Gradient norms against the distance T - t on a log scale, for an RNN and an LSTM whose recurrent "
           f"blocks are all {g.radius.value:.1f} times an orthogonal matrix, the LSTM with forget bias "
           f"{g.forget_bias.value:.1f} (forget gates averaging {v['f_mean']:.2f}). At a distance of {d} steps the "
           f"RNN's norm of dh_T/dh_t is {v['rnn'][d]:.1e} (its bound {v['bound'][d]:.1e}); the LSTM's total "
           f"through every path is {v['lstm_h'][d]:.1e} for dh_T/dh_t and {v['lstm_c'][d]:.1e} for dh_T/dC_t, "
           f"while the cell path alone, the product of the forget gates, is {v['cell_path'][d]:.1e}.")
    return g.image.value, alt


def _gradient_check():
    from . import widgets
    g = widgets.GradientCheckExplorer()
    (e64, m64), (e32, m32) = g.best("float64"), g.best("float32")
    v = g.values
    alt = (f"On log-log axes, the relative error of a gradient check by central differences against the step eps, "
           f"from 1e-12 to 1e-1, for a small LSTM in float64 and in float32. As eps shrinks from 1e-1 the error "
           f"falls like eps squared (truncation: {v['float64'][-1]:.1e} in float64 and {v['float32'][-1]:.1e} in "
           f"float32 at eps = 1e-1), until round-off takes over and it rises like 1/eps: at eps = 1e-12 it is "
           f"{v['float64'][0]:.1e} in float64 and {v['float32'][0]:.1f} in float32, where a + eps rounds back to a. "
           f"Float64 is lowest, {m64:.1e}, at eps = {e64:.1e}; float32 is lowest, {m32:.1e}, at eps = {e32:.1e}, "
           f"above the pass mark of 1e-6. The marker is at eps = {g.record['eps']:.0e}: {g.record['float64']:.1e} "
           f"in float64, {g.record['float32']:.1e} in float32.")
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


def write_all(folder="images"):
    """Write every figure and the index; returns the list of paths written."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written, lines = [], ["# images", "", "Generated by `make images` (python -m lstm_helpers.figures) from "
                                       "lstm_helpers; do not edit by hand. Each figure with its alt text:", ""]
    for name, make in FIGURES.items():
        png, alt = make()
        path = folder / f"{name}.png"
        path.write_bytes(png)
        written.append(path)
        lines.append(f"- `{name}.png`: {alt}")
    (folder / "README.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return written + [folder / "README.md"]


if __name__ == "__main__":
    for p in write_all(sys.argv[1] if len(sys.argv) > 1 else "images"):
        print(p)
