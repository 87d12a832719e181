"""A character-level language model's pieces: sampling with a temperature, bits per character,
and the simple baselines a model is measured against.

    p_k = softmax(z / tau)_k = exp(z_k / tau) / sum_j exp(z_j / tau)     (tau: the temperature)

tau = 1 samples from the model's own distribution; tau -> 0 approaches the most likely
character (greedy); tau > 1 flattens the distribution towards uniform.

code_features, states_over_text and unit_correlations look inside a trained model for units whose
state follows something a reader can name in source code (in a string, bracket depth, column), as
Karpathy, Johnson & Fei-Fei (2015, "Visualizing and Understanding Recurrent Networks") did.
"""
import numpy as np

from . import losses
from .i18n import tr


def temperature_probs(logits, temperature):
    """The distribution softmax(logits / temperature) over the last axis.

    Parameters
    ----------
    logits : ndarray of shape (..., V)
    temperature : float > 0

    Returns
    -------
    probs : ndarray of shape (..., V), rows summing to 1
    """
    temperature = float(temperature)
    if not temperature > 0:
        raise ValueError(tr("errors.temperature", temperature=temperature))
    z = np.asarray(logits, dtype=np.float64) / temperature
    z = z - z.max(axis=-1, keepdims=True)  # exp never overflows, however small the temperature
    with np.errstate(under="ignore"):
        e = np.exp(z)
    return e / e.sum(axis=-1, keepdims=True)


def bits_per_char(nats):
    """A mean cross-entropy in nats per character, in bits per character (divided by ln 2)."""
    return float(nats) / np.log(2.0)


class TextStream:
    """Consecutive chunks of a long text, for truncated backpropagation through time.

    The text is cut into ``batch_size`` equal streams, one per row (row b reads the b-th slice of the
    text from its start); each call returns the next ``seq_len`` characters of every stream and the
    characters that follow them. Row b of one chunk continues row b of the chunk before, so a stateful
    model carries its state from one call to the next. At the end of the streams it starts again from
    their beginnings and calls ``on_wrap`` (e.g. ``model.reset_state``).

    Parameters
    ----------
    ids : ndarray of shape (N,) of ints, the encoded text
    batch_size, seq_len : int, B and the truncation length k
    vocab_size : int, V
    on_wrap : callable with no arguments, or None
    """

    def __init__(self, ids, batch_size, seq_len, vocab_size, on_wrap=None):
        ids = np.asarray(ids)
        per_row = (len(ids) - 1) // batch_size
        if per_row < seq_len:
            raise ValueError(tr("errors.streams_short", n=len(ids), batch_size=batch_size, need=seq_len + 1))
        self.rows = ids[:batch_size * per_row + 1]
        self.per_row, self.B, self.k, self.V = per_row, batch_size, seq_len, vocab_size
        self.on_wrap = on_wrap
        self.position = 0                     # the offset, within every row, of the next chunk
        self.wraps = 0

    def __call__(self):
        """The next chunk: x (B, k, V) one-hot, y (B, k) the characters that follow."""
        if self.position + self.k > self.per_row:
            self.position = 0
            self.wraps += 1
            if self.on_wrap is not None:
                self.on_wrap()
        starts = np.arange(self.B) * self.per_row + self.position      # (B,)
        window = self.rows[starts[:, None] + np.arange(self.k + 1)]   # (B, k + 1)
        self.position += self.k
        return np.eye(self.V, dtype=np.float32)[window[:, :-1]], window[:, 1:]


def stream_bits_per_char(model, ids, vocab_size, seq_len=200):
    """Bits per character of ``model`` on a whole text, read in order with the state carried.

    The text is one stream, read ``seq_len`` characters at a time (chunks only bound the memory; the
    state goes on across them), every character predicted from everything before it in the text.
    """
    ids = np.asarray(ids)
    dtype = model.params["W_y"].dtype
    eye = np.eye(vocab_size, dtype=dtype)
    state, nats = None, 0.0
    for start in range(0, len(ids) - 1, seq_len):
        chunk = ids[start:start + seq_len + 1]
        logits, state = model.run(eye[chunk[None, :-1]], state)              # (1, k, V)
        mean, _ = losses.softmax_cross_entropy(logits[0].astype(np.float64), chunk[1:])
        nats += mean * (len(chunk) - 1)                                     # the chunk's total, in nats
    return bits_per_char(nats / (len(ids) - 1))


def sample(model, vocab, prime, length, temperature, rng):
    """Text written by ``model``: it reads ``prime``, then draws ``length`` characters one at a time,
    each from softmax(logits / temperature) and fed back as the next input.

    Returns
    -------
    str : the ``length`` new characters (without the prime)
    """
    if not prime:
        raise ValueError(tr("errors.prime_empty"))
    dtype = model.params["W_y"].dtype
    eye = np.eye(vocab.size, dtype=dtype)
    logits, state = model.run(eye[vocab.encode(prime)][None])               # (1, len(prime), V)
    out = []
    for _ in range(length):
        p = temperature_probs(logits[0, -1], temperature)                   # (V,)
        k = int(rng.choice(vocab.size, p=p))
        out.append(k)
        logits, state = model.run(eye[[k]][None], state)                    # (1, 1, V)
    return vocab.decode(out)


def ngram_bits_per_char(train_ids, val_ids, vocab_size, order, smoothing=0.5):
    """Bits per character of a unigram (order 1) or bigram (order 2) model on ``val_ids``.

    Counts come from ``train_ids``, with ``smoothing`` added to every count (add-k, k = 0.5 by
    default), so no character has probability 0.
    """
    train_ids, val_ids = np.asarray(train_ids), np.asarray(val_ids)
    if order == 1:
        counts = np.bincount(train_ids, minlength=vocab_size) + smoothing          # (V,)
        return float(-np.log2(counts[val_ids] / counts.sum()).mean())
    if order == 2:
        counts = np.full((vocab_size, vocab_size), smoothing)                      # (V, V): [previous, next]
        np.add.at(counts, (train_ids[:-1], train_ids[1:]), 1.0)
        p = counts / counts.sum(axis=1, keepdims=True)
        return float(-np.log2(p[val_ids[:-1], val_ids[1:]]).mean())
    raise ValueError(tr("errors.order", order=order))


def compressor_bits_per_char(train_text, val_text, method="zlib"):
    """What a general-purpose compressor needs per character of ``val_text`` once it has read ``train_text``.

    (size of compress(train + val) - size of compress(train)) * 8 / len(val): the validation text
    is coded with everything the compressor can reuse from the training text (zlib looks back
    32 KB, lzma at preset 9 the whole text).
    """
    import lzma
    import zlib
    squeeze = {"zlib": lambda b: zlib.compress(b, 9), "lzma": lambda b: lzma.compress(b, preset=9)}
    if method not in squeeze:
        raise ValueError(tr("errors.method", methods=sorted(squeeze), method=method))
    a, b = train_text.encode("utf-8"), val_text.encode("utf-8")
    return (len(squeeze[method](a + b)) - len(squeeze[method](a))) * 8 / len(val_text)


CODE_FEATURES = ("in a string", "in a comment", "bracket depth", "column", "indentation")


def code_features(text):
    """Things a reader can name at every character of Python source, each after reading that character.

    A small scanner, not Python's tokenizer (whose tokens differ between versions), and it agrees
    with the tokenizer's string literals on the course's code (tests/test_charlm.py).

    Returns
    -------
    dict of ndarray of shape (len(text),), one for each name in CODE_FEATURES:
    "in a string"   1 from a string's opening quote up to the last character of its closing quote
                    (at that character the string is closed), else 0; prefixes (r, b, f) are outside
    "in a comment"  1 from # to the end of its line (the newline is outside), else 0
    "bracket depth" the brackets (, [ and { open outside strings and comments
    "column"        the characters of the current line read so far (0 at a newline)
    "indentation"   the spaces that begin the current line, as far as they have been read
    """
    n = len(text)
    out = {name: np.zeros(n) for name in CODE_FEATURES}
    quote, comment, depth, column, indent, leading = None, False, 0, 0, 0, True
    k = 0
    while k < n:
        ch = text[k]
        if quote is not None:                                   # inside a string
            if ch == "\\":
                span, inside = 2, [1, 1]                        # an escape: the next character cannot close it
            elif text.startswith(quote, k):
                span, quote = len(quote), None
                inside = [1] * (span - 1) + [0]                 # closed only at its last quote
            else:
                span, inside = 1, [1]
        else:
            span, inside = 1, [0]
            if comment:
                comment = ch != "\n"
            elif ch == "#":
                comment = True
            elif ch in "'\"":
                quote = ch * 3 if text.startswith(ch * 3, k) else ch
                span, inside = len(quote), [1] * len(quote)
            elif ch in "([{":
                depth += 1
            elif ch in ")]}":
                depth -= 1
        for j, s in zip(range(k, min(k + span, n)), inside):
            if text[j] == "\n":
                column, indent, leading = 0, 0, True
            else:
                column += 1
                leading = leading and text[j] == " "
                indent += leading
            out["in a string"][j] = s
            out["in a comment"][j] = comment and text[j] != "\n"
            out["bracket depth"][j], out["column"][j], out["indentation"][j] = depth, column, indent
        k += span
    return out


def states_over_text(model, ids, vocab_size, seq_len=1000):
    """What each unit of ``model`` holds after every character of a text read in order, the state carried.

    The state of an LSTM's memory is its cell state C_t; an RNN or a GRU has only h_t. Read as
    ``stream_bits_per_char`` reads (one stream, chunks only bound the memory), from zeros.

    Returns
    -------
    ndarray of shape (N, H): row t - 1 is C_t (LSTM) or h_t (RNN, GRU), after reading character t
    """
    from . import lstm
    ids = np.asarray(ids)
    eye = np.eye(vocab_size, dtype=model.params["W_y"].dtype)
    rows, state = [], None
    for start in range(0, len(ids), seq_len):
        x = eye[ids[None, start:start + seq_len]]                          # (1, k, V)
        if model.cell == "lstm":
            out, _ = lstm.forward(model.cell_params, x, *(state or ()))
            state, states = (out.h[:, -1], out.c[:, -1]), out.c[0]          # (k, H)
        else:
            hs, _, state = model._hidden(x, state)
            states = hs[0]                                                  # (k, H)
        rows.append(states)
    return np.concatenate(rows)                                             # (N, H)


def unit_correlations(states, feature):
    """The correlation (Pearson's r) of every unit's state with a feature of the text.

    Parameters
    ----------
    states : ndarray of shape (N, H)
    feature : ndarray of shape (N,)

    Returns
    -------
    r : ndarray of shape (H,); 0 for a unit (or a feature) that never changes
    """
    s = np.asarray(states, dtype=np.float64)
    f = np.asarray(feature, dtype=np.float64)
    s = s - s.mean(axis=0)                                                  # (N, H)
    f = f - f.mean()                                                        # (N,)
    norms = np.sqrt((s ** 2).sum(axis=0) * (f ** 2).sum())                  # (H,)
    return np.divide(f @ s, norms, out=np.zeros(s.shape[1]), where=norms > 0)
