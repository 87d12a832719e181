import numpy as np
import pytest

from lstm_helpers import tasks


def test_adding_problem_structure_and_baseline():
    rng = np.random.default_rng(0)
    x, y = tasks.adding_problem(4000, 50, rng)
    assert x.shape == (4000, 50, 2) and y.shape == (4000, 1)
    markers = x[:, :, 1]
    np.testing.assert_array_equal(markers.sum(axis=1), 2)              # exactly two markers
    np.testing.assert_array_equal(markers[:, :25].sum(axis=1), 1)      # one in each half
    assert x[:, :, 0].min() >= 0 and x[:, :, 0].max() < 1
    np.testing.assert_allclose(y[:, 0], (x[:, :, 0] * markers).sum(axis=1))
    baseline = np.mean((y - 1.0) ** 2)                                  # predict the mean
    assert baseline == pytest.approx(tasks.ADDING_BASELINE_MSE, abs=0.01)


def test_samplers_depend_only_on_the_rng():
    a = tasks.adding_problem(3, 10, np.random.default_rng(5))
    b = tasks.adding_problem(3, 10, np.random.default_rng(5))
    np.testing.assert_array_equal(a[0], b[0])
    with pytest.raises(TypeError, match="Generator"):
        tasks.adding_problem(3, 10, 5)
    with pytest.raises(ValueError, match="seq_len"):
        tasks.adding_problem(3, 1, np.random.default_rng(0))


def test_latch_task_label_is_decided_by_the_first_step():
    x, y = tasks.latch_task(500, 30, np.random.default_rng(1), noise=0.5)
    assert x.shape == (500, 30, 2) and y.shape == (500,)
    np.testing.assert_array_equal(y, (x[:, 0, 0] > 0).astype(int))
    np.testing.assert_array_equal(x[:, 0, 1], 1)
    assert np.all(x[:, 1:, 1] == 0) and np.abs(x[:, 1:, 0]).max() <= 0.5
    assert 0.4 < y.mean() < 0.6


def test_text_vocabulary_and_batches():
    text = tasks.load_text()
    assert "Shall I compare thee to a summer's day?" in text and len(text) > 2000
    vocab = tasks.Vocabulary(text)
    ids = vocab.encode(text)
    assert vocab.decode(ids) == text
    with pytest.raises(ValueError, match="not in the vocabulary"):
        vocab.encode("€")
    x, y = tasks.char_batch(ids, 4, 25, np.random.default_rng(0), vocab.size)
    assert x.shape == (4, 25, vocab.size) and y.shape == (4, 25)
    np.testing.assert_array_equal(x.sum(axis=-1), 1)
    np.testing.assert_array_equal(x[:, 1:].argmax(-1), y[:, :-1])  # y is x shifted by one


def test_the_code_corpus_is_fixed_ascii_and_split_by_whole_files():
    train, val = tasks.load_code()
    assert (len(train), len(val)) == (501772, 37697)
    for text in (train, val):
        assert all(ch == "\n" or " " <= ch <= "~" for ch in text)  # printable ASCII and newlines
    headers = [line for line in (train + val).splitlines() if line.startswith("# ---- Lib/")]
    names = [h.split("/")[1].split(".py")[0] for h in headers]
    assert len(names) == len(set(names)) == 25 and names[-3:] == ["queue", "sched", "textwrap"]
    assert set(val) <= set(train) and tasks.Vocabulary(train).size == 96
    from importlib import resources
    licence = resources.files("lstm_helpers").joinpath("data", "cpython_LICENSE.txt").read_text(encoding="utf-8")
    assert "This LICENSE AGREEMENT is between the Python Software Foundation" in licence


def test_the_digits_are_the_uci_set_split_by_class():
    (x, y), (xt, yt) = tasks.load_digits()
    assert x.shape == (1433, 8, 8) and xt.shape == (364, 8, 8) and y.shape == (1433,) and yt.shape == (364,)
    assert x.min() == 0.0 and x.max() == 1.0 and np.all((x * 16) == np.round(x * 16))  # 0..16 over 16
    counts = np.bincount(np.concatenate([y, yt]))
    assert counts.tolist() == [178, 182, 177, 183, 181, 182, 181, 179, 174, 180]      # the UCI test set's
    assert np.all(np.abs(np.bincount(yt) - counts / 5) < 1)                            # a fifth of each digit
    (x2, _), (xt2, _) = tasks.load_digits()
    assert np.array_equal(x, x2) and np.array_equal(xt, xt2)                            # the same every time


def test_the_words_are_five_languages_with_no_word_in_two():
    (w, y), (wt, yt) = tasks.load_words()
    assert len(w) == 8000 and len(wt) == 2000 and np.bincount(yt).tolist() == [400] * 5
    assert tasks.WORD_LANGUAGES == ("en", "de", "fr", "es", "it")
    everything = w + wt
    assert len(set(everything)) == len(everything)                 # no word twice, so none in two languages
    assert all(word.isalpha() and word.islower() and len(word) >= 3 for word in everything)
    by_lang = {tasks.WORD_LANGUAGES[k]: [v for v, lab in zip(w, y) if lab == k] for k in range(5)}
    assert {"having", "however"} <= set(by_lang["en"]) and "nicht" in by_lang["de"] + [
        v for v, lab in zip(wt, yt) if lab == 1]


def test_read_idx_reads_the_mnist_format(tmp_path):
    import gzip
    import struct
    images = np.arange(2 * 3 * 4, dtype=np.uint8).reshape(2, 3, 4)
    raw = struct.pack(">BBBB", 0, 0, 0x08, 3) + struct.pack(">iii", 2, 3, 4) + images.tobytes()
    (tmp_path / "tiny-idx3-ubyte").write_bytes(raw)
    (tmp_path / "tiny-idx3-ubyte.gz").write_bytes(gzip.compress(raw))
    for name in ("tiny-idx3-ubyte", "tiny-idx3-ubyte.gz"):
        got = tasks.read_idx(tmp_path / name)
        assert got.dtype == np.uint8 and np.array_equal(got, images)
    labels = struct.pack(">BBBB", 0, 0, 0x08, 1) + struct.pack(">i", 3) + bytes([7, 2, 1])
    (tmp_path / "labels").write_bytes(labels)
    assert tasks.read_idx(tmp_path / "labels").tolist() == [7, 2, 1]
    (tmp_path / "bad").write_bytes(b"PK\x03\x04")
    with pytest.raises(ValueError, match="not an IDX file"):
        tasks.read_idx(tmp_path / "bad")
    (tmp_path / "short").write_bytes(raw[:-5])
    with pytest.raises(ValueError, match="the header says shape"):
        tasks.read_idx(tmp_path / "short")


def test_encode_words_pads_at_either_end_and_cuts_long_words():
    x, lengths = tasks.encode_words(["abc", "b", "abcabcab"], "abc", 5)
    assert x.shape == (3, 5, 3) and lengths.tolist() == [3, 1, 5]
    assert x[0].argmax(axis=1)[:3].tolist() == [0, 1, 2] and not x[0, 3:].any()      # padding after the word
    assert x[2].argmax(axis=1).tolist() == [0, 1, 2, 0, 1]                           # its first five letters
    xs, ls = tasks.encode_words(["abc", "b"], "abc", 5, side="start")
    assert ls.tolist() == [3, 1] and not xs[0, :2].any() and xs[0, 2:].argmax(axis=1).tolist() == [0, 1, 2]
    assert xs[1, 4, 1] == 1 and xs[1].sum() == 1
    assert not tasks.encode_words(["xyz"], "abc", 3)[0].any()                        # unknown letters: zeros
    with pytest.raises(ValueError, match='side must be "end" or "start"'):
        tasks.encode_words(["a"], "a", 2, side="pre")


def test_read_imdb_reads_keras_file_as_keras_does(tmp_path):
    """keras.datasets.imdb.load_data's defaults (start 1, out of vocabulary 2, indices moved up by 3), on a tiny
    imdb.npz written here in Keras' layout (object arrays of lists)."""
    def reviews(*lists):
        a = np.empty(len(lists), dtype=object)
        a[:] = [list(v) for v in lists]
        return a
    path = tmp_path / "imdb.npz"
    np.savez(path, x_train=reviews([1, 14, 22], [5, 996]), y_train=np.array([1, 0]),
             x_test=reviews([7]), y_test=np.array([0]))
    (x, y), (xt, yt) = tasks.read_imdb(path)
    assert x == [[1, 4, 17, 25], [1, 8, 999]] and y.tolist() == [1, 0] and xt == [[1, 10]] and yt.tolist() == [0]
    (x, _), _ = tasks.read_imdb(path, num_words=20)
    assert x == [[1, 4, 17, 2], [1, 8, 2]]                                  # 25 and 999 are outside the 20
