"""The content model read as a list of fields, for the scaffold (`new`) and the field reference.

Everything here is read from the pydantic model (names, types, defaults, docstrings), except the
examples, which are in `examples.py`; a test requires one for every field.
"""

from __future__ import annotations

import enum
import types
import typing
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any

from pydantic import BaseModel

from . import model
from .examples import EXAMPLES

# Shared by every fact; listed after a model's own fields.
SOURCED = tuple(model.Sourced.model_fields)

# The named types of the model, in plain words (each explained in the reference).
_NAMED: list[tuple[Any, str]] = [
    (model.Slug, "id"),
    (model.Text, "text"),
    (model.Prose, "prose"),
    (model.LangTag, "language tag"),
    (model.Url, "web address"),
    (model.Date, "date"),
    (model.MaybeDate, "date or unknown"),
]
_BASIC = {str: "text", int: "whole number", bool: "true or false"}


@dataclass(frozen=True)
class FieldDoc:
    """One field of one model, described for people writing content."""

    owner: type[BaseModel]
    """The model whose field it is (for Sourced fields, the model that uses them)."""
    name: str
    declared_in: type[BaseModel]
    """The model that declares it (Sourced for sources, confidence and note)."""
    hint: Any
    required: bool
    default: Any
    description: str
    min_items: int = 0
    """The fewest items a list may have."""
    max_items: int | None = None
    """The most items a list may have, if limited."""

    @property
    def key(self) -> str:
        """'Class.field', the key of its example."""
        return f"{self.declared_in.__name__}.{self.name}"

    @property
    def example(self) -> str | None:
        """An example value as written in YAML; None for a mapping or a list of mappings."""
        return EXAMPLES.get(self.key)

    @property
    def many(self) -> bool:
        """True for a list."""
        return _list_item(self.hint) is not None

    @property
    def item(self) -> Any:
        """The type of one value: the list's item for a list."""
        inner = _list_item(self.hint)
        return _without_none(self.hint) if inner is None else inner

    @property
    def submodel(self) -> type[BaseModel] | None:
        """The model of the value (or of each item), if it is a mapping."""
        item = self.item
        return item if isinstance(item, type) and issubclass(item, BaseModel) else None

    @property
    def choices(self) -> tuple[str, ...]:
        """The values allowed, for a field with a fixed set of them."""
        return choices(self.item)

    @property
    def kind(self) -> str:
        """The type in plain words: 'date', 'list of id', 'one of: high, medium, low' ..."""
        words = type_words(self.item)
        return f"list of {words}" if self.many else words


def type_words(hint: Any) -> str:
    """A type in plain words."""
    for named, words in _NAMED:
        if hint == named:
            return words
    if options := choices(hint):
        return "one of: " + ", ".join(options)
    if isinstance(hint, type) and issubclass(hint, BaseModel):
        return hint.__name__
    if len(alts := alternatives(hint)) > 1:
        return " or ".join(type_words(a) for a in alts)
    if typing.get_origin(hint) is typing.Annotated:
        return type_words(typing.get_args(hint)[0])
    return _BASIC.get(hint, str(hint))


def alternatives(hint: Any) -> list[Any]:
    """The types a union allows, None left out; the type itself when it is no union."""
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        return [a for a in typing.get_args(hint) if a is not type(None)]
    return [hint]


def choices(hint: Any) -> tuple[str, ...]:
    """The values a Literal or an enumeration allows; empty for other types."""
    if typing.get_origin(hint) is typing.Literal:
        return tuple(str(v) for v in typing.get_args(hint))
    if isinstance(hint, type) and issubclass(hint, enum.Enum):
        return tuple(str(m.value) for m in hint)
    return ()


def _without_none(hint: Any) -> Any:
    alts = alternatives(hint)
    return alts[0] if len(alts) == 1 else hint


def _list_item(hint: Any) -> Any:
    hint = _without_none(hint)
    return typing.get_args(hint)[0] if typing.get_origin(hint) is list else None


def _declared_in(cls: type[BaseModel], name: str) -> type[BaseModel]:
    for base in cls.__mro__:
        if name in vars(base).get("__annotations__", {}):
            return base
    return cls


@cache
def fields_of(cls: type[BaseModel]) -> tuple[FieldDoc, ...]:
    """A model's fields, its own first, then those every fact shares."""
    hints = typing.get_type_hints(cls, include_extras=True)
    docs = []
    for name, info in cls.model_fields.items():
        sizes = info.metadata if _list_item(hints[name]) is not None else []
        docs.append(
            FieldDoc(
                owner=cls,
                name=name,
                declared_in=_declared_in(cls, name),
                hint=hints[name],
                required=info.is_required(),
                default=None if info.is_required() else info.get_default(call_default_factory=True),
                description=" ".join((info.description or "").split()),
                min_items=max((getattr(m, "min_length", 0) or 0 for m in sizes), default=0),
                max_items=min(
                    (m.max_length for m in sizes if hasattr(m, "max_length")), default=None
                ),
            )
        )
    return tuple(sorted(docs, key=lambda f: f.name in SOURCED))


def models(root: type[BaseModel] = model.Treaty) -> Iterator[tuple[type[BaseModel], list[str]]]:
    """Every model reachable from the root, first seen first, with the paths where it is used."""
    order: dict[type[BaseModel], list[str]] = {root: [""]}
    queue = [root]
    while queue:
        cls = queue.pop(0)
        for f in fields_of(cls):
            for sub in alternatives(f.item):
                if not (isinstance(sub, type) and issubclass(sub, BaseModel)):
                    continue
                path = f"{order[cls][0]}.{f.name}".lstrip(".") + ("[]" if f.many else "")
                if sub not in order:
                    order[sub] = []
                    queue.append(sub)
                order[sub].append(path)
    yield from order.items()


def all_fields() -> Iterator[FieldDoc]:
    """Every field of every model reachable from Treaty."""
    for cls, _ in models():
        yield from fields_of(cls)


def at(loc: tuple[str | int, ...]) -> FieldDoc | None:
    """The field at a location in content data, such as ('signing', 'date', 'value')."""
    cls: type[BaseModel] | None = model.Treaty
    found = None
    for part in loc:
        if isinstance(part, int):
            continue
        found = next((f for f in fields_of(cls) if f.name == part), None) if cls else None
        if found is None:
            return None
        cls = found.submodel
    return found
