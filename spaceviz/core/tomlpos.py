"""Line numbers for keys of a TOML document (tomllib gives values, not positions).

`key_lines(text)` maps key paths such as ("asteroid", 1, "e") to 1-based line numbers;
arrays of tables (`[[asteroid]]`) contribute their index to the path.
"""

from __future__ import annotations

import re
from typing import Any

_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?\s*(#.*)?$")
_KEY = re.compile(r"""^\s*((?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*')(?:\s*\.\s*(?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*'))*)\s*=""")

_INLINE_KEY = re.compile(r"""(?:^|[{,])\s*([A-Za-z0-9_-]+(?:\s*\.\s*[A-Za-z0-9_-]+)*)\s*=""")

Path = tuple[str | int, ...]


def _split_dotted(key: str) -> list[str]:
    parts = re.findall(r"""[A-Za-z0-9_-]+|"[^"]*"|'[^']*'""", key)
    return [p.strip("\"'") for p in parts]


def key_lines(text: str) -> dict[Path, int]:
    """Map each table and key path to the line (1-based) where it is written."""
    lines: dict[Path, int] = {}
    array_counts: dict[Path, int] = {}
    current: Path = ()
    in_multiline = False
    inline_array: Path | None = None  # inside `key = [` ... `]` written over several lines
    inline_count = 0
    for number, raw in enumerate(text.splitlines(), start=1):
        # Skip the inside of multi-line strings: they cannot hold keys.
        triple_quotes = raw.count('"""') + raw.count("'''")
        if in_multiline:
            if triple_quotes % 2 == 1:
                in_multiline = False
            continue
        if inline_array is not None:
            stripped = raw.strip()
            if stripped.startswith("{"):  # one inline table of the array: `{ to = "Mars", ... }`
                item = inline_array + (inline_count,)
                lines.setdefault(item, number)
                for inner in _INLINE_KEY.findall(stripped):
                    lines.setdefault(item + tuple(_split_dotted(inner)), number)
                inline_count += 1
            if stripped.startswith("]"):
                inline_array = None
            continue
        header = _HEADER.match(raw)
        if header and not raw.lstrip().startswith("#"):
            is_array = header.group(1) == "[["
            parts = _split_dotted(header.group(2))
            resolved: list[str | int] = []
            for position, part in enumerate(parts):
                resolved.append(part)
                prefix = tuple(resolved)
                # An enclosing array of tables: descend into its latest element.
                if prefix in array_counts and position < len(parts) - 1:
                    resolved.append(array_counts[prefix] - 1)
            path = tuple(resolved)
            if is_array:
                index = array_counts.get(path, 0)
                array_counts[path] = index + 1
                path = path + (index,)
                lines.setdefault(tuple(resolved), number)
            current = path
            lines[path] = number
            continue
        key = _KEY.match(raw)
        if key:
            path = current + tuple(_split_dotted(key.group(1)))
            lines.setdefault(path, number)
            if triple_quotes % 2 == 1:
                in_multiline = True
            value = raw[key.end():].split("#")[0].strip()
            if value.startswith("[") and value.count("[") > value.count("]"):
                inline_array, inline_count = path, 0
    return lines


def line_of(lines: dict[Path, int], path: Path) -> int:
    """The line of the longest known prefix of `path` (1 when nothing matches)."""
    for length in range(len(path), 0, -1):
        found = lines.get(tuple(path[:length]))
        if found is not None:
            return found
    return 1


def field_text(loc: tuple, data: dict) -> str:
    """`asteroid[Ceres].e` for a key path, naming array items by their `name` when they have one."""
    out = ""
    node: Any = data
    for part in loc:
        if isinstance(part, int):
            label = str(part)
            if isinstance(node, list) and part < len(node):
                item = node[part]
                if isinstance(item, dict) and isinstance(item.get("name"), str) and item["name"].strip():
                    label = item["name"]
                node = item
            out += f"[{label}]"
        else:
            node = node.get(part) if isinstance(node, dict) else None
            out += ("." if out else "") + str(part)
    return out or "(file)"
