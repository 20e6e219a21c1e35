"""Plain value objects: immutable ``__slots__`` classes that pydantic validates and serialises.

A pydantic model costs a few microseconds to build through any public route; the values that
engines hand back by the thousand (:class:`~smmkit.models.Money`, the lines of a budget
allocation) are plain classes instead, built in a fraction of that. Each one describes itself to
pydantic with ``__get_pydantic_core_schema__`` (so it validates, serialises and exports a JSON
Schema inside any model, as a dict of its fields) and offers the usual model methods
(``model_dump``, ``model_dump_json``, ``model_validate``, ``model_validate_json``,
``model_json_schema``, ``model_copy``) through a :class:`pydantic.TypeAdapter`.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable
from typing import Any, ClassVar, Literal, Self

from pydantic import ConfigDict, GetJsonSchemaHandler, TypeAdapter
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import ValidationError, core_schema

__all__ = ["PlainValue", "adapter_for", "plain_schema"]

_ADAPTERS: dict[type[Any], TypeAdapter[Any]] = {}


def adapter_for(cls: type[Any]) -> TypeAdapter[Any]:
    adapter = _ADAPTERS.get(cls)
    if adapter is None:
        adapter = _ADAPTERS[cls] = TypeAdapter(cls, config=ConfigDict(title=cls.__name__))
    return adapter


class PlainValue:
    """Base of the plain value objects: frozen, compared and hashed by their fields in order.

    Subclasses list their fields in ``__slots__`` (the order of ``repr``, equality and dumps)
    and build instances with :meth:`_make` (no checks) or their own checked ``__init__``.
    """

    __slots__ = ()
    _fields: ClassVar[tuple[str, ...]] = ()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls._fields = tuple(cls.__dict__.get("__slots__", ()))

    @classmethod
    def _make(cls, *values: Any) -> Self:
        """An instance from its field values in order, unchecked (for trusted, checked data)."""
        obj = object.__new__(cls)
        for name, value in zip(cls._fields, values, strict=True):
            object.__setattr__(obj, name, value)
        return obj

    def _values(self) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name in self._fields)

    # -- immutability ------------------------------------------------------------------------
    def __setattr__(self, name: str, value: Any) -> None:
        raise ValidationError.from_exception_data(
            type(self).__name__, [{"type": "frozen_instance", "loc": (name,), "input": value}]
        )

    def __delattr__(self, name: str) -> None:
        raise ValidationError.from_exception_data(
            type(self).__name__, [{"type": "frozen_instance", "loc": (name,), "input": None}]
        )

    def __copy__(self) -> Self:
        return self

    def __deepcopy__(self, memo: dict[int, Any]) -> Self:
        return self

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self)._make, self._values())

    # -- value semantics ---------------------------------------------------------------------
    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return self._values() == other._values()

    def __hash__(self) -> int:
        return hash(self._values())

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in self._fields)
        return f"{type(self).__name__}({shown})"

    def __iter__(self) -> Any:
        """``(field, value)`` pairs, as a pydantic model iterates (``dict(value)``)."""
        return iter(zip(self._fields, self._values(), strict=True))

    @classmethod
    def __get_pydantic_json_schema__(
        cls, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        """The object schema of the fields, titled and described as a model's."""
        out = handler(schema)
        target = handler.resolve_ref_schema(out)
        target["title"] = cls.__name__
        if cls.__doc__:
            target["description"] = inspect.cleandoc(cls.__doc__)
        return out

    # -- the model methods, through a TypeAdapter ----------------------------------------------
    def model_dump(self, *, mode: Literal["json", "python"] = "python") -> dict[str, Any]:
        """The fields as a dict (``mode="json"``: JSON-compatible values)."""
        out: dict[str, Any] = adapter_for(type(self)).dump_python(self, mode=mode)
        return out

    def model_dump_json(self, *, indent: int | None = None) -> str:
        """The fields as a JSON object."""
        return adapter_for(type(self)).dump_json(self, indent=indent).decode()

    @classmethod
    def model_validate(cls, obj: Any) -> Self:
        """Validate an instance or a dict of the fields (or raise pydantic's ValidationError)."""
        out: Self = adapter_for(cls).validate_python(obj)
        return out

    @classmethod
    def model_validate_json(cls, data: str | bytes) -> Self:
        """Validate a JSON object of the fields (raises :class:`pydantic.ValidationError`)."""
        out: Self = adapter_for(cls).validate_json(data)
        return out

    @classmethod
    def model_json_schema(
        cls, mode: Literal["validation", "serialization"] = "validation"
    ) -> dict[str, Any]:
        """The JSON Schema of the dumped form."""
        return adapter_for(cls).json_schema(mode=mode)

    def model_copy(self, *, update: dict[str, Any] | None = None, deep: bool = False) -> Self:
        """A copy with some fields replaced, unchecked (as pydantic's ``model_copy``)."""
        if not update:
            return self
        unknown = set(update) - set(self._fields)
        if unknown:
            raise ValueError(f"{type(self).__name__} has no field {sorted(unknown)[0]!r}")
        return self._make(*(update.get(name, getattr(self, name)) for name in self._fields))


def plain_schema(
    cls: type[Any],
    fields: dict[str, core_schema.CoreSchema],
    *,
    build: Callable[[dict[str, Any]], Any],
    optional: frozenset[str] = frozenset(),
    values: Callable[[Any], Iterable[Any]] | None = None,
    ref: bool = True,
) -> core_schema.CoreSchema:
    """The core schema of a plain value (a :class:`PlainValue` or a named tuple): an instance
    passes as it is; a dict of ``fields`` (unknown keys refused, the names in ``optional`` may be
    left out) is validated field by field, so errors name the field, and handed to
    ``build(dict)``; dumps are the dict of the fields (``values(instance)``, in order)."""
    names = tuple(fields)
    get_values = values if values is not None else PlainValue._values

    def to_dict(value: Any) -> dict[str, Any]:
        return dict(zip(names, get_values(value), strict=True))

    def as_is_or_dict(value: Any, handler: core_schema.ValidatorFunctionWrapHandler) -> Any:
        return value if type(value) is cls else handler(value)

    def typed(for_serialization: bool) -> core_schema.TypedDictSchema:
        return core_schema.typed_dict_schema(
            {
                name: core_schema.typed_dict_field(
                    schema, required=for_serialization or name not in optional
                )
                for name, schema in fields.items()
            },
            cls_name=cls.__name__,
            extra_behavior="forbid",
        )

    checked = core_schema.no_info_after_validator_function(build, typed(False))
    return core_schema.no_info_wrap_validator_function(
        as_is_or_dict,
        checked,
        serialization=core_schema.plain_serializer_function_ser_schema(
            to_dict, return_schema=typed(True)
        ),
        ref=f"{cls.__module__}.{cls.__qualname__}" if ref else None,
    )
