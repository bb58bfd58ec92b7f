"""Where a model runs: the DEVICE parameter, pinned hub revisions, and (where a CUDA GPU is
visible) the same numbers on the GPU as on the CPU."""

from __future__ import annotations

import re

import numpy as np
import pytest
import torch

import neuron_utils as nu
from neuron_utils.chapters import ch01_cross_lingual_similarity as ch01
from neuron_utils.core import activations, lm_scoring, models
from neuron_utils.core.interventions import Intervention
from neuron_utils.core.neurons import NeuronSet

from ..helpers import SENTENCES, tiny_model
from ..tolerances import TINY_FP32, assert_close_to_scale

CUDA = torch.cuda.is_available()
needs_cuda = pytest.mark.skipif(
    not CUDA, reason="no CUDA GPU visible here: the GPU path is unverified on this machine"
)


@pytest.mark.skipif(CUDA, reason="a CUDA GPU is visible: auto resolves to it")
def test_auto_is_the_cpu_without_a_gpu():
    assert models.resolve_device("auto") == "cpu"
    with pytest.raises(
        ValueError, match=re.escape("DEVICE='cuda' needs a CUDA GPU and torch sees none")
    ):
        models.resolve_device("cuda")
    with pytest.raises(ValueError, match="DEVICE='map' needs a CUDA GPU"):
        ch01.Parameters(DEVICE="map")


def test_device_values_are_checked():
    with pytest.raises(
        ValueError, match=re.escape("unknown device 'tpu'; allowed: auto, cpu, cuda, cuda:N, map")
    ):
        ch01.Parameters(DEVICE="tpu")
    assert ch01.Parameters(DEVICE="cpu").DEVICE == "cpu"


def test_auto_dtype_follows_the_device(monkeypatch):
    monkeypatch.setattr(models, "cpu_has_native_bf16", lambda: False)
    assert models.resolve_dtype("auto", "cpu") == torch.float32
    assert models.resolve_dtype("auto", "cuda") == torch.bfloat16
    assert models.resolve_dtype("float32", "cuda") == torch.float32
    monkeypatch.setattr(models, "cpu_has_native_bf16", lambda: True)
    assert models.resolve_dtype("auto", "cpu") == torch.bfloat16


def test_pinned_revisions(tmp_path):
    assert models.split_revision("org/name@v1.0") == ("org/name", "v1.0")
    assert models.split_revision("org/name") == ("org/name", None)
    folder = tmp_path / "model@2"
    folder.mkdir()
    assert models.split_revision(str(folder)) == (str(folder), None)  # a folder keeps its name
    with pytest.raises(ValueError, match="org/name@revision"):
        models.split_revision("org/name@")
    with pytest.raises(ValueError, match=re.escape("org/name@revision to pin it")):
        models.check_model("someone/not-in-the-cache@abc123")


def test_a_cpu_model_describes_its_device_and_keeps_its_inputs():
    model = tiny_model("llama")
    assert model.describe()["device"] == "cpu"
    inputs = {"input_ids": torch.ones(1, 3, dtype=torch.long)}
    assert model.on_input_device(inputs) is inputs


@needs_cuda
@pytest.mark.parametrize("arch", ["llama", "gpt2"])
def test_gpu_results_equal_cpu_results(arch):
    """Activations, token statistics, log-likelihoods and an intervention on the GPU against
    the CPU, fp32, at the tolerance of two fp32 evaluations in another order."""
    cpu = tiny_model(arch)
    gpu = tiny_model(arch)
    gpu.model.to("cuda")
    assert str(gpu.input_device).startswith("cuda")
    assert gpu.fingerprint != cpu.fingerprint  # caches do not mix devices
    sites = ["residual", "attn", "mlp", "neurons", "gate"]
    mask = np.zeros((cpu.n_layers, cpu.n_neurons), bool)
    mask[1, :5] = True
    zero = Intervention(NeuronSet(mask), "zero")
    for interventions in ((), (zero,)):
        a = nu.collect(cpu, SENTENCES, sites=sites, cache=False, interventions=interventions)
        b = nu.collect(gpu, SENTENCES, sites=sites, cache=False, interventions=interventions)
        for site in sites:
            assert b[site].dtype == np.float32
            assert_close_to_scale(b[site], a[site], TINY_FP32, what=site)
    a = activations.token_statistics(cpu, SENTENCES, "gate", cache=False)
    b = activations.token_statistics(gpu, SENTENCES, "gate", cache=False)
    assert a["tokens"] == b["tokens"]
    np.testing.assert_allclose(b["sum"], a["sum"], rtol=1e-4, atol=1e-4)
    nll_a, n_a = lm_scoring.token_nll(cpu, SENTENCES)
    nll_b, n_b = lm_scoring.token_nll(gpu, SENTENCES)
    assert (n_a == n_b).all()
    np.testing.assert_allclose(nll_b, nll_a, rtol=1e-4)
