"""Self-checking exercises: check(name, answer), hint(name), solution(name).

An answer is usually a function the student writes; ``check`` runs it on random
inputs of several shapes against the package's own math and reports one of:

  not attempted   the function raises NotImplementedError or returns None (the template as given)
  wrong           with what differs: the shape, an exception, or a recognised slip (weights
                  transposed, [x, h] instead of [h, x], sigmoid where tanh belongs, ...),
                  without printing the expected numbers
  correct

``check`` returns a Result (truthy when correct) that shows its message when displayed.
"""
import inspect
import re
from dataclasses import dataclass

import numpy as np

from . import frameworks, lstm, optim, rnn
from .activations import sigmoid


@dataclass
class Result:
    """The outcome of a check: status is "correct", "wrong" or "not attempted"."""
    name: str
    status: str
    message: str

    def __bool__(self):
        return self.status == "correct"

    def __repr__(self):
        return str(self)

    def __str__(self):
        mark = {"correct": "✅", "wrong": "❌", "not attempted": "✏️"}[self.status]
        return f"{mark} {self.name}: {self.message}"

    def _repr_html_(self):
        color = {"correct": "#1b7837", "wrong": "#b2182b", "not attempted": "#4d4d4d"}[self.status]
        import html
        return f"<div style='color:{color};font-weight:bold'>{html.escape(str(self))}</div>"


class _Wrong(Exception):
    """Raised inside a checker with the message for the student."""


def _call(fn, *args):
    """Call the student's function; NotImplementedError and None mean 'not attempted'."""
    try:
        out = fn(*args)
    except NotImplementedError:
        return None
    except Exception as exc:
        try:
            names = list(inspect.signature(fn).parameters)
        except (TypeError, ValueError):
            names = [f"argument {k}" for k in range(len(args))]
        given = ", ".join(f"{n} {np.shape(a)}" for n, a in zip(names, args) if isinstance(a, np.ndarray))
        raise _Wrong(f"your function raised {type(exc).__name__}: {exc}"
                     + (f" (it was given arrays of shapes {given})" if given else "")) from None
    return out


def _compare(out, want, what, slips=()):
    """Explain how ``out`` differs from ``want`` without showing ``want``."""
    if out is None:
        raise _Wrong(f"{what} is None: return it")
    out = np.asarray(out, dtype=float)
    if out.shape != np.shape(want):
        raise _Wrong(f"{what} has shape {out.shape}; it should have shape {np.shape(want)}")
    if not np.all(np.isfinite(out)):
        raise _Wrong(f"{what} contains NaN or infinity")
    if np.allclose(out, want, rtol=1e-6, atol=1e-9):
        return
    for slip_value, explanation in slips:
        if np.shape(slip_value) == out.shape and np.allclose(out, slip_value, rtol=1e-6, atol=1e-9):
            raise _Wrong(f"{what} has the right shape but the wrong values: {explanation}")
    err = np.max(np.abs(out - want))
    raise _Wrong(f"{what} has the right shape but the wrong values (largest difference {err:.3g})")


# --- the checkers: each takes the answer and raises _Wrong, returns None (not attempted) or True ---

def _rnn_step(fn):
    rng = np.random.default_rng(101)
    for B, D, H in ((1, 3, 2), (4, 2, 5)):
        q = rnn.init_params(D, H, rng)
        q["b"] += rng.standard_normal(H)
        x, h = rng.standard_normal((B, D)), rng.standard_normal((B, H))
        out = _call(fn, q["W"].copy(), q["b"].copy(), x.copy(), h.copy())
        if out is None:
            return None
        W, b = q["W"], q["b"]
        z = h @ W[:, :H].T + x @ W[:, H:].T + b
        slips = [(np.tanh(np.concatenate([x, h], 1) @ W.T + b) if W.shape[1] == H + D else None,
                  "the concatenation is [h_{t-1}, x_t], hidden state first: W's first H columns act on h"),
                 (sigmoid(z), "h_t uses tanh, not the sigmoid"),
                 (z, "the activation tanh is missing"),
                 (np.tanh(z - b), "the bias b is missing")]
        _compare(out, rnn.step(q, x, h), f"h_t (for B={B}, D={D}, H={H})", [s for s in slips if s[0] is not None])
    return True


def _rnn_param_count(fn):
    for D, H in ((3, 5), (10, 64), (1, 1)):
        out = _call(fn, D, H)
        if out is None:
            return None
        q = rnn.init_params(D, H, np.random.default_rng(0))
        want = sum(v.size for v in q.values())
        if out != want:
            if out == H * (H + D):
                raise _Wrong(f"for D={D}, H={H} you count the weights; the bias has parameters too")
            if out == H * H + H:
                raise _Wrong(f"for D={D}, H={H}: W acts on [h_{{t-1}}, x_t], so it has H + D columns")
            raise _Wrong(f"for D={D}, H={H} you return {out}; count the entries of W (H, H + D) and b (H,)")
    return True


def _split_W(fn):
    rng = np.random.default_rng(7)
    D, H = 3, 4
    W = rng.standard_normal((H, H + D))
    out = _call(fn, W.copy(), H)
    if out is None:
        return None
    if not (isinstance(out, (tuple, list)) and len(out) == 2):
        raise _Wrong("return a pair (W_h, W_x)")
    W_h, W_x = (np.asarray(a) for a in out)
    if W_h.shape == (H, D) and W_x.shape == (H, H):
        raise _Wrong("the pair is the wrong way round: W_h acts on h_{t-1} (H columns), W_x on x_t (D columns)")
    _compare(W_h, W[:, :H], "W_h")
    _compare(W_x, W[:, H:], "W_x")
    return True


def _step_jacobian(fn):
    rng = np.random.default_rng(11)
    D, H = 2, 4
    q = rnn.init_params(D, H, rng)
    x, h_prev = rng.standard_normal(D), rng.standard_normal(H)
    out = _call(fn, q["W"].copy(), q["b"].copy(), x.copy(), h_prev.copy())
    if out is None:
        return None
    h = rnn.step(q, x[None], h_prev[None])[0]
    W_h = q["W"][:, :H]
    # the package's own backward gives the Jacobian: H copies of the step, copy k asks for the gradient of h_t[k]
    _, cache = rnn.forward(q, np.broadcast_to(x, (H, 1, D)), np.broadcast_to(h_prev, (H, H)))
    want = rnn.backward(np.eye(H)[:, None, :], cache)["h0"]
    slips = [(W_h, "the derivative of tanh, diag(1 - h_t^2), is missing"),
             (W_h * (1 - h ** 2)[None, :], "diag(1 - h_t^2) multiplies W_h from the left (rows), not the columns"),
             ((1 - h_prev ** 2)[:, None] * W_h, "tanh' is taken at the new state h_t, not at h_{t-1}"),
             (want.T, "the Jacobian is transposed: row k is the gradient of h_t[k]")]
    _compare(out, want, "dh_t/dh_{t-1}", slips)
    return True


def _clip(fn):
    rng = np.random.default_rng(3)
    for scale in (0.1, 10.0):
        grads = {"W": scale * rng.standard_normal((3, 4)), "b": scale * rng.standard_normal(3)}
        want = {k: v.copy() for k, v in grads.items()}
        optim.clip_grad_norm(want, 1.0)
        out = _call(fn, {k: v.copy() for k, v in grads.items()}, 1.0)
        if out is None:
            return None
        if not isinstance(out, dict) or set(out) != set(grads):
            raise _Wrong("return a dict with the same keys as grads")
        each = {k: v * min(1.0, 1.0 / np.linalg.norm(v)) for k, v in grads.items()}
        for k in grads:
            _compare(out[k], want[k], f"the clipped {k} (gradients of norm {optim.global_norm(grads):.2f})",
                     [(each[k], "the norm is the global one, over all gradients together, not one per array")])
    return True


def _apply_gate(fn):
    rng = np.random.default_rng(5)
    v, z = rng.standard_normal((2, 5)), rng.standard_normal((2, 5)) * 3
    out = _call(fn, v.copy(), z.copy())
    if out is None:
        return None
    _compare(out, sigmoid(z) * v, "the gated vector", [(np.tanh(z) * v, "a gate uses the sigmoid (0..1), not tanh"),
                                                        (z * v, "the gate's layer is sigmoid(z), not z itself"),
                                                        (sigmoid(z) + v, "a gate multiplies pointwise")])
    return True


def _cell_update(fn):
    rng = np.random.default_rng(9)
    f, i = rng.uniform(0, 1, (2, 3)), rng.uniform(0, 1, (2, 3))
    g, c_prev = rng.uniform(-1, 1, (2, 3)), rng.standard_normal((2, 3))
    out = _call(fn, f.copy(), i.copy(), g.copy(), c_prev.copy())
    if out is None:
        return None
    s = lstm.step(lstm.init_params(1, 3, rng), np.zeros((2, 1)), np.zeros((2, 3)), c_prev, force={"f": f, "i": i,
                                                                                                   "g": g})
    _compare(out, s.c, "C_t", [(f * c_prev + g, "the candidate is scaled by the input gate i_t"),
                              (c_prev + i * g, "the old state is scaled by the forget gate f_t"),
                              (f * c_prev * i * g, "the two parts are added, not multiplied"),
                              (np.tanh(f * c_prev + i * g), "C_t is not squashed: only h_t = o_t tanh(C_t) is")])
    return True


def _sequence_shapes(answer):
    if answer is None or answer is Ellipsis or (isinstance(answer, dict) and
                                                all(v is Ellipsis for v in answer.values())):
        return None  # the template, untouched
    want = {"speech recognition": "many-to-many (unaligned)", "machine translation": "many-to-many (unaligned)",
            "handwriting generation (unconditional)": "one-to-many", "character language model": "many-to-many (aligned)",
            "video frame classification": "many-to-many (aligned)", "image captioning": "one-to-many",
            "sentiment of a review": "many-to-one"}
    if not isinstance(answer, dict):
        raise _Wrong("answer with a dict: application -> shape")
    missing = sorted(set(want) - set(answer))
    if missing:
        raise _Wrong(f"these applications have no answer yet: {missing}")
    norm = lambda s: re.sub(r"[^a-z]+", " ", str(s).lower()).strip()  # "many-to-many, unaligned" is fine too
    shapes = sorted(set(want.values()))
    unknown = sorted(k for k in want if norm(answer[k]) not in map(norm, shapes))
    if unknown:
        raise _Wrong(f"answer each with one of {shapes}; these are not among them: {unknown}")
    wrong = sorted(k for k in want if norm(answer[k]) != norm(want[k]))
    if wrong:
        raise _Wrong(f"{len(wrong)} of {len(want)} are not right yet: look again at {wrong}")
    return True


def _seen_so_far(fn):
    rng = np.random.default_rng(2)
    for T in (1, 5, 40):
        events = (rng.uniform(size=T) < 0.1).astype(int)
        out = _call(fn, events.copy())
        if out is None:
            return None
        want = np.maximum.accumulate(events)
        _compare(out, want, f"the labels for a film of {T} frames",
                 [(events, "a frame-by-frame answer forgets the event one frame later: keep a state")])
    return True


def _forget_gate(fn):
    rng = np.random.default_rng(13)
    for B, D, H in ((1, 2, 3), (4, 3, 2)):
        p = lstm.init_params(D, H, rng)
        p["b_f"] += rng.standard_normal(H)
        x, h = rng.standard_normal((B, D)), rng.standard_normal((B, H))
        out = _call(fn, p["W_f"].copy(), p["b_f"].copy(), x.copy(), h.copy())
        if out is None:
            return None
        W, b = p["W_f"], p["b_f"]
        z = h @ W[:, :H].T + x @ W[:, H:].T + b
        slips = [(sigmoid(np.concatenate([x, h], 1) @ W.T + b),
                  "the concatenation is [h_{t-1}, x_t], hidden state first"),
                 (np.tanh(z), "a gate uses the sigmoid (values in 0..1), not tanh"),
                 (sigmoid(z - b), "the bias b_f is missing")]
        _compare(out, lstm.step(p, x, h, np.zeros((B, H))).f, f"f_t (for B={B}, D={D}, H={H})", slips)
    return True


def _steps_to_forget(fn):
    for b in (-1.0, 0.0, 1.0, 3.0, 5.0):
        out = _call(fn, b)
        if out is None:
            return None
        f = float(sigmoid(b))
        want = int(np.ceil(np.log(0.01) / np.log(f)))  # the first t with f^t < 1 %
        if out != want:
            if out == want - 1 or out == int(np.floor(np.log(0.01) / np.log(f))):
                raise _Wrong(f"for b_f = {b} you return {out}: that many steps still leave at least 1 %")
            raise _Wrong(f"for b_f = {b} you return {out}; remember that f = sigmoid(b_f), and that the value "
                         "left after t steps is f**t")
    return True


def _input_and_candidate(fn):
    rng = np.random.default_rng(17)
    for B, D, H in ((1, 2, 3), (4, 3, 2)):
        p = lstm.init_params(D, H, rng)
        p["b_i"] += rng.standard_normal(H)
        p["b_c"] += rng.standard_normal(H)
        x, h = rng.standard_normal((B, D)), rng.standard_normal((B, H))
        out = _call(fn, p["W_i"].copy(), p["b_i"].copy(), p["W_c"].copy(), p["b_c"].copy(), x.copy(), h.copy())
        if out is None:
            return None
        if not (isinstance(out, (tuple, list)) and len(out) == 2):
            raise _Wrong("return two arrays, (i_t, C~_t)")
        s = lstm.step(p, x, h, np.zeros((B, H)))
        zi = h @ p["W_i"][:, :H].T + x @ p["W_i"][:, H:].T + p["b_i"]
        zc = h @ p["W_c"][:, :H].T + x @ p["W_c"][:, H:].T + p["b_c"]
        xh = np.concatenate([x, h], 1)
        where = f" (for B={B}, D={D}, H={H})"
        _compare(out[0], s.i, "i_t" + where,
                 [(s.g, "return the pair in the order (i_t, C~_t)"),
                  (sigmoid(xh @ p["W_i"].T + p["b_i"]), "the concatenation is [h_{t-1}, x_t], hidden state first"),
                  (np.tanh(zi), "the input gate is a gate: the sigmoid (0..1), not tanh"),
                  (sigmoid(zi - p["b_i"]), "the bias b_i is missing"),
                  (sigmoid(zc), "i_t uses W_i and b_i; you used the candidate's weights")])
        _compare(out[1], s.g, "C~_t" + where,
                 [(np.tanh(xh @ p["W_c"].T + p["b_c"]), "the concatenation is [h_{t-1}, x_t], hidden state first"),
                  (sigmoid(zc), "the candidate is not a gate: it uses tanh (values in -1..1), not the sigmoid"),
                  (np.tanh(zc - p["b_c"]), "the bias b_c is missing"),
                  (s.i * s.g, "return the candidate itself; the input gate scales it only in the update")])
    return True


def _cell_state(fn):
    rng = np.random.default_rng(19)
    for B, D, H in ((1, 2, 2), (3, 3, 4)):
        p = lstm.init_params(D, H, rng)
        for k in ("b_f", "b_i", "b_c"):
            p[k] += rng.standard_normal(H)
        x, h, c = rng.standard_normal((B, D)), rng.standard_normal((B, H)), 2 * rng.standard_normal((B, H))
        out = _call(fn, {k: v.copy() for k, v in p.items()}, x.copy(), h.copy(), c.copy())
        if out is None:
            return None
        s = lstm.step(p, x, h, c)
        sig_g = lstm.step(p, x, h, c, force={"g": sigmoid(h @ p["W_c"][:, :H].T + x @ p["W_c"][:, H:].T
                                                          + p["b_c"])}).c
        _compare(out, s.c, f"C_t (for B={B}, D={D}, H={H})",
                 [(c + s.i * s.g, "the old state is scaled by the forget gate f_t"),
                  (s.f * c + s.g, "the candidate is scaled by the input gate i_t"),
                  (s.f * c + s.i, "what is written is i_t times the candidate C~_t"),
                  (sig_g, "the candidate uses tanh, not the sigmoid"),
                  (np.tanh(s.c), "C_t is not squashed: only h_t = o_t tanh(C_t) is"),
                  (s.h, "return the new cell state C_t, not h_t")])
    return True


def _hidden_state(fn):
    rng = np.random.default_rng(23)
    for B, D, H in ((1, 2, 3), (4, 3, 2)):
        p = lstm.init_params(D, H, rng)
        p["b_o"] += rng.standard_normal(H)
        x, h, c_prev = rng.standard_normal((B, D)), rng.standard_normal((B, H)), rng.standard_normal((B, H))
        s = lstm.step(p, x, h, c_prev)
        c = 2.5 * s.c  # a cell state beyond (-1, 1), so a missing tanh shows
        out = _call(fn, p["W_o"].copy(), p["b_o"].copy(), x.copy(), h.copy(), c.copy())
        if out is None:
            return None
        o = s.o
        xh = np.concatenate([x, h], 1)
        _compare(out, o * np.tanh(c), f"h_t (for B={B}, D={D}, H={H})",
                 [(o * c, "h_t = o_t * tanh(C_t): the cell state is squashed by tanh before the gate reads it out"),
                  (np.tanh(o * c), "tanh acts on C_t first, then the gate multiplies: o_t * tanh(C_t)"),
                  (sigmoid(xh @ p["W_o"].T + p["b_o"]) * np.tanh(c),
                   "the concatenation is [h_{t-1}, x_t], hidden state first"),
                  (np.tanh(h @ p["W_o"][:, :H].T + x @ p["W_o"][:, H:].T + p["b_o"]) * np.tanh(c),
                   "the output gate is a gate: the sigmoid, not tanh"),
                  (o, "return h_t = o_t * tanh(C_t), not the gate o_t alone")])
    return True


def _lstm_step(fn):
    rng = np.random.default_rng(29)
    for B, D, H in ((1, 2, 2), (3, 4, 3)):
        p = lstm.init_params(D, H, rng)
        for k in ("b_f", "b_i", "b_c", "b_o"):
            p[k] += rng.standard_normal(H)
        x, h, c = rng.standard_normal((B, D)), rng.standard_normal((B, H)), 2 * rng.standard_normal((B, H))
        out = _call(fn, {k: v.copy() for k, v in p.items()}, x.copy(), h.copy(), c.copy())
        if out is None:
            return None
        if not (isinstance(out, (tuple, list)) and len(out) == 2):
            raise _Wrong("return two arrays, (h_t, c_t)")
        s = lstm.step(p, x, h, c)
        where = f" (for B={B}, D={D}, H={H})"
        _compare(out[1], s.c, "c_t" + where,
                 [(c + s.i * s.g, "the old state is scaled by the forget gate f_t"),
                  (s.f * c + s.g, "the candidate is scaled by the input gate i_t"),
                  (np.tanh(s.c), "C_t is not squashed: only h_t = o_t tanh(C_t) is"),
                  (s.h, "the pair is (h_t, c_t): hidden state first")])
        _compare(out[0], s.h, "h_t" + where,
                 [(s.o * s.c, "h_t = o_t * tanh(C_t): the cell state is squashed before it is read out"),
                  (s.o * np.tanh(c), "h_t reads the new cell state C_t, not C_{t-1}"),
                  (s.c, "the pair is (h_t, c_t): hidden state first")])
    return True


def _lstm_param_count(fn):
    for D, H in ((3, 2), (1, 1), (10, 20), (128, 256)):  # (3, 2) first: there every slip has its own count
        out = _call(fn, D, H)
        if out is None:
            return None
        want = 4 * (H * (H + D) + H)
        if out != want:
            known = {H * (H + D) + H: "that is one layer; the LSTM has four (f, i, C~ and o), each with its own "
                                      "weights and bias",
                     4 * H * (H + D): "each of the four layers also has a bias of H entries",
                     4 * (H * (H + D) + 2 * H): "that is PyTorch's count, with two biases per layer; ours has one",
                     4 * (H * D + H): "the weights also act on h_{t-1}: each has H + D columns"}
            raise _Wrong(f"for D = {D}, H = {H} you return {out}; " +
                         known.get(out, "count the four layers' weights (H rows, H + D columns) and biases"))
    return True


def _cell_path_gradient(fn):
    rng = np.random.default_rng(31)
    for T, H in ((6, 2), (12, 3)):
        p = lstm.init_params(2, H, rng, forget_bias=2.0)
        for k in ("f", "i", "c", "o"):
            p[f"W_{k}"][:, :H] = 0.0  # the gates read only x, so C_t reaches C_{T-1} along the cell path alone
        x = rng.standard_normal((1, T, 2))
        out, cache = lstm.forward(p, x, force={"i": 0.0})
        want = lstm.backward(np.zeros((1, T, H)), cache, dc_last=np.ones((1, H)), states=True)["c"][0]  # (T, H)
        f = out.f[0]                                                                                   # (T, H)
        got = _call(fn, f.copy())
        if got is None:
            return None
        rev = np.cumprod(f[::-1], axis=0)[::-1]  # f[t] * ... * f[T-1]
        _compare(got, want, f"the gradients for T={T}, H={H}",
                 [(rev, "the product starts at f[t+1]: step t's own forget gate acts on C_{t-1}, not on C_t"),
                  (np.cumprod(f, axis=0), "C_{T-1} depends on C_t through the gates of the later steps, "
                                          "t+1 to T-1, not the earlier ones"),
                  (np.concatenate([rev[1:], np.zeros((1, H))]), "at t = T-1 the gradient is 1: C_{T-1} is C_t")])
    return True


def _to_pytorch(fn):
    rng = np.random.default_rng(37)
    for D, H in ((3, 2), (2, 4)):
        p = lstm.init_params(D, H, rng)
        for k in ("b_f", "b_i", "b_c", "b_o"):
            p[k] = rng.standard_normal(H)
        out = _call(fn, {k: v.copy() for k, v in p.items()})
        if out is None:
            return None
        want = frameworks.to_pytorch(p)
        if not isinstance(out, dict) or sorted(out) != sorted(want):
            raise _Wrong(f"return a dict with the keys {sorted(want)}")
        def stack(order, cols):
            return np.concatenate([p[f"W_{g}"][:, cols] for g in order])
        ours_order = ("f", "i", "c", "o")
        _compare(out["weight_ih_l0"], want["weight_ih_l0"], f"weight_ih_l0 (for D={D}, H={H})",
                 [(stack(ours_order, slice(H, None)), "PyTorch stacks the gates in the order i, f, g, o"),
                  (stack(frameworks.PYTORCH_ORDER, slice(None, D)), "our W's first H columns act on h, "
                                                                    "the last D on x")])
        _compare(out["weight_hh_l0"], want["weight_hh_l0"], f"weight_hh_l0 (for D={D}, H={H})",
                 [(stack(ours_order, slice(None, H)), "PyTorch stacks the gates in the order i, f, g, o")])
        b = want["bias_ih_l0"]
        total = np.asarray(out["bias_ih_l0"], dtype=float) + np.asarray(out["bias_hh_l0"], dtype=float)
        _compare(total, b, f"bias_ih_l0 + bias_hh_l0 (for D={D}, H={H})",
                 [(2 * b, "the cell adds the two biases, so our bias is counted twice: put it in one of them "
                          "and zeros in the other"),
                  (np.concatenate([p[f"b_{g}"] for g in ours_order]), "PyTorch stacks the gates in the order "
                                                                        "i, f, g, o")])
    return True


EXERCISES = {
    "sequence_shapes": (_sequence_shapes,
                        "Ask of each application: how many inputs come in, how many outputs go out, and does "
                        "output t belong to input t?",
                        'answer = {"speech recognition": "many-to-many (unaligned)",\n'
                        '          "machine translation": "many-to-many (unaligned)",\n'
                        '          "handwriting generation (unconditional)": "one-to-many",\n'
                        '          "character language model": "many-to-many (aligned)",\n'
                        '          "video frame classification": "many-to-many (aligned)",\n'
                        '          "image captioning": "one-to-many",\n'
                        '          "sentiment of a review": "many-to-one"}'),
    "seen_so_far": (_seen_so_far,
                    "Carry one number from frame to frame: has the door opened yet? Update it with each frame.",
                    "def seen_so_far(events):\n    state, out = 0, []\n    for e in events:\n"
                    "        state = max(state, e)\n        out.append(state)\n    return np.array(out)"),
    "rnn_step": (_rnn_step,
                 "Join [h_prev, x_t] along the feature axis, multiply by W transposed, add b, apply tanh. "
                 "Shapes: W (H, H + D), h_prev (B, H), x_t (B, D).",
                 "def rnn_step(W, b, x_t, h_prev):\n    hx = np.concatenate([h_prev, x_t], axis=1)  # (B, H+D)\n"
                 "    return np.tanh(hx @ W.T + b)                  # (B, H)"),
    "rnn_param_count": (_rnn_param_count,
                        "W has one row per hidden unit and one column per entry of [h_{t-1}, x_t]; b one per unit.",
                        "def rnn_param_count(D, H):\n    return H * (H + D) + H"),
    "split_W": (_split_W,
                "The first H columns of W act on h_{t-1}, the remaining D on x_t.",
                "def split_W(W, H):\n    return W[:, :H], W[:, H:]"),
    "step_jacobian": (_step_jacobian,
                      "h_t = tanh(z) with z = W_h h_{t-1} + W_x x_t + b; the chain rule gives tanh'(z) times dz/dh.",
                      "def step_jacobian(W, b, x_t, h_prev):\n    H = len(h_prev)\n"
                      "    h = np.tanh(W[:, :H] @ h_prev + W[:, H:] @ x_t + b)\n"
                      "    return (1 - h**2)[:, None] * W[:, :H]  # diag(1 - h^2) W_h"),
    "clip": (_clip,
             "Compute one norm over all arrays together: sqrt of the sum of every squared entry.",
             "def clip(grads, max_norm):\n    norm = np.sqrt(sum(np.sum(g**2) for g in grads.values()))\n"
             "    scale = min(1.0, max_norm / norm)\n    return {k: g * scale for k, g in grads.items()}"),
    "forget_gate": (_forget_gate,
                    "Exactly like one RNN step, with the sigmoid in place of tanh: join [h_prev, x_t], multiply "
                    "by W_f transposed, add b_f.",
                    "def forget_gate(W_f, b_f, x_t, h_prev):\n    hx = np.concatenate([h_prev, x_t], axis=1)\n"
                    "    return 1 / (1 + np.exp(-(hx @ W_f.T + b_f)))"),
    "steps_to_forget": (_steps_to_forget,
                        "With nothing written, C_t = f**t C_0. Find the smallest whole t with f**t < 0.01: "
                        "take logarithms (both are negative).",
                        "def steps_to_forget(b_f):\n    f = 1 / (1 + np.exp(-b_f))\n"
                        "    return int(np.ceil(np.log(0.01) / np.log(f)))"),
    "input_and_candidate": (_input_and_candidate,
                            "Two layers on the same [h_prev, x_t]: the gate with W_i, b_i and the sigmoid; the "
                            "candidate with W_c, b_c and tanh.",
                            "def input_and_candidate(W_i, b_i, W_c, b_c, x_t, h_prev):\n"
                            "    hx = np.concatenate([h_prev, x_t], axis=1)        # (B, H + D)\n"
                            "    i_t = 1 / (1 + np.exp(-(hx @ W_i.T + b_i)))       # (B, H), in (0, 1)\n"
                            "    g_t = np.tanh(hx @ W_c.T + b_c)                    # (B, H), in (-1, 1)\n"
                            "    return i_t, g_t"),
    "cell_state": (_cell_state,
                   "Compute f_t, i_t and C~_t from [h_prev, x_t] with their own weights, then "
                   "C_t = f_t * C_{t-1} + i_t * C~_t, entry by entry.",
                   "def cell_state(p, x_t, h_prev, c_prev):\n"
                   "    hx = np.concatenate([h_prev, x_t], axis=1)                # (B, H + D)\n"
                   "    sigmoid = lambda z: 1 / (1 + np.exp(-z))\n"
                   "    f = sigmoid(hx @ p[\"W_f\"].T + p[\"b_f\"])\n"
                   "    i = sigmoid(hx @ p[\"W_i\"].T + p[\"b_i\"])\n"
                   "    g = np.tanh(hx @ p[\"W_c\"].T + p[\"b_c\"])\n"
                   "    return f * c_prev + i * g                                   # (B, H)"),
    "hidden_state": (_hidden_state,
                     "Compute o_t like any gate (sigmoid, its own weights W_o, b_o), then squash the cell state "
                     "with tanh and multiply.",
                     "def hidden_state(W_o, b_o, x_t, h_prev, c_t):\n"
                     "    hx = np.concatenate([h_prev, x_t], axis=1)         # (B, H + D)\n"
                     "    o_t = 1 / (1 + np.exp(-(hx @ W_o.T + b_o)))        # (B, H), in (0, 1)\n"
                     "    return o_t * np.tanh(c_t)                           # (B, H), in (-1, 1)"),
    "lstm_step": (_lstm_step,
                  "Four layers on the same [h_prev, x_t] (sigmoid, sigmoid, tanh, sigmoid), then "
                  "c_t = f*c_prev + i*g and h_t = o*tanh(c_t). Return (h_t, c_t).",
                  "def lstm_step(p, x_t, h_prev, c_prev):\n"
                  "    hx = np.concatenate([h_prev, x_t], axis=1)                # (B, H + D)\n"
                  "    sigmoid = lambda z: 1 / (1 + np.exp(-z))\n"
                  "    f = sigmoid(hx @ p[\"W_f\"].T + p[\"b_f\"])\n"
                  "    i = sigmoid(hx @ p[\"W_i\"].T + p[\"b_i\"])\n"
                  "    g = np.tanh(hx @ p[\"W_c\"].T + p[\"b_c\"])\n"
                  "    o = sigmoid(hx @ p[\"W_o\"].T + p[\"b_o\"])\n"
                  "    c_t = f * c_prev + i * g\n"
                  "    return o * np.tanh(c_t), c_t"),
    "lstm_param_count": (_lstm_param_count,
                         "Four layers (f, i, C~, o), each with a weight of H rows and H + D columns and a bias of H.",
                         "def lstm_param_count(D, H):\n    return 4 * (H * (H + D) + H)"),
    "cell_path_gradient": (_cell_path_gradient,
                           "Along the cell path C_T = f_T * C_{T-1} = f_T * f_{T-1} * C_{T-2} = ...: multiply the "
                           "forget gates of the steps after t (f_k is f[k - 1]). A reversed cumulative product does "
                           "it for every t.",
                           "def cell_path_gradient(f):\n"
                           "    T, H = f.shape\n"
                           "    out = np.ones((T, H))           # row t - 1 holds dC_T/dC_t; row T - 1 is 1\n"
                           "    for t in range(T - 1, 0, -1):   # steps t = T - 1, ..., 1\n"
                           "        out[t - 1] = out[t] * f[t]  # dC_T/dC_t = dC_T/dC_(t+1) * f_(t+1), f_(t+1) = f[t]\n"
                           "    return out"),
    "to_pytorch": (_to_pytorch,
                   "Stack the weights in PyTorch's order i, f, g (our c), o: that gives (4H, H + D). Its first H "
                   "columns are weight_hh_l0, the rest weight_ih_l0. One bias gets the stacked b, the other zeros.",
                   "def to_pytorch(p):\n"
                   "    H = p[\"W_f\"].shape[0]\n"
                   "    W = np.concatenate([p[\"W_i\"], p[\"W_f\"], p[\"W_c\"], p[\"W_o\"]])   # (4H, H + D)\n"
                   "    b = np.concatenate([p[\"b_i\"], p[\"b_f\"], p[\"b_c\"], p[\"b_o\"]])   # (4H,)\n"
                   "    return {\"weight_ih_l0\": W[:, H:], \"weight_hh_l0\": W[:, :H],\n"
                   "            \"bias_ih_l0\": b, \"bias_hh_l0\": np.zeros_like(b)}"),
    "apply_gate": (_apply_gate,
                   "A gate is a sigmoid layer (values between 0 and 1) and a pointwise multiplication.",
                   "def apply_gate(v, z):\n    return 1 / (1 + np.exp(-z)) * v"),
    "cell_update": (_cell_update,
                    "The old state, scaled by what is kept, plus the candidate, scaled by what is written.",
                    "def cell_update(f, i, g, c_prev):\n    return f * c_prev + i * g"),
}


def check(name, answer):
    """Check an answer; returns a Result (truthy when correct) that displays the verdict."""
    if name not in EXERCISES:
        raise KeyError(f"no exercise named {name!r}; the exercises are {sorted(EXERCISES)}")
    checker = EXERCISES[name][0]
    if answer is None or (callable(answer) and _is_template(answer)):
        result = Result(name, "not attempted", "replace the `...` (or the raise) with your code, then run again")
    else:
        try:
            ok = checker(answer)
        except _Wrong as exc:
            result = Result(name, "wrong", f"{exc}. hint({name!r}) may help.")
        else:
            result = (Result(name, "correct", "correct, on every input tried") if ok else
                      Result(name, "not attempted", "the answer is still the template (or returns None): "
                                                            "fill it in, then run again"))
    return result


def _is_template(fn):
    """A function whose body is still only `...`, `pass` or `raise NotImplementedError` (the chapter's template)."""
    import ast
    import textwrap
    if getattr(fn, "__name__", "") == "<lambda>":
        return False
    try:
        tree = ast.parse(textwrap.dedent(inspect.getsource(fn)))
    except (OSError, TypeError, SyntaxError):
        return False
    func = tree.body[0] if tree.body and isinstance(tree.body[0], (ast.FunctionDef, ast.AsyncFunctionDef)) else None
    if func is None:
        return False
    body = [n for n in func.body if not (isinstance(n, ast.Expr) and isinstance(n.value, ast.Constant)
                                         and isinstance(n.value.value, str))]  # drop the docstring
    def empty(n):
        return (isinstance(n, ast.Pass) or (isinstance(n, ast.Expr) and isinstance(n.value, ast.Constant)
                                            and n.value.value is Ellipsis)
                or (isinstance(n, ast.Raise) and "NotImplementedError" in ast.unparse(n)))
    return all(empty(n) for n in body)


def hint(name):
    """A hint for the exercise (without the answer)."""
    print(f"💡 {EXERCISES[name][1]}")


def solution(name):
    """The model solution (try first: check tells you what differs)."""
    print(EXERCISES[name][2])
