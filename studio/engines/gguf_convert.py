"""Writing a transformers Llama-family model (Llama, Qwen2, Mistral) as a GGUF file for llama.cpp.

Covers the models the studio suggests (Qwen2.5, Llama 3) with byte-level BPE tokenizers; other
families get a clear message and stay on transformers. Weights are written as f16 (the default:
half the bytes of fp32 to read per token), f32, or q8_0 (8-bit, lossy: the benchmark reports how
often its greedy output matches full precision).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from studio.engines.base import GenerationError

# transformers model_type -> (GGUF architecture, permute q/k for llama.cpp's rope layout)
ARCHITECTURES = {"llama": ("llama", True), "mistral": ("llama", True), "qwen2": ("qwen2", False)}
PRE_TOKENIZERS = {"qwen2": "qwen2", "llama": "llama-bpe", "mistral": "llama-bpe"}
FILE_TYPES = ("f16", "q8_0", "f32")  # the first is the default


def supported(folder: Path) -> str:
    """Why this model folder cannot become GGUF here, or "" when it can."""
    config = folder / "config.json"
    if not config.is_file():
        return f"{folder} has no config.json"
    model_type = json.loads(config.read_text(encoding="utf-8")).get("model_type", "")
    if model_type not in ARCHITECTURES:
        return f"llama.cpp conversion covers {', '.join(sorted(ARCHITECTURES))}, not {model_type}"
    if not (folder / "tokenizer.json").is_file():
        return f"{folder} has no tokenizer.json (a byte-level BPE tokenizer is needed)"
    return ""


def cached_path(folder: Path, file_type: str, cache: Path) -> Path:
    """Where the conversion of this folder is kept: named by the content of its files."""
    digest = hashlib.sha256()
    for path in sorted(folder.iterdir()):
        if path.is_file():
            stat = path.stat()
            digest.update(f"{path.name}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    return cache / f"{folder.name}-{digest.hexdigest()[:12]}-{file_type}.gguf"


def convert(folder: Path, out: Path, file_type: str = "f16") -> Path:
    """Write the model in folder to out as GGUF (via a temporary file, so out is never partial)."""
    import gguf
    from transformers import AutoConfig, AutoModelForCausalLM, AutoTokenizer

    reason = supported(folder)
    if reason:
        raise GenerationError(f"Cannot convert to GGUF: {reason}.")
    if file_type not in FILE_TYPES:
        raise GenerationError(f"GGUF type {file_type!r} is not one of {', '.join(FILE_TYPES)}.")
    arch = ARCHITECTURES[AutoConfig.from_pretrained(folder).model_type][0]
    tokenizer = AutoTokenizer.from_pretrained(folder)
    # In the dtype it was saved in (half the memory of fp32 for bf16 models); each tensor is
    # widened on its own as it is written.
    model = AutoModelForCausalLM.from_pretrained(folder, dtype="auto")
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_suffix(".partial")
    try:
        _write(gguf.GGUFWriter(partial, arch), gguf, model, tokenizer, folder, file_type)
    except BaseException:
        partial.unlink(missing_ok=True)  # no half-written file is left in the cache
        raise
    partial.replace(out)
    return out


def _write(writer: Any, gguf: Any, model: Any, tokenizer: Any, folder: Path,
           file_type: str) -> None:  # fmt: skip
    """Metadata, vocabulary and every tensor, renamed (and permuted) the way llama.cpp reads.

    Tensors are converted and written one at a time, so converting needs little memory beyond
    the model itself (a 7B model would otherwise need its size twice over).
    """
    config = model.config
    _write_metadata(writer, config, file_type)
    _write_vocab(writer, gguf, tokenizer, folder, PRE_TOKENIZERS[config.model_type],
                 config.vocab_size)  # fmt: skip
    tensors = _named_tensors(gguf, model)
    for gguf_name, tensor in tensors:
        shape, dtype, nbytes, raw = _encoded_info(gguf, tensor.shape, file_type)
        writer.add_tensor_info(gguf_name, shape, dtype, nbytes, raw_dtype=raw)
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_ti_data_to_file()
    for name, tensor in tensors:
        writer.write_tensor_data(_encode(gguf, _llama_layout(name, tensor, config), file_type))
    writer.close()


def _named_tensors(gguf: Any, model: Any) -> list[tuple[str, Any]]:
    """(GGUF name, transformers tensor) for every weight llama.cpp reads, in writing order."""
    config = model.config
    arch = ARCHITECTURES[config.model_type][0]
    names = gguf.get_tensor_name_map(
        getattr(gguf.MODEL_ARCH, arch.upper()), config.num_hidden_layers
    )
    tensors = []
    for name, tensor in model.state_dict().items():
        if name == "lm_head.weight" and config.tie_word_embeddings:
            continue
        gguf_name = names.get_name(name, try_suffixes=(".weight", ".bias"))
        if gguf_name is None:
            raise GenerationError(f"Cannot convert to GGUF: no GGUF name for tensor {name}.")
        tensors.append((gguf_name, tensor))
    return tensors


def _llama_layout(gguf_name: str, tensor: Any, config: Any) -> Any:
    """The tensor as float32 numpy, with q/k rows permuted where llama.cpp's rope needs it."""
    data = tensor.float()
    if ARCHITECTURES[config.model_type][1] and gguf_name.endswith(
        ("attn_q.weight", "attn_k.weight")
    ):
        heads = config.num_attention_heads
        if gguf_name.endswith("attn_k.weight"):
            heads = config.num_key_value_heads
        data = _permute(data, heads)
    return data.numpy()


def _permute(weights: Any, heads: int) -> Any:
    """HF's rotary layout (halves) to llama.cpp's (interleaved pairs), as llama.cpp converts."""
    shape = weights.shape
    return (
        weights.reshape(heads, 2, shape[0] // heads // 2, *shape[1:]).swapaxes(1, 2).reshape(shape)
    )


def _stored_as(shape: Any, file_type: str) -> str:
    """Matrices in the chosen type; norms and biases (1-D) stay f32 as llama.cpp expects."""
    return "f32" if len(shape) == 1 else file_type


def _encoded_info(gguf: Any, shape: Any, file_type: str) -> tuple[tuple[int, ...], Any, int, Any]:
    """(shape, numpy dtype, bytes, GGML type or None) of a tensor as _encode will write it."""
    import numpy as np

    shape, kind = tuple(shape), _stored_as(shape, file_type)
    count = int(np.prod(shape))
    if kind == "f32":
        return shape, np.float32, count * 4, None
    if kind == "f16":
        return shape, np.float16, count * 2, None
    q8 = gguf.GGMLQuantizationType.Q8_0
    byte_shape = gguf.quant_shape_to_byte_shape(shape, q8)
    return byte_shape, np.uint8, int(np.prod(byte_shape)), q8


def _encode(gguf: Any, data: Any, file_type: str) -> Any:
    """The float32 array in the type _encoded_info announced for it."""
    import numpy as np

    kind = _stored_as(data.shape, file_type)
    if kind == "f32":
        return data.astype(np.float32)
    if kind == "f16":
        return data.astype(np.float16)
    return gguf.quants.quantize(data, gguf.GGMLQuantizationType.Q8_0)


def _write_metadata(writer: Any, config: Any, file_type: str) -> None:
    import gguf

    writer.add_name(getattr(config, "_name_or_path", "") or config.model_type)
    writer.add_context_length(config.max_position_embeddings)
    writer.add_embedding_length(config.hidden_size)
    writer.add_block_count(config.num_hidden_layers)
    writer.add_feed_forward_length(config.intermediate_size)
    writer.add_head_count(config.num_attention_heads)
    writer.add_head_count_kv(config.num_key_value_heads)
    writer.add_layer_norm_rms_eps(config.rms_norm_eps)
    rope = getattr(config, "rope_parameters", None) or {}
    theta = rope.get("rope_theta") if isinstance(rope, dict) else None
    writer.add_rope_freq_base(float(theta or getattr(config, "rope_theta", 10000.0)))
    kinds = {"f32": gguf.LlamaFileType.ALL_F32, "f16": gguf.LlamaFileType.MOSTLY_F16,
             "q8_0": gguf.LlamaFileType.MOSTLY_Q8_0}  # fmt: skip
    writer.add_file_type(kinds[file_type])


def _write_vocab(writer: Any, gguf: Any, tokenizer: Any, folder: Path, pre: str, size: int) -> None:
    """The byte-level BPE vocabulary, merges and special tokens, as llama.cpp reads them.

    Exactly ``size`` entries, the model's embedding rows: unused rows are padding, and tokens
    the model has no row for cannot be generated anyway.
    """
    data = json.loads((folder / "tokenizer.json").read_text(encoding="utf-8"))
    if data.get("model", {}).get("type") != "BPE":
        raise GenerationError("Cannot convert to GGUF: only byte-level BPE tokenizers are covered.")
    vocab = tokenizer.get_vocab()
    by_id = {i: token for token, i in vocab.items()}
    special = set(tokenizer.all_special_ids) | {
        int(i) for i, t in tokenizer.added_tokens_decoder.items() if t.special
    }
    tokens, types = [], []
    for i in range(size):
        tokens.append(by_id.get(i, f"[PAD{i}]"))
        if i not in by_id:
            types.append(gguf.TokenType.UNUSED)
        elif i in special:
            types.append(gguf.TokenType.CONTROL)
        elif i in tokenizer.added_tokens_decoder:
            types.append(gguf.TokenType.USER_DEFINED)
        else:
            types.append(gguf.TokenType.NORMAL)
    merges = [m if isinstance(m, str) else " ".join(m) for m in data["model"].get("merges", [])]
    # llama.cpp refuses a BPE vocabulary without merges (the benchmark's synthetic one has none);
    # the studio hands llama.cpp token ids from the model's own tokenizer, so one placeholder
    # merge changes nothing it writes.
    merges = merges or [f"{tokens[0]} {tokens[1]}"]
    writer.add_tokenizer_model("gpt2")
    writer.add_tokenizer_pre(pre)
    writer.add_token_list(tokens)
    writer.add_token_types(types)
    writer.add_token_merges(merges)
    for kind in ("bos", "eos", "pad"):
        token_id = getattr(tokenizer, f"{kind}_token_id", None)
        if token_id is not None and token_id < size:
            getattr(writer, f"add_{kind}_token_id")(token_id)
    writer.add_add_bos_token(False)
    if getattr(tokenizer, "chat_template", None):
        writer.add_chat_template(tokenizer.chat_template)
