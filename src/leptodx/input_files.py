"""The one path for reading a JSON or YAML input file: any bytes, any size, any nesting.

Used by the CLI's readers (records, follow-up files, FHIR bundles, fitted models, model
specifications, cohort mappings); the CLI wrapper (:mod:`leptodx.cli._app`) catches the rest.

A file that is not UTF-8, larger than :data:`MAX_DOCUMENT_BYTES`, not valid JSON/YAML, nested
deeper than :data:`MAX_DEPTH` levels, or YAML with anchors/aliases (a "billion laughs" file grows
exponentially) becomes one :class:`InputError` naming the file — exit status 2, no traceback.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

from leptodx.errors import InputError

MAX_DOCUMENT_BYTES = 64 * 1024 * 1024
MAX_DEPTH = 100
YAML_SUFFIXES = frozenset({".yaml", ".yml"})


def read_text(path: Path, *, field: str = "FILE", kind: str = "JSON or YAML") -> str:
    """The file's text (UTF-8, a BOM allowed), or an :class:`InputError` naming ``field``."""
    if not path.is_file():
        raise InputError(field, str(path), f"an existing {kind} file")
    size = path.stat().st_size
    if size > MAX_DOCUMENT_BYTES:
        raise InputError(
            field,
            str(path),
            f"a {kind} file of at most {MAX_DOCUMENT_BYTES:,} bytes (it has {size:,})",
        )
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            field, str(path), f"UTF-8 text (byte {exc.start} is 0x{data[exc.start]:02x})"
        ) from None


@functools.cache
def _no_alias_loader() -> Any:
    """Safe YAML loader without anchors and aliases (input records never need them); PyYAML
    is imported with the first YAML file, not at start-up."""
    import yaml

    class NoAliasLoader(yaml.SafeLoader):  # type: ignore[misc]
        def compose_node(self, parent: Any, index: Any) -> Any:
            if self.check_event(yaml.AliasEvent):
                event = self.peek_event()
                raise yaml.composer.ComposerError(
                    None, None, "anchors and aliases are not accepted", event.start_mark
                )
            return super().compose_node(parent, index)

    return NoAliasLoader


def _load_yaml(text: str, field: str, path: Path) -> Any:
    import yaml

    try:
        return yaml.load(text, Loader=_no_alias_loader())
    except yaml.YAMLError as exc:
        raise InputError(field, str(path), f"valid YAML ({str(exc)[:300]})") from None


def within_depth(document: Any) -> bool:
    """True when ``document`` is nested at most :data:`MAX_DEPTH` levels deep."""
    stack: list[tuple[Any, int]] = [(document, 0)]
    while stack:
        value, depth = stack.pop()
        if depth > MAX_DEPTH:
            return False
        if isinstance(value, dict):
            stack.extend((v, depth + 1) for v in value.values())
        elif isinstance(value, list):
            stack.extend((v, depth + 1) for v in value)
    return True


def load_document(
    path: Path, *, field: str = "FILE", kind: str = "JSON or YAML", as_yaml: bool | None = None
) -> Any:
    """A JSON or YAML document (by suffix, unless ``as_yaml``); every failure is one
    :class:`InputError` naming ``field``."""
    text = read_text(path, field=field, kind=kind)
    is_yaml = path.suffix.lower() in YAML_SUFFIXES if as_yaml is None else as_yaml
    try:
        document = _load_yaml(text, field, path) if is_yaml else json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(
            field, str(path), f"valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"
        ) from None
    except (RecursionError, ValueError) as exc:  # deep nesting; numbers beyond Python's limits
        reason = "nested too deeply" if isinstance(exc, RecursionError) else str(exc)[:200]
        raise InputError(field, str(path), f"a readable document ({reason})") from None
    if not within_depth(document):
        raise InputError(field, str(path), f"a document nested at most {MAX_DEPTH} levels deep")
    return document
