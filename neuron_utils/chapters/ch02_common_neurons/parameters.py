"""Chapter 2's parameters: the pairs (:class:`~neuron_utils.kit.parameters.PairParameters`),
then the neurons, each with its limits beside it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from ...kit.pairs import PairParameters
from ...kit.parameters import param

NEURON_SITES = ("neurons", "gate")  # act(gate(x)) * up(x), the paper's definition; act(gate(x))


@dataclass(frozen=True)
class Parameters(PairParameters):
    """Chapter 2's parameters (defaults: the ``quick`` profile): the pairs, then the neurons."""

    # neurons: act(gate(x)) * up(x) (the paper's definition); gate: act(gate(x))
    NEURON_SITE: str = param("neurons", choices=NEURON_SITES)
    # the paper's 15,000 of ~450k neurons; at most half: random matched sets are drawn outside
    # the top set, layer by layer
    TOP_NEURON_FRACTION: float = param(0.033, low=0.0, high=0.5, low_open=True)
    # random matched sets for the baseline (the paper profile: 3)
    N_RANDOM_SEEDS: int = param(1, low=1)
    # permutations of the selection null per L2 and design; a p-value is at least 1 / (P + 1),
    # so 19 is the fewest that let p reach 0.05. 20 on quick (p >= 0.048): on 36,864 neurons x
    # 200 pairs a re-pairing costs 0.12 s, a label permutation 0.03 s on two cores, and with
    # twelve pair sets the null is about 20 s of the chapter; the paper profiles use 100
    N_PERMUTATIONS: int = param(20, low=19)

    PAPER: ClassVar[dict[str, Any]] = {
        **PairParameters.PAPER,
        "N_RANDOM_SEEDS": 3,
        "N_PERMUTATIONS": 100,
    }
