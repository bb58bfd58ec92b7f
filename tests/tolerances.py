"""Float tolerances of the test suite, derived from the dtype and the arithmetic.

Two evaluations of the same fp32 quantity that differ only in the order of their operations
(batch size, padding, thread count, the CPU's SIMD width, the kernel chosen) differ by
rounding, and rounding is relative to the size of the *terms* that were added, not to the
size of the result: a K-term sum or dot product evaluated in two orders differs by up to
``2 K u sum|terms|`` (``u = 2**-24``, fp32 unit roundoff; Higham, *Accuracy and Stability
of Numerical Algorithms*, §3.1), typically ``sqrt(K) u sum|terms|``. So an entry of an
activation vector that is much smaller than the vector's largest entries, or a difference
of two nearly equal numbers, can carry an error far above its own last bit; a purely
relative element-wise tolerance (``atol = 0``) is wrong for both.

The rules used in ``tests/``:

1. Activation vectors from two fp32 forwards: every entry within ``tol x max|entry|`` of its
   vector (:func:`assert_close_to_scale`), with ``tol`` from the depth and width below.
2. A difference of near-equal values: an absolute tolerance set by the operands' size.
3. float64 arithmetic on the same inputs: ``rtol`` and ``atol`` of 1e-12 or so
   (``2**-53 = 1.1e-16`` per operation, a few hundred operations).
4. A discrete outcome computed from floats (a count of ``x > 0``, an accuracy) is compared
   exactly only where the test has checked that no value lies within rounding of the
   threshold; otherwise the allowed difference is the number of such values.
"""

from __future__ import annotations

import numpy as np

U32 = 2.0**-24  # fp32 unit roundoff (half an ulp at 1.0): 5.96e-8
EPS32 = 2.0**-23  # fp32 ulp at 1.0: 1.19e-7; one rounding moves a value by at most EPS32 relative

# The tiny random models (tests/conftest.py): 3 layers, width 16, MLP 24, i.e. sums of at most
# 24 terms, a few in sequence per layer (norm, attention, MLP). 2 K u = 2.9e-6 per product at
# worst; three layers of them give 1e-5 of the vectors' scale. Measured: at most 6e-7 between
# batch sizes 1 and 4, on AVX-512, AVX2 and SSE kernels, with 1 or 2 threads.
TINY_FP32 = 1e-5

# Gemma-3-270M in fp32: 18 layers, sums of up to 2,048 terms (sqrt(K) u = 2.7e-6 each, 2 K u =
# 2.4e-4 at worst). Measured: 3.5e-6 of the vectors' scale between batch sizes 1 and 4.
GEMMA_FP32 = 1e-4


# Gemma-3-270M in bf16 (the default dtype where the CPU has native bf16), one sentence's pooled
# activations under different batch sizes. Batches hold sentences of one token length only
# (neuron_utils.core.batches), so a sentence's rows of every product come from the same kernel
# on the same numbers: measured bit-identical (difference 0) for batch sizes 1, 5 and 32 with 1
# or 2 threads on AVX-512 with avx512_bf16. A CPU whose matrix kernels split the reduction
# differently for batches of different height would differ by bf16 roundings (u = 2**-9 = 2e-3
# per rounding, compounded over 18 layers): padded batches, whose attention runs another
# kernel, measured up to 2.1e-2 of the scale (residual) and 4.4e-2 (neurons). The tolerance
# admits a few roundings, and not what padding did. Sentence scores (mean log-probabilities)
# use it as a relative tolerance; measured bit-identical for batch sizes 1 and 16.
GEMMA_BF16_BATCHING = 1e-2


def assert_close_to_scale(
    actual, desired, tol: float, axis: int = -1, what: str = "values"
) -> None:
    """Assert ``|actual - desired| <= tol * max|desired|`` entry by entry, the maximum taken
    over ``axis`` (each activation vector is its own scale; see rule 1 above)."""
    actual = np.asarray(actual, dtype=np.float64)
    desired = np.asarray(desired, dtype=np.float64)
    assert actual.shape == desired.shape, (
        f"{what}: shapes {actual.shape} and {desired.shape} differ"
    )
    scale = np.abs(desired).max(axis=axis, keepdims=True)
    error = np.abs(actual - desired)
    allowed = tol * np.broadcast_to(scale, error.shape)
    bad = error > allowed
    if bad.any():
        worst = np.unravel_index(
            np.argmax(error / np.where(allowed > 0, allowed, np.finfo(float).tiny)), error.shape
        )
        raise AssertionError(
            f"{what}: {int(bad.sum())} of {bad.size} entries differ by more than {tol:g} x the max |value| of "
            f"their vector; worst at {tuple(int(i) for i in worst)}: {actual[worst]!r} vs {desired[worst]!r} "
            f"(vector scale {float(np.broadcast_to(scale, error.shape)[worst]):.3g})"
        )
