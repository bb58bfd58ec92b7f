"""The one batching loop of every forward pass: tokenise, group by length, batch.

A batch holds sentences of one token length only, so nothing is padded and each sentence's
rows of every matrix product are computed by the same kernel from the same numbers whatever
else is in its batch: results do not depend on the batch size or on which sentences were
batched together, in bf16 as in fp32 (padding changed bf16 activations by up to 4 % of their
scale, through the attention kernel a padded batch takes). More, smaller batches cost about
what the padding saved: forward time 1.00 to 1.10 x that of length-sorted padded batches
(``make bench``, ``same_length_batching_cost``). A batch still knows each
text's last real token and which tokens per-token statistics count (all real tokens but a
leading BOS, whose activations are orders of magnitude larger than any word's).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np
import torch

from .models import LoadedModel
from .progress import progress_bar


def tokenize(model: LoadedModel, texts: Sequence[str], append_eos: bool = False) -> list[list[int]]:
    """Token ids per text (with the tokenizer's BOS; plus EOS when ``append_eos``)."""
    ids = model.tokenizer(list(texts), add_special_tokens=True)["input_ids"]
    if append_eos:
        eos = model.tokenizer.eos_token_id
        ids = [seq + [eos] for seq in ids]
    return [list(seq) for seq in ids]


def starts_with_bos(model: LoadedModel, seqs: Sequence[Sequence[int]]) -> bool:
    """True if the tokenizer put a BOS token first in every sequence (pooling and counts skip it)."""
    bos = model.tokenizer.bos_token_id
    return bos is not None and all(s[0] == bos for s in seqs)


def same_length_batches(lengths: Sequence[int], batch_size: int) -> list[np.ndarray]:
    """Indices grouped into batches of at most ``batch_size`` of one length each (longest
    first; input order within a length)."""
    lengths = np.asarray(lengths)
    order = np.argsort(-lengths, kind="stable")
    groups = np.split(order, np.flatnonzero(np.diff(lengths[order])) + 1)
    return [group[i : i + batch_size] for group in groups for i in range(0, len(group), batch_size)]


def pad_right(seqs: Sequence[Sequence[int]], pad_id: int) -> dict[str, torch.Tensor]:
    """Right-padded ``input_ids`` and ``attention_mask``, both ``[batch, max_len]``."""
    width = max(len(s) for s in seqs)
    ids = torch.full((len(seqs), width), pad_id, dtype=torch.long)
    mask = torch.zeros((len(seqs), width), dtype=torch.long)
    for row, seq in enumerate(seqs):
        ids[row, : len(seq)] = torch.tensor(seq, dtype=torch.long)
        mask[row, : len(seq)] = 1
    return {"input_ids": ids, "attention_mask": mask}


@dataclass
class Batch:
    """One batch of texts of one token length: ``rows`` are their positions in the input list."""

    rows: np.ndarray  # [B]
    inputs: dict[str, torch.Tensor]  # input_ids, attention_mask: [B, T]
    skip_first: bool  # every text starts with a BOS token

    @property
    def mask(self) -> torch.Tensor:
        """``[B, T]``: 1 at real tokens, 0 at padding."""
        return self.inputs["attention_mask"]

    @property
    def last(self) -> torch.Tensor:
        """``[B]``: position of each text's last real token."""
        return self.mask.sum(1) - 1

    @property
    def counted(self) -> torch.Tensor:
        """``[B, T]``: 1 at the tokens per-token statistics count (real tokens after the BOS)."""
        counted = self.mask.clone()
        if self.skip_first:
            counted[:, 0] = 0
        return counted


def plan_batches(
    model: LoadedModel, texts: Sequence[str], batch_size: int, append_eos: bool = False
) -> list[Batch]:
    """All batches of ``texts`` at once (tokenised, grouped by length), to run several
    passes over the same texts (e.g. one per intervention) with one tokenisation."""
    return list(batches(model, texts, batch_size, append_eos, progress=False))


def batches(
    model: LoadedModel,
    texts: Sequence[str],
    batch_size: int,
    append_eos: bool = False,
    desc: str = "forward",
    progress: bool | None = None,
) -> Iterator[Batch]:
    """Batches of ``texts`` of one token length each (with a progress bar when enabled)."""
    seqs = tokenize(model, texts, append_eos)
    yield from batches_of_ids(model, seqs, batch_size, desc, progress)


def batches_of_ids(
    model: LoadedModel,
    seqs: Sequence[Sequence[int]],
    batch_size: int,
    desc: str = "forward",
    progress: bool | None = None,
) -> Iterator[Batch]:
    """:func:`batches` of sequences already tokenised (token ids per sequence)."""
    if batch_size < 1:
        raise ValueError(f"batch_size={batch_size} must be at least 1")
    skip_first = starts_with_bos(model, seqs)
    pad_id = model.tokenizer.pad_token_id
    for rows in progress_bar(
        same_length_batches([len(s) for s in seqs], batch_size), desc, progress=progress
    ):
        yield Batch(rows, pad_right([seqs[i] for i in rows], pad_id), skip_first)


def token_counts(model: LoadedModel, texts: Sequence[str]) -> dict[str, int]:
    """Tokens of each distinct text, without BOS: ``{text: count}``."""
    distinct = sorted(set(texts))
    ids = tokenize(model, distinct)
    skip = int(starts_with_bos(model, ids))
    return {text: len(seq) - skip for text, seq in zip(distinct, ids, strict=True)}
