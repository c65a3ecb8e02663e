"""Extra preview modes for articles, registered by other apps (hub imports none of them).

Wagtail's live preview panel offers each mode next to the website view and re-renders it as
the editor types. ``channels`` registers "Channel posts" here from its ``AppConfig.ready``.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse


@dataclass(frozen=True)
class PreviewMode:
    name: str
    label: str
    render: Callable[[object, HttpRequest], HttpResponse]  # (unsaved article, request) -> response


_modes: dict[str, PreviewMode] = {}


def register_preview_mode(name: str, label: str, render: Callable[[object, HttpRequest], HttpResponse]) -> None:
    _modes[name] = PreviewMode(name, label, render)


def extra_preview_modes() -> list[PreviewMode]:
    return list(_modes.values())


def preview_mode(name: str) -> PreviewMode | None:
    return _modes.get(name)
