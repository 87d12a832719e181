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

from .checking import Probe, close

WEIGHT_SLIP = ("your code runs only with the weights transposed: each W has shape (H, H + D), one row per unit of "
               "the result, and a batch of rows [h_{t-1}, x_t], shape (B, H + D), meets it as W.T")
ONE_EXAMPLE_SLIP = ("your code works for one example (1-D x_t and h_prev) but not for a batch: x_t is (B, D) and "
                    "h_prev (B, H), one row per example, so [h_{t-1}, x_t] joins them along axis 1, the features")
COLUMNS_SLIP = ("your code takes the inputs as columns, x_t (D, B) and h_prev (H, B); here each row is one "
                "example: x_t is (B, D), h_prev (B, H), and the result is (B, H)")


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
    trials = [(_zero(args, roles, "xh"), f"even with h_{{t-1}} = 0 and x_t = 0, where only the bias {bias} acts, "
                                         "your values differ: look at the bias and the activation"),
              (_zero(args, roles, "h"), f"with h_{{t-1}} = 0 your values already differ: look at how x_t enters "
                                        f"(it meets the last D columns of {weight})"),
              (_zero(args, roles, "x"), f"right with h_{{t-1}} = 0, wrong with x_t = 0: look at how h_{{t-1}} "
                                        f"enters (it meets the first H columns of {weight})")]
    return lambda: narrow(answer, trials, reference, pick,
                          all_right="right when h_{t-1} or x_t is 0, wrong when both are given: look at how the "
                                    "two parts are combined")


def narrow_cell(answer, p, x, h, c, reference, pick=lambda out: out):
    """Where an LSTM cell update C_t first goes wrong: what is written (C_{t-1} = 0) or what is kept (C~_t = 0)."""
    no_candidate = {**p, "W_c": np.zeros_like(p["W_c"]), "b_c": np.zeros_like(p["b_c"])}
    trials = [((p, x, h, np.zeros_like(c)), "with C_{t-1} = 0 (nothing to keep) your C_t already differs: look at "
                                             "what is written, the input gate and the candidate"),
              ((no_candidate, x, h, c), "with the candidate C~_t = 0 (nothing written) your C_t differs: look at "
                                        "what is kept of C_{t-1}, the forget gate")]
    return lambda: narrow(answer, trials, reference, pick,
                          all_right="what is kept and what is written are each right alone: look at how the two "
                                    "are combined")
