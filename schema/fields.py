"""One declaration per stored field: its column, its GraphQL type and its description.

A node type declares each field it reads from its row once, on the strawberry type
itself: the annotation is the GraphQL type, `description=` the SDL's text, and the
helpers below put where the value is stored into the field's metadata:

    name: str = column()                                    # the row's `name`
    value: float = column("quantity_value")                 # another column
    quantity: Quantity | None = embedded("quantity_value")  # an object from the same row
    publisher_pk: strawberry.Private[int | None] = key("publisher_id")

    @strawberry.field(metadata=references("publisher_pk"))  # a to-one relation
    async def publisher(self, info: Info) -> Source | None: ...

Both read paths are derived from that declaration:

- the resolver path builds a type from a row with `Row.from_row`, which reads every
  declared column and decodes it by the field's Python type (enums, lists, nulls);
- the compiled path (schema/compiled/objects.py) finds the declaration again on the
  GraphQL schema it compiles against (`declaration`) and prints the column as the
  field's GraphQL type serialises.

A to-one relation names the private key field it follows (`references`), so its column
too is declared once. Any other field (a list, a computed field) has no declaration:
the resolver path resolves it, and the compiled path compiles it only when taught to.
"""

from __future__ import annotations

import dataclasses
import enum
import types
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Self, Union, get_args, get_origin, get_type_hints

import strawberry
from graphql import GraphQLField
from sqlalchemy import RowMapping
from strawberry.schema.schema_converter import GraphQLCoreConverter
from strawberry.types.field import StrawberryField

STORED = "claimgraph.stored"


@dataclass(frozen=True)
class Column:
    """The field is the row's column `name` (None: the column named as the field)."""

    name: str | None = None


@dataclass(frozen=True)
class GlobalId:
    """The Relay id: the type's name and the row's primary key `id` (schema/ids.py)."""


@dataclass(frozen=True)
class Embedded:
    """An object read from its parent's own row; null when the column `present` is."""

    present: str


@dataclass(frozen=True)
class Reference:
    """A related node whose id is the private field `key` (declared with `key()`)."""

    key: str


@dataclass(frozen=True)
class ForeignKey:
    """A Reference as the compiled path reads it: the node whose id is in `column`."""

    column: str


Stored = Column | GlobalId | Embedded | Reference


def column(name: str | None = None, *, description: str | None = None) -> Any:
    """A GraphQL field stored in the row's column `name` (by default the field's own)."""
    return strawberry.field(description=description, metadata={STORED: Column(name)})


def embedded(present: str, *, description: str | None = None) -> Any:
    """A GraphQL object field built from the same row, null when `present` is null."""
    return strawberry.field(description=description, metadata={STORED: Embedded(present)})


def key(name: str) -> Any:
    """A private field (a primary or foreign key) stored in the row's column `name`."""
    return dataclasses.field(metadata={STORED: Column(name)})


def references(key: str) -> dict[str, Stored]:
    """The metadata of a to-one relation following the private field `key`."""
    return {STORED: Reference(key)}


GLOBAL_ID = {STORED: GlobalId()}


def declaration(definition: GraphQLField) -> Column | GlobalId | Embedded | ForeignKey | None:
    """Where a GraphQL field's value is stored, as its strawberry type declares it:
    a Column always with its name, a Reference as the column of its key."""
    field = (definition.extensions or {}).get(GraphQLCoreConverter.DEFINITION_BACKREF)
    if not isinstance(field, StrawberryField):
        return None
    stored: Stored | None = field.metadata.get(STORED)
    if isinstance(stored, Column) and stored.name is None:
        return Column(field.python_name)
    if isinstance(stored, Reference):
        assert isinstance(field.origin, type), field
        keys = {f.name: f.metadata.get(STORED) for f in dataclasses.fields(field.origin)}
        found = keys[stored.key]
        assert isinstance(found, Column) and found.name is not None, stored
        return ForeignKey(found.name)
    return stored


_READERS: dict[type, Callable[[RowMapping], Any]] = {}


class Row:
    """A type built from one database row by its declared fields."""

    @classmethod
    def from_row(cls, row: RowMapping) -> Self:
        reader = _READERS.get(cls)
        if reader is None:
            reader = _READERS[cls] = _reader(cls)
        built: Self = reader(row)
        return built


def _reader(cls: type) -> Callable[[RowMapping], Any]:
    """`cls(field=row[column], ...)` for the declared fields, written out as the
    dataclass machinery writes its __init__: one call per row on the resolver path,
    as fast as a hand-written from_row."""
    hints = get_type_hints(cls)
    scope: dict[str, Any] = {"cls": cls}
    arguments: list[str] = []
    for field in dataclasses.fields(cls):
        stored = field.metadata.get(STORED)
        if isinstance(stored, Column):
            value = f"row[{stored.name or field.name!r}]"
            decode = _decoder(hints[field.name])
            if decode is not None:
                scope[f"decode_{field.name}"] = decode
                value = f"decode_{field.name}({value})"
        elif isinstance(stored, Embedded):
            scope[f"type_{field.name}"] = _nested(hints[field.name])
            value = f"None if row[{stored.present!r}] is None else type_{field.name}.from_row(row)"
        else:
            continue
        arguments.append(f"{field.name}={value}")
    exec(f"def read(row):\n    return cls({', '.join(arguments)})", scope)
    reader: Callable[[RowMapping], Any] = scope["read"]
    return reader


def _decoder(hint: Any) -> Callable[[Any], Any] | None:
    """How a column's value becomes the field's Python value; None: as it is."""
    inner = _optional(hint)
    if inner is not None:
        decode = _decoder(inner)
        if decode is None:
            return None
        return lambda value: None if value is None else decode(value)
    if get_origin(hint) is list:
        return list
    if isinstance(hint, type) and issubclass(hint, enum.Enum):
        return hint
    return None


def _nested(hint: Any) -> type[Row]:
    found = _optional(hint) or hint
    assert isinstance(found, type) and issubclass(found, Row), hint
    return found


def _optional(hint: Any) -> Any:
    """X for `X | None`, else None."""
    if get_origin(hint) not in (Union, types.UnionType):
        return None
    args = [a for a in get_args(hint) if a is not type(None)]
    return args[0] if len(args) == 1 else None
