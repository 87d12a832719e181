"""`import lstm_helpers` imports numpy only and does nothing else."""
import subprocess
import sys

CHECK = r"""
import sys, io, contextlib
before = set(sys.modules)
out = io.StringIO()
with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
    import numpy as np
    state = np.random.get_state()[1].copy()
    import lstm_helpers
    from lstm_helpers import lstm, rnn, gradcheck, optim, tasks, train, model, losses
new = {m.split('.')[0] for m in set(sys.modules) - before if 'cython' not in m}  # numpy.random's runtime
print(sorted(new - {'numpy', 'lstm_helpers'} - set(sys.stdlib_module_names)))
print(repr(out.getvalue()))
print((np.random.get_state()[1] == state).all())
"""


def test_import_pulls_in_numpy_only_and_prints_nothing():
    res = subprocess.run([sys.executable, "-c", CHECK], capture_output=True, text=True, check=True)
    third_party, printed, rng_untouched = res.stdout.splitlines()
    assert third_party == "[]", f"import lstm_helpers also imported {third_party}"
    assert printed == "''"
    assert rng_untouched == "True"


def test_public_contract_is_importable():
    from lstm_helpers import lstm, rnn
    for mod in (lstm, rnn):
        for name in ("init_params", "step", "forward", "backward"):
            assert callable(getattr(mod, name))
