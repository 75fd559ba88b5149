"""The public surface of analytics/: a sorted `__all__` whose every name resolves."""
from __future__ import annotations

import importlib

import pytest

import analytics


def test_all_is_sorted_and_unique():
    assert analytics.__all__ == sorted(analytics.__all__)
    assert len(set(analytics.__all__)) == len(analytics.__all__)


def test_all_and_module_map_agree():
    assert set(analytics.__all__) == set(analytics._MODULES)


@pytest.mark.parametrize("name", analytics.__all__)
def test_every_name_resolves_to_its_module(name):
    value = getattr(analytics, name)
    assert callable(value)
    module = importlib.import_module(f"analytics.{analytics._MODULES[name]}")
    assert getattr(module, name) is value
    assert value.__doc__, f"{name} has no docstring"


def test_star_import_gives_exactly_all():
    namespace: dict = {}
    exec("from analytics import *", namespace)
    assert set(analytics.__all__) <= set(namespace)


def test_unknown_name_is_an_attribute_error():
    with pytest.raises(AttributeError):
        analytics.no_such_function  # noqa: B018
