"""StudioConfig: every setting of a run, from the command line or the environment.

Each option is also an environment variable (``STUDIO_<NAME>``) so a hosted Space can be
configured without a command line. Nothing here has side effects at import.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields

from studio.engines.gguf_convert import FILE_TYPES as GGUF_TYPES  # llama.cpp's weight types

# A small instruct model that writes English and Chinese well and runs on a laptop CPU.
DEFAULT_MODEL = "Qwen/Qwen2.5-0.5B-Instruct"
DEVICES = ("auto", "cpu", "cuda", "mps")
DTYPES = ("auto", "float32", "bfloat16", "float16")
BACKENDS = ("auto", "transformers", "llama.cpp")


class ConfigError(ValueError):
    """A setting that cannot work, with a message saying which and why."""


@dataclass(frozen=True)
class StudioConfig:
    """Settings of one studio process."""

    model: str = DEFAULT_MODEL  # hub id or local folder of the writing model
    translation_model: str = ""  # optional seq2seq translation model (hub id or folder)
    host: str = "127.0.0.1"  # listen address; 0.0.0.0 to serve the local network or a Space
    port: int = 7860  # listen port
    share: bool = False  # ask Gradio for a temporary public link
    auth: str = ""  # "user:password" required to open the page; empty = no login
    device: str = "auto"  # auto picks CUDA, then MPS, then CPU
    dtype: str = "auto"  # auto: bfloat16/float16 on GPUs, float32 on CPU
    backend: str = "auto"  # auto: llama.cpp on CPU for the models it runs, else transformers
    gguf_type: str = "f16"  # weights llama.cpp gets when converting (q8_0: faster, lossy)
    parallel: int = 4  # visitors written for at once (llama.cpp batches them; transformers: 1)

    def __post_init__(self) -> None:
        choices = {"device": DEVICES, "dtype": DTYPES, "backend": BACKENDS,
                   "gguf_type": GGUF_TYPES}  # fmt: skip
        for name, allowed in choices.items():
            value = getattr(self, name)
            if value not in allowed:
                flag = "--" + name.replace("_", "-")
                raise ConfigError(f"{flag} must be one of {', '.join(allowed)}, got {value!r}.")
        if not 1 <= self.parallel <= 16:
            raise ConfigError(f"--parallel must be between 1 and 16, got {self.parallel}.")
        if not 0 < self.port < 65536:
            raise ConfigError(f"--port must be between 1 and 65535, got {self.port}.")
        if self.auth and (":" not in self.auth or not self.auth.split(":", 1)[0]):
            raise ConfigError("--auth must look like USER:PASSWORD.")
        if not self.model.strip():
            raise ConfigError("--model must name a hub model id or a local folder.")

    @property
    def auth_pair(self) -> tuple[str, str] | None:
        """The (user, password) pair for ``launch(auth=...)``, or None when no login is set."""
        if not self.auth:
            return None
        user, password = self.auth.split(":", 1)
        return user, password

    @classmethod
    def from_args(
        cls, argv: Sequence[str] | None = None, env: Mapping[str, str] | None = None
    ) -> StudioConfig:
        """Build a config from command-line arguments, falling back to the environment."""
        env = os.environ if env is None else env
        base = _from_env(env)
        parser = argparse.ArgumentParser(
            prog="app.py", description="Creative Writing Studio: write with a model you run."
        )
        parser.add_argument("--model", default=base.model, help="hub id or local folder")
        parser.add_argument(
            "--translation-model",
            default=base.translation_model,
            help="optional seq2seq translation model (Marian, NLLB, M2M100, T5)",
        )
        parser.add_argument("--host", default=base.host)
        parser.add_argument("--port", type=int, default=base.port)
        parser.add_argument(
            "--share",
            action="store_true",
            default=base.share,
            help="create a temporary public link for others to use",
        )
        parser.add_argument("--auth", default=base.auth, metavar="USER:PASS")
        parser.add_argument("--device", default=base.device, choices=DEVICES)
        parser.add_argument("--dtype", default=base.dtype, choices=DTYPES)
        parser.add_argument("--backend", default=base.backend, choices=BACKENDS,
                            help="auto: llama.cpp on CPU where it can run the model")  # fmt: skip
        parser.add_argument("--gguf-type", default=base.gguf_type, choices=GGUF_TYPES,
                            help="llama.cpp weights: f16, q8_0 (faster, lossy), f32")  # fmt: skip
        parser.add_argument("--parallel", type=int, default=base.parallel,
                            help="requests llama.cpp writes at once (default 4)")  # fmt: skip
        args = parser.parse_args(argv)
        try:
            return cls(**{f.name: getattr(args, f.name) for f in fields(cls)})
        except ConfigError as err:
            parser.error(str(err))
            raise  # unreachable: parser.error exits


def _truthy(value: str) -> bool:
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _from_env(env: Mapping[str, str]) -> StudioConfig:
    """Defaults overridden by STUDIO_* variables (and Gradio's own server variables)."""
    port = env.get("STUDIO_PORT") or env.get("GRADIO_SERVER_PORT") or "7860"
    return StudioConfig(
        model=env.get("STUDIO_MODEL") or DEFAULT_MODEL,
        translation_model=env.get("STUDIO_TRANSLATION_MODEL", ""),
        host=env.get("STUDIO_HOST") or env.get("GRADIO_SERVER_NAME") or "127.0.0.1",
        port=_number("STUDIO_PORT", port),
        share=_truthy(env.get("STUDIO_SHARE", "")),
        auth=env.get("STUDIO_AUTH", ""),
        device=env.get("STUDIO_DEVICE") or "auto",
        dtype=env.get("STUDIO_DTYPE") or "auto",
        backend=env.get("STUDIO_BACKEND") or "auto",
        gguf_type=env.get("STUDIO_GGUF_TYPE") or "f16",
        parallel=_number("STUDIO_PARALLEL", env.get("STUDIO_PARALLEL") or "4"),
    )


def _number(name: str, value: str) -> int:
    """An integer environment variable, or a ConfigError naming it."""
    try:
        return int(value)
    except ValueError:
        raise ConfigError(f"{name} must be a number, got {value!r}.") from None
