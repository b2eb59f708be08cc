"""Panels that a capability adds to another capability's page without being imported by it.

A page owned by a lower layer (the worklist in ``pathways``) names a slot; a higher layer
(``measures``) registers a function for the slot in its ``AppConfig.ready``. The page asks
for the slot's panels and includes each one's template with its context. Each panel
function does its own policy checks and access logging, like any selector.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Panel:
    template: str
    context: dict[str, Any]


PanelFunction = Callable[..., Panel | None]
_registry: dict[str, list[PanelFunction]] = defaultdict(list)


def register(slot: str, function: PanelFunction) -> None:
    if function not in _registry[slot]:
        _registry[slot].append(function)


def panels(slot: str, **arguments: Any) -> list[Panel]:
    """The panels registered for ``slot``, each given ``arguments``; empty ones dropped."""
    found = (function(**arguments) for function in _registry[slot])
    return [panel for panel in found if panel is not None]
