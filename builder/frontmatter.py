"""YAML front matter: split, parse with line numbers, and join.

`load_yaml` returns plain dicts and lists, except that every mapping is a LineDict
(it knows the line of each key) and every list a LineList (the line of each item),
so later stages can report `path:line` for any value.
"""

from __future__ import annotations

from typing import Any

import yaml

from builder.errors import BuildError
from builder.text import normalise_text

FENCE = "---"


class LineDict(dict):
    line: int = 0
    lines: dict

    def line_of(self, key: str, default: int | None = None) -> int:
        return self.lines.get(key, default if default is not None else self.line)


class LineList(list):
    line: int = 0
    lines: list


# Deeper than any front matter or data file needs, and far from Python's recursion limit.
MAX_DEPTH = 64
ALIAS_MESSAGE = ("YAML aliases ({alias}) are not allowed here: write the value out in full "
                 "(an alias can make a small file expand without bound)")


class _Loader(yaml.SafeLoader):
    """The pure-Python loader: every refusal of the fast one, at the exact line."""

    def __init__(self, stream):
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent, index):
        # refused while composing, before anything is built from the alias
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise BuildError(None, event.start_mark.line + 1, ALIAS_MESSAGE.format(alias=f"*{event.anchor}"))
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                mark = self.peek_event().start_mark
                raise BuildError(None, mark.line + 1, f"nested more than {MAX_DEPTH} levels deep")
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


# libyaml's parser (when PyYAML has it) with the same constructors and resolvers: several times
# faster on a big archive. Its error messages differ, so a document it rejects is parsed again
# with the pure-Python loader, which gives the messages users (and tests) see.
_FastLoader = type("_FastLoader", (yaml.CSafeLoader,), {}) if hasattr(yaml, "CSafeLoader") else None


def _alias(node: yaml.Node) -> BuildError:
    # A node met a second time is an alias (the fast loader composes in C, so this is where
    # it shows); the pure-Python loader refused it already, at the alias's own line.
    return BuildError(None, node.start_mark.line + 1, ALIAS_MESSAGE.format(alias="*…"))


def _bad_value(node: yaml.Node, exc: ValueError) -> BuildError:
    # an int of 5,000 digits, an explicit !!timestamp 2023-02-30
    message = "a number of more than 4300 digits" if "integer string conversion" in str(exc) else str(exc)
    return BuildError(None, node.start_mark.line + 1, f"invalid value: {message}")


def _enter(loader, node: yaml.Node) -> int:
    """Count container depth while building (the fast loader composes in C without a limit)."""
    depth = loader.__dict__.get("_nesting", 0) + 1
    if depth > MAX_DEPTH:
        raise BuildError(None, node.start_mark.line + 1, f"nested more than {MAX_DEPTH} levels deep")
    loader._nesting = depth
    return depth


# The two constructors run for every mapping and list of every file a build reads: the checks
# are inline (no call per node), the try blocks cost nothing until something fails.
def _construct_mapping(loader: Any, node: yaml.MappingNode) -> LineDict:
    depth = _enter(loader, node)
    built, building, construct = loader.constructed_objects, loader.recursive_objects, loader.construct_object
    result = LineDict()
    result.line = node.start_mark.line + 1
    result.lines = lines = {}
    for key_node, value_node in node.value:
        if key_node.tag == "tag:yaml.org,2002:merge":
            raise BuildError(None, key_node.start_mark.line + 1, "YAML merge keys (<<) are not allowed here")
        if value_node in built or value_node in building:
            raise _alias(value_node)
        if key_node in built:
            raise _alias(key_node)
        try:
            key = construct(key_node, deep=True)
            value = construct(value_node, deep=True)
        except ValueError as exc:
            raise _bad_value(key_node, exc) from None
        if not isinstance(key, (str, int, float, bool)) and key is not None:
            raise BuildError(None, key_node.start_mark.line + 1, "mapping keys must be plain values")
        if key in result:
            raise BuildError(None, key_node.start_mark.line + 1, f"duplicate key '{key}'")
        result[key] = value
        lines[key] = key_node.start_mark.line + 1
    loader._nesting = depth - 1
    return result


def _construct_sequence(loader: Any, node: yaml.SequenceNode) -> LineList:
    depth = _enter(loader, node)
    built, building, construct = loader.constructed_objects, loader.recursive_objects, loader.construct_object
    result = LineList()
    for child in node.value:
        if child in built or child in building:
            raise _alias(child)
        try:
            result.append(construct(child, deep=True))
        except ValueError as exc:
            raise _bad_value(child, exc) from None
    result.line = node.start_mark.line + 1
    result.lines = [child.start_mark.line + 1 for child in node.value]
    loader._nesting = depth - 1
    return result


_LOADERS: tuple[Any, ...] = (_Loader, _FastLoader) if _FastLoader else (_Loader,)
for _cls in _LOADERS:
    _cls.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
    _cls.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)
    # Dates stay strings: "2023-06-14" must not turn into a datetime.date that dumps differently.
    _cls.yaml_implicit_resolvers = {
        k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:timestamp"]
        for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }


def load_yaml(text: str, path: str, line_offset: int = 0):
    """Parse YAML; every error becomes `path:line: message` (line in the whole file)."""
    # Padding with blank lines makes every mark a line number in the whole file; separators
    # (line breaks to YAML, not to an editor) and control characters out first (builder/text.py).
    text = "\n" * line_offset + normalise_text(text)
    if _FastLoader is not None:
        try:
            return yaml.load(text, Loader=_FastLoader)
        except (yaml.YAMLError, BuildError, RecursionError):
            pass  # parse again below for the pure-Python loader's exact message
    try:
        return yaml.load(text, Loader=_Loader)
    except BuildError as exc:
        raise BuildError(path, exc.problem.line, exc.problem.message) from None
    except RecursionError:
        raise BuildError(path, None, f"invalid YAML: nested more than {MAX_DEPTH} levels deep") from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        if exc.context_mark and str(exc.context).startswith("while scanning a quoted scalar"):
            mark = exc.context_mark  # an unclosed quote: where it opens, not where the text ends
        line = (mark.line + 1) if mark else None
        message = " ".join(str(x) for x in (exc.context, exc.problem) if x) or "invalid YAML"
        raise BuildError(path, line, f"invalid YAML: {message}") from None
    except yaml.YAMLError as exc:
        raise BuildError(path, None, f"invalid YAML: {exc}") from None


def split(text: str, path: str) -> tuple[str, str, int]:
    """Return (yaml_text, body_text, body_first_line). Line numbers are 1-based."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != FENCE:
        raise BuildError(path, 1, "missing front matter: the file must start with a line '---'")
    for index in range(1, len(lines)):
        if lines[index].strip() == FENCE:
            return "\n".join(lines[1:index]), "\n".join(lines[index + 1:]), index + 2
    raise BuildError(path, 1, "front matter is not closed: no second '---' line")


def parse(text: str, path: str) -> tuple[LineDict, str, int]:
    """Split and parse front matter. Returns (metadata, body, body_first_line)."""
    head, body, body_line = split(text, path)
    meta = load_yaml(head, path, line_offset=1)
    if meta is None:
        meta = LineDict()
        meta.line, meta.lines = 2, {}
    if not isinstance(meta, LineDict):
        raise BuildError(path, 2, "front matter must be a YAML mapping (key: value lines)")
    return meta, body, body_line


def dump_yaml(data) -> str:
    """Stable, human-friendly YAML: keys in the given order, real Unicode, no line folding."""
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10_000, default_flow_style=False)


def join(meta: dict, body: str) -> str:
    return f"{FENCE}\n{dump_yaml(meta)}{FENCE}\n\n{body.strip()}\n"
