"""Chapter 09's exercises: gru_step (Cho's form), gru_from_pytorch (nn.GRU's arrays in our layout, PyTorch's form
with b_hn) and bidirectional_summary (each direction's last state), with their catalogues of wrong answers (written
as a student would write them, apart from the checker's own slip model) and the checks that the checker's
references are the package's math."""
import numpy as np
from test_exercises import assert_wrong

from lstm_helpers import exercises as ex, frameworks, gru, layers
from lstm_helpers.exercises import ch09, guard


def sig(z):
    return 1 / (1 + np.exp(-z))


# --- gru_step ---

def gru_answer(order="hx", act_z=sig, act_r=sig, act_n=np.tanh, reset="before", mix=lambda z, h, n: z * h + (1 - z) * n,
               swap_rz=False, bias=True, returns="h"):
    """gru_step with one slip: [x, h], an activation, where the reset gate acts, how h_t mixes, z and r swapped,
    no biases, what is returned."""
    def fn(q, x_t, h_prev):
        def cat(h, x):
            return np.concatenate([h, x] if order == "hx" else [x, h], axis=1)
        H = h_prev.shape[1]
        W_z, b_z, W_r, b_r = (q["W_r"], q["b_r"], q["W_z"], q["b_z"]) if swap_rz else (q["W_z"], q["b_z"], q["W_r"],
                                                                                      q["b_r"])
        b_n = q["b_n"] * bias
        hx = cat(h_prev, x_t)
        z = act_z(hx @ W_z.T + b_z * bias)
        r = act_r(hx @ W_r.T + b_r * bias)
        if reset == "before":
            n = act_n(cat(r * h_prev, x_t) @ q["W_n"].T + b_n)
        elif reset == "after":    # PyTorch's form, b_n outside
            n = act_n(x_t @ q["W_n"][:, H:].T + b_n + r * (h_prev @ q["W_n"][:, :H].T))
        elif reset == "both":     # [r * h, r * x]: runs only when D == H
            n = act_n(np.concatenate([r * h_prev, r * x_t], axis=1) @ q["W_n"].T + b_n)
        elif reset == "whole":    # r * [h, x]: runs only when H == 1
            n = act_n((r * hx) @ q["W_n"].T + b_n)
        else:
            n = act_n(hx @ q["W_n"].T + b_n)
        return {"h": lambda: mix(z, h_prev, n), "n": lambda: n, "z": lambda: z,
                "pair": lambda: (mix(z, h_prev, n), z)}[returns]()
    return fn


def gru_no_transpose(q, x_t, h_prev):
    """Each W split in two, neither part transposed: runs only when D == H."""
    H = h_prev.shape[1]

    def lin(k, h):
        return h @ q[f"W_{k}"][:, :H] + x_t @ q[f"W_{k}"][:, H:] + q[f"b_{k}"]
    z, r = sig(lin("z", h_prev)), sig(lin("r", h_prev))
    n = np.tanh(lin("n", r * h_prev))
    return z * h_prev + (1 - z) * n


def gru_h_part_untransposed(q, x_t, h_prev):
    """x_t @ W[:, H:].T, but h_prev @ W[:, :H] (square, so it runs)."""
    H = h_prev.shape[1]

    def lin(k, h):
        return h @ q[f"W_{k}"][:, :H] + x_t @ q[f"W_{k}"][:, H:].T + q[f"b_{k}"]
    z, r = sig(lin("z", h_prev)), sig(lin("r", h_prev))
    n = np.tanh(lin("n", r * h_prev))
    return z * h_prev + (1 - z) * n


def gru_for_columns(q, x_t, h_prev):
    """hx @ W, as if each W were (H + D, H): runs only when given the weights transposed."""
    hx = np.concatenate([h_prev, x_t], axis=1)
    z, r = sig(hx @ q["W_z"] + q["b_z"]), sig(hx @ q["W_r"] + q["b_r"])
    n = np.tanh(np.concatenate([r * h_prev, x_t], axis=1) @ q["W_n"] + q["b_n"])
    return z * h_prev + (1 - z) * n


def gru_one_example(q, x_t, h_prev):
    """Written for 1-D vectors: W @ [h, x], the concatenation along axis 0."""
    hx = np.concatenate([h_prev, x_t])
    z, r = sig(q["W_z"] @ hx + q["b_z"]), sig(q["W_r"] @ hx + q["b_r"])
    n = np.tanh(q["W_n"] @ np.concatenate([r * h_prev, x_t]) + q["b_n"])
    return z * h_prev + (1 - z) * n


# --- gru_from_pytorch ---

def gru_reading(order=("r", "z", "n"), hh_first=True, rz=lambda i, h: i + h, n_biases=lambda i, h: (i, h),
                transpose=False, with_b_hn=True):
    """gru_from_pytorch with one slip: the blocks read in another order, x's columns first, the biases of r and z
    combined otherwise than by their sum, the two biases of n combined or swapped, W transposed, b_hn left out."""
    def fn(state):
        ih, hh = state["weight_ih_l0"], state["weight_hh_l0"]
        W = np.concatenate([hh, ih] if hh_first else [ih, hh], axis=1)      # (3H, H + D)
        b_ih, b_hh = state["bias_ih_l0"], state["bias_hh_l0"]
        H = W.shape[0] // 3
        q = {}
        for k, g in enumerate(order):
            rows = slice(k * H, (k + 1) * H)
            q[f"W_{g}"] = W[rows].T if transpose else W[rows]
            if g == "n":
                q["b_n"], b_hn = n_biases(b_ih[rows], b_hh[rows])
                if with_b_hn:
                    q["b_hn"] = b_hn
            else:
                q[f"b_{g}"] = rz(b_ih[rows], b_hh[rows])
        return q
    return fn


def gru_only_weight_ih(state):
    q = gru_reading()(state)
    H = state["weight_hh_l0"].shape[1]
    for k, g in enumerate(("r", "z", "n")):
        q[f"W_{g}"] = state["weight_ih_l0"][k * H:(k + 1) * H]
    return q


# --- bidirectional_summary ---

def halves(first, second):
    """[out[:, first, :H], out[:, second, H:]]."""
    def fn(out):
        H = out.shape[-1] // 2
        return np.concatenate([out[:, first, :H], out[:, second, H:]], axis=1)
    return fn


CATALOGUE = {
    "gru_step": [
        ("colah's convention", gru_answer(mix=lambda z, h, n: (1 - z) * h + z * n), "that is colah's z, which is 1 - z"),
        ("reset after the product (PyTorch's form)", gru_answer(reset="after"), "PyTorch's form"),
        ("reset on [r * h, r * x]", gru_answer(reset="both"), "the reset gate scales h_{t-1} only"),
        ("reset on r * [h, x]", gru_answer(reset="whole"), "the reset gate scales h_{t-1} only"),
        ("no reset gate", gru_answer(reset="none"), "the reset gate is missing"),
        ("[x, h]", gru_answer(order="xh"), "hidden state first"),
        ("sigmoid for the candidate", gru_answer(act_n=sig), "the candidate n_t is not a gate"),
        ("tanh for z", gru_answer(act_z=np.tanh), "the update gate z is a gate"),
        ("tanh for the gates, sigmoid for n", gru_answer(act_z=np.tanh, act_r=np.tanh, act_n=sig),
         "the wrong way round"),
        ("hx @ W, no .T", gru_for_columns, "runs only with the weights transposed"),
        ("split W, no .T", gru_no_transpose, "each W has shape (H, H + D)"),
        ("h's block without .T", gru_h_part_untransposed, "numpy does not complain"),
        ("returns n", gru_answer(returns="n"), "not the candidate n_t"),
        ("returns z", gru_answer(returns="z"), "not the update gate z"),
        ("returns (h, z)", gru_answer(returns="pair"), "return h_t alone"),
        ("r and z swapped", gru_answer(swap_rz=True), "z and r are swapped"),
        ("candidate not scaled by 1 - z", gru_answer(mix=lambda z, h, n: z * h + n), "scaled by 1 - z"),
        ("no biases", gru_answer(bias=False), "biases are missing"),
        ("written for one example", gru_one_example, "works for one example"),
        ("candidate a little off", gru_answer(act_n=lambda a: np.tanh(0.9 * a)), "with h_{t-1} = 0"),
        ("reset gate a little off", gru_answer(act_r=lambda a: sig(2 * a)), "look at the reset gate r"),
        ("the package's function itself", lambda q, x, h: gru.step(q, x, h).h, "gru.step is what you are"),
        ("calls gru.forward", lambda q, x, h: gru.forward(q, x[:, None], h)[0].h[:, 0], "gru.forward is what you"),
        ("calls layers.run_cell", lambda q, x, h: layers.run_cell(gru, q, x[:, None], (h,))[0][:, 0],
         "gru.forward is what you"),
    ],
    "gru_from_pytorch": [
        ("our order z, r, n", gru_reading(order=("z", "r", "n")), "yours reads them z, r, n"),
        ("order n, z, r", gru_reading(order=("n", "z", "r")), "nn.GRU stacks them r, z, n"),
        ("x's columns first", gru_reading(hh_first=False), "weight_hh_l0's columns come first"),
        ("order z, r, n and bias_hh dropped", gru_reading(order=("z", "r", "n"), rz=lambda i, h: i),
         "W_r (for D=3, H=4) has the right shape but not the right values: nn.GRU stacks its blocks r, z, n"),
        ("b_in + b_hn in b_n", gru_reading(n_biases=lambda i, h: (i + h, h)), "b_hn is multiplied by r, it cannot "
                                                                             "join b_n"),
        ("b_in + b_hn in b_n, b_hn zero", gru_reading(n_biases=lambda i, h: (i + h, 0 * h)), "it cannot join b_n"),
        ("b_n and b_hn swapped", gru_reading(n_biases=lambda i, h: (h, i)), "two biases are swapped"),
        ("bias_hh dropped for r and z", gru_reading(rz=lambda i, h: i), "bias_hh_l0 is left out for r and z"),
        ("biases of r and z averaged", gru_reading(rz=lambda i, h: (i + h) / 2), "does not average"),
        ("no b_hn", gru_reading(n_biases=lambda i, h: (i + h, None), with_b_hn=False), "Cho's form"),
        ("W transposed", gru_reading(transpose=True), "transposed"),
        ("weight_ih alone", gru_only_weight_ih, "one of nn.GRU's two weights alone"),
        ("keys of its own", lambda s: {"W_ir": s["weight_ih_l0"], "W_hr": s["weight_hh_l0"]}, "the keys"),
        ("the package's function itself", frameworks.from_pytorch_gru, "frameworks.from_pytorch_gru is what you"),
        ("calls the package", lambda s: frameworks.from_pytorch_gru(s), "frameworks.from_pytorch_gru is what you"),
        ("not a dict", lambda s: list(s.values()), "return a dict"),
    ],
    "bidirectional_summary": [
        ("out[:, -1]", lambda out: out[:, -1], "its backward half has read only x_T"),
        ("out[:, 0]", lambda out: out[:, 0], "its forward half has read only x_1"),
        ("mean over time", lambda out: out.mean(axis=1), "the mean over time"),
        ("max over time", lambda out: out.max(axis=1), "max pooling"),
        ("forward half only", lambda out: out[:, -1, :out.shape[-1] // 2], "the forward direction's last state alone"),
        ("halves in the wrong order", lambda out: np.concatenate([out[:, 0, out.shape[-1] // 2:],
                                                                  out[:, -1, :out.shape[-1] // 2]], axis=1),
         "the wrong way round"),
        ("each direction's first state", halves(0, -1), "each direction's FIRST state"),
        ("h_n's layout", lambda out: np.stack([out[:, -1, :out.shape[-1] // 2], out[:, 0, out.shape[-1] // 2:]]),
         "h_n's layout"),
        ("out itself", lambda out: out, "out itself"),
        ("both ends whole", lambda out: np.concatenate([out[:, -1], out[:, 0]], axis=1), "two whole steps"),
        ("H hard-coded", lambda out: np.concatenate([out[:, -1, :4], out[:, 0, 4:]], axis=1),
         "look at the backward half"),
    ],
}


def test_reasonable_variants_of_correct_answers_pass():
    def gru_hstack(q, x_t, h_prev):  # np.hstack, the two blocks of each W apart
        H = h_prev.shape[1]
        hx = np.hstack([h_prev, x_t])
        z = sig(hx @ q["W_z"].T + q["b_z"])
        r = sig(q["W_r"] @ hx.T + q["b_r"][:, None]).T
        n = np.tanh((r * h_prev) @ q["W_n"][:, :H].T + x_t @ q["W_n"][:, H:].T + q["b_n"])
        return (1 - z) * n + z * h_prev
    assert ex.check("gru_step", gru_hstack)
    assert ex.check("gru_step", gru_answer())
    assert ex.check("gru_step", lambda q, x, h: gru_answer()(q, x, h).tolist())   # a nested list is an array too
    assert ex.check("gru_step", lambda q, x, h: gru_answer()({k: v.astype(np.float32) for k, v in q.items()},
                                                             x.astype(np.float32), h.astype(np.float32)))

    def gru_einsum(q, x_t, h_prev):
        def layer(W, b, h):
            return np.einsum("bj,ij->bi", np.concatenate([h, x_t], axis=-1), W) + b
        z, r = sig(layer(q["W_z"], q["b_z"], h_prev)), sig(layer(q["W_r"], q["b_r"], h_prev))
        n = np.tanh(layer(q["W_n"], q["b_n"], r * h_prev))
        return h_prev + (1 - z) * (n - h_prev)
    assert ex.check("gru_step", gru_einsum)

    assert ex.check("gru_from_pytorch", gru_reading())
    assert ex.check("gru_from_pytorch", lambda s: {k: v.tolist() for k, v in gru_reading()(s).items()})
    assert ex.check("gru_from_pytorch", lambda s: {k: v.astype(np.float32) for k, v in gru_reading()(s).items()})

    def with_split(state):  # np.split, one gate at a time, b_hn written out
        r_ih, z_ih, n_ih = np.split(state["weight_ih_l0"], 3)
        r_hh, z_hh, n_hh = np.split(state["weight_hh_l0"], 3)
        bir, biz, bin_ = np.split(state["bias_ih_l0"], 3)
        bhr, bhz, bhn = np.split(state["bias_hh_l0"], 3)
        return {"W_z": np.hstack([z_hh, z_ih]), "b_z": biz + bhz, "W_r": np.hstack([r_hh, r_ih]), "b_r": bir + bhr,
                "W_n": np.hstack([n_hh, n_ih]), "b_n": bin_, "b_hn": bhn}
    assert ex.check("gru_from_pytorch", with_split)

    assert ex.check("bidirectional_summary", halves(-1, 0))
    assert ex.check("bidirectional_summary", lambda out: np.hstack([out[:, out.shape[1] - 1, :out.shape[2] // 2],
                                                                    out[:, 0, out.shape[2] // 2:]]))
    assert ex.check("bidirectional_summary", lambda out: halves(-1, 0)(out).astype(np.float32))

    def with_split_halves(out):
        fwd, bwd = np.split(out, 2, axis=-1)
        return np.concatenate([fwd[:, -1], bwd[:, 0]], axis=-1)
    assert ex.check("bidirectional_summary", with_split_halves)


def gru_step_template(q, x_t, h_prev):
    ...


def gru_from_pytorch_template(state):
    ...


def bidirectional_summary_template(out):
    ...


def test_the_templates_are_not_attempted():
    for name, fn in (("gru_step", gru_step_template), ("gru_from_pytorch", gru_from_pytorch_template),
                     ("bidirectional_summary", bidirectional_summary_template)):
        r = ex.check(name, fn)
        assert r.status == "not attempted", r
        assert ex.check(name, ...).status == "not attempted"


def test_odd_answers_are_results():
    """Dicts with the right keys and odd values, arrays of the wrong kind: each a "wrong" Result, never raised."""
    keys = ch09.KEYS
    for values in (lambda s: None, lambda s: "W", lambda s: np.full((2, 2), np.nan), lambda s: [[1.0], [2.0, 3.0]],
                   lambda s: 1j * np.ones(3)):
        r = ex.check("gru_from_pytorch", lambda s, v=values: {k: v(s) for k in keys})
        assert r.status == "wrong", r

    def nan_bias(state):
        q = gru_reading()(state)
        q["b_hn"] = q["b_hn"] * np.nan
        return q
    assert_wrong("gru_from_pytorch", nan_bias, "b_hn", "NaN")
    assert_wrong("gru_step", lambda q, x, h: np.zeros((h.shape[1], h.shape[0])), "shape")
    assert_wrong("bidirectional_summary", lambda out: out[:, -1].T, "shape")


# --- the checkers' references are the package's math ---

def _case(B=3, D=2, H=4, seed=0, reset_after=False):
    return ch09._gru_params(B, D, H, np.random.default_rng(seed), reset_after=reset_after)


def test_the_gru_slip_model_without_slips_is_the_package_and_every_slip_differs():
    for B, D, H in ((3, 2, 4), (5, 3, 1), (1, 1, 3), (4, 5, 2)):
        q, x, h = _case(B, D, H)
        want = gru.step(q, x, h).h
        np.testing.assert_allclose(ch09._gru(q, x, h), want, rtol=1e-12, atol=1e-14)
        np.testing.assert_allclose(gru_answer()(q, x, h), want, rtol=1e-12, atol=1e-14)
        for kw, why in ch09.GRU_SLIPS:
            value = ch09._gru(q, x, h, **kw)
            if value is None:   # only the slips that need D == H or H == 1 may fail to run
                assert kw in ch09.SQUARE_ONLY, kw
                continue
            if H == 1 and kw in (dict(untransposed="h"), dict(reset="after")):  # a 1 x 1 block is its own
                continue                               # transpose, and r (W_nh h) = W_nh (r h) for one unit
            assert not np.allclose(value, want), why


def test_the_reset_after_slip_is_pytorchs_form():
    """With b_hn = 0, the "reset after the product, b_n outside" slip is gru.step's PyTorch form."""
    q, x, h = _case(reset_after=True)
    q["b_hn"] = np.zeros_like(q["b_hn"])
    cho = {k: v for k, v in q.items() if k != "b_hn"}
    np.testing.assert_allclose(ch09._gru(cho, x, h, reset="after"), gru.step(q, x, h).h, rtol=1e-12)


def test_the_state_dict_is_nn_grus_layout_with_both_biases_nonzero():
    for D, H in ((2, 4), (1, 3), (3, 1)):
        rng = np.random.default_rng([5, D, H])
        q, x, h = ch09._gru_params(4, D, H, rng, reset_after=True)
        state = ch09._pytorch_state(q, rng)
        assert {k: v.shape for k, v in state.items()} == {
            "weight_ih_l0": (3 * H, D), "weight_hh_l0": (3 * H, H), "bias_ih_l0": (3 * H,), "bias_hh_l0": (3 * H,)}
        assert np.all(state["bias_hh_l0"][:2 * H] != 0) and np.all(state["bias_ih_l0"][:2 * H] != 0)
        back = frameworks.from_pytorch_gru(state)
        for k in ch09.KEYS:   # the reference reads back q exactly, and so does the slip model without slips
            np.testing.assert_allclose(back[k], q[k], rtol=1e-12, atol=1e-14)
            np.testing.assert_allclose(ch09._read_gru(state)[k], back[k], rtol=1e-12, atol=1e-14)
        ours = frameworks.to_pytorch_gru(q)  # the package puts the whole bias of r and z in bias_ih: same cell
        np.testing.assert_allclose(gru.step(frameworks.from_pytorch_gru(ours), x, h).h, gru.step(q, x, h).h,
                                   rtol=1e-12)
        for kw, why in ch09.READ_SLIPS:  # every slip changes the function
            slip = ch09._read_gru(state, **kw)
            assert not np.allclose(gru.step(slip, x, h).h, gru.step(q, x, h).h), why


def test_the_summary_is_h_n_of_both_directions():
    for k, (B, T, D, H) in enumerate(ch09.SUMMARY_CASES):
        rng = np.random.default_rng([3, k])
        net = layers.init_params("lstm", D, H, rng, bidirectional=True)
        out, final, _ = layers.forward(net, rng.standard_normal((B, T, D)))
        np.testing.assert_allclose(halves(-1, 0)(out), np.concatenate(list(final["h"]), axis=1), rtol=1e-12)
        # the backward direction alone, run over the reversed sequence, ends where out[:, 0, H:] is
    x = np.random.default_rng(9).standard_normal((2, 5, 3))
    net = layers.init_params("gru", 3, 2, np.random.default_rng(10), bidirectional=True)
    out, _, _ = layers.forward(net, x)
    bwd, _ = gru.forward(net["layers"][0]["bwd"], x[:, ::-1])
    np.testing.assert_allclose(out[:, 0, 2:], bwd.h[:, -1], rtol=1e-12)


def test_the_summary_cases_have_the_edges_and_distinct_shapes():
    """B = 1, H = 1 and T = 1 (the last) among them; T >= 3 elsewhere; B, 2H and 4H apart, so a shape slip shows."""
    sizes = ch09.SUMMARY_CASES
    assert any(B == 1 for B, *_ in sizes) and any(H == 1 for *_, H in sizes) and sizes[-1][1] == 1
    assert all(T >= 3 for _, T, _, _ in sizes[:-1])
    for B, T, D, H in sizes:
        assert len({B, 2 * H, 4 * H}) == 3 and (T == 1 or T != B)


def test_the_guard_restores_the_gru_and_the_reader():
    before = (gru.step, gru.forward, frameworks.from_pytorch_gru, frameworks.to_pytorch_gru, layers.forward)
    for name, answer in (("gru_step", lambda q, x, h: gru.step(q, x, h).h),
                         ("gru_from_pytorch", lambda s: frameworks.from_pytorch_gru(s))):
        assert ex.check(name, answer).status == "wrong"
    assert (gru.step, gru.forward, frameworks.from_pytorch_gru, frameworks.to_pytorch_gru, layers.forward) == before
    assert guard.MODULES["gru"] is gru and guard.MODULES["layers"] is layers
