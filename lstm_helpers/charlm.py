"""A character-level language model's pieces: sampling with a temperature, bits per character,
and the simple baselines a model is measured against.

    p_k = softmax(z / tau)_k = exp(z_k / tau) / sum_j exp(z_j / tau)     (tau: the temperature)

tau = 1 samples from the model's own distribution; tau -> 0 approaches the most likely
character (greedy); tau > 1 flattens the distribution towards uniform.
"""
import numpy as np


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
        raise ValueError(f"temperature must be > 0; got {temperature}")
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
            raise ValueError(f"the text has {len(ids)} characters: too short for {batch_size} streams of at least "
                             f"seq_len + 1 = {seq_len + 1}")
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
        z = logits[0].astype(np.float64)
        z -= z.max(axis=1, keepdims=True)
        logp = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
        nats -= logp[np.arange(len(chunk) - 1), chunk[1:]].sum()
    return bits_per_char(nats / (len(ids) - 1))


def sample(model, vocab, prime, length, temperature, rng):
    """Text written by ``model``: it reads ``prime``, then draws ``length`` characters one at a time,
    each from softmax(logits / temperature) and fed back as the next input.

    Returns
    -------
    str : the ``length`` new characters (without the prime)
    """
    if not prime:
        raise ValueError("prime must hold at least one character for the model to read")
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
    raise ValueError(f"order must be 1 (unigram) or 2 (bigram); got {order!r}")


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
        raise ValueError(f"method must be one of {sorted(squeeze)}; got {method!r}")
    a, b = train_text.encode("utf-8"), val_text.encode("utf-8")
    return (len(squeeze[method](a + b)) - len(squeeze[method](a))) * 8 / len(val_text)
