"""Turning a Prompt into model inputs: chat templates, trimming to the context, translation."""

from __future__ import annotations

from typing import Any

from studio.engines.base import GenerationError, GenerationRequest
from studio.engines.loading import LoadedModel
from studio.tasks.languages import language
from studio.tasks.prompt import Prompt, TranslationJob


def _render(loaded: LoadedModel, prompt: Prompt, user: str) -> str:
    """The text the model reads: the chat template for instruct models, else plain text."""
    if loaded.kind == "base":
        return user
    tokenizer = loaded.tokenizer
    messages = [{"role": "system", "content": prompt.system}, {"role": "user", "content": user}]
    try:
        return tokenizer.apply_chat_template(messages, tokenize=False, add_generation_prompt=True)
    except Exception:  # some templates refuse a system role: fold it into the user turn
        merged = [{"role": "user", "content": f"{prompt.system}\n\n{user}"}]
        return tokenizer.apply_chat_template(merged, tokenize=False, add_generation_prompt=True)


def causal_inputs(loaded: LoadedModel, request: GenerationRequest) -> dict[str, Any]:
    """Tokenised prompt for a causal LM, trimmed from the start to leave room for the answer."""
    prompt = request.prompt
    if loaded.kind == "base" and not prompt.plain:
        raise GenerationError(
            "This model only continues text and cannot follow this task's instructions. "
            + (
                "For translation, start the studio with a translation model "
                "(--translation-model Helsinki-NLP/opus-mt-en-zh) or an instruct model "
                "(--model Qwen/Qwen2.5-0.5B-Instruct)."
                if prompt.translation
                else "Start the studio with an instruct model (--model)."
            )
        )
    user = prompt.plain if loaded.kind == "base" else prompt.user
    max_new = int(request.sampling["max_new_tokens"])
    budget = max(loaded.context - min(max_new, loaded.context // 2), 1)
    ids = _encode(loaded, _render(loaded, prompt, user))
    if len(ids) > budget:
        total = len(ids)
        trimmable = prompt.trimmable if prompt.trimmable and prompt.trimmable in user else ""
        if trimmable:  # the manuscript's beginning goes first: notes are trimmed last
            shorter = _drop_tokens(loaded.tokenizer, trimmable, total - budget + 8)
            user = user.replace(trimmable, shorter, 1)
            ids = _encode(loaded, _render(loaded, prompt, user))
        if len(ids) > budget and loaded.kind == "chat":
            user = _drop_tokens(loaded.tokenizer, user, len(ids) - budget + 8)
            ids = _encode(loaded, _render(loaded, prompt, user))
        ids = ids[-budget:]
        what = "the beginning of your manuscript" if trimmable else "your text"
        request.notify(
            f"Your prompt is {total} tokens but the model reads at most {budget} alongside the "
            f"answer, so {what} was shortened by {total - len(ids)} tokens to fit."
        )
    import torch

    input_ids = torch.tensor([ids], dtype=torch.long)
    return {"input_ids": input_ids, "attention_mask": torch.ones_like(input_ids)}


def _encode(loaded: LoadedModel, text: str) -> list[int]:
    """Token ids of rendered text (chat templates carry their own special tokens)."""
    return loaded.tokenizer(text, add_special_tokens=loaded.kind == "base").input_ids


def _drop_tokens(tokenizer: Any, text: str, count: int) -> str:
    """Text without its first count tokens."""
    ids = tokenizer(text, add_special_tokens=False).input_ids
    return tokenizer.decode(ids[count:], skip_special_tokens=True)


def paragraphs(text: str) -> list[str]:
    """Blank-line separated paragraphs, so long texts fit a translation model's window."""
    parts = [p.strip() for p in text.replace("\r\n", "\n").split("\n\n")]
    return [p for p in parts if p] or [text.strip()]


def seq2seq_inputs(
    loaded: LoadedModel, job: TranslationJob, paragraph: str, request: GenerationRequest
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Encoder inputs and generate() extras for translation models (Marian, NLLB, M2M100, T5)."""
    tokenizer, config = loaded.tokenizer, loaded.model.config
    source, target = language(job.source), language(job.target)
    extra: dict[str, Any] = {}
    prefixes = getattr(config, "task_specific_params", None) or {}
    prefix = prefixes.get(f"translation_{source.code}_to_{target.code}", {}).get("prefix", "")
    if hasattr(tokenizer, "src_lang"):  # multilingual models that name languages by tokens
        vocab = tokenizer.get_vocab()
        src_code, tgt_code = (
            (source.nllb, target.nllb) if target.nllb in vocab else (source.code, target.code)
        )
        tokenizer.src_lang = src_code
        tgt_token = tgt_code if tgt_code in vocab else f"__{tgt_code}__"
        if tgt_token not in vocab:
            raise GenerationError(
                f"{loaded.model.name_or_path} cannot translate into {target.name}."
            )
        extra["forced_bos_token_id"] = tokenizer.convert_tokens_to_ids(tgt_token)
    encoded = tokenizer(
        prefix + paragraph, return_tensors="pt", truncation=True, max_length=loaded.context
    )
    full = len(tokenizer(prefix + paragraph).input_ids)
    if full > loaded.context:
        request.notify(
            f"A paragraph of {full} tokens is longer than the model's {loaded.context}; its end "
            "was cut. Split it with a blank line to translate all of it."
        )
    return {"input_ids": encoded["input_ids"], "attention_mask": encoded["attention_mask"]}, extra
