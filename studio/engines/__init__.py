"""Generation engines behind one protocol: the tabs never know which one they talk to."""

from studio.engines.base import Engine, EngineStatus, GenerationError, GenerationRequest

__all__ = ["Engine", "EngineStatus", "GenerationError", "GenerationRequest"]
