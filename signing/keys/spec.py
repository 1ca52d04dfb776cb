"""Key sources from one string, as given on the command line or in settings:
``p12:PATH``, ``pkcs11:...`` or ``csc:...``."""

from __future__ import annotations

import importlib
from collections.abc import Set
from pathlib import Path
from typing import cast

from signing.errors import KeyError_, KeyFileError
from signing.keys.base import KeySource

SCHEMES = ("p12", "pkcs11", "csc")


def key_source_from_spec(spec: str) -> KeySource:
    """Parse ``SCHEME:REST`` into a :class:`KeySource`.

    A bare path ending in ``.p12`` or ``.pfx`` is taken as ``p12:PATH``.
    """
    scheme, sep, rest = spec.partition(":")
    if not sep or scheme not in SCHEMES:
        if spec.lower().endswith((".p12", ".pfx")):
            scheme, rest = "p12", spec
        else:
            raise KeyFileError(
                f"Unknown key {spec!r}: use p12:PATH, pkcs11:... or csc:... .",
                ja=f"鍵の指定{spec!r}を解釈できません。p12:PATH、pkcs11:…、csc:…のいずれかを"
                "使ってください。",
            )
    if not rest:
        raise KeyFileError(
            f"The key {spec!r} names no file, token or service.",
            ja=f"鍵の指定{spec!r}にはファイル、トークン、サービスのいずれも含まれていません。",
        )
    if scheme == "p12":
        from signing.keys.pkcs12 import Pkcs12KeySource

        return Pkcs12KeySource(Path(rest).expanduser())
    module_name = f"{__package__}.{scheme}"
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name != module_name:
            raise
        raise KeyFileError(
            f"{scheme} keys are not available in this build of Shomei.",
            ja=f"このShomeiでは{scheme}の鍵を使用できません。",
        ) from None
    return cast(KeySource, module.from_spec(rest))


def parse_attributes(
    rest: str, scheme: str, what: str, known: Set[str], *, repeats: bool = False
) -> dict[str, str]:
    """The ``name=value;...`` text after ``scheme:`` (the prefix is optional) as a
    dict, values still percent-encoded.

    ``what`` names the spec in errors ("CSC", "PKCS#11"). A part that is not
    ``name=value``, an unknown name and, unless ``repeats`` (then the last one
    wins), a name given twice raise :class:`KeyError_`.
    """
    rest = rest.strip().removeprefix(f"{scheme}:")
    attrs: dict[str, str] = {}
    for part in filter(None, (p.strip() for p in rest.split(";"))):
        name, sep, value = part.partition("=")
        name = name.strip().lower()
        if not sep or not value:
            raise KeyError_(
                f"{what} key spec: '{part}' is not name=value.",
                ja=f"{what}の鍵の指定：「{part}」がname=valueの形ではありません。",
            )
        if name not in known:
            raise KeyError_(
                f"{what} key spec: unknown attribute '{name}' (known: {', '.join(sorted(known))}).",
                ja=f"{what}の鍵の指定：不明な属性「{name}」です"
                f"（使える属性: {'、'.join(sorted(known))}）。",
            )
        if name in attrs and not repeats:
            raise KeyError_(
                f"{what} key spec: '{name}' is given twice.",
                ja=f"{what}の鍵の指定：「{name}」が二度指定されています。",
            )
        attrs[name] = value
    return attrs
