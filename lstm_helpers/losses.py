"""Losses with their gradients: each returns (loss, dloss/dprediction).

mse                    mean over every entry of (pred - target)^2
softmax_cross_entropy  mean over positions of -log softmax(logits)[target]
"""
import numpy as np

from .i18n import tr


def mse(pred, target):
    """Mean squared error.

    Parameters
    ----------
    pred, target : ndarray of the same shape

    Returns
    -------
    loss : float
    dpred : ndarray of the shape of pred
    """
    pred = np.asarray(pred)
    target = np.asarray(target, dtype=pred.dtype)
    if pred.shape != target.shape:
        raise ValueError(tr("errors.mse_shape", target=target.shape, pred=pred.shape))
    diff = pred - target
    return float(np.mean(diff * diff)), (2.0 / diff.size) * diff


def softmax_cross_entropy(logits, target):
    """Softmax cross-entropy with integer class targets.

    Parameters
    ----------
    logits : ndarray of shape (..., V)
    target : ndarray of ints of shape (...), values in [0, V)

    Returns
    -------
    loss : float, mean over the positions
    dlogits : ndarray of shape (..., V)
    """
    logits = np.asarray(logits)
    target = np.asarray(target)
    V = logits.shape[-1]
    if target.shape != logits.shape[:-1]:
        raise ValueError(tr("errors.ce_shape", target=target.shape, expected=logits.shape[:-1], logits=logits.shape))
    if not np.issubdtype(target.dtype, np.integer) or (target.size and (target.min() < 0 or target.max() >= V)):
        raise ValueError(tr("errors.ce_classes", V=V))
    shifted = logits - logits.max(axis=-1, keepdims=True)  # exp never overflows
    with np.errstate(under="ignore"):  # exp of very negative logits is 0, as it should be
        logp = shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))
        dlogits = np.exp(logp)                             # softmax
    picked = np.take_along_axis(logp, target[..., None], axis=-1)
    n = target.size
    np.put_along_axis(dlogits, target[..., None], np.take_along_axis(dlogits, target[..., None], -1) - 1.0, -1)
    return float(-picked.sum() / n), dlogits / n
