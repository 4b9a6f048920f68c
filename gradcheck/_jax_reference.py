"""Reference 1: JAX reverse-mode autodiff, in float64.

delta_l is the gradient of the loss with respect to a zero probe added to z_l.
One compiled function per network structure and shape, reused across cases.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path

import numpy as np

from ._derived import assemble
from ._network import Structure, forward
from ._quantities import Reference


@functools.lru_cache(maxsize=None)
def _jax():
    import jax

    # The references are float64 by design; this switches JAX's default for
    # the whole process, which is why it happens only when a reference runs.
    jax.config.update("jax_enable_x64", True)
    cache = _cache_dir()
    if cache is not None:
        # compiled references are kept across runs: most of a small case's cost is compiling
        jax.config.update("jax_compilation_cache_dir", str(cache))
        jax.config.update("jax_persistent_cache_min_compile_time_secs", 0.0)
        jax.config.update("jax_persistent_cache_min_entry_size_bytes", 0)
    return jax


def _cache_dir():
    """GRADCHECK_CACHE_DIR, or $XDG_CACHE_HOME/gradcheck/jax (~/.cache/...); an
    empty GRADCHECK_CACHE_DIR turns the cache off."""
    configured = os.environ.get("GRADCHECK_CACHE_DIR")
    if configured is not None:
        return Path(configured) if configured else None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "gradcheck" / "jax"


@functools.lru_cache(maxsize=64)
def _compiled(structure: Structure):
    jax = _jax()
    jnp = jax.numpy

    def loss(params, probes, x, y):
        weights, biases = params
        return forward(structure, weights, biases, x, y, probes, xp=jnp).loss

    def everything(weights, biases, x, y):
        probes = tuple(jnp.zeros((W.shape[0], x.shape[1])) for W in weights)
        trace = forward(structure, weights, biases, x, y, probes, xp=jnp)
        (d_params, deltas) = jax.grad(loss, argnums=(0, 1))((weights, biases), probes, x, y)
        return trace, d_params, deltas

    return jax.jit(everything)


def jax_reference(case) -> Reference:
    """All quantities of ``case`` by autodiff (float64)."""
    _jax()
    fn = _compiled(case.structure)
    trace, (dWs, dbs), deltas = fn(
        tuple(np.asarray(W) for W in case.weights),
        tuple(None if b is None else np.asarray(b) for b in case.biases),
        np.asarray(case.x),
        np.asarray(case.y),
    )
    as_np = lambda seq: tuple(None if v is None else np.asarray(v, dtype=np.float64) for v in seq)
    return assemble(
        case,
        "jax",
        loss=np.asarray(trace.loss, dtype=np.float64),
        zs=as_np(trace.zs),
        activations=as_np(trace.activations),
        deltas=as_np(deltas),
        dWs=as_np(dWs),
        dbs=as_np(dbs),
    )
