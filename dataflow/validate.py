"""Schema validation and cross-object checks: raw data in, typed objects and diagnostics out.

Every object is validated on its own so that one mistake never hides another: a model with ten
mistakes gets ten diagnostics in one run, each at its own line and column.
"""

from __future__ import annotations

import re
import types
import typing
from collections.abc import Iterable, Iterator
from typing import Any

from pydantic import BaseModel, ValidationError

from .diagnostics import FIELD_CAP, Diagnostic, field_text, group_path, summary
from .loader import RawModel, singular, suggest
from .model import MODEL_FOR_COLLECTION, CatalogueOverlay, ModelInfo

Objects = dict[str, dict[str, BaseModel]]


def validate_shapes(raw: RawModel, *, compact: bool = True
                    ) -> tuple[ModelInfo | None, Objects, CatalogueOverlay | None,
                               list[Diagnostic]]:
    """Validate each object against its schema class; return the valid ones and diagnostics.

    ``compact``: share equal strings and fields sets between the objects (what a caller that
    keeps the model for analysis wants at scale); a caller that only reports diagnostics skips
    that pass."""
    diags: list[Diagnostic] = []
    info: ModelInfo | None = None
    if "model" in raw.data:
        info = _validate_one(raw, ModelInfo, raw.data["model"], ("model",), "the model block",
                             diags)
    shared = _Shared()
    objects: Objects = {}
    for coll, cls in MODEL_FOR_COLLECTION.items():
        valid: dict[str, BaseModel] = {}
        for oid, obj in (raw.data.get(coll) or {}).items():
            what = f"{singular(coll)} '{oid}'"
            if obj is None:
                obj = {}
            if not isinstance(obj, dict):
                _emit(raw, diags, "DF203", f"{what} must be a mapping of keys, not "
                      f"{type(obj).__name__}", (coll, oid))
                continue
            if compact:
                shared.strings_of(obj)
            model = _validate_one(raw, cls, obj, (coll, oid), what, diags)
            if model is not None:
                if compact:
                    shared.fields_sets_of(model)
                valid[oid] = model
        objects[coll] = valid
    overlay = None
    if raw.data.get("catalogue") is not None:
        overlay = _validate_one(raw, CatalogueOverlay, raw.data["catalogue"], ("catalogue",),
                                "the catalogue overlay", diags)
    for key in ("include", "include_roots"):
        value = raw.data.get(key)
        if value is not None and not isinstance(value, str) and not (
                isinstance(value, list) and all(isinstance(v, str) for v in value)):
                _emit(raw, diags, "DF203", f"`{key}` must be a list of paths or globs", (key,))
    return info, objects, overlay, diags


class _Shared:
    """One object for each distinct string and each distinct ``__pydantic_fields_set__`` of a
    load. Every occurrence of an id in the YAML is parsed as a string of its own (an id named
    by thousands of flows was thousands of strings), and each validated object had its own set
    of the fields it was given (~730 bytes for five names): at 100,000 systems these were
    hundreds of MB. The models are frozen, so a fields set is never changed once validated and
    pydantic copies it whenever it copies a model."""

    __slots__ = ("_sets", "_strings")

    def __init__(self) -> None:
        self._strings: dict[str, str] = {}
        self._sets: dict[frozenset[str], set[str]] = {}

    def strings_of(self, obj: dict[str, Any]) -> None:
        """Replace the text values inside ``obj`` (a raw object) by equal shared ones, in place:
        the schema keeps the very string objects it is given."""
        strings = self._strings
        stack: list[Any] = [obj]
        while stack:
            node = stack.pop()
            for k, v in (node.items() if type(node) is dict else enumerate(node)):
                kind = type(v)
                if kind is str:
                    node[k] = strings.setdefault(v, v)
                elif kind is dict or kind is list:
                    stack.append(v)

    def fields_sets_of(self, model: BaseModel) -> None:
        """Give ``model`` and the models inside it the shared set equal to their own."""
        own = model.__pydantic_fields_set__
        key = frozenset(own)
        same = self._sets.setdefault(key, own)
        if same is not own:
            object.__setattr__(model, "__pydantic_fields_set__", same)
        for value in model.__dict__.values():
            if isinstance(value, BaseModel):
                self.fields_sets_of(value)
            elif type(value) is list and value and isinstance(value[0], BaseModel):
                for item in value:
                    self.fields_sets_of(item)


def _validate_one(raw: RawModel, cls: type[BaseModel], obj: Any, path: tuple[Any, ...],
                  what: str, diags: list[Diagnostic]) -> Any:
    try:
        return cls.model_validate(obj)
    except ValidationError as exc:
        diags.extend(_translate(raw, cls, exc, path, what, obj))
        return None


def _emit(raw: RawModel, diags: list[Diagnostic], code: str, message: str,
          path: tuple[Any, ...], hint: str | None = None, severity: str = "error") -> None:
    diags.append(positioned(raw, code, message, path, hint, severity))


def positioned(raw: RawModel, code: str, message: str, path: tuple[Any, ...],
               hint: str | None = None, severity: str = "error") -> Diagnostic:
    where = raw.position(path)
    return Diagnostic(code, severity, message,  # type: ignore[arg-type]
                      file=where.file if where else None, line=where.line if where else None,
                      col=where.col if where else None, hint=hint, path=path)


def _fields_at(cls: type[BaseModel], loc: tuple[Any, ...]) -> list[str] | None:
    """Field names (by alias) of the model class reached by ``loc`` from ``cls``."""
    current: Any = cls
    for part in loc:
        if isinstance(current, type) and issubclass(current, BaseModel):
            field = next((f for n, f in current.model_fields.items() if (f.alias or n) == part),
                         None)
            if field is None:
                return None
            current = field.annotation
        elif typing.get_origin(current) in (list, dict):
            # an item of a list (`genai.0`, also when one mapping was written for the list) or
            # a value of a mapping: the keys allowed there are those of the element's class
            current = _element(current)
        current = _unwrap(current, part)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return [f.alias or n for n, f in current.model_fields.items()]
    return None


def _unwrap(tp: Any, part: Any) -> Any:
    for _ in range(6):
        origin = typing.get_origin(tp)
        if origin is typing.Annotated:
            tp = typing.get_args(tp)[0]
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(tp) if a is not type(None)]
            models = [a for a in args if isinstance(a, type) and issubclass(a, BaseModel)]
            tp = models[0] if models else args[0]
        elif origin in (list, dict):
            return tp
        else:
            return tp
    return tp


def _literal_choices(cls: type[BaseModel], loc: tuple[Any, ...]) -> list[str]:
    current: Any = cls
    for part in loc:
        if isinstance(current, type) and issubclass(current, BaseModel):
            field = next((f for n, f in current.model_fields.items() if (f.alias or n) == part),
                         None)
            if field is None:
                return []
            current = field.annotation
        else:
            current = _element(current)
    return [str(a) for a in _literals(current)]


def _element(tp: Any) -> Any:
    for _ in range(6):
        origin = typing.get_origin(tp)
        if origin is typing.Annotated or origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(tp) if a is not type(None)]
            tp = args[0]
        elif origin is list:
            return typing.get_args(tp)[0]
        elif origin is dict:
            return typing.get_args(tp)[1]
        else:
            return tp
    return tp


def _literals(tp: Any) -> Iterator[Any]:
    origin = typing.get_origin(tp)
    if origin is typing.Literal:
        yield from typing.get_args(tp)
    elif origin is not None:
        for a in typing.get_args(tp):
            yield from _literals(a)


def _translate(raw: RawModel, cls: type[BaseModel], exc: ValidationError, path: tuple[Any, ...],
               what: str, obj: Any) -> list[Diagnostic]:
    errors = exc.errors(include_url=False)
    out: list[Diagnostic] = []
    # pair "missing X" with "extra Y" when Y looks like a misspelling of X: one diagnostic
    missing = {tuple(e["loc"]) for e in errors if e["type"] == "missing"}
    consumed: set[tuple[Any, ...]] = set()
    # repeats (100,000 unknown keys in one mapping) are capped here, before any position or
    # "did you mean" work: FIELD_CAP per field, then one summary
    counted: dict[tuple[Any, ...], int] = {}
    hidden: dict[tuple[Any, ...], tuple[str, tuple[Any, ...], int]] = {}
    for e in errors:
        loc = _clean_loc(e["loc"], obj) or ("value",)
        full = (*path, *loc)
        etype = e["type"]
        if etype != "missing":
            code = _CODE_OF_ERROR.get(etype, "DF203")
            group = (code, group_path(code, full))
            if counted.get(group, 0) >= FIELD_CAP:
                first = hidden.get(group)
                hidden[group] = (code, first[1], first[2] + 1) if first else (code, full, 1)
                continue
            counted[group] = counted.get(group, 0) + 1
        if etype == "extra_forbidden":
            parent, key = loc[:-1], str(loc[-1])
            allowed = _fields_at(cls, parent) or []
            guess = suggest(key, allowed)
            if guess and (*parent, guess) in missing:
                consumed.add((*parent, guess))
            hint = f"did you mean '{guess}'?" if guess else (
                "allowed keys: " + ", ".join(allowed) if allowed else None)
            if e.get("input") is None and not guess and _in_flow_mapping(raw, full):
                hint = ("a comma inside {...} ends a value: quote values that contain commas, "
                        "e.g. name: \"Acme (Hangzhou) Co., Ltd.\"")
            out.append(positioned(raw, "DF200", f"unknown key '{key}' in {_where(what, parent)}",
                                  full, hint))
        elif etype == "missing":
            continue
        elif etype in ("literal_error", "enum"):
            choices = _literal_choices(cls, loc)
            if not choices:  # a nested model's field: pydantic names the allowed values
                expected = (e.get("ctx") or {}).get("expected")
                choices = re.findall(r"'([^']*)'", expected) if isinstance(expected, str) else []
            value = e.get("input")
            guess = suggest(str(value), choices) if choices else None
            hint = f"did you mean '{guess}'?" if guess else None
            if value == "pipl.art5-4":  # the volume exemption is computed, never claimed
                hint = ("Art. 5(4) (non-sensitive PI of fewer than 100,000 people since "
                        "1 January) is computed from the cohorts, never claimed: remove this "
                        "claim")
            out.append(positioned(
                raw, "DF202", f"'{value}' is not a valid {_field_name(loc)} of {what}; expected "
                + " | ".join(choices), full, hint))
        elif etype == "bool_type":
            value = e.get("input")
            out.append(positioned(raw, "DF203", f"{_field_name(loc)} of {what} must be true or "
                                  f"false, not {_show(value)}", full,
                                  "only true/false are booleans (yes, no, on, off are text)"))
        elif etype == "string_pattern_mismatch":
            out.append(positioned(raw, "DF204", f"'{e.get('input')}' is not a valid id "
                                  f"({_field_name(loc)} of {what})", full,
                                  "ids match ^[a-z0-9][a-z0-9._-]*$"))
        else:
            msg = e["msg"]
            if msg.startswith("Value error, "):
                msg = msg[len("Value error, "):]
            value = e.get("input")
            shown = "" if isinstance(value, (dict, list)) else f" (got {_show(value)})"
            if etype in ("int_parsing", "int_type", "int_from_float"):
                msg = "expected a whole number"
            elif etype == "string_type":
                msg = "expected text"
            elif etype in ("dict_type", "model_type", "model_attributes_type"):
                msg = "expected a mapping of keys"
                shown = f" (got {_kind(value)})"
            elif etype == "list_type":
                msg = "expected a list"
            elif "value_error" in etype:
                shown = ""
            out.append(positioned(raw, "DF203", f"{_field_name(loc)} of {what}: {msg}{shown}",
                                  full))
    for (_code, where), (code, first_path, n) in hidden.items():
        out.append(summary(positioned(raw, code, "", first_path), n, f"in {field_text(where)}"))
    for e in errors:
        if e["type"] != "missing":
            continue
        loc = _clean_loc(e["loc"], obj) or ("value",)
        if loc in consumed:
            continue
        out.append(positioned(raw, "DF201", f"{_where(what, loc[:-1])} lacks required key "
                              f"'{loc[-1]}'", (*path, *loc[:-1]),
                              "see docs/model-format.md for the required keys"))
    return out


_CODE_OF_ERROR = {"extra_forbidden": "DF200", "literal_error": "DF202", "enum": "DF202",
                  "string_pattern_mismatch": "DF204"}


def _in_flow_mapping(raw: RawModel, path: tuple[Any, ...]) -> bool:
    where = raw.position(path)
    if where is None:
        return False
    lines = raw.texts.get(where.file, "").split("\n")
    line = lines[where.line - 1] if 0 < where.line <= len(lines) else ""
    before = line[: where.col - 1]
    return before.count("{") > before.count("}") and before.rstrip().endswith(",")


def _kind(value: Any) -> str:
    return {list: "a list", str: "text", int: "a number", float: "a number",
            bool: "a boolean", type(None): "nothing"}.get(type(value), type(value).__name__)


def _show(value: Any) -> str:
    """repr() for messages, safe for numbers too long to print (Python's digit limit)."""
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 300:
        return f"a number of about {int(value.bit_length() * 0.30103)} digits"
    text = repr(value)
    return text if len(text) <= 200 else text[:200] + "…"


def _clean_loc(loc: Iterable[Any], obj: Any) -> tuple[Any, ...]:
    """The error's path in the input, without pydantic's union-member tags: a part that is a
    key (or index) of the input is kept even when it looks like a tag."""
    out: list[Any] = []
    cur: Any = obj
    for part in loc:
        in_dict = isinstance(cur, dict) and part in cur
        in_list = isinstance(cur, list) and isinstance(part, int) and 0 <= part < len(cur)
        if in_dict or in_list:
            out.append(part)
            cur = cur[part]
        elif _is_union_tag(part):
            continue
        else:
            out.append(part)
            cur = None
    return tuple(out)


def _is_union_tag(part: Any) -> bool:
    return isinstance(part, str) and ("[" in part or part in ("str", "int", "bool", "float",
                                                              "list", "dict", "none"))


def _field_name(loc: Iterable[Any]) -> str:
    parts = [str(p) for p in loc]
    return "'" + ".".join(parts) + "'" if parts else "value"


def _where(what: str, parent: tuple[Any, ...]) -> str:
    return f"{what} ({'.'.join(str(p) for p in parent)})" if parent else what
