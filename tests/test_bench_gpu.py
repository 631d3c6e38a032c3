"""The GPU benchmark script, run on the CPU so that it is known to work before a GPU is lent."""

from __future__ import annotations

import json

from studio.bench.gpu import config_for, main


def test_the_7b_config_has_qwen2_5_7b_shape():
    config = config_for("qwen-7b")
    assert (config.hidden_size, config.num_hidden_layers, config.num_key_value_heads) == (
        3584, 28, 4,
    )  # fmt: skip
    assert not config.tie_word_embeddings and config.eos_token_id is None


def test_it_builds_loads_and_measures_a_model_on_the_given_device(tmp_path, capsys):
    out = tmp_path / "gpu.json"
    main(["--device", "cpu", "--models", "qwen-mini", "--max-new-tokens", "8", "--json", str(out)])
    figures = json.loads(out.read_text())
    model = figures["models"][0]
    assert model["dtype"] == "bfloat16" and model["device"] == "cpu"
    assert model["in_process"]["generate"]["tokens"] == 8
    assert model["in_process"]["engine"]["decode_tok_s"] > 0
    assert 0 < model["generate_fraction"] < 2
    assert "qwen-mini:" in capsys.readouterr().out
