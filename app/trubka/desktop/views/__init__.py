"""Widgets: they show what they are given and report what people do (signals)."""

from __future__ import annotations

from typing import TypeVar

from PySide6.QtWidgets import QWidget

W = TypeVar("W", bound=QWidget)


def named(widget: W, name: str) -> W:
    """`widget` with an object name (style sheets and tests find it by it)."""
    widget.setObjectName(name)
    return widget
