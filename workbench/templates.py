"""Framework templates: the element kinds and link kinds of a formulation method.

A template is a human-editable TOML file in ``templates/`` (or a user's own
template folder, see :func:`workbench._paths.user_template_dirs`). It names the
method it follows, the element kinds (with a layer for layout, a colour and a
shape) and the link kinds (with a verb phrase and the element kinds each may
join). Some element kinds may carry a code from a code set, such as the CCRT
standard categories.

Example
-------
>>> from workbench.templates import get_template
>>> t = get_template("psychodynamic")
>>> t.element_kind("defense").name
'Defense'
"""

from __future__ import annotations

import tomllib
import warnings
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from workbench._paths import builtin_templates_dir, user_template_dirs
from workbench.errors import (
    BrokenTemplateWarning,
    LinkNotAllowed,
    TemplateError,
    TemplateNotFound,
    UnknownKind,
)

__all__ = [
    "DEFAULT_TEMPLATE",
    "SHAPES",
    "Code",
    "CodeSet",
    "ElementKind",
    "LinkKind",
    "Template",
    "get_template",
    "load_template",
    "templates",
]

#: The template used when none is named.
DEFAULT_TEMPLATE = "psychodynamic"

#: vis-network node shapes that a template may use (labels drawn inside or below).
SHAPES = (
    "box",
    "ellipse",
    "circle",
    "database",
    "text",
    "diamond",
    "dot",
    "star",
    "triangle",
    "triangleDown",
    "hexagon",
    "square",
)

_WILDCARD = "*"


@dataclass(frozen=True)
class Code:
    """One category of a code set, e.g. a CCRT standard category."""

    id: str
    name: str
    cluster: str | None = None
    description: str = ""


@dataclass(frozen=True)
class CodeSet:
    """A list of categories that elements of a kind may be coded with."""

    id: str
    name: str
    source: str = ""
    clusters: dict[str, str] = field(default_factory=dict)
    codes: dict[str, Code] = field(default_factory=dict)

    def cluster_of(self, code: str) -> str | None:
        """Return the cluster id of ``code`` (``None`` when it has none)."""
        found = self.codes.get(code)
        return found.cluster if found else (code if code in self.clusters else None)

    def accepts(self, code: str) -> bool:
        """Return whether ``code`` is a category or a cluster of this set."""
        return code in self.codes or code in self.clusters


@dataclass(frozen=True)
class ElementKind:
    """A kind of element: an early experience, a wish, a defense, ..."""

    id: str
    name: str
    description: str = ""
    layer: int = 0
    color: str = "#999999"
    shape: str = "ellipse"
    code_set: str | None = None


@dataclass(frozen=True)
class LinkKind:
    """A kind of link, with its verb phrase and the element kinds it may join."""

    id: str
    name: str
    verb: str
    description: str = ""
    sign: int = 1
    allow: tuple[tuple[frozenset[str], frozenset[str]], ...] = ()
    dashes: bool = False

    def allows(self, source_kind: str, target_kind: str) -> bool:
        """Return whether this link kind may go from ``source_kind`` to ``target_kind``."""
        for sources, targets in self.allow:
            if (_WILDCARD in sources or source_kind in sources) and (
                _WILDCARD in targets or target_kind in targets
            ):
                return True
        return False


@dataclass(frozen=True)
class Template:
    """A formulation method's vocabulary of element kinds and link kinds."""

    id: str
    name: str
    description: str
    method: str
    references: tuple[str, ...]
    layers: tuple[str, ...]
    element_kinds: dict[str, ElementKind]
    link_kinds: dict[str, LinkKind]
    code_sets: dict[str, CodeSet] = field(default_factory=dict)
    path: str | None = None
    #: The template file's own version (1 when it does not say). A new version may add kinds
    #: and links; files made with an older version still load (see docs/templates.md).
    version: int = 1
    #: What the analyses need to know about the kinds (the file's ``[analysis]`` table; see
    #: :mod:`workbench.analysis.roles`): which kinds are roots, drives, symptoms, ...
    analysis: dict[str, Any] = field(default_factory=dict)

    def element_kind(self, kind: str) -> ElementKind:
        """Return the element kind ``kind`` or raise :class:`UnknownKind`."""
        try:
            return self.element_kinds[kind]
        except KeyError:
            raise UnknownKind(
                f"{kind!r} is not an element kind of template {self.id!r}; "
                f"kinds are: {', '.join(self.element_kinds)}."
            ) from None

    def link_kind(self, kind: str) -> LinkKind:
        """Return the link kind ``kind`` or raise :class:`UnknownKind`."""
        try:
            return self.link_kinds[kind]
        except KeyError:
            raise UnknownKind(
                f"{kind!r} is not a link kind of template {self.id!r}; "
                f"kinds are: {', '.join(self.link_kinds)}."
            ) from None

    def allowed_link_kinds(self, source_kind: str, target_kind: str) -> list[LinkKind]:
        """Return the link kinds allowed from ``source_kind`` to ``target_kind``."""
        return [lk for lk in self.link_kinds.values() if lk.allows(source_kind, target_kind)]

    def check_link(self, kind: str, source_kind: str, target_kind: str) -> LinkKind:
        """Return link kind ``kind`` if it may join these element kinds, else raise."""
        link_kind = self.link_kind(kind)
        if not link_kind.allows(source_kind, target_kind):
            allowed = [lk.id for lk in self.allowed_link_kinds(source_kind, target_kind)]
            hint = f"allowed here: {', '.join(allowed)}." if allowed else "no link kind is allowed here."
            raise LinkNotAllowed(
                f"A {kind!r} link cannot go from {source_kind!r} to {target_kind!r} "
                f"in template {self.id!r}; {hint}"
            )
        return link_kind

    def code_set_for(self, kind: str) -> CodeSet | None:
        """Return the code set that elements of ``kind`` may be coded with, if any."""
        set_id = self.element_kind(kind).code_set
        return self.code_sets.get(set_id) if set_id else None

    def layer_name(self, layer: int) -> str:
        """Return the display name of ``layer`` (its number when it has none)."""
        return self.layers[layer] if 0 <= layer < len(self.layers) else f"Layer {layer}"


def templates() -> dict[str, Template]:
    """Return every installed template by id: the built-in ones, then the user's.

    A user's template with the id of a built-in one replaces it. A template file that
    cannot be read is skipped with a :class:`~workbench.errors.BrokenTemplateWarning`
    naming it (see :func:`get_template` for cases that use it).

    >>> sorted(templates())[:3]
    ['ccrt', 'cmp', 'five_ps']
    """
    return dict(_all_templates(_search_key()).found)


def get_template(template_id: str) -> Template:
    """Return the installed template ``template_id`` or raise :class:`TemplateNotFound`.

    If it is not installed but a template file that cannot be read is named after it
    (``<template_id>.toml``), the :class:`TemplateError` says what is wrong with that file.
    """
    installed = _all_templates(_search_key())
    found = installed.found
    if template_id not in found:
        broken = installed.broken.get(template_id)
        if broken is not None:
            raise TemplateError(f"The template {template_id!r} cannot be used: {broken}")
        unread = "".join(f" {message}" for message in installed.broken.values())
        raise TemplateNotFound(
            f"There is no template {template_id!r}; installed templates are: {', '.join(sorted(found))}."
            + unread
        )
    return found[template_id]


def load_template(path: str | Path) -> Template:
    """Read one template file and check that it is consistent."""
    path = Path(path)
    try:
        with path.open("rb") as fh:
            data = tomllib.load(fh)
    except OSError as exc:
        raise TemplateError(f"Cannot read template file {path}: {exc.strerror}.") from None
    except tomllib.TOMLDecodeError as exc:
        raise TemplateError(f"Template file {path} is not valid TOML: {exc}.") from None
    try:
        return _template_from_data(data, str(path))
    except (AttributeError, KeyError, TypeError, ValueError) as exc:
        raise TemplateError(
            f"Template file {path} does not have the expected layout "
            f"({type(exc).__name__}: {exc}); compare it with templates/psychodynamic.toml."
        ) from None


# --- helpers -------------------------------------------------------------------


def _search_key() -> tuple[tuple[str, tuple[tuple[str, int, int], ...]], ...]:
    """Folders with the name, modification time and size of each template file in them, so the
    cache notices new, removed and edited files."""
    dirs = [builtin_templates_dir(), *user_template_dirs()]
    return tuple((str(d), _files_key(d)) for d in dirs)


def _files_key(folder: Path) -> tuple[tuple[str, int, int], ...]:
    key = []
    for path in sorted(folder.glob("*.toml")):
        try:
            info = path.stat()
        except OSError:  # removed meanwhile: the next key will not have it
            continue
        key.append((path.name, info.st_mtime_ns, info.st_size))
    return tuple(key)


@dataclass(frozen=True)
class _Installed:
    """The templates that were read, by id, and the messages of files that could not be, by stem."""

    found: dict[str, Template]
    broken: dict[str, str]


@lru_cache(maxsize=8)
def _all_templates(search_key: tuple[tuple[str, tuple[tuple[str, int, int], ...]], ...]) -> _Installed:
    """Read every template file (once per state of the folders); warn about and skip broken ones.

    The built-in templates must read (a broken one is a broken installation); a user's broken
    file is skipped, so that one half-edited template does not lock every case out."""
    found: dict[str, Template] = {}
    broken: dict[str, str] = {}
    builtin = str(builtin_templates_dir())
    for folder, files in search_key:
        for name, _mtime, _size in files:
            path = Path(folder) / name
            try:
                template = load_template(path)
            except TemplateError as exc:
                if folder == builtin:
                    raise
                broken.setdefault(path.stem, str(exc))
                warnings.warn(
                    BrokenTemplateWarning(f"{exc} It is skipped until it is fixed.", path=str(path)),
                    stacklevel=4,
                )
                continue
            found[template.id] = template
    return _Installed(found, broken)


def _template_from_data(data: dict[str, Any], where: str) -> Template:
    def need(mapping: dict[str, Any], key: str, what: str) -> Any:
        if key not in mapping:
            raise TemplateError(f"Template file {where}: {what} has no {key!r}.")
        return mapping[key]

    template_id = str(need(data, "id", "the template"))
    code_sets = {}
    for raw in data.get("code_sets", []):
        cs_id = str(need(raw, "id", "a code set"))
        codes = {
            str(c["id"]): Code(
                id=str(c["id"]),
                name=str(c.get("name", c["id"])),
                cluster=c.get("cluster"),
                description=str(c.get("description", "")),
            )
            for c in raw.get("codes", [])
        }
        clusters = {str(c["id"]): str(c.get("name", c["id"])) for c in raw.get("clusters", [])}
        stray = sorted({str(c.cluster) for c in codes.values() if c.cluster is not None} - set(clusters))
        if stray:
            raise TemplateError(
                f"Template file {where}: code set {cs_id!r} names unknown clusters: {', '.join(stray)}."
            )
        code_sets[cs_id] = CodeSet(
            id=cs_id,
            name=str(raw.get("name", cs_id)),
            source=str(raw.get("source", "")),
            clusters=clusters,
            codes=codes,
        )

    element_kinds: dict[str, ElementKind] = {}
    for raw in need(data, "element_kinds", "the template"):
        kind_id = str(need(raw, "id", "an element kind"))
        if kind_id in element_kinds:
            raise TemplateError(f"Template file {where}: element kind {kind_id!r} appears twice.")
        shape = str(raw.get("shape", "ellipse"))
        if shape not in SHAPES:
            raise TemplateError(
                f"Template file {where}: element kind {kind_id!r} has shape {shape!r}; "
                f"shapes are: {', '.join(SHAPES)}."
            )
        code_set = raw.get("code_set")
        if code_set is not None and code_set not in code_sets:
            raise TemplateError(
                f"Template file {where}: element kind {kind_id!r} uses unknown code set {code_set!r}."
            )
        element_kinds[kind_id] = ElementKind(
            id=kind_id,
            name=str(raw.get("name", kind_id)),
            description=str(raw.get("description", "")),
            layer=int(raw.get("layer", 0)),
            color=str(raw.get("color", "#999999")),
            shape=shape,
            code_set=code_set,
        )

    link_kinds: dict[str, LinkKind] = {}
    for raw in need(data, "link_kinds", "the template"):
        kind_id = str(need(raw, "id", "a link kind"))
        if kind_id in link_kinds:
            raise TemplateError(f"Template file {where}: link kind {kind_id!r} appears twice.")
        rules = []
        for rule in need(raw, "allow", f"link kind {kind_id!r}"):
            sources = frozenset(str(k) for k in need(rule, "from", f"a rule of link kind {kind_id!r}"))
            targets = frozenset(str(k) for k in need(rule, "to", f"a rule of link kind {kind_id!r}"))
            unknown = (sources | targets) - set(element_kinds) - {_WILDCARD}
            if unknown:
                raise TemplateError(
                    f"Template file {where}: link kind {kind_id!r} names unknown element "
                    f"kinds: {', '.join(sorted(unknown))}."
                )
            rules.append((sources, targets))
        sign = int(raw.get("sign", 1))
        if sign not in (1, -1):
            raise TemplateError(f"Template file {where}: link kind {kind_id!r} has sign {sign}; use 1 or -1.")
        verb = str(raw.get("verb", kind_id.replace("_", " ")))
        link_kinds[kind_id] = LinkKind(
            id=kind_id,
            name=str(raw.get("name", verb)),
            verb=verb,
            description=str(raw.get("description", "")),
            sign=sign,
            allow=tuple(rules),
            dashes=bool(raw.get("dashes", False)),
        )

    return Template(
        id=template_id,
        name=str(data.get("name", template_id)),
        description=str(data.get("description", "")),
        method=str(data.get("method", "")),
        references=tuple(str(r) for r in data.get("references", [])),
        layers=tuple(str(layer) for layer in data.get("layers", [])),
        element_kinds=element_kinds,
        link_kinds=link_kinds,
        code_sets=code_sets,
        path=where,
        version=_version(data.get("version", 1), where),
        analysis=_analysis_table(data.get("analysis", {}), where),
    )


def _version(raw: Any, where: str) -> int:
    """The template's version: a whole number from 1."""
    if isinstance(raw, bool) or not isinstance(raw, int) or raw < 1:
        raise TemplateError(f"Template file {where}: 'version' must be a whole number from 1, not {raw!r}.")
    return raw


def _analysis_table(raw: Any, where: str) -> dict[str, Any]:
    """The ``[analysis]`` table as it is; its meaning is checked by the analyses that read it."""
    if not isinstance(raw, dict):
        raise TemplateError(f"Template file {where}: 'analysis' must be a table of settings.")
    return dict(raw)
