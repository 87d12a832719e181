"""lstm_helpers: the math, drawings and widgets behind "LSTM, step by step".

Shape letters, used in every docstring and shape comment:

    B  batch size            T  time steps (sequence length)
    D  input size            H  hidden size
    V  vocabulary size       O  readout size

Arrays are (B, D) per step, (B, T, D) per sequence; states are (B, H).
Weights act on [h_{t-1}, x_t] (hidden state first): W has shape (H, H + D).

Modules: activations, rnn, lstm, gru, layers (stacked, bidirectional), frameworks, gradcheck,
optim, tasks, losses, model, train, charlm (numpy only; imported here) and plots (matplotlib;
import it where you plot).
Every text the package shows a reader comes from one table in two languages (i18n):
``set_language("zh")`` switches to Chinese, ``tr(key, **fields)`` looks a text up.
Importing the package does nothing else: no seeding, no settings, no output.
"""
from . import (activations, charlm, frameworks, gradcheck, gru, layers, losses, lstm, model, optim, rnn, shapes,
               tasks, train)
from .activations import sigmoid
from .i18n import set_language, tr
from .model import SequenceModel
from .shapes import ShapeError

__version__ = "0.2.0"

__all__ = ["activations", "charlm", "frameworks", "gradcheck", "gru", "layers", "losses", "lstm", "model", "optim",
           "rnn", "shapes", "tasks", "train", "sigmoid", "SequenceModel", "ShapeError", "set_language", "tr"]
