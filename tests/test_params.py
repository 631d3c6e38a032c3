"""The sampling-parameter table: validation by table, and what reaches generate()."""

import math

import pytest

from studio.params import PARAMS, PARAMS_BY_NAME, ParamError, defaults, validate


@pytest.mark.parametrize("param", PARAMS, ids=lambda p: p.name)
def test_each_bound_is_accepted(param):
    for value in (param.minimum, param.maximum, param.default):
        assert validate({param.name: value})[param.name] == value


@pytest.mark.parametrize("param", PARAMS, ids=lambda p: p.name)
def test_just_outside_each_bound_is_rejected_with_the_label(param):
    for value in (param.minimum - param.step, param.maximum + param.step):
        with pytest.raises(ParamError, match=param.label):
            validate({param.name: value})


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"temperature": "hot"}, "must be a number"),
        ({"temperature": True}, "must be a number"),
        ({"temperature": math.nan}, "finite"),
        ({"top_p": math.inf}, "finite"),
        ({"top_k": 2.5}, "whole number"),
        ({"max_new_tokens": 0}, "between 1 and 2048"),
        ({"seed": -2}, "between -1"),
        ({"temperature": 2.5}, "Temperature must be between 0 and 2, got 2.5"),
        ({"bogus": 1}, "Unknown sampling parameter"),
    ],
)
def test_invalid_values_are_rejected_not_clamped(values, message):
    with pytest.raises(ParamError, match=message):
        validate(values)


def test_greedy_must_be_boolean():
    with pytest.raises(ParamError, match="Greedy"):
        validate({}, greedy="yes")


def test_missing_values_take_defaults_and_none_means_default():
    sampling = validate({"temperature": None})
    assert sampling.values == {p.name: p.default for p in PARAMS}


def test_sampling_kwargs_carry_every_sampling_parameter():
    kwargs = validate(
        {
            "temperature": 0.7,
            "top_p": 0.9,
            "top_k": 40,
            "min_p": 0.05,
            "no_repeat_ngram_size": 3,
            "max_new_tokens": 12,
        }
    ).to_generate_kwargs()
    assert kwargs == {
        "do_sample": True,
        "temperature": 0.7,
        "top_p": 0.9,
        "top_k": 40,
        "min_p": 0.05,
        "no_repeat_ngram_size": 3,
        "max_new_tokens": 12,
        "repetition_penalty": PARAMS_BY_NAME["repetition_penalty"].default,
    }


@pytest.mark.parametrize("sampling", [validate({}, greedy=True), validate({"temperature": 0})])
def test_greedy_mode_drops_sampling_parameters(sampling):
    kwargs = sampling.to_generate_kwargs()
    assert kwargs["do_sample"] is False
    dropped = {p.name for p in PARAMS if p.sampling_only}
    assert not dropped & set(kwargs)


def test_off_values_are_not_sent():
    kwargs = validate({"min_p": 0, "no_repeat_ngram_size": 0}).to_generate_kwargs()
    assert "min_p" not in kwargs and "no_repeat_ngram_size" not in kwargs


def test_tab_defaults_are_checked_against_the_table():
    assert defaults(temperature=0.3)["temperature"] == 0.3
    with pytest.raises(ParamError):
        defaults(temperature=9)
    with pytest.raises(KeyError):
        defaults(warmth=1)
