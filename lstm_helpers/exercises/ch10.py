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
from ..i18n import tr
from .ch09 import right_half, two_directions_shape, which_half
from .checking import Exercise, Probe, Wrong, case_rng, close, compare, shape_of

# the texts a student reads are in lstm_helpers/texts/ex10.toml, looked up when shown


def _step_too_far(a):
    """'{a}[b, lengths[b]] is one step too far, ...' in the current language."""
    return tr("ex10.step_too_far", a=a, zero_based=tr("ex10.zero_based"))


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
    if len(offsets) == 1 and None not in offsets:
        d = offsets.pop()
        steps = tr("ex10.n_step" if abs(d) == 1 else "ex10.n_steps", n=abs(d))
        rows = "all_rows" if len(wrong) == B else "some_rows"
        return tr(f"ex10.{rows}_{'after' if d > 0 else 'before'}", lens=lens, steps=steps)
    if len(wrong) < B:
        return tr("ex10.some_rows_right", right=B - len(wrong), B=B, lens=lens)
    return None


# --- the mask of padded sequences ---

def _mask_rows(out, want, lengths):
    """What is wrong with a mask of the right shape: values other than 0 and 1, else which rows (by length)."""
    try:
        arr = np.asarray(out, dtype=float)
    except Exception:
        return None
    if not np.all((arr == 0) | (arr == 1)):
        return tr("ex10.mask_values")
    wrong = sorted({int(n) for n, row, right in zip(lengths, arr, want) if not np.array_equal(row, right)})
    if len(wrong) < len(lengths):
        return tr("ex10.mask_rows_wrong", lens=", ".join(map(str, wrong)))
    return None


MASK_CASES = ((5, 7, "ends"), (4, 6, "ends"), (6, 9, "short"), (1, 5, "short"), (3, 1, "full"))  # (B, T, kind)
LIST_CASE = 1   # this case passes lengths as a list of ints


def check_padding_mask(answer):
    for k, (B, T, kind) in enumerate(MASK_CASES):
        rng = case_rng([101, k])
        lengths = _lengths(rng, B, T, kind)
        given = [int(n) for n in lengths] if k == LIST_CASE else lengths
        steps = np.arange(T)
        want = (steps < lengths[:, None]).astype(float)                        # (B, T)
        label = tr("ex10.mask_label_list" if k == LIST_CASE else "ex10.mask_label", B=B, T=T,
                   lengths=lengths.tolist())
        what = tr("ex10.what_mask", label=label)
        probes = [Probe((lengths[:T] if B >= T else np.resize(lengths, T), T), tr("ex10.mask_probe_b_t"),
                        lambda out, T=T: shape_of(out) == (T,))]
        if k == LIST_CASE:
            probes.insert(0, Probe((lengths, T), tr("ex10.mask_probe_list"),
                                   lambda out, want=want: _matches(out, want)))
        out = answer(given, T, probes=probes)
        shape = shape_of(out)
        if shape is not None and len(shape) == 1 and shape in ((B,), (T,)):
            raise Wrong(tr("ex10.mask_one_axis", shape=shape, label=label))
        longest = int(lengths.max())
        if shape == (B, longest) and longest < T:
            raise Wrong(tr("ex10.mask_longest", shape=shape, label=label))
        zero_based = tr("ex10.zero_based")
        slips = [
            ((steps <= lengths[:, None]).astype(float), tr("ex10.mask_one_too_many", zero_based=zero_based)),
            ((steps < lengths[:, None] - 1).astype(float), tr("ex10.mask_one_too_few", zero_based=zero_based)),
            (want[:, ::-1], tr("ex10.mask_padding_first")),
            (1 - want, tr("ex10.mask_inverted")),
            (np.ones((B, T)), tr("ex10.mask_all_real")),
            (np.zeros((B, T)), tr("ex10.mask_all_padding")),
        ]
        compare(out, want, what, slips, within=(0, 1, tr("ex10.within_mask")), letters="(B, T)",
                explain=lambda out=out, want=want, lengths=lengths: _mask_rows(out, want, lengths))


# --- each sequence's state at its last real step ---

# (B, T, D, H, cell, kind); B, T and H all different
LAST_CASES = ((4, 7, 3, 5, "lstm", "short"), (5, 6, 2, 3, "gru", "ends"), (3, 4, 5, 2, "rnn", "full"),
              (1, 5, 2, 4, "lstm", "short"), (4, 3, 2, 1, "gru", "ends"))


FLOAT32_CASE = 1   # in LAST_CASES and BI_CASES: hs or out in float32, as the chapter's models run


def _padded_run(seed, k, B, T, D, H, cell, kind, bidirectional=False):
    """A run of ``cell`` (nonzero biases) over right-padded inputs (zeros at the padding), with lengths:
    (out, final, lengths), out (B, T, H) or (B, T, 2H)."""
    rng = case_rng([seed, k])
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


def check_last_real_state(answer):
    for k, case in enumerate(LAST_CASES):
        B, T, D, H = case[:4]
        hs, final, lengths = _padded_run(103, k, *case)
        want = final["h"][0]                                                     # (B, H)
        if k == FLOAT32_CASE:
            hs = hs.astype(np.float32)
        label = tr("ex10.hs_label", shape=hs.shape, float32=tr("ex10.float32") if k == FLOAT32_CASE else "",
                   lengths=lengths.tolist())
        rows = np.arange(B)
        got = answer(hs.copy(), lengths.copy(), probes=[_off_by_one_probe(
            (hs, lengths), want, tr("ex10.past_end_hs", too_far=_step_too_far("hs")))])
        shape = shape_of(got)
        if shape == (B, B, H) and B > 1:
            raise Wrong(tr("ex10.last_b_b_h", shape=shape, label=label))
        if shape == (B, T, H) and T > 1:
            raise Wrong(tr("ex10.last_every_step", label=label))
        real = (np.arange(T) < lengths[:, None])[..., None]                     # (B, T, 1)
        slips = [
            (hs[:, -1], tr("ex10.hs_last")),
            (hs[rows, np.minimum(lengths, T - 1)], _step_too_far("hs")),
            (hs[:, 0], tr("ex10.hs_first")),
            (hs.mean(axis=1), tr("ex10.hs_mean")),
            ((hs * real).sum(axis=1) / lengths[:, None], tr("ex10.hs_mean_real")),
        ]
        compare(got, want, tr("ex10.what_returned", label=label), slips, letters="(B, H)",
                explain=lambda got=got, hs=hs, lengths=lengths: _rows_at(got, hs, lengths))


# --- the final states of a bidirectional layer run with lengths ---

# (B, T, D, H, cell, kind); B, T, H and 2H all different but in the edges; T = 1 last
BI_CASES = ((4, 7, 2, 3, "lstm", "short"), (3, 5, 2, 4, "gru", "ends"), (1, 4, 2, 3, "lstm", "short"),
            (5, 3, 4, 1, "rnn", "ends"), (2, 4, 3, 5, "lstm", "full"), (3, 1, 2, 2, "gru", "full"))


def check_bidirectional_final(answer):
    for k, case in enumerate(BI_CASES):
        B, T, D, H = case[:4]
        out, final, lengths = _padded_run(107, k, *case, bidirectional=True)
        want = np.concatenate([final["h"][0], final["h"][1]], axis=1)           # (B, 2H), the forward half first
        if k == FLOAT32_CASE:
            out = out.astype(np.float32)
        label = tr("ex10.out_label", shape=out.shape, float32=tr("ex10.float32") if k == FLOAT32_CASE else "",
                   lengths=lengths.tolist())
        rows, last = np.arange(B), lengths - 1
        fwd, bwd = out[rows, last, :H], out[:, 0, H:]                          # each (B, H): the final states
        got = answer(out.copy(), lengths.copy(), probes=[_off_by_one_probe(
            (out, lengths), want, tr("ex10.past_end_out", too_far=_step_too_far("out")))])
        shape = shape_of(got)
        put = tr("ex10.final_put")
        two_directions_shape(got, B, H, label, tr("ex10.your_answer"), 'final["h"]', tr("ex10.halves"), alone=(
            (fwd, tr("ex10.fwd_final_alone")), (bwd, tr("ex10.bwd_final_alone"))), put=(put, put))
        if shape == (2 * B, H) and B > 1:
            raise Wrong(tr("ex10.bi_2b_h", shape=shape, label=label))
        if shape is not None and len(shape) == 3 and shape[:2] == (B, B) and B > 1:
            raise Wrong(tr("ex10.bi_b_b", shape=shape, label=label))
        if shape == (B, T, 2 * H) and T > 1:
            raise Wrong(tr("ex10.bi_out_itself", label=label))

        def pair(f, b):
            return np.concatenate([f, b], axis=1)
        slips = [
            (pair(out[:, -1, :H], bwd), tr("ex10.ch09")),
            (out[:, -1], tr("ex10.out_last_both")),
            (pair(fwd, out[rows, last, H:]), tr("ex10.bwd_at_last_real")),
            (pair(fwd, out[:, -1, H:]), tr("ex10.bwd_at_t")),
            (pair(bwd, fwd), tr("ex10.halves_swapped_final")),
            (pair(out[:, 0, :H], out[rows, last, H:]), tr("ex10.first_states_final")),
            (pair(out[rows, np.minimum(lengths, T - 1), :H], bwd),
             tr("ex10.for_forward_half", too_far=_step_too_far("out"))),
            (pair(fwd, fwd), tr("ex10.forward_twice_final")),
        ]

        def explain(got=got, fwd=fwd, bwd=bwd, out=out, lengths=lengths, H=H):
            arr = np.asarray(got, dtype=float)
            half = which_half(arr, fwd, bwd, H)
            # the backward half right: say where the forward half's rows were taken
            where = right_half(arr, fwd, bwd, H) == "backward" and _rows_at(arr[:, :H], out[..., :H], lengths)
            return tr("ex10.half_where", half=half, where=where) if where else half
        compare(got, want, tr("ex10.what_returned", label=label), slips, letters="(B, 2H)", explain=explain)


EXERCISES = {
    "padding_mask": Exercise(
        check_padding_mask,
        "ex10.hint_padding_mask",
        call="padding_mask(lengths, T)",
        returns="ex10.returns_padding_mask"),
    "last_real_state": Exercise(
        check_last_real_state,
        "ex10.hint_last_real_state",
        call="last_real_state(hs, lengths)",
        returns="ex10.returns_last_real_state"),
    "bidirectional_final": Exercise(
        check_bidirectional_final,
        "ex10.hint_bidirectional_final",
        call="bidirectional_final(out, lengths)",
        returns="ex10.returns_bidirectional_final"),
}
