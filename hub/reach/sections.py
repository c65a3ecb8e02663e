"""Sections of an article's reach view, registered by other apps (hub imports none of them).

``channels`` registers its deliveries and partner pickups here (from its ``AppConfig.ready``);
hub registers the views section itself.
"""

from collections.abc import Callable
from dataclasses import dataclass

# build(article) -> (title, template_name, context), or None to leave the section out
SectionBuilder = Callable[[object], tuple[str, str, dict] | None]


@dataclass(frozen=True)
class ReachSection:
    name: str
    title: str
    template_name: str
    context: dict


_builders: dict[str, tuple[int, SectionBuilder]] = {}


def register_reach_section(name: str, build: SectionBuilder, *, order: int = 100) -> None:
    """Add (or replace) the section ``name``; sections show by ``order``, then name."""
    _builders[name] = (order, build)


def reach_sections(article) -> list[ReachSection]:
    sections = []
    for name, (_order, build) in sorted(_builders.items(), key=lambda item: (item[1][0], item[0])):
        built = build(article)
        if built is not None:
            title, template_name, context = built
            sections.append(ReachSection(name, title, template_name, context))
    return sections
