"""Chapter 1's parameters: the sentence pairs (:class:`~neuron_utils.kit.parameters.PairParameters`),
then how they are pooled and probed, with their limits beside each field."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from ... import data
from ...core.activations import POOLINGS
from ...kit.pairs import PairParameters
from ...kit.parameters import check_int, param
from ...methods.similarity import FEATURES as FEATURE_SETS

# non-parallel designs: a derangement of the same sentences; a disjoint pool; another corpus
DESIGNS = data.DESIGNS
# each feature set as a table column and a figure's legend name it
FEATURE_NAMES = {"concat": "concat", "interaction": "interaction", "l1_only": "L1 side only"}


@dataclass(frozen=True)
class Parameters(PairParameters):
    """Chapter 1's parameters (defaults: the ``quick`` profile): the pairs, then the measures."""

    POOLING: str = param("last", choices=POOLINGS)
    FEATURES: list[str] = param(["concat", "interaction", "l1_only"], choices=FEATURE_SETS)
    # 5 on quick: three designs x three feature sets are 27 grouped probes of 18 layers each,
    # and three ungrouped concat ones (about 3 s per probe at 5 folds, 8 s at 10, on two cores);
    # the paper profile uses the paper's 10. Its limits depend on the data (check_data).
    CV_FOLDS: int = 5

    PAPER: ClassVar[dict[str, Any]] = {**PairParameters.PAPER, "CV_FOLDS": 10}
    # 5 folds: half the probes of 10, each on 480 training pairs instead of 540
    PAPER_LITE: ClassVar[dict[str, Any]] = {**PairParameters.PAPER_LITE, "CV_FOLDS": 5}

    def check_data(self) -> None:
        super().check_data()
        most = min(self.design_sizes.values()) // 2
        try:
            check_int("CV_FOLDS", self.CV_FOLDS, 2, most)
        except ValueError as err:
            raise ValueError(
                f"{err} (folds are grouped by sentence and re-paired within each fold, which "
                "needs two translation rows per fold: at most half the pairs per class of the "
                "smallest design)"
            ) from None
