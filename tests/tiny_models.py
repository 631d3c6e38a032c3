"""Tiny real models built from configs, with tokenizers trained here: no downloads.

They are saved with ``save_pretrained`` and loaded back through the same ``from_pretrained``
path that users hit, so the engine under test is the real one.
"""

from __future__ import annotations

import json
from pathlib import Path

CORPUS = [
    "The lighthouse keeper climbed the stairs at dusk and lit the lamp.",
    "Rain fell on the harbour, and the boats rocked against the old stone wall.",
    "She opened the letter slowly, afraid of the words inside.",
    "Our new coffee cup folds flat and fits in your pocket.",
    "Fresh bread every morning, baked with love in the little shop.",
    "I walked along the river where I grew up, singing an old song.",
    "The city lights were bright, but I missed the quiet of home.",
    "Translate the following text into Chinese. Keep the meaning and tone.",
    "灯塔看守人在黄昏时爬上楼梯，点亮了灯。",
    "雨落在港口，小船轻轻摇晃。",
    "她慢慢打开信，害怕里面的字句。",
    "我们的新咖啡杯可以折叠，放进口袋。",
    "我沿着长大的那条河走，唱着一首老歌。",
    "春眠不觉晓，处处闻啼鸟。夜来风雨声，花落知多少。",
]
CHAT_TEMPLATE = (
    "{% for m in messages %}<|{{ m['role'] }}|>{{ m['content'] }}\n{% endfor %}"
    "{% if add_generation_prompt %}<|assistant|>{% endif %}"
)


def corpus_lines(repeat: int = 20) -> list[str]:
    """The training text, repeated so tokenizer training sees enough of it."""
    return CORPUS * repeat


def bpe_tokenizer(chat: bool, n_positions: int):
    """A byte-level BPE tokenizer trained on CORPUS (as GPT-2, Qwen2 and Llama 3 use)."""
    from tokenizers import ByteLevelBPETokenizer
    from transformers import PreTrainedTokenizerFast

    bpe = ByteLevelBPETokenizer()
    bpe.train_from_iterator(
        corpus_lines(), vocab_size=400, min_frequency=1, special_tokens=["<|endoftext|>"]
    )
    tokenizer = PreTrainedTokenizerFast(
        tokenizer_object=bpe,
        bos_token="<|endoftext|>",
        eos_token="<|endoftext|>",
        unk_token="<|endoftext|>",
        model_max_length=n_positions,
    )
    if chat:
        tokenizer.chat_template = CHAT_TEMPLATE
    return tokenizer


def build_gpt2(folder: Path, chat: bool = False, n_positions: int = 512) -> Path:
    """A 2-layer GPT-2 with a byte-level BPE tokenizer trained on CORPUS; saved to folder."""
    import torch
    from transformers import GPT2Config, GPT2LMHeadModel

    tokenizer = bpe_tokenizer(chat, n_positions)
    torch.manual_seed(0)
    config = GPT2Config(
        vocab_size=len(tokenizer),
        n_positions=n_positions,
        n_embd=32,
        n_layer=2,
        n_head=4,
        bos_token_id=tokenizer.bos_token_id,
        eos_token_id=tokenizer.eos_token_id,
    )
    model = GPT2LMHeadModel(config)
    folder.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    return folder


def build_llama_family(folder: Path, model_type: str = "qwen2", chat: bool = True) -> Path:
    """A 2-layer Qwen2 or Llama (the families llama.cpp runs) with a BPE tokenizer; saved."""
    import torch
    from transformers import AutoModelForCausalLM, LlamaConfig, Qwen2Config

    tokenizer = bpe_tokenizer(chat, 512)
    torch.manual_seed(0)
    config_class = {"qwen2": Qwen2Config, "llama": LlamaConfig}[model_type]
    config = config_class(
        vocab_size=len(tokenizer),
        hidden_size=64,
        intermediate_size=128,
        num_hidden_layers=2,
        num_attention_heads=4,
        num_key_value_heads=2,
        max_position_embeddings=512,
        tie_word_embeddings=model_type == "qwen2",
        bos_token_id=tokenizer.bos_token_id,
        eos_token_id=tokenizer.eos_token_id,
    )
    model = AutoModelForCausalLM.from_config(config)
    with torch.no_grad():  # larger weights than the default init: varied, untied greedy text
        for weights in model.parameters():
            if weights.ndim == 2:
                weights.normal_(0.0, 0.3)
    folder.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    return folder


def build_marian(folder: Path) -> Path:
    """A 1-layer Marian translation model with a sentencepiece model trained on CORPUS."""
    import sentencepiece as spm
    import torch
    from transformers import MarianConfig, MarianMTModel, MarianTokenizer

    work = folder / "spm-work"
    work.mkdir(parents=True, exist_ok=True)
    text = work / "corpus.txt"
    text.write_text("\n".join(corpus_lines(5)), encoding="utf-8")
    spm.SentencePieceTrainer.train(
        input=str(text),
        model_prefix=str(work / "sp"),
        vocab_size=180,
        character_coverage=1.0,
        model_type="unigram",
        bos_id=-1,
        eos_id=2,
        unk_id=1,
        pad_id=0,
        pad_piece="<pad>",
        unk_piece="<unk>",
        eos_piece="</s>",
        minloglevel=2,
    )
    processor = spm.SentencePieceProcessor(model_file=str(work / "sp.model"))
    vocab = {processor.id_to_piece(i): i for i in range(processor.get_piece_size())}
    (work / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False), encoding="utf-8")
    tokenizer = MarianTokenizer(
        source_spm=str(work / "sp.model"),
        target_spm=str(work / "sp.model"),
        vocab=str(work / "vocab.json"),
        model_max_length=64,
    )
    torch.manual_seed(0)
    config = MarianConfig(
        vocab_size=len(vocab),
        d_model=32,
        encoder_layers=1,
        decoder_layers=1,
        encoder_attention_heads=2,
        decoder_attention_heads=2,
        encoder_ffn_dim=64,
        decoder_ffn_dim=64,
        max_position_embeddings=64,
        pad_token_id=vocab["<pad>"],
        eos_token_id=vocab["</s>"],
        decoder_start_token_id=vocab["<pad>"],
    )
    model = MarianMTModel(config)
    model.save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    return folder
