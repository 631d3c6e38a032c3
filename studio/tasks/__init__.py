"""Pure prompt builders, one module per tab: inputs in, a Prompt out. No gradio, no torch."""

from studio.tasks.prompt import Prompt, TaskInputError, TranslationJob

__all__ = ["Prompt", "TaskInputError", "TranslationJob"]
