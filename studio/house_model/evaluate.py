"""Re-measure the house model: ``python -m studio.house_model.evaluate [FOLDER]``.

Prints the held-out perplexity of the saved model and of a unigram model with the same
tokenizer on the same held-out text (entries never trained on), and their ratio.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from studio.house_model import HOUSE_DIR
from studio.house_model.corpus import load_corpus
from studio.house_model.train import pack, perplexities


def evaluate(folder: Path, limit_chars: int | None = None) -> dict[str, float]:
    """Perplexities of the model in folder and of the unigram baseline on held-out text."""
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(folder)
    model = AutoModelForCausalLM.from_pretrained(folder, dtype=torch.float32).eval()
    corpus = load_corpus(limit_chars=limit_chars)
    return perplexities(model, pack(tokenizer, corpus.held_out), pack(tokenizer, corpus.train),
                        model.config.n_positions)  # fmt: skip


def main(argv: list[str] | None = None) -> None:
    """Command line: print the perplexities and their ratio."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path, nargs="?", default=HOUSE_DIR)
    args = parser.parse_args(argv)
    scores = evaluate(args.folder)
    ratio = scores["unigram_perplexity"] / scores["model_perplexity"]
    print(f"held-out tokens      {scores['held_out_tokens']:>10,}")
    print(f"model perplexity     {scores['model_perplexity']:>10.1f}")
    print(f"unigram perplexity   {scores['unigram_perplexity']:>10.1f}")
    print(f"ratio                {ratio:>10.1f}x  (the bar: at least 5x)")


if __name__ == "__main__":
    main()
