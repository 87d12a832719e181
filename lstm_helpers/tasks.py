"""Toy sequence tasks. Every sampler takes an ``rng`` (numpy Generator) and returns (x, y).

adding_problem  Hochreiter & Schmidhuber (1997): a sequence of pairs (value, marker);
                values uniform in [0, 1), exactly two markers, one in each half of
                the sequence; the target is the sum of the two marked values.
                Predicting the mean (1.0) scores MSE = Var(U1 + U2) = 1/6.
latch_task      the label is the sign of the first input, followed by T - 1 steps
                of distractors in the same channel; a second channel marks step 0.
text            a small public-domain text (four of Shakespeare's sonnets) for a
                character-level language model: next-character prediction.
code            Python source code (25 modules of the CPython 3.11.7 standard library,
                PSF licence, in data/), split by whole files into training and validation.
digits          1,797 handwritten digits, 8 x 8 pixels (UCI, CC BY 4.0, in data/): an image
                read row by row is a sequence of 8 steps of 8 numbers.
words           10,000 words of five languages (from wordfreq, CC BY-SA 4.0, in data/):
                which language is a word, read letter by letter.

The real data sets load like Keras' datasets: ``(x_train, y_train), (x_test, y_test)``, with a
fixed split (every fifth example of each class is a test example), the same on every machine.
"""
import gzip
from importlib import resources

import numpy as np

from .i18n import tr

ADDING_BASELINE_MSE = 1.0 / 6.0  # MSE of always predicting 1, the mean of the target


def _check(batch_size, seq_len, min_len, rng):
    if not isinstance(rng, np.random.Generator):
        raise TypeError(tr("errors.rng", type=type(rng).__name__))
    if int(batch_size) != batch_size or batch_size < 1:
        raise ValueError(tr("errors.batch_size", batch_size=batch_size))
    if int(seq_len) != seq_len or seq_len < min_len:
        raise ValueError(tr("errors.seq_len", min_len=min_len, seq_len=seq_len))


def adding_problem(batch_size, seq_len, rng):
    """Sample the adding problem.

    Returns
    -------
    x : ndarray of shape (B, T, 2): channel 0 the values, channel 1 the markers (0 or 1)
    y : ndarray of shape (B, 1): the sum of the two marked values
    """
    _check(batch_size, seq_len, 2, rng)
    B, T = batch_size, seq_len
    x = np.zeros((B, T, 2))
    x[:, :, 0] = rng.uniform(0.0, 1.0, size=(B, T))
    half = T // 2
    first = rng.integers(0, half, size=B)          # one marker in the first half
    second = rng.integers(half, T, size=B)         # and one in the second
    rows = np.arange(B)
    x[rows, first, 1] = 1.0
    x[rows, second, 1] = 1.0
    y = (x[rows, first, 0] + x[rows, second, 0])[:, None]  # (B, 1)
    return x, y


def latch_task(batch_size, seq_len, rng, noise=1.0):
    """Sample the latch (long-gap) task: remember the sign of step 0 until step T - 1.

    Parameters
    ----------
    noise : float, the distractors are uniform in [-noise, noise]

    Returns
    -------
    x : ndarray of shape (B, T, 2): channel 0 the signal (+-1 at step 0, distractors after),
        channel 1 is 1 at step 0 and 0 after
    y : ndarray of shape (B,) of ints: 1 where the first signal was +1, else 0
    """
    _check(batch_size, seq_len, 1, rng)
    B, T = batch_size, seq_len
    bits = rng.integers(0, 2, size=B)
    x = np.zeros((B, T, 2))
    x[:, 1:, 0] = rng.uniform(-noise, noise, size=(B, T - 1))
    x[:, 0, 0] = 2.0 * bits - 1.0
    x[:, 0, 1] = 1.0
    return x, bits


def load_text():
    """The course's small text: four of Shakespeare's sonnets (1609, public domain), as one string."""
    return resources.files(__package__).joinpath("data", "sonnets.txt").read_text(encoding="utf-8")


def load_code():
    """Chapter 08's corpus: Python source from the CPython 3.11.7 standard library (PSF License,
    data/cpython_LICENSE.txt), split by whole files.

    Returns
    -------
    train : str, 22 modules (abc, ast, ..., weakref), 501,772 characters
    validation : str, 3 other modules (queue, sched, textwrap), 37,697 characters
    """
    folder = resources.files(__package__).joinpath("data")
    return tuple(folder.joinpath(f"cpython_{part}.txt").read_text(encoding="utf-8")
                 for part in ("train", "validation"))


WORD_LANGUAGES = ("en", "de", "fr", "es", "it")  # the labels of load_words, in this order
# How chapter 10 trains on load_digits and load_words (hidden size, batch, Adam's learning rate, updates; the
# words padded to `length` letters). benchmarks/applications.py and figures use these; the chapter shows them.
DIGIT_SETTINGS = {"hidden": 32, "batch": 64, "lr": 1e-2, "steps": 600}
WORD_SETTINGS = {"hidden": 48, "batch": 64, "lr": 1e-2, "steps": 1500, "length": 12}


def _data(name):
    return resources.files(__package__).joinpath("data", name)


def _split(x, y):
    """Every fifth example of each class (its 1st, 6th, 11th, ...) to the test set, the rest to training."""
    rank = np.zeros(len(y), dtype=np.int64)             # how many of its class came before it
    for label in np.unique(y):
        at = np.flatnonzero(y == label)
        rank[at] = np.arange(len(at))
    test = rank % 5 == 0
    pick = (lambda m: x[m]) if isinstance(x, np.ndarray) else (lambda m: [v for v, keep in zip(x, m) if keep])
    return (pick(~test), y[~test]), (pick(test), y[test])


def load_digits():
    """The UCI handwritten digits (Alpaydin & Kaynak 1998, CC BY 4.0; data/README.md): 1,797 images.

    Returns
    -------
    (x_train, y_train), (x_test, y_test) : images of shape (N, 8, 8), pixels scaled to [0, 1] (the
        files' 0..16 divided by 16), and their digits 0..9 of shape (N,); 1,433 training images, 364 test
    """
    with _data("digits.csv.gz").open("rb") as f:
        table = np.loadtxt(gzip.open(f), delimiter=",", dtype=np.int64)   # (1797, 65): 64 pixels, label
    images = table[:, :64].reshape(-1, 8, 8) / 16.0                       # (N, 8, 8), row by row
    return _split(images, table[:, 64])


def load_words():
    """Words of five languages (from wordfreq 3.1.1, CC BY-SA 4.0; data/README.md): 2,000 each.

    Returns
    -------
    (words_train, y_train), (words_test, y_test) : lists of str (lower case, 3 or more letters) and
        their languages as indices into ``WORD_LANGUAGES`` (en, de, fr, es, it), arrays of shape (N,);
        8,000 training words, 2,000 test
    """
    lines = _data("words.tsv").read_text(encoding="utf-8").splitlines()
    langs, words = zip(*(line.split("\t") for line in lines))
    labels = np.array([WORD_LANGUAGES.index(lang) for lang in langs])
    return _split(list(words), labels)


def encode_words(words, alphabet, length, side="end"):
    """Words as sequences of one-hot letters, padded to one length.

    Parameters
    ----------
    words : list of str
    alphabet : str or list of the letters, V of them (a letter not in it becomes all zeros)
    length : int, T: a longer word keeps its first T letters
    side : "end" (padding after the word: read it with ``lengths``) or "start" (before it, as Keras'
        pad_sequences does by default; Keras' default also cuts a long sequence at the start, while this
        keeps a word's first T letters on either side)

    Returns
    -------
    x : ndarray of shape (N, T, V), all zeros at padded steps
    lengths : ndarray of ints of shape (N,), the real letters of each word (at most T)
    """
    if side not in ("end", "start"):
        raise ValueError(tr("errors.side", side=side))
    index = {ch: k for k, ch in enumerate(alphabet)}
    x = np.zeros((len(words), length, len(index)))
    lengths = np.array([min(len(w), length) for w in words], dtype=np.int64)
    for row, (word, n) in enumerate(zip(words, lengths)):
        start = 0 if side == "end" else length - n
        for t, ch in enumerate(word[:n]):
            if ch in index:
                x[row, start + t, index[ch]] = 1.0
    return x, lengths


def read_idx(path):
    """An array from a file in the IDX format of the original MNIST files (train-images-idx3-ubyte and the
    others, gzipped or not): a magic number whose third byte is the type and fourth the number of
    dimensions, then each dimension as a big-endian int32, then the values."""
    raw = open(path, "rb").read()
    if raw[:2] == b"\x1f\x8b":
        raw = gzip.decompress(raw)
    types = {0x08: ">u1", 0x09: ">i1", 0x0B: ">i2", 0x0C: ">i4", 0x0D: ">f4", 0x0E: ">f8"}
    if len(raw) < 4 or raw[:2] != b"\x00\x00" or raw[2] not in types:
        raise ValueError(tr("errors.idx_magic", path=path))
    ndim = raw[3]
    shape = tuple(int(d) for d in np.frombuffer(raw, ">i4", ndim, offset=4))
    values = np.frombuffer(raw, types[raw[2]], offset=4 + 4 * ndim)
    if values.size != int(np.prod(shape)):
        raise ValueError(tr("errors.idx_size", path=path, shape=shape, size=values.size))
    return values.reshape(shape).astype(values.dtype.newbyteorder("="))


def read_imdb(path, num_words=None):
    """The IMDB reviews from Keras' file imdb.npz (the tutorial's text data), as keras.datasets.imdb.load_data
    reads them with its defaults, except that the order is kept (Keras shuffles with a fixed seed).

    Each review is a list of word indices by frequency (1 the most frequent word in the file); as in Keras,
    index 1 marks the start, 2 a word outside the ``num_words`` most frequent, and a word's index is moved
    up by 3.

    Returns
    -------
    (x_train, y_train), (x_test, y_test) : lists of lists of ints, and labels (0 negative, 1 positive)
    """
    start, oov, shift = 1, 2, 3
    with np.load(path, allow_pickle=True) as f:
        parts = [(list(f[f"x_{part}"]), np.asarray(f[f"y_{part}"])) for part in ("train", "test")]
    out = []
    for reviews, labels in parts:
        reviews = [[start] + [int(w) + shift for w in review] for review in reviews]
        if num_words is not None:
            reviews = [[w if w < num_words else oov for w in review] for review in reviews]
        out.append((reviews, labels))
    return tuple(out)


class Vocabulary:
    """The characters of a text, each given an index (sorted, so it is the same on every machine)."""

    def __init__(self, text):
        self.chars = sorted(set(text))
        self.index = {ch: k for k, ch in enumerate(self.chars)}

    @property
    def size(self):
        """V, the number of distinct characters."""
        return len(self.chars)

    def encode(self, text):
        """ndarray of shape (len(text),) of indices."""
        unknown = sorted(set(text) - set(self.index))
        if unknown:
            raise ValueError(tr("errors.vocab_unknown", unknown=unknown))
        return np.array([self.index[ch] for ch in text], dtype=np.int64)

    def decode(self, ids):
        """The string for a sequence of indices."""
        return "".join(self.chars[int(k)] for k in ids)


def one_hot(ids, size):
    """ndarray of shape ids.shape + (size,): 1.0 at each index."""
    ids = np.asarray(ids)
    if ids.size and (ids.min() < 0 or ids.max() >= size):
        raise ValueError(tr("errors.one_hot_range", size=size, lo=ids.min(), hi=ids.max()))
    return np.eye(size)[ids]


def char_batch(ids, batch_size, seq_len, rng, vocab_size):
    """Random windows of an encoded text for next-character prediction.

    Returns
    -------
    x : ndarray of shape (B, T, V), one-hot characters
    y : ndarray of shape (B, T) of ints, the character that follows each one
    """
    _check(batch_size, seq_len, 1, rng)
    ids = np.asarray(ids)
    if len(ids) < seq_len + 1:
        raise ValueError(tr("errors.text_short", n=len(ids), need=seq_len + 1))
    starts = rng.integers(0, len(ids) - seq_len, size=batch_size)
    windows = ids[starts[:, None] + np.arange(seq_len + 1)]  # (B, T+1)
    return one_hot(windows[:, :-1], vocab_size), windows[:, 1:]
