"""Every option of every `popdash` subcommand says what it is, its default and its format."""

from __future__ import annotations

import argparse

import pytest

from popdash.cli import _parser, main


def _subcommands() -> dict[str, argparse.ArgumentParser]:
    sub = next(a for a in _parser()._actions if isinstance(a, argparse._SubParsersAction))
    return dict(sub.choices)


def _arguments(name: str) -> list[argparse.Action]:
    return [a for a in _subcommands()[name]._actions if not isinstance(a, argparse._HelpAction)]


SUBCOMMANDS = sorted(_subcommands())


def test_every_subcommand_is_listed_with_a_summary():
    sub = next(a for a in _parser()._actions if isinstance(a, argparse._SubParsersAction))
    assert {a.dest for a in sub._choices_actions} == set(SUBCOMMANDS)
    assert all(a.help for a in sub._choices_actions)


@pytest.mark.parametrize("name", SUBCOMMANDS)
def test_every_argument_has_a_help_text(name):
    assert _subcommands()[name].description, name
    for action in _arguments(name):
        assert action.help and len(action.help) >= 15, (name, action.dest)


@pytest.mark.parametrize("name", SUBCOMMANDS)
def test_every_option_states_its_default_or_that_it_is_required(name):
    for action in _arguments(name):
        if not action.option_strings:
            continue
        text = action.help or ""
        assert "(required)" in text if action.required else "(default: " in text, (name, action.dest, text)
        if action.default not in (None, False):
            assert f"(default: {action.default})" in text, (name, action.dest, text)


@pytest.mark.parametrize("name", SUBCOMMANDS)
def test_every_option_taking_a_value_shows_its_form(name):
    for action in _arguments(name):
        if action.option_strings and action.nargs != 0:
            assert action.choices or action.metavar, (name, action.dest)


@pytest.mark.parametrize("name", SUBCOMMANDS)
def test_help_prints_every_option(name, capsys):
    with pytest.raises(SystemExit) as exit_:
        main([name, "--help"])
    assert exit_.value.code == 0
    out = capsys.readouterr().out
    for action in _arguments(name):
        for flag in action.option_strings:
            assert flag in out
