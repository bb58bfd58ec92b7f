"""Shared fixtures: tiny random models of each supported architecture, a tiny tokenizer,
isolated caches, and the data mirror (``../shared/data``) when it is present."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import torch

ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = ROOT.parent / "shared" / "data"
# Runs before any test imports neuron_utils: quiet, offline, isolated caches.
os.environ.setdefault("NEURON_UTILS_PROGRESS", "0")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("NEURON_UTILS_MODEL_CACHE", str(Path.home() / ".cache" / "neuron_utils" / "models"))
if "NEURON_UTILS_DATA_MIRROR" not in os.environ and SHARED_DATA.is_dir():
    os.environ["NEURON_UTILS_DATA_MIRROR"] = str(SHARED_DATA)

WORDS = ("the cat dog sat ran on a mat big small red blue house tree walks sleeps quickly slowly "
         "le chat chien maison arbre rouge bleu petit grand dort court vite de la").split()


def pytest_terminal_summary(terminalreporter):
    """End every run with what decides float rounding here, so that a failure report says it."""
    from neuron_utils.provenance import machine_line

    terminalreporter.write_line(f"machine: {machine_line()}")


@pytest.fixture(autouse=True, scope="session")
def _isolated_caches(tmp_path_factory):
    os.environ["NEURON_UTILS_CACHE"] = str(tmp_path_factory.mktemp("cache"))
    os.environ["NEURON_UTILS_DOWNLOADS"] = str(tmp_path_factory.mktemp("downloads"))
    os.environ["NEURON_UTILS_RESULTS"] = str(tmp_path_factory.mktemp("results"))


def make_tokenizer():
    """A word-level fast tokenizer with <pad>=0, <bos>=1, <eos>=2, <unk>=3; adds BOS like Gemma."""
    from tokenizers import Tokenizer, models, pre_tokenizers, processors
    from transformers import PreTrainedTokenizerFast

    vocab = {"<pad>": 0, "<bos>": 1, "<eos>": 2, "<unk>": 3}
    vocab.update({w: i + 4 for i, w in enumerate(dict.fromkeys(WORDS))})
    tok = Tokenizer(models.WordLevel(vocab, unk_token="<unk>"))
    tok.pre_tokenizer = pre_tokenizers.Whitespace()
    tok.post_processor = processors.TemplateProcessing(single="<bos> $A", special_tokens=[("<bos>", 1)])
    return PreTrainedTokenizerFast(tokenizer_object=tok, bos_token="<bos>", eos_token="<eos>",
                                   pad_token="<pad>", unk_token="<unk>")


def tiny_config(arch: str, vocab_size: int):
    import transformers as t

    common = dict(vocab_size=vocab_size, hidden_size=16, intermediate_size=24, num_hidden_layers=3,
                  num_attention_heads=2, num_key_value_heads=1, pad_token_id=0, bos_token_id=1, eos_token_id=2)
    if arch == "gpt2":
        return t.GPT2Config(vocab_size=vocab_size, n_embd=16, n_layer=3, n_head=2, n_inner=24,
                            bos_token_id=1, eos_token_id=2, resid_pdrop=0, embd_pdrop=0, attn_pdrop=0)
    if arch == "gemma3":
        return t.Gemma3TextConfig(head_dim=8, sliding_window=4, **common)
    return {"llama": t.LlamaConfig, "qwen2": t.Qwen2Config, "mistral": t.MistralConfig}[arch](**common)


ARCHS = ("gemma3", "llama", "qwen2", "mistral", "gpt2")


def tiny_model(arch: str, seed: int = 0):
    from transformers import AutoModelForCausalLM

    from neuron_utils import wrap_model

    tokenizer = make_tokenizer()
    torch.manual_seed(seed)
    model = AutoModelForCausalLM.from_config(tiny_config(arch, len(tokenizer)), dtype=torch.float32)
    return wrap_model(model, tokenizer, name=f"tiny-{arch}")


@pytest.fixture(params=ARCHS)
def tiny(request):
    return tiny_model(request.param)


@pytest.fixture(scope="session")
def mirror() -> Path:
    path = os.environ.get("NEURON_UTILS_DATA_MIRROR")
    if not path or not Path(path).is_dir():
        pytest.skip("real data mirror not available: set NEURON_UTILS_DATA_MIRROR or put ../shared/data beside the repo")
    return Path(path)


@pytest.fixture(scope="session")
def gemma():
    from neuron_utils import load_model

    return load_model(dtype="float32")


SENTENCES = ["the cat sat on a mat", "a big red dog ran quickly", "the house", "le petit chat dort",
             "the small blue tree sleeps slowly on the mat", "la maison"]
