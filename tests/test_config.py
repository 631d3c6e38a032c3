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


@pytest.mark.parametrize("kwargs", [{"dtype": "int3"}, {"port": 70000}, {"auth": ":x"}])
def test_invalid_config_objects(kwargs):
    with pytest.raises(ConfigError):
        StudioConfig(**kwargs)


def test_bad_port_in_environment():
    with pytest.raises(ConfigError, match="STUDIO_PORT"):
        StudioConfig.from_args([], env={"STUDIO_PORT": "eighty"})
