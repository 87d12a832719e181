"""Chapter 10's exercises: padding_mask (1.0 at the real steps of right-padded sequences), last_real_state (each
sequence's h at its last real step) and bidirectional_final (each direction's final state of a bidirectional layer
run with lengths), with their catalogues of wrong answers (written as a student would write them) and the checks
that the checker's references are the package's math."""
import numpy as np
from test_exercises import assert_wrong

from lstm_helpers import exercises as ex, layers
from lstm_helpers.exercises import ch10
from lstm_helpers.model import SequenceModel


# --- padding_mask ---

def mask(compare=lambda t, n: t < n, steps=lambda T: np.arange(T), flip=False, asarray=True):
    """padding_mask with one slip: the comparison, the steps counted otherwise, the rows reversed, no asarray."""
    def fn(lengths, T):
        n = np.asarray(lengths) if asarray else lengths
        m = compare(steps(T)[None, :], n[:, None]).astype(float)
        return m[:, ::-1] if flip else m
    return fn


def mask_loop_one_too_many(lengths, T):
    m = np.zeros((len(lengths), T))
    for b, n in enumerate(lengths):
        m[b, :n + 1] = 1.0
    return m


# --- last_real_state ---

def last_loop(shift=0):
    """hs[b, lengths[b] - 1 + shift] row by row (shift 1: the first padded step, out of range at lengths[b] = T)."""
    def fn(hs, lengths):
        return np.stack([hs[b, lengths[b] - 1 + shift] for b in range(len(lengths))])
    return fn


def mean_over_real_steps(hs, lengths):
    return np.stack([hs[b, :n].mean(axis=0) for b, n in enumerate(lengths)])


# --- bidirectional_final ---

def final_at(forward, backward, axis=1, join=np.concatenate, swap=False):
    """[forward half, backward half], each taken by a function of (half (B, T, H), lengths, rows)."""
    def fn(out, lengths):
        H = out.shape[2] // 2
        rows = np.arange(out.shape[0])
        f, b = forward(out[..., :H], lengths, rows), backward(out[..., H:], lengths, rows)
        return join([b, f] if swap else [f, b], axis=axis)
    return fn


def at_last(half, lengths, rows):
    return half[rows, lengths - 1]


def at_first(half, lengths, rows):
    return half[:, 0]


def at_end(half, lengths, rows):
    return half[:, -1]


def one_too_far(half, lengths, rows):
    return half[rows, lengths]


def forward_twice(out, lengths):
    forward = at_last(out[..., :out.shape[2] // 2], lengths, np.arange(len(out)))
    return np.concatenate([forward, forward], axis=1)


CATALOGUE = {
    "padding_mask": [
        ("t <= lengths", mask(compare=lambda t, n: t <= n), "one step too many"),
        ("slice one too long in a loop", mask_loop_one_too_many, "one step too many"),
        ("1-based steps", mask(steps=lambda T: np.arange(1, T + 1)), "one step too few"),
        ("t < lengths - 1", mask(compare=lambda t, n: t < n - 1), "the last real step is missing"),
        ("padding at the start", mask(flip=True), "as if the padding came first"),
        ("t >= T - lengths", lambda lengths, T: (np.arange(T) >= T - np.asarray(lengths)[:, None]).astype(float),
         "as if the padding came first"),
        ("transposed (T, B)", lambda lengths, T: (np.arange(T)[:, None] < np.asarray(lengths)).astype(float),
         "(transposed)"),
        ("mask of the padding", mask(compare=lambda t, n: t >= n), "the mask of the padding"),
        ("lengths ignored", lambda lengths, T: np.ones((len(lengths), T)), "every step is marked real"),
        ("max(lengths) columns", lambda lengths, T: mask()(lengths, max(lengths)), "(B, max(lengths))"),
        ("lengths without [:, None]", lambda lengths, T: (np.arange(T) < np.asarray(lengths)).astype(float),
         "lengths[:, None]"),
        ("works for arrays only", mask(asarray=False),
         "not when it is a list of ints: start with lengths = np.asarray(lengths)"),
        ("one value per sequence", lambda lengths, T: np.asarray(lengths) / T, "one axis"),
    ],
    "last_real_state": [
        ("hs[:, -1]", lambda hs, lengths: hs[:, -1], "reads the padding after shorter sequences"),
        ("hs[b, lengths[b]] in a loop", last_loop(1), "one step too far, the first padded step"),
        ("hs[rows, lengths]", lambda hs, lengths: hs[np.arange(len(hs)), lengths], "one step too far"),
        ("hs[:, lengths - 1]", lambda hs, lengths: hs[:, lengths - 1], "index the rows too"),
        ("mean over all T steps", lambda hs, lengths: hs.mean(axis=1), "the mean over all T steps"),
        ("mean over the real steps", mean_over_real_steps, "the mean over the real steps is a summary too"),
        ("hs[:, 0]", lambda hs, lengths: hs[:, 0], "the first step"),
        ("the whole hs", lambda hs, lengths: hs * 1.0, "(B, T, H)"),
        ("one step early, clipped", lambda hs, lengths: hs[np.arange(len(hs)), np.maximum(lengths - 2, 0)],
         "1 step before its last real step"),
        ("the last sequence", lambda hs, lengths: hs[-1], "should have shape (B, H)"),
    ],
    "bidirectional_final": [
        ("out[:, -1]", lambda out, lengths: out[:, -1], "out[:, -1] reads both halves at step T"),
        ("chapter 9's answer", final_at(at_end, at_first),
         "chapter 9's answer (out[:, -1, :H] beside out[:, 0, H:]), right only when no sequence is padded"),
        ("both halves at the last real step", final_at(at_last, at_last), "the backward half at the last real step"),
        ("backward half at step T", final_at(at_last, at_end), "the backward half at step T"),
        ("halves swapped", final_at(at_last, at_first, swap=True), "the wrong way round"),
        ("concatenated along axis 0", final_at(at_last, at_first, axis=0), "joined along axis 0"),
        ("stacked, final[\"h\"]'s layout", final_at(at_last, at_first, axis=0, join=np.stack), "(2, B, H)"),
        ("stacked along axis 1", final_at(at_last, at_first, axis=1, join=np.stack), "(B, 2, H)"),
        ("each direction's first state", final_at(at_first, at_last), "each direction's FIRST state"),
        ("forward half one step too far", final_at(one_too_far, at_first),
         "one step too far, the first padded step"),
        ("forward half only", lambda out, lengths: at_last(out[..., :out.shape[2] // 2], lengths, np.arange(len(out))),
         "the forward direction's final state alone"),
        ("out itself", lambda out, lengths: out, "out itself"),
        ("forward half twice", forward_twice, "the forward half is there twice"),
        ("forward half one step early, clipped",
         final_at(lambda half, lengths, rows: half[rows, np.maximum(lengths - 2, 0)], at_first),
         "look at the forward half: the rows of the sequences of length"),
    ],
}


def test_reasonable_variants_of_correct_answers_pass():
    assert ex.check("padding_mask", mask())
    assert ex.check("padding_mask", lambda lengths, T: np.arange(T) < np.asarray(lengths)[:, None])   # booleans
    assert ex.check("padding_mask", lambda lengths, T: (np.asarray(lengths)[:, None] > np.arange(T)).astype(int))
    assert ex.check("padding_mask", lambda lengths, T: np.less.outer(np.arange(T), lengths).T.astype(np.float32))
    assert ex.check("padding_mask", lambda lengths, T: [[1.0 if t < n else 0.0 for t in range(T)] for n in lengths])
    assert ex.check("padding_mask", lambda lengths, T: np.arange(1, T + 1) <= np.reshape(lengths, (-1, 1)))

    def mask_loop(lengths, T):
        m = np.zeros((len(lengths), T))
        for b in range(len(lengths)):
            m[b, :lengths[b]] = 1
        return m
    assert ex.check("padding_mask", mask_loop)

    assert ex.check("last_real_state", last_loop(0))
    assert ex.check("last_real_state", lambda hs, lengths: np.take_along_axis(hs, (lengths - 1)[:, None, None],
                                                                              axis=1)[:, 0])
    assert ex.check("last_real_state", lambda hs, lengths: hs[range(len(hs)), np.asarray(lengths) - 1].astype(
        np.float32))
    assert ex.check("last_real_state", lambda hs, lengths: hs[np.arange(len(hs)), lengths - 1].tolist())
    assert ex.check("last_real_state", lambda hs, lengths: np.asarray(hs, dtype=float)[np.arange(len(hs)),
                                                                                       lengths - 1])
    assert ex.check("last_real_state", lambda hs, lengths: (hs * (np.arange(hs.shape[1]) == lengths[:, None] - 1)[
        ..., None]).sum(axis=1))   # a one-hot mask of the last real step

    assert ex.check("bidirectional_final", final_at(at_last, at_first))
    assert ex.check("bidirectional_final", lambda out, lengths: final_at(at_last, at_first)(out, lengths).astype(
        np.float32))
    assert ex.check("bidirectional_final", final_at(at_last, at_first, axis=-1, join=np.concatenate))

    def with_split(out, lengths):
        fwd, bwd = np.split(out, 2, axis=-1)
        last = np.take_along_axis(fwd, (lengths - 1)[:, None, None], axis=1)[:, 0]
        return np.hstack([last, bwd[:, 0]])
    assert ex.check("bidirectional_final", with_split)

    def with_loop(out, lengths):
        H = out.shape[2] // 2
        return np.array([np.concatenate([out[b, n - 1, :H], out[b, 0, H:]]) for b, n in enumerate(lengths)])
    assert ex.check("bidirectional_final", with_loop)


def padding_mask_template(lengths, T):
    ...


def last_real_state_template(hs, lengths):
    ...


def bidirectional_final_template(out, lengths):
    ...


def test_the_templates_are_not_attempted():
    for name, fn in (("padding_mask", padding_mask_template), ("last_real_state", last_real_state_template),
                     ("bidirectional_final", bidirectional_final_template)):
        r = ex.check(name, fn)
        assert r.status == "not attempted", r
        assert ex.check(name, ...).status == "not attempted"


def test_odd_answers_are_results():
    assert_wrong("padding_mask", lambda lengths, T: np.full((len(lengths), T), 0.5), "only 1.0 (a real step) and 0.0")
    assert_wrong("padding_mask", lambda lengths, T: mask()(lengths, T) * (np.asarray(lengths) != 5)[:, None],
                 "the rows of the sequences of length 5 are wrong, the others right")
    assert_wrong("padding_mask", lambda lengths, T: np.full((len(lengths), T), 2.0), "should lie between 0 and 1")
    assert_wrong("last_real_state", lambda hs, lengths: hs[:, -1].T, "transposed")
    assert_wrong("last_real_state", lambda hs, lengths: hs[:, -1] * np.nan, "NaN")
    assert_wrong("bidirectional_final", lambda out, lengths: out[:, -1].T, "shape")
    assert_wrong("bidirectional_final", lambda out, lengths: np.concatenate([out[:, -1], out[:, 0]], axis=1), "shape")
    for name in ("padding_mask", "last_real_state", "bidirectional_final"):
        assert ex.check(name, lambda a, b: None).status == "wrong"


def test_one_step_too_far_is_named_where_it_runs_past_the_end(monkeypatch):
    """hs[b, lengths[b]] raises IndexError when lengths[b] = T: a probe with lengths - 1 names the slip then."""
    monkeypatch.setattr(ch10, "LAST_CASES", ch10.LAST_CASES[1:])     # the first case now has a length T
    monkeypatch.setattr(ch10, "BI_CASES", ch10.BI_CASES[1:])
    for answer in (last_loop(1), lambda hs, lengths: hs[np.arange(len(hs)), lengths]):
        assert_wrong("last_real_state", answer, "one step too far, the first padded step", "past the end of hs",
                     "as written, it raises IndexError")
    assert_wrong("bidirectional_final", final_at(one_too_far, at_first), "one step too far", "past the end of out",
                 "as written, it raises IndexError")


# --- the checkers' references are the package's math ---

def test_the_mask_cases_have_the_edges():
    """1 and T among the lengths, a case with no sequence T steps long, B = 1, T = 1, a list; B != T throughout."""
    drawn = [ch10._lengths(np.random.default_rng([101, k]), B, T, kind)
             for k, (B, T, kind) in enumerate(ch10.MASK_CASES)]
    sizes = ch10.MASK_CASES
    assert all(B != T for B, T, _ in sizes)
    assert any(1 in n and T in n for n, (B, T, _) in zip(drawn, sizes) if T > 2)
    assert any(n.max() < T for n, (B, T, _) in zip(drawn, sizes) if B > 1)
    assert any(B == 1 for B, *_ in sizes) and any(T == 1 for _, T, _ in sizes)
    assert sizes[ch10.LIST_CASE][0] > 1 and drawn[ch10.LIST_CASE].min() < sizes[ch10.LIST_CASE][1]
    for n, (B, T, _) in zip(drawn, sizes):
        assert n.shape == (B,) and n.min() >= 1 and n.max() <= T


def test_the_last_state_cases_have_distinct_shapes_and_lengths():
    sizes = ch10.LAST_CASES
    assert all(len({B, T, H}) == 3 for B, T, _, H, *_ in sizes)
    assert {cell for *_, cell, _ in sizes} == {"lstm", "gru", "rnn"}
    assert any(B == 1 for B, *_ in sizes)
    runs = [ch10._padded_run(103, k, *case) for k, case in enumerate(sizes)]
    assert any(len(set(n.tolist())) == len(n) >= 3 for _, _, n in runs)      # all different, B >= 3
    assert any(np.all(n == case[1]) for (_, _, n), case in zip(runs, sizes))  # all T
    assert any(np.any(n == case[1]) and np.any(n < case[1]) for (_, _, n), case in zip(runs, sizes))


def test_the_last_real_state_is_the_final_state_of_a_run_with_lengths():
    for k, case in enumerate(ch10.LAST_CASES):
        hs, final, lengths = ch10._padded_run(103, k, *case)
        rows = np.arange(len(hs))
        np.testing.assert_allclose(hs[rows, lengths - 1], final["h"][0], rtol=1e-12, atol=1e-14)
        short = lengths < hs.shape[1]
        if short.any():   # the padding moves the state: hs[:, -1] differs for every shorter sequence
            assert not np.any(np.all(np.isclose(hs[short, -1], final["h"][0][short]), axis=-1))


def test_the_bidirectional_final_states_are_final_h_and_the_models_readout():
    for k, case in enumerate(ch10.BI_CASES):
        B, T, D, H = case[:4]
        out, final, lengths = ch10._padded_run(107, k, *case, bidirectional=True)
        answer = final_at(at_last, at_first)(out, lengths)
        np.testing.assert_allclose(answer, np.concatenate([final["h"][0], final["h"][1]], axis=1), rtol=1e-12,
                                   atol=1e-14)
        model = SequenceModel(case[4], D, H, 2, np.random.default_rng(k), bidirectional=True)
        np.testing.assert_allclose(model._last(out, lengths - 1), answer, rtol=1e-12, atol=1e-14)
    # each sequence alone, unpadded, ends in the same final states
    out, final, lengths = ch10._padded_run(107, 0, *ch10.BI_CASES[0], bidirectional=True)
    rng = np.random.default_rng([107, 0])
    B, T, D, H, cell, kind = ch10.BI_CASES[0]
    net = layers.init_params(cell, D, H, rng, bidirectional=True)
    for params in net["layers"][0].values():
        for key in params:
            if key.startswith("b"):
                params[key] = rng.standard_normal(params[key].shape)
    lengths_again = ch10._lengths(rng, B, T, kind)
    x = rng.standard_normal((B, T, D)) * (np.arange(T) < lengths_again[:, None])[..., None]
    np.testing.assert_array_equal(lengths_again, lengths)
    for b in range(B):
        alone, final_alone, _ = layers.forward(net, x[b:b + 1, :lengths[b]])
        np.testing.assert_allclose(final_alone["h"][:, 0], final["h"][:, b], rtol=1e-10, atol=1e-12)



def test_one_case_of_each_runs_in_float32():
    """As the chapter's models run: a correct answer passes there, and the answer is handed float32."""
    seen = []
    assert ex.check("last_real_state", lambda hs, lengths: seen.append(hs.dtype) or hs[np.arange(len(hs)),
                                                                                          lengths - 1])
    assert ex.check("bidirectional_final", lambda out, lengths: seen.append(out.dtype) or final_at(
        at_last, at_first)(out, lengths))
    assert seen.count(np.float32) == 2 and seen[ch10.FLOAT32_CASE] == np.float32


def test_the_bidirectional_cases_have_the_edges_and_distinct_shapes():
    """Padding in the first case, a case without padding, B = 1, H = 1 and T = 1 (the last); B, T, H, 2H apart
    elsewhere, so a shape slip shows."""
    sizes = ch10.BI_CASES
    assert sizes[0][-1] == "short" and any(kind == "full" for *_, kind in sizes)
    assert any(B == 1 for B, *_ in sizes) and any(case[3] == 1 for case in sizes) and sizes[-1][1] == 1
    for B, T, D, H, *_ in sizes:
        assert len({B, 2 * H, 4 * H}) == 3 and (T == 1 or len({B, T, H}) == 3)
