"""Run an answer with the package's own cells switched off, so it cannot pass by calling them.

An exercise that asks the student to write the LSTM step is not solved by ``lstm.step``. While
an answer runs, ``forbid`` replaces the functions an exercise names (``"lstm.step"``, ...) by
stand-ins that record the call and raise ``PackageCalled``; it puts the originals back
afterwards, whatever happens. Besides the module attribute (``lstm.step``), it replaces the
same function where the answer's notebook holds it under a name of its own
(``from lstm_helpers.lstm import step``), in its globals and in its closure.
"""
import contextlib

from .. import charlm, frameworks, gradflow, gru, layers, lstm, optim, rnn
from ..i18n import tr

MODULES = {"lstm": lstm, "rnn": rnn, "optim": optim, "frameworks": frameworks, "gradflow": gradflow, "charlm": charlm,
           "gru": gru, "layers": layers}


class PackageCalled(BaseException):
    """Raised by a switched-off package function.

    A BaseException, not an Exception, so that an answer's own ``except Exception`` cannot hide it.
    """

    def __init__(self, name):
        super().__init__(name)
        self.name = name


def reason(name):
    """Why calling ``name`` (e.g. "lstm.step") does not count, for the student, in the current language."""
    if name.endswith("init_params"):
        return tr("exercises_extra.guard_count_yourself", name=name)
    return tr("exercises_extra.guard_write_yourself", name=name)


def which(fn, names):
    """The name among ``names`` whose function ``fn`` is (an answer that is the package's function), or None."""
    for name in names:
        module, attr = name.split(".")
        if fn is getattr(MODULES[module], attr):
            return name
    return None


def _stand_in(name, calls):
    def switched_off(*args, **kwargs):
        calls.append(name)
        raise PackageCalled(name)
    switched_off.__name__ = name.rsplit(".", 1)[1]
    return switched_off


@contextlib.contextmanager
def forbid(fn, names):
    """Within the block, calling any of ``names`` raises PackageCalled; yields the list of such calls.

    ``fn`` is the answer: where its globals or closure hold one of the functions, that name is
    switched off too. Everything is restored on leaving the block, on errors as well.
    """
    calls = []
    originals = {}
    for name in names:
        module, attr = name.split(".")
        originals[name] = getattr(MODULES[module], attr)
    restore = []
    try:
        for name, original in originals.items():
            module, attr = name.split(".")
            setattr(MODULES[module], attr, _stand_in(name, calls))
            restore.append(lambda m=MODULES[module], a=attr, o=original: setattr(m, a, o))
        scope = getattr(fn, "__globals__", None)
        if isinstance(scope, dict):
            for key, value in list(scope.items()):
                for name, original in originals.items():
                    if value is original:
                        scope[key] = _stand_in(name, calls)
                        restore.append(lambda s=scope, k=key, o=original: s.__setitem__(k, o))
        for cell in getattr(fn, "__closure__", None) or ():
            try:
                value = cell.cell_contents
            except ValueError:  # an empty cell
                continue
            for name, original in originals.items():
                if value is original:
                    cell.cell_contents = _stand_in(name, calls)
                    restore.append(lambda c=cell, o=original: setattr(c, "cell_contents", o))
        yield calls
    finally:
        for undo in reversed(restore):
            undo()
