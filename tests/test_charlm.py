"""lstm_helpers.charlm: temperature, text streams for truncated BPTT, bits per character, sampling, baselines."""
import numpy as np
import pytest

from lstm_helpers import SequenceModel, charlm, gradcheck, losses, tasks


def test_temperature_probs():
    z = np.array([[2.0, 1.0, -1.0], [0.0, 0.0, 0.0]])
    p1 = charlm.temperature_probs(z, 1.0)
    np.testing.assert_allclose(p1, np.exp(z) / np.exp(z).sum(axis=1, keepdims=True), rtol=1e-12)
    np.testing.assert_allclose(charlm.temperature_probs(z, 0.5), p1 ** 2 / (p1 ** 2).sum(1, keepdims=True), rtol=1e-12)
    cold = charlm.temperature_probs(np.array([1000.0, 999.0, -5.0]), 0.01)   # no overflow, nearly greedy
    assert np.all(np.isfinite(cold)) and cold[0] > 0.999999
    hot = charlm.temperature_probs(z[0], 1e6)
    np.testing.assert_allclose(hot, 1 / 3, rtol=1e-5)                       # towards uniform
    with pytest.raises(ValueError, match="temperature must be > 0"):
        charlm.temperature_probs(z, 0.0)


def test_text_stream_rows_continue_from_chunk_to_chunk_and_wrap():
    ids = np.arange(103) % 7
    wrapped = []
    s = charlm.TextStream(ids, batch_size=4, seq_len=5, vocab_size=7, on_wrap=lambda: wrapped.append(1))
    x1, y1 = s()
    x2, y2 = s()
    assert x1.shape == (4, 5, 7) and y1.shape == (4, 5)
    got = x1.argmax(-1)
    np.testing.assert_array_equal(got[:, 1:], y1[:, :-1])             # y is x shifted by one
    np.testing.assert_array_equal(got[:, 0], ids[np.arange(4) * 25])   # row b starts at b * (102 // 4)
    np.testing.assert_array_equal(x2.argmax(-1)[:, 0], y1[:, -1])      # row b goes on where it stopped
    for _ in range(3):
        s()
    assert not wrapped                                                 # 5 chunks of 5 fill 25 per row
    s()
    assert wrapped == [1] and s.wraps == 1
    with pytest.raises(ValueError, match="too short"):
        charlm.TextStream(ids[:10], 4, 5, 7)


@pytest.mark.parametrize("cell", ["lstm", "rnn"])
def test_a_stateful_model_carries_the_state_and_cuts_the_gradient(cell):
    rng = np.random.default_rng(0)
    V, H = 5, 4
    m = SequenceModel(cell, V, H, V, rng, loss="xent", many_to_one=False, stateful=True)
    ids = rng.integers(0, V, (2, 13))
    x, y = np.eye(V)[ids[:, :-1]], ids[:, 1:]
    m.loss_and_grads(x[:, :6], y[:, :6])
    loss2, grads2 = m.loss_and_grads(x[:, 6:], y[:, 6:])               # starts from the carried state
    whole, state = m.run(x)                                            # the full 12 steps in one go
    part, _ = m.run(x[:, 6:], m.run(x[:, :6])[1])
    np.testing.assert_allclose(part, whole[:, 6:], rtol=1e-12)
    np.testing.assert_allclose(m.state[0], state[0], rtol=1e-12)
    # chunk 2's loss and gradient treat the carried state as a constant start (truncated BPTT)
    start = tuple(v.copy() for v in m.run(x[:, :6])[1])

    def chunk_loss():
        return losses.softmax_cross_entropy(m.run(x[:, 6:], start)[0], y[:, 6:])[0]

    assert abs(chunk_loss() - loss2) < 1e-12
    errors = gradcheck.check_gradients(chunk_loss, m.params, grads2)
    assert max(errors.values()) < 1e-7, errors
    m.reset_state()
    assert m.state is None


def test_stream_bits_per_char_reads_the_text_in_order():
    rng = np.random.default_rng(1)
    V = 6
    m = SequenceModel("lstm", V, 5, V, rng, loss="xent", many_to_one=False)
    ids = rng.integers(0, V, 50)
    logits, _ = m.run(np.eye(V)[ids[None, :-1]])
    z = logits[0] - logits[0].max(1, keepdims=True)
    logp = z - np.log(np.exp(z).sum(1, keepdims=True))
    want = -logp[np.arange(49), ids[1:]].mean() / np.log(2)
    for seq_len in (7, 49, 200):                                       # chunks only bound the memory
        assert abs(charlm.stream_bits_per_char(m, ids, V, seq_len) - want) < 1e-10


def test_sampling_at_a_tiny_temperature_is_greedy_and_needs_a_prime():
    text = "abcabcabd"
    vocab = tasks.Vocabulary(text)
    m = SequenceModel("lstm", vocab.size, 6, vocab.size, np.random.default_rng(2), loss="xent", many_to_one=False)
    out = charlm.sample(m, vocab, "ab", 8, 1e-6, np.random.default_rng(0))
    assert len(out) == 8 and set(out) <= set(text)
    eye = np.eye(vocab.size)
    seq, state = list(vocab.encode("ab")), None
    logits, state = m.run(eye[seq][None])
    greedy = []
    for _ in range(8):
        k = int(logits[0, -1].argmax())
        greedy.append(k)
        logits, state = m.run(eye[[k]][None], state)
    assert out == vocab.decode(greedy)
    assert charlm.sample(m, vocab, "ab", 8, 1.0, np.random.default_rng(5)) == \
        charlm.sample(m, vocab, "ab", 8, 1.0, np.random.default_rng(5))
    with pytest.raises(ValueError, match="prime"):
        charlm.sample(m, vocab, "", 3, 1.0, np.random.default_rng(0))


def test_ngram_and_compressor_baselines():
    train = np.array([0, 1, 0, 1, 0, 1, 0, 1, 2])
    val = np.array([0, 1, 0, 1])
    counts = np.array([4, 4, 1]) + 0.5
    assert abs(charlm.ngram_bits_per_char(train, val, 3, 1) - (-np.log2(counts[val] / counts.sum()).mean())) < 1e-12
    # after 0 comes 1 four times in five (add-0.5): p(1|0) = 4.5 / 5.5; after 1: 0 three times, 2 once
    want = -np.mean(np.log2([4.5 / 5.5, 3.5 / 5.5, 4.5 / 5.5]))
    assert abs(charlm.ngram_bits_per_char(train, val, 3, 2) - want) < 1e-12
    with pytest.raises(ValueError, match="order"):
        charlm.ngram_bits_per_char(train, val, 3, 3)
    text = "def f(x):\n    return x + 1\n" * 40
    assert charlm.compressor_bits_per_char(text, text[:200], "zlib") < 1.0   # seen before: nearly free
    assert 0 < charlm.compressor_bits_per_char("", "a quick brown fox", "lzma")
    with pytest.raises(ValueError, match="method"):
        charlm.compressor_bits_per_char("a", "b", "gzip")


def test_code_features_by_hand():
    text = "def f(a, b):  # x(\n    s = 'p(\\'q' + \"\"\"r\n\"\"\"\n"
    feats = charlm.code_features(text)
    assert list(feats) == list(charlm.CODE_FEATURES) and all(v.shape == (len(text),) for v in feats.values())

    def at(name, i):
        return feats[name][i]
    k = text.index("(")
    assert at("bracket depth", k - 1) == 0 and at("bracket depth", k) == 1 and at("bracket depth", k + 1) == 1
    assert at("bracket depth", text.index(")")) == 0                    # closed at the closing bracket
    c = text.index("#")
    assert at("in a comment", c - 1) == 0 and at("in a comment", c) == 1 and at("in a comment", c + 3) == 1
    assert at("bracket depth", c + 3) == 0                               # a bracket in a comment does not count
    nl = text.index("\n")
    assert at("in a comment", nl) == 0 and at("column", nl) == 0 and at("column", nl - 1) == nl
    q = text.index("'")                                                  # 'p(\'q': an escaped quote inside
    assert at("in a string", q - 1) == 0 and all(at("in a string", i) == 1 for i in range(q, q + 6))
    assert at("in a string", q + 6) == 0 and at("bracket depth", q + 2) == 0   # closed; its "(" is text
    t = text.index('"""')                                                # a triple-quoted string over two lines
    close = text.rindex('"""')
    assert all(at("in a string", i) == 1 for i in range(t, close + 2)) and at("in a string", close + 2) == 0
    assert at("indentation", nl + 2) == 2 and at("indentation", nl + 5) == 4 and at("indentation", nl + 6) == 4
    assert at("indentation", close) == 0 and at("column", nl + 1) == 1   # the line after the string starts at 0


def test_code_features_strings_are_the_tokenizers_on_the_held_out_code():
    import io
    import tokenize
    _, val = tasks.load_code()
    strings = charlm.code_features(val)["in a string"]
    want = np.zeros(len(val))
    starts = np.cumsum([0] + [len(line) for line in val.splitlines(keepends=True)])
    for tok in tokenize.generate_tokens(io.StringIO(val).readline):
        if tok.type == tokenize.STRING:  # from the opening quote (after any prefix) to the last closing quote
            a, b = starts[tok.start[0] - 1] + tok.start[1], starts[tok.end[0] - 1] + tok.end[1]
            want[a + len(tok.string) - len(tok.string.lstrip("rRbBuUfF")):b - 1] = 1
    assert want.sum() > 10_000
    np.testing.assert_array_equal(strings, want)


@pytest.mark.parametrize("cell", ["lstm", "rnn"])
def test_states_over_text_are_one_long_run(cell):
    from lstm_helpers import lstm, rnn
    rng = np.random.default_rng(3)
    V = 5
    m = SequenceModel(cell, V, 4, V, rng, loss="xent", many_to_one=False)
    ids = rng.integers(0, V, 23)
    x = np.eye(V)[ids[None]]
    whole = lstm.forward(m.cell_params, x)[0].c[0] if cell == "lstm" else rnn.forward(m.cell_params, x)[0][0]
    for seq_len in (5, 23, 1000):                                      # chunks only bound the memory
        np.testing.assert_allclose(charlm.states_over_text(m, ids, V, seq_len), whole, rtol=1e-12, atol=1e-15)


def test_unit_correlations_are_pearsons_r():
    rng = np.random.default_rng(4)
    states = rng.standard_normal((50, 3))
    states[:, 2] = 1.5                                                 # a unit that never changes
    feature = states[:, 0] + 0.5 * rng.standard_normal(50)
    r = charlm.unit_correlations(states, feature)
    assert r.shape == (3,) and r[2] == 0
    for u in (0, 1):
        assert abs(r[u] - np.corrcoef(states[:, u], feature)[0, 1]) < 1e-12
    assert np.all(charlm.unit_correlations(states, np.ones(50)) == 0)
