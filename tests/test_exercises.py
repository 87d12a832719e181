"""Good answers pass, typical wrong ones fail with a useful message, templates count as not attempted."""
import numpy as np
import pytest

from lstm_helpers import exercises as ex


def sig(z):
    return 1 / (1 + np.exp(-z))



def rnn_step(W, b, x_t, h_prev):
    return np.tanh(np.concatenate([h_prev, x_t], axis=1) @ W.T + b)


def test_every_solution_passes(capsys):
    for name in ex.EXERCISES:
        scope = {"np": np}
        exec(ex.EXERCISES[name][2], scope)
        if name == "sequence_shapes":
            assert ex.check(name, scope["answer"])
            continue
        fn = next(v for k, v in scope.items() if callable(v) and k not in ("np",))
        assert ex.check(name, fn), name


def test_templates_are_not_attempted(capsys):
    def rnn_step_template(W, b, x_t, h_prev):
        ...

    def raises(W, b, x_t, h_prev):
        raise NotImplementedError

    def returns_none(W, b, x_t, h_prev):
        h = None
        return h

    for fn in (rnn_step_template, raises, returns_none):
        assert ex.check("rnn_step", fn).status == "not attempted"
    assert ex.check("sequence_shapes", None).status == "not attempted"


@pytest.mark.parametrize("wrong,expect", [
    (lambda W, b, x, h: np.tanh(np.concatenate([h, x], 1) @ W + b), "raised ValueError"),        # W not transposed
    (lambda W, b, x, h: np.tanh(np.concatenate([x, h], 1) @ W.T + b), "hidden state first"),     # [x, h]
    (lambda W, b, x, h: sig(np.concatenate([h, x], 1) @ W.T + b), "tanh, not the sigmoid"),       # sigmoid
    (lambda W, b, x, h: np.concatenate([h, x], 1) @ W.T + b, "activation tanh is missing"),
    (lambda W, b, x, h: np.tanh(np.concatenate([h, x], 1) @ W.T), "bias b is missing"),
    (lambda W, b, x, h: np.tanh(np.concatenate([h, x], 1) @ W.T + b).T, "shape"),               # (H, B)
])
def test_typical_rnn_step_mistakes_are_named(wrong, expect, capsys):
    r = ex.check("rnn_step", wrong)
    assert r.status == "wrong" and expect in r.message, r.message
    true = rnn_step(np.ones((2, 5)), np.zeros(2), np.ones((1, 3)), np.ones((1, 2)))
    assert f"{true[0, 0]:.4f}" not in r.message  # the expected numbers are not given away


def test_other_exercises_catch_their_slips(capsys):
    assert "bias" in ex.check("rnn_param_count", lambda D, H: H * (H + D)).message
    assert "H + D columns" in ex.check("rnn_param_count", lambda D, H: H * H + H).message
    assert "wrong way round" in ex.check("split_W", lambda W, H: (W[:, H:], W[:, :H])).message

    def jac_no_tanh(W, b, x, h_prev):
        return W[:, :len(h_prev)]
    assert "derivative of tanh" in ex.check("step_jacobian", jac_no_tanh).message

    def clip_each(grads, max_norm):
        return {k: g * min(1.0, max_norm / np.linalg.norm(g)) for k, g in grads.items()}
    assert "global" in ex.check("clip", clip_each).message
    assert "sigmoid" in ex.check("apply_gate", lambda v, z: np.tanh(z) * v).message
    assert "input gate" in ex.check("cell_update", lambda f, i, g, c: f * c + g).message
    assert "not squashed" in ex.check("cell_update", lambda f, i, g, c: np.tanh(f * c + i * g)).message
    assert "keep a state" in ex.check("seen_so_far", lambda e: e).message
    r = ex.check("sequence_shapes", {"speech recognition": "one-to-many"})
    assert r.status == "wrong" and "no answer yet" in r.message


def test_result_display_hint_and_solution(capsys):
    r = ex.check("apply_gate", lambda v, z: sig(z) * v)
    assert bool(r) and "✅" in str(r) and "#1b7837" in r._repr_html_()
    ex.hint("apply_gate")
    ex.solution("apply_gate")
    out = capsys.readouterr().out
    assert "💡" in out and "def apply_gate" in out
    with pytest.raises(KeyError, match="exercises are"):
        ex.check("nope", None)


def test_untouched_dict_template_is_not_attempted(capsys):
    assert ex.check("sequence_shapes", {"speech recognition": ..., "image captioning": ...}).status == "not attempted"


def test_reasonable_variants_of_correct_answers_pass():
    assert ex.check("split_W", lambda W, H: np.split(W, [H], axis=1))  # a list, not a tuple
    scope = {}
    exec(ex.EXERCISES["sequence_shapes"][2], scope)
    commas = {k: v.replace(" (", ", ").rstrip(")") for k, v in scope["answer"].items()}
    assert ex.check("sequence_shapes", commas)  # "many-to-many, unaligned", as the chapter's table spells it
    r = ex.check("sequence_shapes", {**commas, "image captioning": "one to lots"})
    assert r.status == "wrong" and "one of" in r.message


def test_forget_gate_exercises(capsys):
    assert "sigmoid" in ex.check("forget_gate", lambda W, b, x, h: np.tanh(np.concatenate([h, x], 1) @ W.T + b)).message
    assert "hidden state first" in ex.check(
        "forget_gate", lambda W, b, x, h: sig(np.concatenate([x, h], 1) @ W.T + b)).message
    assert "still leave" in ex.check(
        "steps_to_forget", lambda b: int(np.floor(np.log(0.01) / np.log(sig(b))))).message
    assert "sigmoid(b_f)" in ex.check("steps_to_forget", lambda b: 7).message


def _gates(p, x, h):
    hx = np.concatenate([h, x], 1)
    return (sig(hx @ p["W_f"].T + p["b_f"]), sig(hx @ p["W_i"].T + p["b_i"]), np.tanh(hx @ p["W_c"].T + p["b_c"]),
            sig(hx @ p["W_o"].T + p["b_o"]))


def test_input_gate_exercises(capsys):
    def both(act_i, act_g, order="hx", bias=True):
        def fn(W_i, b_i, W_c, b_c, x, h):
            hx = np.concatenate([h, x] if order == "hx" else [x, h], 1)
            return act_i(hx @ W_i.T + b_i * bias), act_g(hx @ W_c.T + b_c * bias)
        return fn
    assert ex.check("input_and_candidate", both(sig, np.tanh))
    assert "not a gate" in ex.check("input_and_candidate", both(sig, sig)).message
    assert "is a gate" in ex.check("input_and_candidate", both(np.tanh, np.tanh)).message
    assert "hidden state first" in ex.check("input_and_candidate", both(sig, np.tanh, order="xh")).message
    assert "bias b_i" in ex.check("input_and_candidate", both(sig, np.tanh, bias=False)).message
    assert "two arrays" in ex.check("input_and_candidate", lambda W_i, b_i, W_c, b_c, x, h: W_i).message
    swapped = both(sig, np.tanh)
    assert "order (i_t, C~_t)" in ex.check("input_and_candidate", lambda *a: swapped(*a)[::-1]).message

    def update(form):
        def fn(p, x, h, c):
            f, i, g, _ = _gates(p, x, h)
            return form(f, i, g, c)
        return fn
    assert ex.check("cell_state", update(lambda f, i, g, c: f * c + i * g))
    assert "forget gate" in ex.check("cell_state", update(lambda f, i, g, c: c + i * g)).message
    assert "input gate" in ex.check("cell_state", update(lambda f, i, g, c: f * c + g)).message
    assert "not squashed" in ex.check("cell_state", update(lambda f, i, g, c: np.tanh(f * c + i * g))).message
    r = ex.check("cell_state", update(lambda f, i, g, c: f * c + i * g + 1))
    assert r.status == "wrong" and "largest difference" in r.message


def test_output_gate_exercises(capsys):
    def hidden(form):
        def fn(W_o, b_o, x, h, c):
            o = sig(np.concatenate([h, x], 1) @ W_o.T + b_o)
            return form(o, c)
        return fn
    assert ex.check("hidden_state", hidden(lambda o, c: o * np.tanh(c)))
    assert "squashed by tanh" in ex.check("hidden_state", hidden(lambda o, c: o * c)).message
    assert "not the gate o_t alone" in ex.check("hidden_state", hidden(lambda o, c: o)).message

    def step(form):
        def fn(p, x, h, c):
            f, i, g, o = _gates(p, x, h)
            return form(f, i, g, o, c)
        return fn
    assert ex.check("lstm_step", step(lambda f, i, g, o, c: (o * np.tanh(f * c + i * g), f * c + i * g)))
    assert "not C_{t-1}" in ex.check("lstm_step", step(lambda f, i, g, o, c: (o * np.tanh(c), f * c + i * g))).message
    assert "hidden state first" in ex.check(
        "lstm_step", step(lambda f, i, g, o, c: (f * c + i * g, o * np.tanh(f * c + i * g)))).message
    assert "forget gate" in ex.check(
        "lstm_step", step(lambda f, i, g, o, c: (o * np.tanh(c + i * g), c + i * g))).message
    assert "two arrays" in ex.check("lstm_step", lambda p, x, h, c: h).message

    assert ex.check("lstm_param_count", lambda D, H: 4 * H * (H + D + 1))
    assert "PyTorch" in ex.check("lstm_param_count", lambda D, H: 4 * (H * (H + D) + 2 * H)).message
    assert "four" in ex.check("lstm_param_count", lambda D, H: H * (H + D) + H).message
    assert "bias" in ex.check("lstm_param_count", lambda D, H: 4 * H * (H + D)).message


def test_chapter_07_exercises(capsys):
    def rev_cumprod(f):
        return np.cumprod(f[::-1], axis=0)[::-1]
    assert ex.check("cell_path_gradient", lambda f: np.concatenate([rev_cumprod(f)[1:], np.ones((1, f.shape[1]))]))
    assert "starts at f[t+1]" in ex.check("cell_path_gradient", rev_cumprod).message
    assert "later steps" in ex.check("cell_path_gradient", lambda f: np.cumprod(f, axis=0)).message

    def mapping(order=("i", "f", "c", "o"), split_bias=(1.0, 0.0), h_first=True):
        def fn(p):
            H = p["W_f"].shape[0]
            W = np.concatenate([p[f"W_{g}"] for g in order])
            b = np.concatenate([p[f"b_{g}"] for g in order])
            hh, ih = (W[:, :H], W[:, H:]) if h_first else (W[:, -H:], W[:, :-H])
            return {"weight_ih_l0": ih, "weight_hh_l0": hh, "bias_ih_l0": split_bias[0] * b,
                    "bias_hh_l0": split_bias[1] * b}
        return fn
    assert ex.check("to_pytorch", mapping())
    assert ex.check("to_pytorch", mapping(split_bias=(0.5, 0.5)))  # any split of the bias computes the same cell
    assert "order i, f, g, o" in ex.check("to_pytorch", mapping(order=("f", "i", "c", "o"))).message
    assert "counted twice" in ex.check("to_pytorch", mapping(split_bias=(1.0, 1.0))).message
    assert "first H columns" in ex.check("to_pytorch", mapping(h_first=False)).message
    assert "keys" in ex.check("to_pytorch", lambda p: {"W": p["W_f"]}).message
