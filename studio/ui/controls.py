"""The shared sampling panel, built from the one parameter table in studio.params."""

from __future__ import annotations

from dataclasses import dataclass

import gradio as gr

from studio.params import GREEDY_HELP, PARAMS, Param, ParamError, check_value, defaults


@dataclass
class SamplingControls:
    """The sliders and the greedy checkbox of one tab, keyed by parameter name."""

    sliders: dict[str, gr.Slider]
    greedy: gr.Checkbox

    def inputs(self) -> dict[str, gr.components.Component]:
        """Components for ``inputs_kwargs``: each parameter arrives under its own name."""
        return {**self.sliders, "greedy": self.greedy}


def param_slider(param: Param, value: float) -> gr.Slider:
    """A slider for one table parameter whose API values are checked by the table.

    Gradio's own bound check says "Value 7 is greater than maximum value 2.0" without naming
    the setting; the table's message names it. (A gr.Slider subclass would do the same, but
    Gradio writes a .pyi stub beside any module that defines a component class.)
    """
    slider = gr.Slider(minimum=param.minimum, maximum=param.maximum, step=param.step,
                       value=value, label=param.label, info=param.help,
                       precision=0 if param.integer else None)  # fmt: skip

    def preprocess(payload: float | None) -> float | None:
        if payload is None:
            return None
        try:
            return check_value(param.name, payload)
        except ParamError as err:
            raise gr.Error(str(err), title="Please check your settings") from err

    slider.preprocess = preprocess  # type: ignore[method-assign]
    return slider


def sampling_panel(greedy: bool = False, **overrides: float) -> SamplingControls:
    """An accordion of sliders with this tab's default values (overrides checked by the table)."""
    values = defaults(**overrides)
    with gr.Accordion("Sampling settings", open=False):
        greedy_box = gr.Checkbox(value=greedy, label="Greedy (deterministic)", info=GREEDY_HELP)
        sliders = {p.name: param_slider(p, values[p.name]) for p in PARAMS}
    return SamplingControls(sliders, greedy_box)
