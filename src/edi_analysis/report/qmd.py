"""Reading ``report.qmd`` and ``_quarto.yml`` the way Quarto does, for the embedded renderer.

Supports the subset of Quarto the report uses: YAML front matter, project metadata
(``_quarto.yml``, its ``metadata-files``), ``_variables.yml``, and the shortcodes
``include``, ``embed``, ``meta`` and ``var``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

__all__ = [
    "QmdDocument",
    "SHORTCODE",
    "read_document",
    "embed_targets",
    "lookup",
]

#: ``{{< name args >}}`` shortcodes.
SHORTCODE = re.compile(r"\{\{<\s*(?P<name>[\w-]+)\s+(?P<args>[^>]*?)\s*>\}\}")
_FRONT_MATTER = re.compile(r"\A---\s*\n(?P<yaml>.*?)\n---\s*\n", re.DOTALL)


@dataclass
class QmdDocument:
    """A report source with includes expanded and metadata merged."""

    path: Path
    metadata: dict[str, Any]
    variables: dict[str, Any]
    body: str


def _load_yaml(path: Path) -> dict[str, Any]:
    if not path.exists():
        return {}
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if not isinstance(data, dict):
        raise ValueError(f"{path} must hold a YAML mapping.")
    return data


def _merge(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


def _split_front_matter(text: str) -> tuple[dict[str, Any], str]:
    match = _FRONT_MATTER.match(text)
    if not match:
        return {}, text
    return yaml.safe_load(match.group("yaml")) or {}, text[match.end():]


def _expand_includes(text: str, base_dir: Path, depth: int = 0) -> str:
    if depth > 10:
        raise ValueError("Includes nested more than 10 deep (an include cycle?).")

    def replace(match: re.Match[str]) -> str:
        if match.group("name") != "include":
            return match.group(0)
        target = base_dir / match.group("args").strip()
        if not target.exists():
            raise FileNotFoundError(f"Included file not found: {target}")
        _, body = _split_front_matter(target.read_text(encoding="utf-8"))
        return _expand_includes(body, base_dir, depth + 1)

    return SHORTCODE.sub(replace, text)


def read_document(qmd_path: str | Path) -> QmdDocument:
    """Read a ``.qmd`` file with its project metadata, includes expanded.

    Metadata is merged as Quarto does: ``_quarto.yml`` (top level, less ``project`` and
    ``format``), then its ``metadata-files`` in order, then the document's front matter.

    Parameters
    ----------
    qmd_path : str or Path
        The document, e.g. ``build/QK1/2025-26/report.qmd``.

    Returns
    -------
    QmdDocument
    """
    path = Path(qmd_path)
    base = path.parent
    project = _load_yaml(base / "_quarto.yml")
    metadata = {k: v for k, v in project.items() if k not in {"project", "metadata-files"}}
    for extra in project.get("metadata-files", []) or []:
        metadata = _merge(metadata, _load_yaml(base / extra))
    front, body = _split_front_matter(path.read_text(encoding="utf-8"))
    metadata = _merge(metadata, front)
    variables = _load_yaml(base / "_variables.yml")
    return QmdDocument(path, metadata, variables, _expand_includes(body, base))


def lookup(mapping: dict[str, Any], dotted: str) -> Any:
    """Return ``mapping[a][b]`` for the key ``"a.b"``; KeyError naming the key if absent."""
    node: Any = mapping
    for part in dotted.split("."):
        if not isinstance(node, dict) or part not in node:
            raise KeyError(f"No value for {dotted!r}")
        node = node[part]
    return node


def embed_targets(body: str) -> list[tuple[str, str]]:
    """Return ``(notebook_path, label)`` for every ``embed`` shortcode, in document order."""
    targets = []
    for match in SHORTCODE.finditer(body):
        if match.group("name") == "embed":
            ref = match.group("args").split()[0]
            notebook, _, label = ref.partition("#")
            targets.append((notebook, label))
    return targets
