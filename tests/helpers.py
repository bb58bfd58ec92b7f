"""Tiny random models of each supported architecture and a word-level tokenizer, for unit tests."""

from __future__ import annotations

import torch

WORDS = (
    "the cat dog sat ran on a mat big small red blue house tree walks sleeps quickly slowly "
    "le chat chien maison arbre rouge bleu petit grand dort court vite de la"
).split()


def make_tokenizer(words=WORDS):
    """A word-level fast tokenizer with <pad>=0, <bos>=1, <eos>=2, <unk>=3; adds BOS like Gemma."""
    from tokenizers import Tokenizer, models, pre_tokenizers, processors
    from transformers import PreTrainedTokenizerFast

    vocab = {"<pad>": 0, "<bos>": 1, "<eos>": 2, "<unk>": 3}
    vocab.update({w: i + 4 for i, w in enumerate(dict.fromkeys(words))})
    tok = Tokenizer(models.WordLevel(vocab, unk_token="<unk>"))
    tok.pre_tokenizer = pre_tokenizers.Whitespace()
    tok.post_processor = processors.TemplateProcessing(
        single="<bos> $A", special_tokens=[("<bos>", 1)]
    )
    return PreTrainedTokenizerFast(
        tokenizer_object=tok,
        bos_token="<bos>",
        eos_token="<eos>",
        pad_token="<pad>",
        unk_token="<unk>",
    )


def tiny_config(arch: str, vocab_size: int, **sizes):
    """A tiny config of ``arch``; ``sizes`` override the Llama-style fields of the gated
    families (hidden_size, intermediate_size, num_hidden_layers, head_dim, initializer_range)."""
    import transformers as t

    common = dict(
        vocab_size=vocab_size,
        hidden_size=16,
        intermediate_size=24,
        num_hidden_layers=3,
        num_attention_heads=2,
        num_key_value_heads=1,
        pad_token_id=0,
        bos_token_id=1,
        eos_token_id=2,
    )
    if sizes and arch in ("gpt2", "bloom"):
        raise ValueError(f"tiny_config: {arch} takes no size overrides, got {sorted(sizes)}")
    head_dim = sizes.pop("head_dim", 8)
    common.update(sizes)
    if arch == "gpt2":
        return t.GPT2Config(
            vocab_size=vocab_size,
            n_embd=16,
            n_layer=3,
            n_head=2,
            n_inner=24,
            bos_token_id=1,
            eos_token_id=2,
            resid_pdrop=0,
            embd_pdrop=0,
            attn_pdrop=0,
        )
    if arch == "bloom":  # MLP width is fixed at 4 x hidden: 64 neurons
        return t.BloomConfig(
            vocab_size=vocab_size,
            n_embed=16,
            n_layer=3,
            n_head=2,
            hidden_dropout=0.0,
            attention_dropout=0.0,
            pad_token_id=0,
            bos_token_id=1,
            eos_token_id=2,
        )
    if arch == "gemma3":
        return t.Gemma3TextConfig(head_dim=head_dim, sliding_window=4, **common)
    if arch == "gemma2":
        return t.Gemma2Config(head_dim=head_dim, sliding_window=4, **common)
    if arch == "qwen3":
        return t.Qwen3Config(head_dim=head_dim, **common)
    if arch == "phi3":
        return t.Phi3Config(resid_pdrop=0.0, embd_pdrop=0.0, **common)
    return {
        "llama": t.LlamaConfig,
        "qwen2": t.Qwen2Config,
        "mistral": t.MistralConfig,
        "olmo2": t.Olmo2Config,
    }[arch](**common)


# The architectures that most unit tests run on (the ``tiny`` fixture) ...
ARCHS = ("gemma3", "llama", "qwen2", "mistral", "gpt2")
# ... and the further registered ones, tested by the anatomy and intervention tests only
# (the ``tiny_any`` fixture runs on both).
MORE_ARCHS = ("bloom", "gemma2", "qwen3", "phi3", "olmo2")


# Each family's MLP as its transformers source writes it (``modeling_<arch>.py``), named here
# independently of neuron_utils' anatomy registry so that tests can check the registry against
# it: model_type -> (activation module, down projection).
_MLP_MODULES = {
    "gpt2": ("act", "c_proj"),
    "bloom": ("gelu_impl", "dense_4h_to_h"),
    "phi3": ("activation_fn", "down_proj"),
}
_GATED_MLP_MODULES = ("act_fn", "down_proj")  # Llama, Mistral, Qwen 2/3, Gemma 1-3, OLMo 2


def mlp_modules(model_type: str, mlp):
    """``(activation, down projection)`` submodules of one decoder layer's ``mlp``."""
    act, down = _MLP_MODULES.get(model_type, _GATED_MLP_MODULES)
    return getattr(mlp, act), getattr(mlp, down)


def hand_mlp(model_type: str, mlp, x):
    """``(gate, neurons)`` of MLP input ``x`` by hand: ``gate = act(gate_proj(x))`` and
    ``neurons = gate * up_proj(x)`` (Phi-3 computes gate and up in one ``gate_up_proj``, gate
    first); for the non-gated GPT-2 and BLOOM, ``gate = neurons = act(fc(x))``."""
    act, _ = mlp_modules(model_type, mlp)
    if model_type in ("gpt2", "bloom"):
        gate = act(mlp.c_fc(x) if model_type == "gpt2" else mlp.dense_h_to_4h(x))
        return gate, gate
    if model_type == "phi3":
        pre, up = mlp.gate_up_proj(x).chunk(2, dim=-1)
    else:
        pre, up = mlp.gate_proj(x), mlp.up_proj(x)
    gate = act(pre)
    return gate, gate * up


def tiny_model(arch: str, seed: int = 0, words=WORDS, dtype=torch.float32, **sizes):
    from transformers import AutoModelForCausalLM

    from neuron_utils import wrap_model

    tokenizer = make_tokenizer(words)
    torch.manual_seed(seed)
    config = tiny_config(arch, len(tokenizer), **sizes)
    model = AutoModelForCausalLM.from_config(config, dtype=dtype)
    return wrap_model(model, tokenizer, name=f"tiny-{arch}")


def tiny_model_with_vocabulary(texts, arch: str = "gemma3", dtype=torch.float32, **sizes):
    """A tiny model whose word-level vocabulary holds every word of ``texts`` (no unknown tokens)."""
    from tokenizers import pre_tokenizers

    split = pre_tokenizers.Whitespace()
    words = sorted({word for text in texts for word, _ in split.pre_tokenize_str(text)})
    return tiny_model(arch, words=words, dtype=dtype, **sizes)


def book_texts() -> list[str]:
    """The bundled corpus in every language and the generated minimal pairs of every paradigm
    (200 each, seed 0): the words of a tiny model that reads the quick profile's data."""
    from neuron_utils import data
    from neuron_utils.data import generator

    texts = [row[lang] for row in data.bundled_corpus() for lang in data.BUNDLED_LANGUAGES]
    for paradigm in generator.PARADIGMS:
        pairs = generator.generate(paradigm, 200, seed=0)
        texts += [*pairs.good, *pairs.bad]
    return texts


# The tiny random Gemma-3 the chapters' smoke runs load where the real model is not what they
# test: 4 layers of 128 neurons (512), so that the chapters' fractions and top-k select a few
# neurons; weights drawn ten times wider than transformers' default (0.02), so that neuron
# values reach the chapters' "active" bars (|v| > 0.01) as the real model's do
SMOKE_MODEL_SIZES = dict(
    hidden_size=32, intermediate_size=128, num_hidden_layers=4, head_dim=16, initializer_range=0.2
)


def save_smoke_model(folder) -> str:
    """Write the smoke runs' tiny Gemma-3 (word-level vocabulary of :func:`book_texts`) into
    ``folder`` as a chapter's ``MODEL`` loads it; return the folder as a string."""
    model = tiny_model_with_vocabulary(book_texts(), **SMOKE_MODEL_SIZES)
    model.model.save_pretrained(folder)
    model.tokenizer.save_pretrained(folder)
    return str(folder)


SENTENCES = [
    "the cat sat on a mat",
    "a big red dog ran quickly",
    "the house",
    "le petit chat dort",
    "the small blue tree sleeps slowly on the mat",
    "la maison",
]
