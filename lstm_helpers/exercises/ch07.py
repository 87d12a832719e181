"""Chapter 07 (the whole LSTM at work): the gradient along the cell path; PyTorch's parameters in our layout.

    along the cell path alone, dC_T/dC_t = f_{t+1} * ... * f_T (entry by entry)
    PyTorch stacks the gates i, f, g, o, keeps the input and recurrent weights apart and has two biases
    (frameworks.py); ours: W (H, H + D) per gate, hidden-state columns first, b = bias_ih + bias_hh
"""
import numpy as np

from .. import frameworks, lstm
from ..i18n import tr
from .checking import Exercise, Wrong, case_rng, cases, compare, describe, shape_of
from . import predict
from .slips import WORD


def check_cell_path_gradient(answer):
    for k, (T, H) in enumerate(((6, 2), (9, 3), (4, 5), (1, 3), (7, 1))):  # a single step and a single unit last
        rng = case_rng([31, k])
        p = lstm.init_params(2, H, rng, forget_bias=2.0)
        for k in ("f", "i", "c", "o"):
            p[f"W_{k}"][:, :H] = 0.0  # the gates read only x, so C_T reaches C_t along the cell path alone
        x = rng.standard_normal((1, T, 2))
        out_, cache = lstm.forward(p, x, force={"i": 0.0})
        want = lstm.backward(np.zeros((1, T, H)), cache, dc_last=np.ones((1, H)), states=True)["c"][0]  # (T, H)
        f = out_.f[0]                                                                                   # (T, H)
        got = answer(f)
        rev = np.cumprod(f[::-1], axis=0)[::-1]  # f[t] * ... * f[T-1]
        slips = [(rev, tr("ex07.own_gate")),
                 (np.cumprod(f, axis=0), tr("ex07.earlier_gates")),
                 (np.concatenate([rev[1:], np.zeros((1, H))]), tr("ex07.last_row")),
                 (np.cumprod(f[::-1], axis=0), tr("ex07.not_turned_back")),
                 (np.ones((T, H)), tr("ex07.ones")),
                 (np.broadcast_to(f.prod(axis=0), (T, H)), tr("ex07.one_product")),
                 (f, tr("ex07.gates_themselves"))]
        compare(got, want, tr("ex07.what_gradients", T=T, H=H), slips, within=(0, 1, tr("ex07.within_product")),
                letters="(T, H)")


def _block(W, k, H):
    """Rows k H ... (k + 1) H of a stacked array: PyTorch's block of layer k (order i, f, g, o)."""
    return W[k * H:(k + 1) * H]


def check_from_pytorch(answer):
    for case in cases(41, edges=((1, 1, 3), (1, 3, 1))):  # B is not used: a state dict has no batch
        D, H, rng = case.D, case.H, case.rng
        p = lstm.init_params(D, H, rng)
        for k in ("b_f", "b_i", "b_c", "b_o"):
            p[k] = rng.standard_normal(H)
        state = frameworks.to_pytorch(p)
        split = rng.standard_normal(4 * H)  # two nonzero biases whose sum is ours, as a trained nn.LSTM has
        state["bias_ih_l0"], state["bias_hh_l0"] = state["bias_ih_l0"] - split, split
        where = tr("ex07.where", D=D, H=H)
        out = answer(state)
        want = frameworks.from_pytorch(state)
        keys = sorted(lstm.PARAM_KEYS)
        if not isinstance(out, dict):
            raise Wrong(tr("ex07.keys_is", keys=keys, got=describe(out)))
        if sorted(map(str, out)) != keys:
            raise Wrong(tr("ex07.keys_has", keys=keys, got=sorted(map(str, out))))
        w_ih, w_hh, b_ih, b_hh = (state[k] for k in frameworks.PYTORCH_KEYS)
        hh_first, ih_first = np.concatenate([w_hh, w_ih], axis=1), np.concatenate([w_ih, w_hh], axis=1)
        for g in ("f", "i", "c", "o"):
            k = frameworks.PYTORCH_ORDER.index(g)
            if shape_of(out[f"W_{g}"]) == (H + D, H):
                raise Wrong(tr("ex07.w_transposed", g=g, where=where))
            slips = [(_block(hh_first, j, H), tr("ex07.rows_of", gate=WORD[other]))
                     for j, other in enumerate(frameworks.PYTORCH_ORDER) if other != g]
            slips.append((_block(ih_first, k, H), tr("ex07.hh_first")))
            compare(out[f"W_{g}"], want[f"W_{g}"], f"W_{g}" + where, slips, letters="(H, H + D)")
        for g in ("f", "i", "c", "o"):
            k = frameworks.PYTORCH_ORDER.index(g)
            slips = [(_block(b_ih, k, H), tr("ex07.b_no_hh")),
                     (_block(b_hh, k, H), tr("ex07.b_no_ih")),
                     (_block((b_ih + b_hh) / 2, k, H), tr("ex07.b_average"))]
            slips += [(_block(b_ih + b_hh, j, H), tr("ex07.bias_of", gate=WORD[other]))
                      for j, other in enumerate(frameworks.PYTORCH_ORDER) if other != g]
            compare(out[f"b_{g}"], want[f"b_{g}"], f"b_{g}" + where, slips, letters="(H,)")



def check_predict_winner(answer):
    predict.choice(answer, ("LSTM", "RNN", "both", "neither"), "LSTM", tr("ex07.winner_what"), slips={
        "RNN": tr("ex07.winner_rnn_stayed"),
        "both": tr("ex07.winner_rnn_stayed"),
        "neither": tr("ex07.winner_neither")})

EXERCISES = {
    "cell_path_gradient": Exercise(
        check_cell_path_gradient,
        "ex07.hint_cell_path_gradient",
        call="cell_path_gradient(f)",
        returns="ex07.returns_cell_path_gradient",
        guarded=("lstm.step", "lstm.forward", "lstm.backward", "gradflow.state_jacobians",
                 "gradflow.forget_products")),
    "from_pytorch": Exercise(
        check_from_pytorch,
        "ex07.hint_from_pytorch",
        call="from_pytorch(state)",
        returns="ex07.returns_from_pytorch",
        guarded=("frameworks.from_pytorch", "frameworks.to_pytorch")),
    "predict_winner": Exercise(
        check_predict_winner,
        "ex07.hint_predict_winner",
        returns="ex07.returns_predict_winner"),
}
