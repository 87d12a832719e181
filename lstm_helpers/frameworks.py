"""Our LSTM parameters in PyTorch's layout (torch.nn.LSTM, one layer), and back.

PyTorch's documentation of nn.LSTM writes the cell as

    i = sigmoid(W_ii x + b_ii + W_hi h + b_hi)      f = sigmoid(W_if x + b_if + W_hf h + b_hf)
    g = tanh(W_ig x + b_ig + W_hg h + b_hg)         o = sigmoid(W_io x + b_io + W_ho h + b_ho)
    c' = f * c + i * g                              h' = o * tanh(c')

and stores the four layers stacked in the order i, f, g, o, input and recurrent weights apart:

    weight_ih_l0 (4H, D) = [W_ii; W_if; W_ig; W_io]     bias_ih_l0 (4H,)
    weight_hh_l0 (4H, H) = [W_hi; W_hf; W_hg; W_ho]     bias_hh_l0 (4H,)

Ours: W_f, W_i, W_c, W_o of shape (H, H + D), the h columns first, and one bias per layer.
Two biases per layer are redundant (only b_ih + b_hh enters the cell), so PyTorch counts
4H more parameters than we do. to_pytorch puts our bias in bias_ih and zeros in bias_hh;
from_pytorch adds the two. (Keras also orders i, f, c, o, with one bias, and stores both
weights transposed: kernel (D, 4H), recurrent_kernel (H, 4H).)

nn.GRU stacks r, z, n (reset, update, candidate) the same way, and computes
n = tanh(W_in x + b_in + r * (W_hn h + b_hn)): the reset gate after the product, which
our gru computes for parameters made with ``gru.init_params(..., reset_after=True)``
(they have b_hn). Its z is ours: h' = z * h + (1 - z) * n. to_pytorch_gru and
from_pytorch_gru map that form exactly; Cho's form (no b_hn) has no nn.GRU equivalent.
"""
import numpy as np

from . import gru, lstm, shapes
from .i18n import tr

PYTORCH_ORDER = ("i", "f", "c", "o")  # our names in PyTorch's stacking order; its g is our c (the candidate)
PYTORCH_KEYS = ("weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0")


def _read_state(state, module, blocks):
    """weight_ih, weight_hh, bias_ih, bias_hh and H of a one-layer state dict with ``blocks`` stacked layers."""
    missing = [k for k in PYTORCH_KEYS if k not in state]
    if missing:
        raise shapes.ShapeError(tr("errors.state_dict_keys", module=module, keys=list(PYTORCH_KEYS), missing=missing))
    w_ih, w_hh, b_ih, b_hh = (np.asarray(state[k]) for k in PYTORCH_KEYS)
    if w_hh.ndim != 2 or w_hh.shape[0] != blocks * w_hh.shape[1]:
        raise shapes.ShapeError(tr("errors.weight_hh", blocks=blocks, shape=w_hh.shape))
    H = w_hh.shape[1]
    for name, a, shape in (("weight_ih_l0", w_ih, (blocks * H, w_ih.shape[-1])), ("bias_ih_l0", b_ih, (blocks * H,)),
                           ("bias_hh_l0", b_hh, (blocks * H,))):
        if a.ndim != len(shape) or a.shape != shape:
            raise shapes.ShapeError(tr("errors.pytorch_shape", name=name, shape=shape, H=H, got=a.shape))
    return w_ih, w_hh, b_ih, b_hh, H


def to_pytorch(params):
    """Our parameters as a PyTorch nn.LSTM state dict (numpy arrays, same dtype).

    Load them with ``net.load_state_dict({k: torch.from_numpy(v) for k, v in to_pytorch(p).items()})``.

    Returns
    -------
    dict with weight_ih_l0 (4H, D), weight_hh_l0 (4H, H), bias_ih_l0 (4H,), bias_hh_l0 (4H,)
    """
    D, H = lstm.sizes(params)
    if lstm.variant(params) != (True, False, False):
        raise ValueError(tr("errors.pytorch_lstm_variant", variant=lstm.variant(params)))
    lstm.step(params, np.zeros((1, D)), np.zeros((1, H)), np.zeros((1, H)))  # checks every key and shape
    W = np.concatenate([params[f"W_{g}"] for g in PYTORCH_ORDER])  # (4H, H + D)
    b = np.concatenate([params[f"b_{g}"] for g in PYTORCH_ORDER])  # (4H,)
    return {"weight_ih_l0": W[:, H:].copy(), "weight_hh_l0": W[:, :H].copy(),
            "bias_ih_l0": b, "bias_hh_l0": np.zeros_like(b)}


def from_pytorch(state):
    """A PyTorch nn.LSTM state dict (one layer) as our parameters.

    Pass numpy arrays, e.g. ``{k: v.detach().numpy() for k, v in net.state_dict().items()}``.
    """
    w_ih, w_hh, b_ih, b_hh, H = _read_state(state, "nn.LSTM", 4)
    W = np.concatenate([w_hh, w_ih], axis=1)  # (4H, H + D), hidden state first
    b = b_ih + b_hh                           # (4H,)
    p = {}
    for k, g in enumerate(PYTORCH_ORDER):
        p[f"W_{g}"] = W[k * H:(k + 1) * H].copy()
        p[f"b_{g}"] = b[k * H:(k + 1) * H].copy()
    return {k: p[k] for k in lstm.PARAM_KEYS}


GRU_PYTORCH_ORDER = ("r", "z", "n")  # our names in nn.GRU's stacking order


def to_pytorch_gru(params):
    """Our GRU parameters, PyTorch's form (made with reset_after=True), as an nn.GRU state dict.

    Returns
    -------
    dict with weight_ih_l0 (3H, D), weight_hh_l0 (3H, H), bias_ih_l0 (3H,), bias_hh_l0 (3H,)
    """
    if not gru.resets_after(params):
        raise ValueError(tr("errors.pytorch_gru_reset_after"))
    D, H = gru.sizes(params)
    gru.step(params, np.zeros((1, D)), np.zeros((1, H)))  # checks every key and shape
    W = np.concatenate([params[f"W_{g}"] for g in GRU_PYTORCH_ORDER])  # (3H, H + D)
    b_ih = np.concatenate([params[f"b_{g}"] for g in GRU_PYTORCH_ORDER])
    b_hh = np.concatenate([np.zeros(2 * H, b_ih.dtype), params["b_hn"]])  # r and z: one bias is enough
    return {"weight_ih_l0": W[:, H:].copy(), "weight_hh_l0": W[:, :H].copy(), "bias_ih_l0": b_ih, "bias_hh_l0": b_hh}


def from_pytorch_gru(state):
    """A one-layer nn.GRU state dict as our GRU parameters, PyTorch's form (with b_hn)."""
    w_ih, w_hh, b_ih, b_hh, H = _read_state(state, "nn.GRU", 3)
    W = np.concatenate([w_hh, w_ih], axis=1)  # (3H, H + D), hidden state first
    q = {}
    for k, g in enumerate(GRU_PYTORCH_ORDER):
        q[f"W_{g}"] = W[k * H:(k + 1) * H].copy()
        q[f"b_{g}"] = b_ih[k * H:(k + 1) * H] + (b_hh[k * H:(k + 1) * H] if g != "n" else 0)
    q = {k: q[k] for k in gru.PARAM_KEYS}
    q["b_hn"] = b_hh[2 * H:].copy()
    return q
