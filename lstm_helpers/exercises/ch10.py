"""Chapter 10 (applications): the mask of padded sequences; each sequence's state at its last real step; the
final states of a bidirectional layer run with lengths.

    sequences padded at the end to T steps, lengths (B,) ints in [1, T]: sequence b's real steps are
        t = 0 ... lengths[b] - 1 (0-based), its padding t = lengths[b] ... T - 1
    the mask (B, T): mask[b, t] = 1.0 when t < lengths[b], else 0.0
    the last real state of hs (B, T, H): hs[b, lengths[b] - 1], i.e. hs[np.arange(B), lengths - 1] (B, H);
        after it the cell went on reading the padding, so hs[:, -1] is right only for the full-length sequences
    a bidirectional layer's out (B, T, 2H) run with lengths: the forward direction's final state at each
        sequence's last real step, out[b, lengths[b] - 1, :H]; the backward direction starts at that step and
        ends at t = 1, out[:, 0, H:]; side by side (B, 2H) (= final["h"] of both directions)
"""
import numpy as np

from .. import layers
from .ch09 import which_half
from .checking import Exercise, Probe, Wrong, close, compare, shape_of

ZERO_BASED = "counting from 0, sequence b's real steps are t = 0 ... lengths[b] - 1"


def _lengths(rng, B, T, kind):
    """lengths (B,) in [1, T]: "ends" has 1 and T among them, "short" none equal to T (all different when B < T),
    "full" all T; drawn from ``rng``, shuffled."""
    if kind == "full":
        return np.full(B, T, dtype=np.int64)
    if kind == "short":
        values = rng.choice(np.arange(1, T), size=B, replace=B >= T)
    else:
        values = np.concatenate([[1, T], rng.integers(1, T + 1, size=max(B - 2, 0))])[:B]
    return rng.permutation(values).astype(np.int64)


def _matches(out, value):
    try:
        return np.shape(out) == np.shape(value) and close(np.asarray(out, dtype=float), value)
    except Exception:
        return False


def _rows_at(got, hs, lengths):
    """Where the wrong rows of the answer ``got`` (B, H) sit in hs (B, T, H), as a sentence, or None.

    Names a common offset from each sequence's last real step (row b at t = lengths[b] - 1 + d for every wrong
    row), else which sequences are right (by their lengths); never shows any values."""
    try:
        arr = np.asarray(got, dtype=float)
        B, T = hs.shape[:2]
        if arr.shape != (B, hs.shape[2]):
            return None
    except Exception:
        return None
    last = np.asarray(lengths) - 1
    wrong = [b for b in range(B) if not close(arr[b], hs[b, last[b]])]
    if not wrong:
        return None
    offsets = set()
    for b in wrong:
        found = [t - last[b] for t in range(T) if close(arr[b], hs[b, t])]
        offsets.add(found[0] if len(found) == 1 else None)
    lens = ", ".join(str(n) for n in sorted({int(lengths[b]) for b in wrong}))
    rows = "every row" if len(wrong) == B else f"the rows of the sequences of length {lens}"
    if len(offsets) == 1 and None not in offsets:
        d = offsets.pop()
        steps = f"{abs(d)} step{'s' if abs(d) != 1 else ''}"
        return (f"{rows} {'holds its' if len(wrong) == B else 'hold their'} sequence's state {steps} "
                f"{'after' if d > 0 else 'before'} its last real step, t = lengths[b] - 1 (counting from 0)")
    if len(wrong) < B:
        return f"{B - len(wrong)} of {B} rows are right; {rows} are not"
    return None


# --- the mask of padded sequences ---

def _mask_rows(out, want, lengths):
    """What is wrong with a mask of the right shape: values other than 0 and 1, else which rows (by length)."""
    try:
        arr = np.asarray(out, dtype=float)
    except Exception:
        return None
    if not np.all((arr == 0) | (arr == 1)):
        return "a mask holds only 1.0 (a real step) and 0.0 (padding); yours has other values"
    wrong = sorted({int(n) for n, row, right in zip(lengths, arr, want) if not np.array_equal(row, right)})
    if len(wrong) < len(lengths):
        return f"the rows of the sequences of length {', '.join(map(str, wrong))} are wrong, the others right"
    return None


MASK_CASES = ((5, 7, "ends"), (4, 6, "ends"), (6, 9, "short"), (1, 5, "short"), (3, 1, "full"))  # (B, T, kind)
LIST_CASE = 1   # this case passes lengths as a list of ints


def check_padding_mask(answer):
    for k, (B, T, kind) in enumerate(MASK_CASES):
        rng = np.random.default_rng([101, k])
        lengths = _lengths(rng, B, T, kind)
        given = [int(n) for n in lengths] if k == LIST_CASE else lengths
        steps = np.arange(T)
        want = (steps < lengths[:, None]).astype(float)                        # (B, T)
        label = f"for B={B}, T={T}, lengths={lengths.tolist()}" + (" as a list" if k == LIST_CASE else "")
        what = f"the mask ({label})"
        probes = [Probe((lengths[:T] if B >= T else np.resize(lengths, T), T),
                        "your code compares np.arange(T) (T,) with lengths (B,) entry by entry, which runs only when "
                        "B equals T: give lengths a second axis, lengths[:, None] (B, 1), so that the comparison "
                        "broadcasts to (B, T)", lambda out, T=T: shape_of(out) == (T,))]
        if k == LIST_CASE:
            probes.insert(0, Probe((lengths, T), "your function works when lengths is an array but not when it is "
                                                 "a list of ints: start with lengths = np.asarray(lengths)",
                                   lambda out, want=want: _matches(out, want)))
        out = answer(given, T, probes=probes)
        shape = shape_of(out)
        if shape is not None and len(shape) == 1 and shape in ((B,), (T,)):
            raise Wrong(f"your mask has shape {shape}, one axis ({label}): it has one row per sequence and one "
                        "column per step, (B, T); give lengths a second axis, lengths[:, None] (B, 1), so that "
                        "comparing it with np.arange(T) broadcasts to (B, T)")
        longest = int(lengths.max())
        if shape == (B, longest) and longest < T:
            raise Wrong(f"your mask has shape (B, max(lengths)) = {shape} ({label}): it has T columns, one per "
                        "padded step; here no sequence is T steps long, so the longest one is padded too")
        slips = [
            ((steps <= lengths[:, None]).astype(float),
             f"one step too many: t = lengths[b] is already the first padded step ({ZERO_BASED}), so compare with "
             "t < lengths[b], not <="),
            ((steps < lengths[:, None] - 1).astype(float),
             f"one step too few, the last real step is missing ({ZERO_BASED}: t = lengths[b] - 1 is real)"),
            (want[:, ::-1], "the 1.0s are at the end of each row, as if the padding came first: here it comes after "
                            "the real steps (padding at the end), so each row starts with lengths[b] ones"),
            (1 - want, "that is the mask of the padding (1.0 at the padded steps): the mask is 1.0 at the real steps "
                       "and 0.0 at the padding"),
            (np.ones((B, T)), "every step is marked real: the steps at t >= lengths[b] are padding, 0.0"),
            (np.zeros((B, T)), "every step is marked as padding: the steps t < lengths[b] are real, 1.0"),
        ]
        compare(out, want, what, slips, within=(0, 1, "1.0 for a real step, 0.0 for padding"), letters="(B, T)",
                explain=lambda out=out, want=want, lengths=lengths: _mask_rows(out, want, lengths))


# --- each sequence's state at its last real step ---

# (B, T, D, H, cell, kind); B, T and H all different
LAST_CASES = ((4, 7, 3, 5, "lstm", "short"), (5, 6, 2, 3, "gru", "ends"), (3, 4, 5, 2, "rnn", "full"),
              (1, 5, 2, 4, "lstm", "short"), (4, 3, 2, 1, "gru", "ends"))


FLOAT32_CASE = 1   # in LAST_CASES and BI_CASES: hs or out in float32, as the chapter's models run


def _padded_run(seed, k, B, T, D, H, cell, kind, bidirectional=False):
    """A run of ``cell`` (nonzero biases) over right-padded inputs (zeros at the padding), with lengths:
    (out, final, lengths), out (B, T, H) or (B, T, 2H)."""
    rng = np.random.default_rng([seed, k])
    net = layers.init_params(cell, D, H, rng, bidirectional=bidirectional)
    for params in net["layers"][0].values():
        for key in params:
            if key.startswith("b"):
                params[key] = rng.standard_normal(params[key].shape)    # nonzero: the padding moves the state
    lengths = _lengths(rng, B, T, kind)
    x = rng.standard_normal((B, T, D)) * (np.arange(T) < lengths[:, None])[..., None]  # zeros at the padding
    out, final, _ = layers.forward(net, x, lengths=lengths)
    return out, final, lengths


def _off_by_one_probe(args, want, explanation):
    """Named when an answer that raised (IndexError at lengths[b] = T) gives ``want`` from lengths - 1."""
    out, lengths = args
    return Probe((out, lengths - 1), explanation, lambda got: _matches(got, want))


STEP_TOO_FAR = "{a}[b, lengths[b]] is one step too far, the first padded step (" + ZERO_BASED + ")"


def check_last_real_state(answer):
    for k, case in enumerate(LAST_CASES):
        B, T, D, H = case[:4]
        hs, final, lengths = _padded_run(103, k, *case)
        want = final["h"][0]                                                     # (B, H)
        if k == FLOAT32_CASE:
            hs = hs.astype(np.float32)
        label = (f"for hs of shape (B, T, H) = {hs.shape}{' (float32)' if k == FLOAT32_CASE else ''}, "
                 f"lengths={lengths.tolist()}")
        rows = np.arange(B)
        got = answer(hs.copy(), lengths.copy(),
                     probes=[_off_by_one_probe((hs, lengths), want, STEP_TOO_FAR.format(a="hs") + "; with lengths[b] = "
                                                                                   "T it is past the end of hs")])
        shape = shape_of(got)
        if shape == (B, B, H) and B > 1:
            raise Wrong(f"your answer has shape (B, B, H) = {shape} ({label}): hs[:, lengths - 1] takes every "
                        "listed step from every sequence; index the rows too, hs[np.arange(B), lengths - 1], so "
                        "that row b takes its own step lengths[b] - 1")
        if shape == (B, T, H) and T > 1:
            raise Wrong(f"your answer has shape (B, T, H) ({label}), every step: take one step per sequence, its "
                        "last real one, (B, H)")
        real = (np.arange(T) < lengths[:, None])[..., None]                     # (B, T, 1)
        slips = [
            (hs[:, -1], "hs[:, -1] reads the padding after shorter sequences: after its last real step a shorter "
                        "sequence's cell went on reading the padding (zeros) and its state changed; hs[:, -1] is "
                        "right only for the sequences that fill all T steps"),
            (hs[rows, np.minimum(lengths, T - 1)], STEP_TOO_FAR.format(a="hs")),
            (hs[:, 0], "hs[:, 0] is the state after the first step, which has read one input: take each "
                       "sequence's state at its last real step"),
            (hs.mean(axis=1), "the mean over all T steps is a summary, but not this one, and it mixes in the "
                              "padded steps: take each sequence's state at its last real step"),
            ((hs * real).sum(axis=1) / lengths[:, None],
             "the mean over the real steps is a summary too, but not this one: take each sequence's state at its "
             "last real step, the one that has read the whole sequence"),
        ]
        compare(got, want, f"the returned array ({label})", slips, letters="(B, H)",
                explain=lambda got=got, hs=hs, lengths=lengths: _rows_at(got, hs, lengths))


# --- the final states of a bidirectional layer run with lengths ---

# (B, T, D, H, cell, kind); B, T, H and 2H all different but in the edges; T = 1 last
BI_CASES = ((4, 7, 2, 3, "lstm", "short"), (3, 5, 2, 4, "gru", "ends"), (1, 4, 2, 3, "lstm", "short"),
            (5, 3, 4, 1, "rnn", "ends"), (2, 4, 3, 5, "lstm", "full"), (3, 1, 2, 2, "gru", "full"))
CH09 = ("that is chapter 9's answer (out[:, -1, :H] beside out[:, 0, H:]), right only when no sequence is padded: "
        "the forward direction's state at step T has read the padding after each shorter sequence; take it at each "
        "sequence's own last real step, lengths[b] - 1")


def check_bidirectional_final(answer):
    for k, case in enumerate(BI_CASES):
        B, T, D, H = case[:4]
        out, final, lengths = _padded_run(107, k, *case, bidirectional=True)
        want = np.concatenate([final["h"][0], final["h"][1]], axis=1)           # (B, 2H), the forward half first
        if k == FLOAT32_CASE:
            out = out.astype(np.float32)
        label = (f"for out of shape (B, T, 2H) = {out.shape}{' (float32)' if k == FLOAT32_CASE else ''}, "
                 f"lengths={lengths.tolist()}")
        rows, last = np.arange(B), lengths - 1
        fwd, bwd = out[rows, last, :H], out[:, 0, H:]                          # each (B, H): the final states
        got = answer(out.copy(), lengths.copy(),
                     probes=[_off_by_one_probe((out, lengths), want, STEP_TOO_FAR.format(a="out") + " for the "
                                                                     "forward half; with lengths[b] = T it is past "
                                                                     "the end of out")])
        shape = shape_of(got)
        if shape == (B, H):
            for value, why in ((fwd, "the forward direction's final state alone"),
                               (bwd, "the backward direction's final state alone")):
                if _matches(got, value):
                    raise Wrong(f"your answer has shape (B, H) ({label}): that is {why}; put both directions' "
                                "final states side by side, (B, 2H)")
            raise Wrong(f"your answer has shape (B, H) = {shape} ({label}), one direction's features; put both "
                        "directions' final states side by side, (B, 2H)")
        if shape == (2 * B, H) and B > 1:
            raise Wrong(f"your answer has shape (2B, H) = {shape} ({label}): the two (B, H) halves are joined along "
                        "axis 0, one under the other; put them side by side along the features, axis=1, (B, 2H)")
        if shape == (2, B, H):
            raise Wrong(f"your answer has shape (2, B, H) ({label}), final[\"h\"]'s layout, the directions stacked "
                        "along a new first axis: put them side by side along the features, (B, 2H)")
        if shape == (B, 2, H):
            raise Wrong(f"your answer has shape (B, 2, H) ({label}): join the two (B, H) halves along the "
                        "features (np.concatenate on the last axis), not along a new axis, (B, 2H)")
        if shape is not None and len(shape) == 3 and shape[:2] == (B, B) and B > 1:
            raise Wrong(f"your answer has shape {shape} ({label}): out[:, lengths - 1] takes every listed step from "
                        "every sequence; index the rows too, out[np.arange(B), lengths - 1, :H], so that row b "
                        "takes its own step lengths[b] - 1")
        if shape == (B, T, 2 * H) and T > 1:
            raise Wrong(f"your answer has shape (B, T, 2H) ({label}), out itself: take one state per direction, "
                        "(B, 2H)")

        def pair(f, b):
            return np.concatenate([f, b], axis=1)
        slips = [
            (pair(out[:, -1, :H], bwd), CH09),
            (out[:, -1], "out[:, -1] reads both halves at step T: the forward half there has read the padding after "
                         "each shorter sequence, and the backward half is where the backward direction began (or "
                         "padding), not where it ended"),
            (pair(fwd, out[rows, last, H:]), "the forward half is right, but the backward half at the last real step "
                                             "has read that step alone: the backward direction starts at each "
                                             "sequence's last real step and ends at t = 1, whatever the length"),
            (pair(fwd, out[:, -1, H:]), "the forward half is right, but the backward half at step T is not its "
                                        "final state: the backward direction ends at t = 1, whatever the length"),
            (pair(bwd, fwd), "the halves are the wrong way round: the forward direction's state comes first, as in "
                             "out and in final[\"h\"]"),
            (pair(out[:, 0, :H], out[rows, last, H:]), "those are each direction's FIRST state (the forward's at "
                                                       "t = 1, the backward's at the last real step), each having "
                                                       "read one input: the final states are at the other ends"),
            (pair(out[rows, np.minimum(lengths, T - 1), :H], bwd),
             STEP_TOO_FAR.format(a="out") + " for the forward half"),
            (pair(fwd, fwd), "the forward half is there twice: the second half is the backward direction's final "
                             "state"),
        ]

        def explain(got=got, fwd=fwd, bwd=bwd, out=out, lengths=lengths, H=H):
            arr = np.asarray(got, dtype=float)
            half = which_half(arr, fwd, bwd, H)
            where = half and half.endswith("forward half") and _rows_at(arr[:, :H], out[..., :H], lengths)
            return half + (f": {where}" if where else "") if half else None
        compare(got, want, f"the returned array ({label})", slips, letters="(B, 2H)", explain=explain)


EXERCISES = {
    "padding_mask": Exercise(
        check_padding_mask,
        "Compare each step's index t = 0 ... T - 1 with each sequence's length: with the padding at the end, a step "
        "is real when its index is below the length (the indices start at 0). One comparison can do every row at "
        "once if the shapes broadcast to (B, T).",
        "def padding_mask(lengths, T):\n"
        "    lengths = np.asarray(lengths)               # (B,) ints; a list works too\n"
        "    steps = np.arange(T)                        # (T,): t = 0 ... T - 1\n"
        "    real = steps[None, :] < lengths[:, None]    # (B, T): True at the real steps\n"
        "    return real.astype(float)                   # (B, T): 1.0 real, 0.0 padding",
        call="padding_mask(lengths, T)",
        returns="the mask, an array of shape (B, T): 1.0 at each sequence's real steps, 0.0 at its padding"),
    "last_real_state": Exercise(
        check_last_real_state,
        "With the padding at the end, sequence b's real steps are t = 0 ... lengths[b] - 1; after them its cell "
        "went on reading zeros, so its state at the last step T is not the one you want unless it fills all T "
        "steps. Each row needs its own step: index the batch axis and the time axis together, with one index per "
        "row on each (two arrays of length B).",
        "def last_real_state(hs, lengths):\n"
        "    rows = np.arange(hs.shape[0])          # (B,): 0 ... B - 1\n"
        "    last = np.asarray(lengths) - 1         # (B,): each sequence's last real step, 0-based\n"
        "    return hs[rows, last]                  # (B, H): row b is hs[b, lengths[b] - 1]",
        call="last_real_state(hs, lengths)",
        returns="an array of shape (B, H): each sequence's hidden state at its last real step"),
    "bidirectional_final": Exercise(
        check_bidirectional_final,
        "Chapter 9 took the forward half at step T and the backward half at t = 1; with padding, one of them moves. "
        "The forward direction's final state is at each sequence's own last real step, as in last_real_state. The "
        "backward direction began at that step and read back to the first: where does it end? Put the two side by "
        "side, the forward direction's first.",
        "def bidirectional_final(out, lengths):\n"
        "    H = out.shape[2] // 2\n"
        "    rows = np.arange(out.shape[0])                      # (B,)\n"
        "    forward = out[rows, np.asarray(lengths) - 1, :H]    # (B, H): after x_1 ... x_{lengths[b]}\n"
        "    backward = out[:, 0, H:]                            # (B, H): after x_{lengths[b]} ... x_1\n"
        "    return np.concatenate([forward, backward], axis=1)  # (B, 2H)",
        call="bidirectional_final(out, lengths)",
        returns="an array of shape (B, 2H): the forward direction's final state, then the backward direction's"),
}
