"""Train the house model: ``python -m studio.house_model.train`` (about 25 minutes on 2 cores).

Reproducible: the corpus comes from Debian packages, the split is fixed by each entry's text,
the seed is fixed, and training runs a fixed number of steps (not "until time is up").
``--tiny`` runs the same recipe on a small slice in seconds, so the tests keep it working.
"""

from __future__ import annotations

import argparse
import json
import math
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from studio.house_model import HOUSE_DIR
from studio.house_model.corpus import SOURCES, Corpus, load_corpus

EOS = "<|endoftext|>"


@dataclass(frozen=True)
class Recipe:
    """Everything that decides the trained model, recorded in training.json."""

    vocab_size: int = 8192  # byte-level BPE tokens, shared by English and Chinese
    n_embd: int = 256  # hidden size
    n_layer: int = 4
    n_head: int = 4  # 64 dimensions per head
    context: int = 256  # tokens per training window and the model's context
    batch: int = 16  # windows per step
    steps: int = 800  # optimizer steps (3.3M tokens); fixed so the run is repeatable
    lr: float = 2e-3  # peak learning rate, after warm-up, cosine-decayed to 10%
    warmup: int = 40  # steps of linear warm-up
    weight_decay: float = 0.1
    seed: int = 1234
    limit_chars: int | None = None  # cap per corpus file (the tiny recipe only)


TINY = Recipe(vocab_size=600, n_embd=32, n_layer=1, n_head=2, context=64, batch=4, steps=6,
              warmup=2, limit_chars=6000)  # fmt: skip


def train_tokenizer(docs: list[str], vocab_size: int) -> Any:
    """A byte-level BPE tokenizer trained on the training documents only."""
    from tokenizers import ByteLevelBPETokenizer
    from transformers import PreTrainedTokenizerFast

    bpe = ByteLevelBPETokenizer()
    bpe.train_from_iterator(docs, vocab_size=vocab_size, min_frequency=2, special_tokens=[EOS])
    return PreTrainedTokenizerFast(tokenizer_object=bpe, bos_token=EOS, eos_token=EOS,
                                   unk_token=EOS, pad_token=EOS)  # fmt: skip


def pack(tokenizer: Any, docs: list[str]) -> Any:
    """All documents as one tensor of token ids, each followed by end-of-text."""
    import torch

    ids: list[int] = []
    for encoded in tokenizer(docs, add_special_tokens=False).input_ids:
        ids.extend(encoded)
        ids.append(tokenizer.eos_token_id)
    return torch.tensor(ids, dtype=torch.long)


def learning_rate(step: int, recipe: Recipe) -> float:
    """Linear warm-up, then cosine decay to a tenth of the peak."""
    if step < recipe.warmup:
        return recipe.lr * (step + 1) / recipe.warmup
    progress = (step - recipe.warmup) / max(recipe.steps - recipe.warmup, 1)
    return recipe.lr * (0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * min(progress, 1.0))))


def train_model(stream: Any, recipe: Recipe, log_every: int = 50) -> Any:
    """A GPT-2 trained on random windows of the packed stream for recipe.steps steps."""
    import torch
    from transformers import GPT2Config, GPT2LMHeadModel

    torch.manual_seed(recipe.seed)
    config = GPT2Config(vocab_size=recipe.vocab_size, n_positions=recipe.context,
                        n_embd=recipe.n_embd, n_layer=recipe.n_layer, n_head=recipe.n_head,
                        bos_token_id=0, eos_token_id=0, pad_token_id=0)  # fmt: skip
    model = GPT2LMHeadModel(config)
    decay = [p for n, p in model.named_parameters() if p.dim() >= 2]
    no_decay = [p for n, p in model.named_parameters() if p.dim() < 2]
    optimizer = torch.optim.AdamW(
        [{"params": decay, "weight_decay": recipe.weight_decay},
         {"params": no_decay, "weight_decay": 0.0}], lr=recipe.lr, betas=(0.9, 0.95),
    )  # fmt: skip
    batches = torch.Generator().manual_seed(recipe.seed)
    model.train()
    started = time.perf_counter()
    for step in range(recipe.steps):
        starts = torch.randint(0, len(stream) - recipe.context - 1, (recipe.batch,),
                               generator=batches)  # fmt: skip
        windows = torch.stack([stream[s : s + recipe.context] for s in starts.tolist()])
        for group in optimizer.param_groups:
            group["lr"] = learning_rate(step, recipe)
        loss = model(input_ids=windows, labels=windows).loss
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        optimizer.zero_grad(set_to_none=True)
        if step % log_every == 0 or step == recipe.steps - 1:
            rate = (step + 1) * recipe.batch * recipe.context / (time.perf_counter() - started)
            print(f"step {step:5d}  loss {loss.item():.3f}  {rate:,.0f} tokens/s", flush=True)
    return model.eval()


def perplexities(model: Any, stream: Any, train_stream: Any, context: int) -> dict[str, float]:
    """Held-out perplexity of the model and of a unigram model on the same predicted tokens."""
    import torch

    counts = torch.bincount(train_stream, minlength=model.config.vocab_size).double() + 1.0
    unigram_logp = (counts / counts.sum()).log()
    model_nll = unigram_nll = 0.0
    tokens = 0
    with torch.inference_mode():
        for start in range(0, len(stream) - 1, context):
            window = stream[start : start + context].unsqueeze(0)
            if window.shape[1] < 2:
                break
            n = window.shape[1] - 1
            model_nll += model(input_ids=window, labels=window).loss.item() * n
            unigram_nll += -unigram_logp[window[0, 1:]].sum().item()
            tokens += n
    return {"held_out_tokens": tokens, "model_perplexity": math.exp(model_nll / tokens),
            "unigram_perplexity": math.exp(unigram_nll / tokens)}  # fmt: skip


def run(out: Path, recipe: Recipe) -> dict[str, Any]:
    """Build the corpus, train tokenizer and model, evaluate, and save everything to out."""
    import torch

    torch.set_num_threads(max(torch.get_num_threads(), 1))
    started = time.perf_counter()
    corpus: Corpus = load_corpus(limit_chars=recipe.limit_chars)
    tokenizer = train_tokenizer(corpus.train, recipe.vocab_size)
    tokenizer.model_max_length = recipe.context
    train_stream, held_stream = pack(tokenizer, corpus.train), pack(tokenizer, corpus.held_out)
    print(f"corpus: {len(corpus.train)} training and {len(corpus.held_out)} held-out entries, "
          f"{len(train_stream):,} training tokens", flush=True)  # fmt: skip
    recipe = Recipe(**{**asdict(recipe), "vocab_size": len(tokenizer)})
    model = train_model(train_stream, recipe)
    train_seconds = time.perf_counter() - started
    scores = perplexities(model, held_stream, train_stream, recipe.context)
    out.mkdir(parents=True, exist_ok=True)
    model.to(torch.float16).save_pretrained(out)  # half precision: half the download
    tokenizer.save_pretrained(out)
    record = {
        "recipe": asdict(recipe),
        "corpus": {"sources": [asdict(s) for s in SOURCES], "files": corpus.files,
                   "train_entries": len(corpus.train), "held_out_entries": len(corpus.held_out),
                   "train_tokens": len(train_stream), "held_out_tokens": len(held_stream)},
        "parameters": sum(p.numel() for p in model.parameters()),
        "train_seconds": round(train_seconds, 1),
        "threads": torch.get_num_threads(),
        "torch": torch.__version__,
        **scores,
    }  # fmt: skip
    (out / "training.json").write_text(json.dumps(record, indent=2, ensure_ascii=False) + "\n")
    print(f"held-out perplexity: model {scores['model_perplexity']:.1f}, unigram "
          f"{scores['unigram_perplexity']:.1f} "
          f"({scores['unigram_perplexity'] / scores['model_perplexity']:.1f}x lower); "
          f"trained in {train_seconds / 60:.1f} min", flush=True)  # fmt: skip
    return record


def main(argv: list[str] | None = None) -> None:
    """Command line: train the house model (or the tiny recipe) into a folder."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=HOUSE_DIR)
    parser.add_argument("--tiny", action="store_true", help="seconds-long run on a small slice")
    parser.add_argument("--steps", type=int, help="override the number of steps")
    parser.add_argument("--no-card", action="store_true", help="skip writing the model card")
    args = parser.parse_args(argv)
    recipe = TINY if args.tiny else Recipe()
    if args.steps:
        recipe = Recipe(**{**asdict(recipe), "steps": args.steps})
    record = run(args.out, recipe)
    if not args.no_card:
        from studio.house_model.card import write_card

        write_card(args.out, record)


if __name__ == "__main__":
    main()
