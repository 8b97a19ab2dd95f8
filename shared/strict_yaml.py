"""YAML for reference data: safe loading that refuses duplicate mapping keys.

PyYAML silently keeps the last of two equal keys; in a catalog, an org tree or a holiday file
that hides a typo. Used by every loader of the project's data files.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

import yaml


class StrictLoader(yaml.SafeLoader):
    """A safe loader that refuses duplicate mapping keys."""


def _construct_mapping(loader: StrictLoader, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(None, None, f"duplicate key {key!r}", key_node.start_mark)
        seen.add(key)
    return loader.construct_mapping(node, deep=deep)


StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def read_yaml(
    path: Path | None, package: str, default_file: str, what: str, error: type[Exception]
) -> tuple[Any, str]:
    """The parsed document and where it came from: ``path``, or the package's shipped default.
    Unreadable or invalid files raise ``error`` with a message naming the file."""
    if path is None:
        text, source = (
            resources.files(package).joinpath(default_file).read_text(encoding="utf-8"),
            default_file,
        )
    else:
        try:
            text, source = path.read_text(encoding="utf-8"), str(path)
        except OSError as exc:
            raise error(f"cannot read {what} file {path}: {exc}") from exc
    try:
        return yaml.load(text, Loader=StrictLoader), source
    except yaml.YAMLError as exc:
        raise error(f"{source}: not valid YAML: {exc}") from exc
