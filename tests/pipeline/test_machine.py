"""The machine report (CLI, provenance, test summary) and the dtype decision it explains."""

import os
import subprocess
import sys

import pytest
import torch

from neuron_utils.kit.provenance import machine
from neuron_utils.core import models

CPUINFO = "processor\t: 0\nmodel name\t: Some CPU\nflags\t\t: {flags}\n\nprocessor\t: 1\nflags\t\t: {flags}\n"


@pytest.mark.parametrize(
    "flags,kernels,dtype,bf16,why",
    [
        (
            "fpu sse avx2 avx512f avx512_bf16",
            "AVX512",
            torch.bfloat16,
            "avx512_bf16",
            "the CPU has avx512_bf16, torch's CPU kernels are AVX512",
        ),
        ("fpu sse avx2 amx_tile amx_bf16", "AVX512", torch.bfloat16, "amx_bf16", "amx_bf16"),
        ("fpu sse avx2 avx512f avx512_vnni", "AVX512", torch.float32, "no", "no native bf16"),
        # ATEN_CPU_CAPABILITY=avx2 on a bf16 CPU: the float32 path of an AVX2-only machine
        (
            "fpu sse avx2 avx512f avx512_bf16",
            "AVX2",
            torch.float32,
            "avx512_bf16",
            "the CPU has avx512_bf16 but torch's CPU kernels are AVX2",
        ),
    ],
)
def test_auto_dtype_follows_the_cpu_flags_and_torchs_kernels(
    flags, kernels, dtype, bf16, why, tmp_path, monkeypatch
):
    (tmp_path / "cpuinfo").write_text(CPUINFO.format(flags=flags))
    monkeypatch.setattr(models, "CPUINFO", tmp_path / "cpuinfo")
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    monkeypatch.setattr(torch.backends.cpu, "get_cpu_capability", lambda: kernels)
    assert models.resolve_dtype("auto") == dtype
    report = machine()
    assert (report["cpu"], report["native bf16"]) == ("Some CPU", bf16)
    name = str(dtype).removeprefix("torch.")
    assert report["dtype auto"].startswith(f"{name} (") and why in report["dtype auto"]


def test_a_capped_kernel_level_takes_the_float32_path_for_real():
    """What the float32 timing of the test suite relies on: with ATEN_CPU_CAPABILITY=avx2, a
    fresh interpreter's torch reports AVX2 kernels and ``auto`` resolves to float32."""
    code = "from neuron_utils.core.models import auto_dtype_reason; print(auto_dtype_reason('cpu'))"
    env = {**os.environ, "ATEN_CPU_CAPABILITY": "avx2"}
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, env=env
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("float32 (")


def test_no_cpuinfo_means_fp32(tmp_path, monkeypatch):
    # macOS, or a sandbox without /proc
    monkeypatch.setattr(models, "CPUINFO", tmp_path / "missing")
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    assert models.cpu_flags() == set() and models.resolve_dtype("auto") == torch.float32
    assert machine()["native bf16"] == "no"


def test_machine_report_names_threads_and_kernels(monkeypatch):
    monkeypatch.setenv("OMP_NUM_THREADS", "1")
    report = machine()
    assert report["torch threads"] == f"{torch.get_num_threads()} (OMP_NUM_THREADS=1)"
    assert report["torch CPU kernels"] == torch.backends.cpu.get_cpu_capability()
    out = subprocess.run(
        [sys.executable, "-m", "neuron_utils", "machine"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0 and out.stdout.startswith(f"torch: {torch.__version__}\ncpu: ")
    assert "torch CPU kernels: " in out.stdout and "dtype auto: " in out.stdout


def test_gguf_conversion_bar_is_silent_when_progress_is_off(capfd):
    import transformers.modeling_gguf_pytorch_utils as gguf_utils

    with models._gguf_progress(False):
        for _ in gguf_utils.tqdm(range(3), desc="Converting"):
            pass
    # a first run converts inside a chapter: nothing may reach its stderr
    assert capfd.readouterr().err == ""
    for _ in gguf_utils.tqdm(range(3), desc="Converting"):  # restored afterwards
        pass
    assert "Converting" in capfd.readouterr().err
