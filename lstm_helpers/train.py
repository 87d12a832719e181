"""A training loop for a SequenceModel: progress bar, gradient clipping, a loss history.

Each step draws a fresh batch, computes the loss and gradients, clips them by
global norm (exploding gradients, Pascanu et al. 2013) and lets the optimiser
update the parameters in place. Every ``eval_every`` steps the validation loss is
recorded. The History it returns can plot the loss curve (``History.plot``).

The loop runs with one BLAS thread: at these matrix sizes one is as fast as two,
and on a shared machine (a JupyterHub, or tests running beside it) several
threads per process spin against each other and can make training many times slower.
"""
import time
from dataclasses import dataclass, field

from . import optim
from .i18n import tr


@dataclass
class History:
    """What a training run recorded."""
    steps: list = field(default_factory=list)        # step number of each training loss
    loss: list = field(default_factory=list)         # training loss of each step's batch
    grad_norm: list = field(default_factory=list)    # global gradient norm before clipping
    val_steps: list = field(default_factory=list)
    val_loss: list = field(default_factory=list)
    seconds: float = 0.0

    @property
    def final_val_loss(self):
        """The last validation loss recorded, or None."""
        return self.val_loss[-1] if self.val_loss else None

    def plot(self, ax=None, **kwargs):
        """The loss curve (see ``plots.loss_curve``)."""
        from . import plots  # matplotlib only when asked for
        return plots.loss_curve(self, ax=ax, **kwargs)


def train(model, batches, steps, optimizer=None, clip=1.0, val=None, eval_every=50,
          progress=True, target=None, callback=None):
    """Train ``model`` in place.

    Parameters
    ----------
    model : SequenceModel
    batches : callable with no arguments returning a fresh (x, y), or (x, y, lengths) for padded sequences
    steps : int, the number of updates
    optimizer : an object with ``step(grads)`` over ``model.params`` (default Adam, lr 1e-2)
    clip : float or None, max global gradient norm
    val : (x_val, y_val), (x_val, y_val, lengths) or None
    eval_every : int, steps between validation losses
    progress : bool, show a progress bar (tqdm: a widget in notebooks, text elsewhere)
    target : float or None, stop early once the validation loss is below it
    callback : callable(history) or None, called after each validation (e.g. a live plot)

    Returns
    -------
    History
    """
    if int(steps) != steps or steps < 1:
        raise ValueError(tr("errors.steps", steps=steps))
    optimizer = optimizer or optim.Adam(model.params, lr=1e-2)
    hist = History()
    bar = None
    if progress:
        from tqdm.auto import tqdm
        bar = tqdm(total=steps, desc=tr("train.training", cell=model.cell.upper()), leave=True)
    from threadpoolctl import threadpool_limits
    start = time.perf_counter()
    try:
        with threadpool_limits(limits=1, user_api="blas"):
            _loop(model, batches, steps, optimizer, clip, val, eval_every, target, callback, hist, bar)
    finally:
        hist.seconds = time.perf_counter() - start
        if bar is not None:
            bar.close()
    return hist


def _loop(model, batches, steps, optimizer, clip, val, eval_every, target, callback, hist, bar):
    """The steps of train(), each: a batch, loss and gradients, clipping, an update, maybe a validation."""
    for step in range(1, steps + 1):
        loss, grads = model.loss_and_grads(*batches())            # (x, y) or (x, y, lengths)
        hist.grad_norm.append(optim.clip_grad_norm(grads, clip) if clip else optim.global_norm(grads))
        optimizer.step(grads)
        hist.steps.append(step)
        hist.loss.append(loss)
        done = False
        if val is not None and (step % eval_every == 0 or step == steps):
            hist.val_steps.append(step)
            hist.val_loss.append(model.evaluate(*val))
            done = target is not None and hist.val_loss[-1] < target
            if callback is not None:
                callback(hist)
        if bar is not None:
            bar.update(1)
            if step % 10 == 0 or done or step == steps:
                post = {tr("train.loss"): f"{loss:.4f}"}
                if hist.val_loss:
                    post[tr("train.val")] = f"{hist.val_loss[-1]:.4f}"
                bar.set_postfix(post, refresh=False)
        if done:
            break

