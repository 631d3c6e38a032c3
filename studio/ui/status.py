"""The model status line at the top of the page."""

from __future__ import annotations

from collections.abc import Sequence

from studio.engines.base import Engine, EngineStatus

HOW_TO_SET_MODEL = (
    "Choose a model with `python app.py --model <hub id or local folder>` "
    "(or the `STUDIO_MODEL` environment variable)."
)


def describe_status(status: EngineStatus) -> str:
    """Markdown telling the writer which model is in use, loading, or missing and why."""
    if status.state == "ready":
        kinds = {
            "chat": "instruct model",
            "base": "base model (continues text)",
            "seq2seq": "translation model",
        }
        line = f"✅ **{status.model}** · {kinds.get(status.kind or '', '')} · {status.detail}"
        return line + (f"\n\n⚠️ {status.notice}" if status.notice else "")
    if status.state == "failed":
        return f"❌ **No model loaded.** {status.detail}\n\n{HOW_TO_SET_MODEL}"
    doing = f" ({status.detail})" if status.detail else ""
    return f"⏳ Loading **{status.model}**{doing}… you can start writing; requests wait for it."


def describe_engines(engines: Sequence[Engine]) -> str:
    """The status of the writing model, and of the translation model when there is one."""
    lines = [describe_status(engines[0].status())]
    lines += [f"**Translation:** {describe_status(e.status())}" for e in engines[1:]]
    return "\n\n".join(lines)
