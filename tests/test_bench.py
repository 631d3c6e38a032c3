"""The benchmark's pure parts: tokenizer, ceiling arithmetic, statistics and the table.

The benchmark itself (``python -m studio.bench --quick``) is run separately as a smoke test.
"""

from __future__ import annotations

import pytest

from studio.bench.hardware import ceiling_tokens_per_s, fraction_of, weight_bytes
from studio.bench.models import (
    BYTES,
    PASSAGE,
    PROMPT_TOKENS,
    build_tokenizer,
    prompt_for,
    token_name,
)
from studio.bench.report import format_report, format_table, pick
from studio.bench.stats import decode_rate, median, percentile, rate

QWEN_VOCAB = 151936


@pytest.fixture(scope="module")
def qwen_tokenizer():
    return build_tokenizer(QWEN_VOCAB)


def test_tokenizer_decodes_every_id(qwen_tokenizer) -> None:
    assert len(qwen_tokenizer) == QWEN_VOCAB
    words = list(range(BYTES, QWEN_VOCAB))
    assert qwen_tokenizer.decode(words) == "".join(token_name(i) for i in words)
    for byte in range(BYTES):  # single bytes decode too (a lone UTF-8 lead byte as U+FFFD)
        assert len(qwen_tokenizer.decode([byte])) == 1


def test_tokenizer_has_no_special_tokens_to_drop_or_stop_on(qwen_tokenizer) -> None:
    assert qwen_tokenizer.all_special_ids == []
    assert qwen_tokenizer.eos_token_id is None


@pytest.mark.parametrize("family", ["qwen2", "gpt2"])
def test_saved_tokenizer_loads_and_reads_the_prompt(tmp_path, family) -> None:
    """Through AutoTokenizer, as the engine loads it (Qwen2 folders get Qwen2Tokenizer)."""
    from transformers import AutoConfig, AutoTokenizer

    AutoConfig.for_model(family, vocab_size=1000).save_pretrained(tmp_path)
    build_tokenizer(1000).save_pretrained(tmp_path)
    tokenizer = AutoTokenizer.from_pretrained(tmp_path)
    prompt = prompt_for(tokenizer)
    assert len(tokenizer(prompt).input_ids) == PROMPT_TOKENS
    assert prompt == PASSAGE[:PROMPT_TOKENS]  # one token per byte: there are no merges
    assert tokenizer.decode([300, 999]) == token_name(300) + token_name(999)


@pytest.mark.parametrize(
    ("bandwidth", "params", "bytes_per_param", "expected"),
    [
        (10e9, 1_000_000_000, 4, 2.5),  # 4 GB of fp32 weights per token at 10 GB/s
        (10e9, 500_000_000, 2, 10.0),  # bf16 halves the bytes: twice the ceiling
        (20e9, 124_000_000, 4, 20e9 / 496e6),
        (0, 1_000, 4, None),  # no bandwidth measured
        (10e9, 0, 4, None),  # no weights
    ],
)
def test_ceiling_is_bandwidth_over_weight_bytes(bandwidth, params, bytes_per_param, expected):
    assert ceiling_tokens_per_s(bandwidth, params, bytes_per_param) == pytest.approx(expected)


def test_weight_bytes_and_fraction() -> None:
    assert weight_bytes(494_032_768, 4) == 1_976_131_072
    assert fraction_of(5.0, 20.0) == 0.25
    assert fraction_of(None, 20.0) is None
    assert fraction_of(5.0, None) is None


@pytest.mark.parametrize(
    ("values", "q", "expected"),
    [
        ([1, 2, 3, 4], 50, 2.5),
        ([1, 2, 3, 4], 95, 3.85),
        ([4, 1, 3, 2], 0, 1),  # order does not matter
        ([4, 1, 3, 2], 100, 4),
        ([7.5], 95, 7.5),
        ([0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8], 95, 0.765),
    ],
)
def test_percentile_interpolates_linearly(values, q, expected) -> None:
    assert percentile(values, q) == pytest.approx(expected)


@pytest.mark.parametrize(("values", "q"), [([], 50), ([1.0], -1), ([1.0], 101)])
def test_percentile_refuses_what_it_cannot_answer(values, q) -> None:
    with pytest.raises(ValueError):
        percentile(values, q)


def test_median_rate_and_decode_rate() -> None:
    assert median([3.0, None, 1.0, 2.0]) == 2.0
    assert median([None]) is None
    assert rate(10, 2.0) == 5.0
    assert rate(10, 0.0) is None
    assert decode_rate([1.0, 1.5, 2.0, 2.5]) == pytest.approx(2.0)  # 3 tokens in 1.5 s
    assert decode_rate([1.0]) is None


def test_pick_walks_nested_dicts() -> None:
    data = {"a": {"b": {"c": 3}}, "n": None}
    assert pick(data, "a.b.c") == 3
    assert pick(data, "a.x.c") is None
    assert pick(data, "n.b") is None


def test_format_table_aligns_columns() -> None:
    table = format_table(["", "gpt2", "house"], [["tok/s", "12.5", "230.1"], ["dtype", "f32", "-"]])
    lines = table.splitlines()
    assert lines[0] == "       gpt2  house"
    assert lines[1] == "-----  ----  -----"
    assert lines[2] == "tok/s  12.5  230.1"
    assert lines[3] == "dtype   f32      -"


def _result(model: str, **extra) -> dict:
    return {"model": model, "errors": {}, "params": 124_439_808, "dtype": "float32",
            "weight_mb": 474.7, "prompt_tokens": 32, "new_tokens": 64, **extra}  # fmt: skip


def test_format_report_shows_figures_ratios_and_missing_values() -> None:
    full = _result(
        "gpt2-124m",
        in_process={"generate": {"decode_tok_s": 20.0, "first_token_s": 0.05},
                    "engine": {"decode_tok_s": 18.0, "first_text_s": 0.08}},
        ui={"ttft_s": 0.2, "tok_s": 15.0,
            "crowds": [{"visitors": 4, "aggregate_tok_s": 15.0, "ttft_p50_s": 4.0,
                        "ttft_p95_s": 9.5}]},
        ceiling={"tok_s": 40.0, "engine_fraction": 0.45},
    )  # fmt: skip
    broken = _result("house", errors={"ui": "RuntimeError: no server"})
    payload = {"quick": True, "wall_s": 90.0, "models": [full, broken],
               "machine": {"cpus": 2, "torch_threads": 2, "bandwidth_gb_s": 12.34}}  # fmt: skip
    text = format_report(payload)
    assert "12.3 GB/s" in text and "(quick)" in text
    rows = {line.split("  ")[0]: line for line in text.splitlines()}
    assert rows["engine tok/s (decode, vs generate)"].split()[-4:] == [
        "18.0",
        "(0.90x)",
        "—",
        "(—)",
    ]
    assert rows["UI overhead ms"].split()[-2:] == ["+120", "—"]
    assert rows["4 visitors: aggregate tok/s (vs 1 visitor)"].split()[-4:-2] == ["15.0", "(1.00x)"]
    assert rows["4 visitors: TTFT p50 / p95 s"].split()[-6:-3] == ["4.00", "/", "9.50"]
    assert "house ui: RuntimeError: no server" in text


def test_llama_cpp_rows_show_speed_share_of_ceiling_and_greedy_agreement() -> None:
    from studio.bench.__main__ import add_ceiling

    result = _result(
        "qwen-0.5b", bytes_per_param=4.0,
        in_process={"generate": {"decode_tok_s": 5.0}, "engine": {"decode_tok_s": 5.0}},
        ui={"ttft_s": 0.2, "tok_s": 30.0, "crowds": [{"visitors": 4, "aggregate_tok_s": 51.0}]},
        ui_backend="llama.cpp",
        llama_cpp={"f16": {"decode_tok_s": 28.0, "weight_bytes": 1e9, "match": 1.0,
                           "same_prefix": 64, "one_tok_s": 30.0, "crowd_4_tok_s": 54.0,
                           "first_text_s": 0.05, "crowd_4_ceiling": 1.94,
                           "step_ms": {"1": 31.0, "2": 60.4, "4": 64.0}},
                   "q8_0": {"decode_tok_s": 40.0, "weight_bytes": 0.5e9, "match": 0.25,
                            "same_prefix": 9, "one_tok_s": 40.0, "crowd_4_tok_s": 60.0}},
    )  # fmt: skip
    add_ceiling(result, bandwidth_gb_s=35.0)
    assert result["llama_cpp"]["f16"]["fraction"] == pytest.approx(0.8)
    payload = {"models": [result], "machine": {}}
    rows = {line.split("  ")[0]: line for line in format_report(payload).splitlines()}
    assert rows["llama.cpp f16 tok/s (of its ceiling; vs generate)"].split()[-3:] == [
        "28.0", "(0.80;", "5.60x)",
    ]  # fmt: skip
    # the UI overhead is taken against the in-process figure of the backend the UI ran on
    assert rows["UI and visitors measured on"].split()[-1] == "llama.cpp"
    assert rows["UI overhead ms"].split()[-1] == "+150"
    assert rows["llama.cpp f16 4 at once: aggregate tok/s (vs 1)"].split()[-5:] == [
        "54.0", "(1.80x;", "steps", "allow", "1.94x)",
    ]  # fmt: skip
    assert rows["4 visitors: aggregate tok/s (vs 1 visitor)"].split()[-5:] == [
        "51.0", "(1.70x;", "steps", "allow", "1.94x)",
    ]  # fmt: skip
    assert rows["llama.cpp f16 bare decode step ms, 1 / 2 / 4 at once"].split()[-5:] == [
        "31.0", "/", "60.4", "/", "64.0",
    ]  # fmt: skip
    # without step figures the row claims no ceiling
    assert rows["llama.cpp q8_0 4 at once: aggregate tok/s (vs 1)"].split()[-2:] == [
        "60.0", "(1.50x)",
    ]  # fmt: skip
    assert rows["llama.cpp q8_0 bare decode step ms, 1 / 2 / 4 at once"].split()[-5:] == [
        "—", "/", "—", "/", "—",
    ]  # fmt: skip
    assert rows["llama.cpp q8_0 greedy match / same first words"].split()[-3:] == [
        "0.25", "/", "9",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("words", "reference", "match", "prefix"),
    [
        ("a b c d", "a b c d", 1.0, 4),
        ("a b x d", "a b c d", 0.75, 2),
        ("x b c d", "a b c d", 0.75, 0),
        ("a b", "a b c d", 0.5, 2),  # stopped early: the missing words do not match
    ],
)
def test_greedy_match(words, reference, match, prefix) -> None:
    from studio.bench.fast import greedy_match

    assert greedy_match(words.split(), reference.split()) == {"match": match, "same_prefix": prefix}


def test_torch_option_rows_show_speed_against_fp32_and_agreement() -> None:
    result = _result(
        "qwen-0.5b",
        torch_options={"fp32": {"decode_tok_s": 6.0},
                       "bf16": {"decode_tok_s": 12.0, "match": 0.5, "same_prefix": 20},
                       "int8-dynamic": {"decode_tok_s": 30.0, "match": 0.25, "same_prefix": 3}},
    )  # fmt: skip
    text = format_report({"models": [result], "machine": {}})
    rows = {line.split("  ")[0]: line for line in text.splitlines()}
    label = "transformers {} tok/s (vs fp32); greedy match / same first"
    assert rows[label.format("bf16")].split()[-5:] == ["12.0", "(2.00x);", "0.50", "/", "20"]
    assert rows[label.format("int8-dynamic")].split()[-5:] == ["30.0", "(5.00x);", "0.25", "/", "3"]
