"""Rewrite a GGUF model's weights into a type llama.cpp reads fast on this kind of CPU.

The bundled SmolLM2-135M ships as Q4_1, a type for which llama.cpp's x86 build has neither its
repacked kernels nor llamafile's matrix multiply, so reading a prompt ran at ~170 tok/s on 2 cores.
The same weights as Q8_0 read at ~280 tok/s and write as fast: the first token of a seed answer came
1.8x sooner (benchmarks/bench_llm.py, docs/GENERATIVE.md). Q8_0 is finer than Q4_1 (256 levels per
block of 32 against 16), so the rewrite moves each weight by about half a Q8_0 step at most (measured
0.55 of one; Q4_1's own step is about 17 of them): the same model, not a re-quantised smaller one.

The rewrite uses llama.cpp's own ``gguf`` library: metadata and tokenizer copied as they are, every
Q4_1 tensor dequantised and quantised again as Q8_0, every other tensor copied byte for byte.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

import numpy as np

# Types with no fast CPU path here, and what each becomes. Only Q4_1 has been measured.
SLOW_TYPES = {"Q4_1": "Q8_0"}


def cache_dir() -> Path:
    """Where rewritten models are kept: the user's cache, as the embedding model's optimised graph."""
    root = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(root) / "news-assistant" / "models"


def cached_path(source: Path) -> Path:
    """The rewritten file's name: the source's name and a key of its path, size and time, so a new
    version of the source package is rewritten again rather than served stale."""
    stat = source.stat()
    key = f"{source.resolve()}|{stat.st_size}|{stat.st_mtime_ns}"
    digest = hashlib.sha256(key.encode()).hexdigest()[:12]
    stem = source.name.removesuffix(".gguf")
    for slow, fast in SLOW_TYPES.items():
        stem = stem.replace(slow, fast)
    return cache_dir() / f"{stem}-{digest}.gguf"


def rewrite(source: Path, target: Path) -> Path:
    """Write ``source`` with its slow tensors as Q8_0 to ``target`` (atomically: a temporary file in
    the same folder, renamed when complete, so a reader never sees half a model)."""
    from gguf import GGMLQuantizationType, GGUFReader, GGUFValueType, GGUFWriter
    from gguf.quants import dequantize, quantize

    reader = GGUFReader(source)
    writer_arch = reader.fields["general.architecture"].contents()
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=target.name, suffix=".part")
    os.close(handle)
    try:
        writer = GGUFWriter(temporary, writer_arch)
        for name, field in reader.fields.items():
            if name.startswith("GGUF.") or name == "general.architecture":
                continue  # the header's own fields, and the one the writer was given
            value_type = field.types[0]
            if value_type == GGUFValueType.ARRAY:
                writer.add_key_value(name, field.contents(), value_type, sub_type=field.types[-1])
            else:
                writer.add_key_value(name, field.contents(), value_type)
        for tensor in reader.tensors:
            data = np.array(tensor.data)
            fast = SLOW_TYPES.get(tensor.tensor_type.name)
            if fast is not None:
                fast_type = GGMLQuantizationType[fast]
                data = quantize(dequantize(data, tensor.tensor_type), fast_type)
                writer.add_tensor(tensor.name, data, raw_shape=data.shape, raw_dtype=fast_type)
            else:
                writer.add_tensor(tensor.name, data, raw_shape=data.shape, raw_dtype=tensor.tensor_type)
        writer.write_header_to_file()
        writer.write_kv_data_to_file()
        writer.write_tensors_to_file()
        writer.close()
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)  # mkstemp made it private; a model file is not a secret
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return target


def needs_rewrite(source: Path) -> bool:
    """Whether most of the model's weights are in a type listed in ``SLOW_TYPES``."""
    from gguf import GGUFReader

    reader = GGUFReader(source)
    slow = sum(int(t.n_bytes) for t in reader.tensors if t.tensor_type.name in SLOW_TYPES)
    return slow * 2 > sum(int(t.n_bytes) for t in reader.tensors)


def fast_copy(source: Path) -> Path:
    """``source`` itself when it is already fast, else its rewritten copy in the cache (made once;
    a file lock keeps two processes from writing it at the same time)."""
    from filelock import FileLock

    target = cached_path(source)
    if target.is_file():
        return target
    if not needs_rewrite(source):
        return source
    target.parent.mkdir(parents=True, exist_ok=True)
    with FileLock(str(target) + ".lock"):
        if not target.is_file():
            rewrite(source, target)
    return target
