"""What to say when no slip matches: probes for answers that raise, narrowing down for answers that differ.

Probes. Some slips make numpy raise instead of giving wrong numbers: W used as if it were
(H + D, H), code written for one example (1-D vectors) run on a batch, inputs taken as
columns. The checker calls such an answer again the way it was written for; if it runs then,
the message names the slip instead of repeating numpy's error.

Narrowing down. When an answer's values differ in no recognised way, the checker reruns it on
simpler inputs (h_{t-1} = 0, x_t = 0, C_{t-1} = 0, ...) and says where it first goes wrong,
which points at the part to look at without showing the expected numbers.

Both work on a layer exercise's arguments described by their roles: "W" a weight of shape
(H, H + D), "b" a bias, "x", "h", "c" rows of shape (B, D) or (B, H), "p" an LSTM parameter dict.
"""
import numpy as np

from ..i18n import tr
from .checking import Probe, close

# the probes' explanations, as keys of lstm_helpers/texts: a Probe's explanation is looked up when shown
WEIGHT_SLIP = "exercises_extra.weight_slip"
ONE_EXAMPLE_SLIP = "exercises_extra.one_example_slip"
COLUMNS_SLIP = "exercises_extra.columns_slip"


def has_shape(shape, pair=False):
    """accepts(out) for a probe: the output (or both halves of a pair) has ``shape``."""
    def accepts(out):
        parts = out if pair else (out,)
        if pair and not (isinstance(out, (tuple, list)) and len(out) == 2):
            return False
        return all(np.shape(part) == tuple(shape) for part in parts)
    return accepts


def layer_probes(args, roles, shape, pair=False):
    """Probes for an answer that raised: weights transposed, one example, inputs as columns.

    ``shape`` is the shape one output should have, (B, H); ``pair`` when the answer returns two.
    """
    transposed = tuple({k: (v.T if k.startswith("W") else v) for k, v in a.items()} if r == "p" else
                       (a.T if r == "W" else a) for a, r in zip(args, roles))
    one = tuple(a[0] if r in "xhc" else a for a, r in zip(args, roles))
    columns = tuple(a.T if r in "xhc" else (a[:, None] if r == "b" else a) for a, r in zip(args, roles))
    B, H = shape
    return [Probe(transposed, WEIGHT_SLIP, has_shape(shape, pair)),
            Probe(one, ONE_EXAMPLE_SLIP, has_shape((H,), pair)),
            Probe(columns, COLUMNS_SLIP, has_shape((H, B), pair))]


def _zero(args, roles, which):
    return tuple(np.zeros_like(a) if r in which else a for a, r in zip(args, roles))


def narrow(answer, trials, reference, pick=lambda out: out, all_right=None):
    """The first trial on which the answer differs from ``reference``, as its sentence; else ``all_right``.

    trials : list of (args, sentence)
    reference : reference(*args) -> the right value for those arguments
    pick : takes the value under test from the answer's output (e.g. the first of a pair)
    """
    for args, sentence in trials:
        out = answer.quietly(*args)
        try:
            ok = out is not None and np.shape(pick(out)) == np.shape(reference(*args)) and close(pick(out),
                                                                                                  reference(*args))
        except Exception:
            ok = False
        if not ok:
            return sentence
    return all_right


def narrow_layer(answer, args, roles, reference, pick=lambda out: out, weight="W", bias="b"):
    """Where a layer act(W [h_{t-1}, x_t] + b) first goes wrong: bias alone, x_t alone, h_{t-1} alone."""
    def explain():  # the sentences in the language current when the difference is explained
        trials = [(_zero(args, roles, "xh"), tr("exercises_extra.narrow_bias_alone", bias=bias)),
                  (_zero(args, roles, "h"), tr("exercises_extra.narrow_x_enters", weight=weight)),
                  (_zero(args, roles, "x"), tr("exercises_extra.narrow_h_enters", weight=weight))]
        return narrow(answer, trials, reference, pick, all_right=tr("exercises_extra.narrow_layer_combined"))
    return explain


def narrow_cell(answer, p, x, h, c, reference, pick=lambda out: out):
    """Where an LSTM cell update C_t first goes wrong: what is written (C_{t-1} = 0) or what is kept (C~_t = 0)."""
    no_candidate = {**p, "W_c": np.zeros_like(p["W_c"]), "b_c": np.zeros_like(p["b_c"])}

    def explain():  # the sentences in the language current when the difference is explained
        trials = [((p, x, h, np.zeros_like(c)), tr("exercises_extra.narrow_written")),
                  ((no_candidate, x, h, c), tr("exercises_extra.narrow_kept"))]
        return narrow(answer, trials, reference, pick, all_right=tr("exercises_extra.narrow_cell_combined"))
    return explain
