"""Neuron attribution at the last prompt token: activations, their gradients, output-weight norms.

:func:`prompt_attribution` runs prompt + answer through the model with gradients on, and
returns, at the prompt's last token, every neuron's value (the ``"neurons"`` site: the input
of the down projection) and the gradient of the answer's summed log-probability with respect
to it. The product is the activation x gradient attribution; the authors' contribution score
``|a_i| * ||W_out[:, i]||`` needs only the activation and :func:`output_weight_norms`.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import torch

from .anatomy import resolve
from .batches import batches_of_ids
from .models import LoadedModel


def output_weight_norms(model: LoadedModel) -> np.ndarray:
    """``[layers, neurons]``: the L2 norm of the vector each neuron writes into the residual
    stream (its column of the down projection; GPT-2's Conv1D stores it as a row)."""
    norms = []
    for layer in model.layers:
        down = resolve(layer, model.anatomy.down_proj)
        weight = down.weight.detach().float()
        axis = 0 if isinstance(down, torch.nn.Linear) else 1  # Linear: [out, in]
        norms.append(weight.norm(dim=axis).cpu().numpy())
    return np.stack(norms)


def prompt_attribution(
    model: LoadedModel,
    prompts: Sequence[str],
    answers: Sequence[str],
    batch_size: int = 8,
) -> tuple[np.ndarray, np.ndarray]:
    """Neuron values and gradients at the last prompt token: ``(acts, grads)``, each float32
    ``[n, layers, neurons]``.

    The gradient is that of the answer's summed token log-probability (prompt and answer
    tokenised separately, as :func:`~neuron_utils.core.lm_scoring.continuation_logprobs`
    does). Model parameters get no gradient; each neuron value is made a leaf that requires
    one, so the gradient at layer ``l`` is the total derivative through every later layer.
    """
    prompts, answers = list(prompts), list(answers)
    if len(prompts) != len(answers):
        raise ValueError(f"{len(prompts)} prompts but {len(answers)} answers")
    tokenizer = model.tokenizer
    head_ids = tokenizer(prompts, add_special_tokens=True)["input_ids"]
    tail_ids = tokenizer(answers, add_special_tokens=False)["input_ids"]
    if any(not t for t in tail_ids):
        raise ValueError("every answer needs at least one token")
    seqs = [list(h) + list(t) for h, t in zip(head_ids, tail_ids, strict=True)]
    starts = np.array([len(h) for h in head_ids])
    shape = (len(seqs), model.n_layers, model.n_neurons)
    acts, grads = np.empty(shape, np.float32), np.empty(shape, np.float32)
    head = model.model.get_output_embeddings()
    cap = getattr(model.model.config, "final_logit_softcapping", None)
    saved: list[torch.Tensor] = []

    def keep(module, args):
        x = args[0]
        if not x.requires_grad:
            x = x.detach().requires_grad_(True)
        x.retain_grad()
        saved.append(x)
        return (x, *args[1:])

    hooks = [
        resolve(layer, model.anatomy.down_proj).register_forward_pre_hook(keep)
        for layer in model.layers
    ]
    requires = [p.requires_grad for p in model.model.parameters()]
    try:
        for p in model.model.parameters():
            p.requires_grad_(False)
        with torch.enable_grad():
            for batch in batches_of_ids(model, seqs, batch_size, desc="attribution"):
                saved.clear()
                hidden = model.model.base_model(
                    **model.on_input_device(batch.inputs)
                ).last_hidden_state
                width = hidden.shape[1]
                position = torch.arange(width)[None, :]
                start = torch.as_tensor(starts[batch.rows])[:, None]
                scored = (position >= start - 1) & (position < batch.last[:, None])
                targets = batch.inputs["input_ids"][:, 1:][scored[:, :-1]]
                # float32 at least (bf16 logits are too coarse for a log-softmax; fp64 stays)
                logits = head(hidden[scored.to(hidden.device)])
                logits = logits.to(torch.promote_types(logits.dtype, torch.float32))
                if cap:
                    logits = torch.tanh(logits / cap) * cap
                targets = targets.to(logits.device)
                logprob = torch.log_softmax(logits, -1).gather(1, targets[:, None]).sum()
                logprob.backward()
                rows = torch.arange(len(batch.rows))
                last = start[:, 0] - 1  # the prompt's last token
                for layer, x in enumerate(saved):
                    at = (rows.to(x.device), last.to(x.device))
                    acts[batch.rows, layer] = x[at].detach().float().cpu().numpy()
                    grads[batch.rows, layer] = x.grad[at].float().cpu().numpy()
    finally:
        for hook in hooks:
            hook.remove()
        for p, flag in zip(model.model.parameters(), requires, strict=True):
            p.requires_grad_(flag)
    return acts, grads
