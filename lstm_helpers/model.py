"""A sequence model: a recurrent cell (RNN or LSTM) and a linear readout y = W_y h + b_y.

many_to_one=True reads only the last hidden state h_T (the adding problem, the
latch task); many_to_one=False reads every h_t (a character model).
"""
import copy

import numpy as np

from . import losses, lstm, rnn, shapes

CELLS = {"lstm": lstm, "rnn": rnn}
LOSSES = {"mse": losses.mse, "xent": losses.softmax_cross_entropy}


class SequenceModel:
    """Cell + readout with one params dict (the cell's keys and W_y, b_y).

    Parameters
    ----------
    cell : "lstm" or "rnn"
    input_size, hidden_size, output_size : int, D, H and the readout size
    rng : numpy.random.Generator
    loss : "mse" or "xent" (softmax cross-entropy over output_size classes)
    many_to_one : bool
    **cell_kwargs : passed to the cell's init_params (forget_bias, recurrent_init, dtype)
    """

    def __init__(self, cell, input_size, hidden_size, output_size, rng, loss="mse",
                 many_to_one=True, **cell_kwargs):
        if cell not in CELLS:
            raise ValueError(f"cell must be one of {sorted(CELLS)}; got {cell!r}")
        if loss not in LOSSES:
            raise ValueError(f"loss must be one of {sorted(LOSSES)}; got {loss!r}")
        self.cell, self.loss, self.many_to_one = cell, loss, many_to_one
        self.params = CELLS[cell].init_params(input_size, hidden_size, rng, **cell_kwargs)
        dtype = self.params["W_f" if cell == "lstm" else "W"].dtype
        bound = 1.0 / np.sqrt(hidden_size)
        self.params["W_y"] = rng.uniform(-bound, bound, (output_size, hidden_size)).astype(dtype)
        self.params["b_y"] = np.zeros(output_size, dtype)

    def astype(self, dtype):
        """A copy of the model with every parameter in ``dtype`` (e.g. float64 to measure tiny gradients)."""
        other = copy.copy(self)
        other.params = {k: v.astype(dtype) for k, v in self.params.items()}
        return other

    @property
    def cell_params(self):
        """The cell's own parameters (a dict of the same arrays, not copies)."""
        return {k: v for k, v in self.params.items() if k not in ("W_y", "b_y")}

    def _hidden(self, x):
        out, cache = CELLS[self.cell].forward(self.cell_params, x)
        hs = out.h if self.cell == "lstm" else out  # (B, T, H)
        return hs, cache

    def hidden_states(self, x):
        """h_t for every step, ndarray of shape (B, T, H) (h_t is ``[:, t - 1]``)."""
        return self._hidden(x)[0]

    def predict(self, x):
        """Readout of h_T, (B, O), when many_to_one; else of every h_t, (B, T, O)."""
        hs, _ = self._hidden(x)
        h = hs[:, -1] if self.many_to_one else hs
        return h @ self.params["W_y"].T + self.params["b_y"]

    def loss_and_grads(self, x, y):
        """The loss on (x, y) and its gradients for every parameter.

        Returns
        -------
        loss : float
        grads : dict with the keys of ``params``
        """
        loss, grads, _ = self._backward(x, y, states=False)
        return loss, grads

    def state_gradients(self, x, y):
        """dL/dh_t (and, for an LSTM, dL/dC_t) at every step: where the loss's gradient reaches.

        Returns
        -------
        dict with "h" (and "c" for an LSTM), each an ndarray of shape (B, T, H)
        """
        _, _, states = self._backward(x, y, states=True)
        return states

    def _backward(self, x, y, states):
        hs, cache = self._hidden(x)
        h = hs[:, -1] if self.many_to_one else hs      # (B, H) or (B, T, H)
        W_y = self.params["W_y"]
        pred = h @ W_y.T + self.params["b_y"]          # (B, O) or (B, T, O)
        try:
            loss, dpred = LOSSES[self.loss](pred, y)
        except ValueError as exc:
            raise shapes.ShapeError(f"targets do not fit the model's output: {exc}") from None
        if not np.isfinite(loss):
            raise FloatingPointError(f"the loss is {loss}: training diverged (or a target is not finite); "
                                     "lower the learning rate or clip the gradients")
        dh_read = dpred @ W_y                          # (B, H) or (B, T, H)
        dhs = np.zeros_like(hs)
        if self.many_to_one:
            dhs[:, -1] = dh_read
        else:
            dhs[:] = dh_read
        grads = CELLS[self.cell].backward(dhs, cache, states=states)
        state_grads = {k: grads.pop(k) for k in ("h", "c") if k in grads}
        for k in ("x", "h0", "c0"):
            grads.pop(k, None)
        dpred2 = dpred.reshape(-1, dpred.shape[-1])
        grads["W_y"] = dpred2.T @ h.reshape(-1, h.shape[-1])  # (O, H)
        grads["b_y"] = dpred2.sum(axis=0)
        return loss, grads, state_grads

    def evaluate(self, x, y):
        """The loss on (x, y), without gradients."""
        return LOSSES[self.loss](self.predict(x), y)[0]
