"""A sequence model: a recurrent cell (RNN, LSTM or GRU) and a linear readout y = W_y h + b_y.

many_to_one=True reads only the last hidden state h_T (the adding problem, the
latch task); many_to_one=False reads every h_t (a character model).

stateful=True is truncated backpropagation through time over a long text cut into
chunks: each training chunk starts from the state the previous one ended in (the
values go on), while the gradient stops at the chunk's first step (numpy keeps no
graph: what ``detach`` does in PyTorch happens here by itself). ``reset_state``
starts again from zeros.

truncate=k (with many_to_one) is truncated backpropagation through time inside one
sequence: the forward pass reads all T steps, the backward pass only the last k; the
first T - k steps give the starting state and keep no cache.

num_layers > 1 or bidirectional=True runs a stack (``layers``): the readout reads the
last layer's h_t, 2H numbers per step when bidirectional; many_to_one with bidirectional
reads each direction's final state, the forward h_T and the backward h_1 (chapter 09).
The stack's parameters sit in the same flat dict under names like "l0.fwd.W_f" (layer 0,
the forward direction), and its state is a dict like ``layers.forward``'s final states.

lengths (B,), given to predict, evaluate and loss_and_grads, reads right-padded sequences:
each is read to its own last real step (bidirectional: as PyTorch's packed sequences).
pool="mean" (with many_to_one) reads the mean of h_t over the steps instead of the last
(over each sequence's real steps when it has lengths).
"""
import copy

import numpy as np

from . import gru, layers, losses, lstm, rnn, shapes
from .i18n import tr

CELLS = {"lstm": lstm, "rnn": rnn, "gru": gru}
LOSSES = {"mse": losses.mse, "xent": losses.softmax_cross_entropy}


class SequenceModel:
    """Cell + readout with one params dict (the cell's keys and W_y, b_y).

    Parameters
    ----------
    cell : "lstm", "rnn" or "gru"
    input_size, hidden_size, output_size : int, D, H and the readout size
    rng : numpy.random.Generator
    loss : "mse" or "xent" (softmax cross-entropy over output_size classes)
    many_to_one : bool
    pool : "last" or "mean", what a many-to-one readout reads: the last h_t, or the mean over the steps
    stateful : bool, carry the final state of one training batch into the next (a batch of another
        size starts from zeros)
    truncate : int or None, backpropagate through the last ``truncate`` steps only (many_to_one)
    num_layers : int, stacked layers (each reads the h_t of the one below)
    bidirectional : bool, each layer also reads the sequence backwards (not with stateful)
    **cell_kwargs : passed to the cell's init_params (forget_bias, recurrent_init, dtype, and the
        variants: forget_gate, coupled, peepholes for an LSTM, reset_after for a GRU)
    """

    def __init__(self, cell, input_size, hidden_size, output_size, rng, loss="mse",
                 many_to_one=True, stateful=False, truncate=None, num_layers=1, bidirectional=False,
                 pool="last", **cell_kwargs):
        if cell not in CELLS:
            raise ValueError(tr("errors.cell_choice", cells=sorted(CELLS), cell=cell))
        if loss not in LOSSES:
            raise ValueError(tr("errors.loss_choice", losses=sorted(LOSSES), loss=loss))
        if pool not in ("last", "mean") or (pool == "mean" and (not many_to_one or truncate is not None)):
            raise ValueError(tr("errors.pool", pool=pool))
        self.cell, self.loss, self.many_to_one, self.stateful = cell, loss, many_to_one, stateful
        self.pool = pool
        self.state = None  # the carried (h, c) or (h,) (a stack's: a dict of them), when stateful
        if truncate is not None and (not many_to_one or not isinstance(truncate, (int, np.integer)) or truncate < 1):
            raise ValueError(tr("errors.truncate", truncate=truncate, many_to_one=many_to_one))
        self.truncate = truncate
        self.stacked, self.bidirectional = num_layers != 1 or bidirectional, bidirectional
        if self.stacked:
            if stateful and bidirectional:
                raise ValueError(tr("errors.stateful_bidirectional"))
            net = layers.init_params(cell, input_size, hidden_size, rng, num_layers=num_layers,
                                     bidirectional=bidirectional, **cell_kwargs)
            self.params = {f"l{k}.{d}.{name}": a for k, layer in enumerate(net["layers"])
                           for d, p in layer.items() for name, a in p.items()}
        else:
            self.params = CELLS[cell].init_params(input_size, hidden_size, rng, **cell_kwargs)
        dtype = next(iter(self.params.values())).dtype
        bound = 1.0 / np.sqrt(hidden_size)
        read = hidden_size * (2 if bidirectional else 1)       # what the readout reads per step
        self.params["W_y"] = rng.uniform(-bound, bound, (output_size, read)).astype(dtype)
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

    def _net(self):
        """The stack's parameters as ``layers`` wants them (the same arrays)."""
        stack = {}
        for key, a in self.cell_params.items():
            layer, direction, name = key.split(".", 2)
            stack.setdefault(int(layer[1:]), {}).setdefault(direction, {})[name] = a
        return {"cell": self.cell, "layers": [stack[k] for k in sorted(stack)]}

    def _hidden(self, x, state=None, lengths=None):
        """h_t for every step (B, T, H), the cell's cache, and the final state: (h_T, C_T) or (h_T,)
        (for a stack, layers.forward's dict of final states)."""
        if self.stacked:
            hs, final, cache = layers.forward(self._net(), x, state, lengths)
        else:
            hs, final, cache = layers.run_cell(CELLS[self.cell], self.cell_params, x, state or (), lengths)
        return hs, cache, final

    def _ends(self, x, lengths):
        """The checked lengths and, per sequence, the index of its last real step (B,)."""
        if lengths is None:
            return None, np.full(len(x), np.shape(x)[1] - 1)
        if not self.many_to_one or self.stateful or self.truncate is not None:
            raise ValueError(tr("errors.lengths_mode"))
        lengths = shapes.check_lengths(lengths, len(x), np.shape(x)[1])
        return lengths, lengths - 1

    def _last(self, hs, ends):
        """What a many-to-one readout reads from hs (B, T, H): h at each sequence's last step ``ends``. For a
        bidirectional model, each direction's final state, [forward h_T, backward h_1] (B, 2H): at step T the
        backward half has read x_T alone."""
        rows = np.arange(len(hs))
        if self.pool == "mean":
            real = (np.arange(hs.shape[1]) <= ends[:, None])[..., None]           # (B, T, 1)
            return (hs * real).sum(axis=1) / (ends + 1)[:, None]
        if not self.bidirectional:
            return hs[rows, ends]
        H = hs.shape[-1] // 2
        return np.concatenate([hs[rows, ends, :H], hs[:, 0, H:]], axis=-1)

    @staticmethod
    def _batch(state):
        """The batch size a carried state was made for (None when there is none)."""
        if state is None:
            return None
        return (state["h"] if isinstance(state, dict) else state[0]).shape[-2]

    def reset_state(self):
        """Start the next stateful batch from zeros."""
        self.state = None

    def run(self, x, state=None):
        """The readout of every step and the final state, from ``state`` (zeros when None).

        Parameters
        ----------
        x : ndarray of shape (B, T, D)
        state : (h, c) for an LSTM or (h,) for an RNN or a GRU, each (B, H); or None

        Returns
        -------
        y : ndarray of shape (B, T, O)
        state : the state after the last step, to continue from
        """
        hs, _, state = self._hidden(x, state)
        return hs @ self.params["W_y"].T + self.params["b_y"], state

    def hidden_states(self, x, lengths=None):
        """h_t for every step, ndarray of shape (B, T, H) (h_t is ``[:, t - 1]``); ``lengths`` as in ``predict``."""
        return self._hidden(x, lengths=self._ends(x, lengths)[0])[0]

    def predict(self, x, lengths=None):
        """Readout of h_T, (B, O), when many_to_one; else of every h_t, (B, T, O).

        ``lengths`` (B,): the sequences are padded at the end, and each is read at its own last real step.
        """
        lengths, ends = self._ends(x, lengths)
        hs = self._hidden(x, lengths=lengths)[0]
        h = self._last(hs, ends) if self.many_to_one else hs
        return h @ self.params["W_y"].T + self.params["b_y"]

    def loss_and_grads(self, x, y, lengths=None):
        """The loss on (x, y) and its gradients for every parameter (``lengths`` as in ``predict``).

        Returns
        -------
        loss : float
        grads : dict with the keys of ``params``
        """
        loss, grads, _ = self._backward(x, y, states=False, lengths=lengths)
        return loss, grads

    def state_gradients(self, x, y):
        """dL/dh_t (and, for an LSTM, dL/dC_t) at every step: where the loss's gradient reaches.

        Returns
        -------
        dict with "h" (and "c" for an LSTM), each an ndarray of shape (B, T, H)
        """
        _, _, states = self._backward(x, y, states=True)
        return states

    def _backward(self, x, y, states, lengths=None):
        carried = self.state if self.stateful and self._batch(self.state) == len(x) else None
        if self.truncate is not None and self.truncate < x.shape[1]:
            carried = self._hidden(x[:, :-self.truncate], carried)[2]  # forward only: no cache kept
            x = x[:, -self.truncate:]                                  # the steps the gradient reaches
        lengths, ends = self._ends(x, lengths)
        hs, cache, final = self._hidden(x, carried, lengths)
        h = self._last(hs, ends) if self.many_to_one else hs  # (B, H) or (B, T, H)
        W_y = self.params["W_y"]
        pred = h @ W_y.T + self.params["b_y"]          # (B, O) or (B, T, O)
        try:
            loss, dpred = LOSSES[self.loss](pred, y)
        except ValueError as exc:
            raise shapes.ShapeError(tr("errors.targets", exc=exc)) from None
        if not np.isfinite(loss):
            raise FloatingPointError(tr("errors.diverged", loss=loss))
        dh_read = dpred @ W_y                          # (B, H) or (B, T, H)
        if self.many_to_one:
            dhs, rows = np.zeros_like(hs), np.arange(len(hs))
            if self.pool == "mean":                    # every real step gets an equal share
                real = (np.arange(hs.shape[1]) <= ends[:, None])[..., None]
                dhs[...] = real * (dh_read / (ends + 1)[:, None])[:, None, :]
            elif self.bidirectional:                     # where _last read each direction's final state
                H = hs.shape[-1] // 2
                dhs[rows, ends, :H], dhs[:, 0, H:] = dh_read[:, :H], dh_read[:, H:]
            else:
                dhs[rows, ends] = dh_read
        else:
            dhs = dh_read
        if self.stacked:
            if states:
                raise NotImplementedError(tr("errors.state_gradients_stack"))
            g = layers.backward(dhs, cache)
            grads = {f"l{k}.{d}.{name}": a for k, layer in enumerate(g["layers"])
                     for d, gd in layer.items() for name, a in gd.items()}
        else:
            grads = CELLS[self.cell].backward(dhs, cache, states=states, input_grad=False)  # dL/dx: nothing reads it
        if self.stateful:
            self.state = final  # the next batch starts here; its gradient will stop here
        state_grads = {k: grads.pop(k) for k in ("h", "c") if k in grads}
        for k in ("h0", "c0"):
            grads.pop(k, None)
        dpred2 = dpred.reshape(-1, dpred.shape[-1])
        grads["W_y"] = dpred2.T @ h.reshape(-1, h.shape[-1])  # (O, H)
        grads["b_y"] = dpred2.sum(axis=0)
        return loss, grads, state_grads

    def evaluate(self, x, y, lengths=None):
        """The loss on (x, y), without gradients (``lengths`` as in ``predict``)."""
        return LOSSES[self.loss](self.predict(x, lengths), y)[0]
