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


def tiny_config(arch: str, vocab_size: int):
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
    if arch == "gemma3":
        return t.Gemma3TextConfig(head_dim=8, sliding_window=4, **common)
    return {"llama": t.LlamaConfig, "qwen2": t.Qwen2Config, "mistral": t.MistralConfig}[arch](
        **common
    )


ARCHS = ("gemma3", "llama", "qwen2", "mistral", "gpt2")


def tiny_model(arch: str, seed: int = 0, words=WORDS, dtype=torch.float32):
    from transformers import AutoModelForCausalLM

    from neuron_utils import wrap_model

    tokenizer = make_tokenizer(words)
    torch.manual_seed(seed)
    model = AutoModelForCausalLM.from_config(tiny_config(arch, len(tokenizer)), dtype=dtype)
    return wrap_model(model, tokenizer, name=f"tiny-{arch}")


def tiny_model_with_vocabulary(texts, arch: str = "gemma3", dtype=torch.float32):
    """A tiny model whose word-level vocabulary holds every word of ``texts`` (no unknown tokens)."""
    from tokenizers import pre_tokenizers

    split = pre_tokenizers.Whitespace()
    words = sorted({word for text in texts for word, _ in split.pre_tokenize_str(text)})
    return tiny_model(arch, words=words, dtype=dtype)


SENTENCES = [
    "the cat sat on a mat",
    "a big red dog ran quickly",
    "the house",
    "le petit chat dort",
    "the small blue tree sleeps slowly on the mat",
    "la maison",
]
