"""Settings from the command line and the environment."""

import pytest

from studio.config import DEFAULT_MODEL, ConfigError, StudioConfig


def test_defaults_are_private_and_local():
    config = StudioConfig.from_args([], env={})
    assert config.model == DEFAULT_MODEL and config.host == "127.0.0.1"
    assert not config.share and config.auth_pair is None


def test_environment_then_arguments():
    env = {
        "STUDIO_MODEL": "/models/a",
        "STUDIO_PORT": "9000",
        "STUDIO_SHARE": "true",
        "STUDIO_AUTH": "ann:pa:ss",
        "STUDIO_DEVICE": "cpu",
        "GRADIO_SERVER_NAME": "0.0.0.0",
    }
    config = StudioConfig.from_args([], env=env)
    assert (config.model, config.port, config.share, config.host) == (
        "/models/a",
        9000,
        True,
        "0.0.0.0",
    )
    assert config.auth_pair == ("ann", "pa:ss") and config.device == "cpu"
    config = StudioConfig.from_args(
        ["--model", "b", "--port", "9001", "--dtype", "bfloat16"], env=env
    )
    assert (config.model, config.port, config.dtype) == ("b", 9001, "bfloat16")


@pytest.mark.parametrize(
    "argv", [["--auth", "nopassword"], ["--port", "0"], ["--device", "tpu"], ["--model", " "]]
)
def test_bad_arguments_exit_with_a_message(argv, capsys):
    with pytest.raises(SystemExit):
        StudioConfig.from_args(argv, env={})
    assert "error" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"dtype": "int3"}, "--dtype must be one of"),
        ({"backend": "vllm"}, "--backend must be one of auto, transformers, llama.cpp"),
        ({"gguf_type": "q4_0"}, "--gguf-type must be one of f16, q8_0, f32"),
        ({"parallel": 0}, "--parallel must be between 1 and 16"),
        ({"port": 70000}, "--port"),
        ({"auth": ":x"}, "--auth"),
    ],
)
def test_invalid_config_objects(kwargs, message):
    with pytest.raises(ConfigError, match=message):
        StudioConfig(**kwargs)


def test_backend_settings_from_environment_then_arguments():
    env = {"STUDIO_BACKEND": "transformers", "STUDIO_GGUF_TYPE": "q8_0", "STUDIO_PARALLEL": "2"}
    config = StudioConfig.from_args([], env=env)
    assert (config.backend, config.gguf_type, config.parallel) == ("transformers", "q8_0", 2)
    assert StudioConfig.from_args(["--parallel", "8"], env=env).parallel == 8
    with pytest.raises(ConfigError, match="STUDIO_PARALLEL must be a number"):
        StudioConfig.from_args([], env={"STUDIO_PARALLEL": "many"})
    config = StudioConfig.from_args(["--backend", "llama.cpp", "--gguf-type", "f32"], env=env)
    assert (config.backend, config.gguf_type) == ("llama.cpp", "f32")
    assert StudioConfig.from_args([], env={}).backend == "auto"


def test_bad_port_in_environment():
    with pytest.raises(ConfigError, match="STUDIO_PORT"):
        StudioConfig.from_args([], env={"STUDIO_PORT": "eighty"})
