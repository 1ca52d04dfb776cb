"""Update the Qt Linguist files from desktop/'s source, keeping translations.

pyside6-lupdate does not see the module-level helpers (``_t``/``_tn`` from
``desktop.i18n.tr_functions``), so the strings are collected here with
``ast``: ``self.tr("...")`` (context: the enclosing class, as PySide6 uses
it) and ``_t("...")`` / ``_tn("...", n)`` (context: the name given to
``tr_functions``). Run after changing user-visible strings:

    .venv/bin/python resources/translations/extract.py

then translate the ``type="unfinished"`` entries (Qt Linguist or an editor).
``packaging/setup.sh`` compiles the .ts files into .qm.
"""

from __future__ import annotations

import ast
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

HERE = Path(__file__).resolve().parent
SOURCE = HERE.parent.parent / "desktop"
LANGS = {"ja": "ja_JP"}

Message = tuple[str, str, bool]  # context, source, plural


def _str(node: ast.AST) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def _module_context(tree: ast.Module) -> str | None:
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Assign)
            and isinstance(node.value, ast.Call)
            and isinstance(node.value.func, ast.Name)
            and node.value.func.id == "tr_functions"
            and node.value.args
        ):
            return _str(node.value.args[0])
    return None


def collect(path: Path) -> list[tuple[Message, int]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    module_ctx = _module_context(tree)
    found: list[tuple[Message, int]] = []

    def visit(node: ast.AST, cls: str | None) -> None:
        if isinstance(node, ast.ClassDef):
            cls = node.name
        if isinstance(node, ast.Call) and node.args:
            text = _str(node.args[0])
            func = node.func
            if text is not None:
                if (
                    isinstance(func, ast.Attribute)
                    and func.attr == "tr"
                    and isinstance(func.value, ast.Name)
                    and func.value.id == "self"
                    and cls
                ):
                    found.append(((cls, text, len(node.args) >= 3), node.lineno))
                elif isinstance(func, ast.Name) and func.id in ("_t", "_tn") and module_ctx:
                    found.append(((module_ctx, text, func.id == "_tn"), node.lineno))
        for child in ast.iter_child_nodes(node):
            visit(child, cls)

    visit(tree, None)
    return found


def existing(ts: Path) -> dict[tuple[str, str], list[str]]:
    if not ts.exists():
        return {}
    out: dict[tuple[str, str], list[str]] = {}
    for ctx in ET.parse(ts).getroot().iter("context"):
        name = ctx.findtext("name") or ""
        for msg in ctx.iter("message"):
            tr = msg.find("translation")
            if tr is None or tr.get("type") in ("unfinished", "vanished", "obsolete"):
                continue
            forms = [f.text or "" for f in tr.iter("numerusform")] or [tr.text or ""]
            out[(name, msg.findtext("source") or "")] = forms
    return out


def write(ts: Path, lang: str, messages: dict[Message, list[tuple[str, int]]]) -> int:
    old = existing(ts)
    root = ET.Element("TS", version="2.1", language=lang)
    by_ctx: dict[str, list[Message]] = {}
    for msg in messages:
        by_ctx.setdefault(msg[0], []).append(msg)
    missing = 0
    for ctx_name in sorted(by_ctx):
        ctx = ET.SubElement(root, "context")
        ET.SubElement(ctx, "name").text = ctx_name
        for msg in by_ctx[ctx_name]:
            _, source, plural = msg
            el = ET.SubElement(ctx, "message")
            if plural:
                el.set("numerus", "yes")
            for file, line in messages[msg][:1]:
                ET.SubElement(el, "location", filename=file, line=str(line))
            ET.SubElement(el, "source").text = source
            tr = ET.SubElement(el, "translation")
            forms = old.get((ctx_name, source))
            if not forms:
                tr.set("type", "unfinished")
                missing += 1
                forms = [""]
            if plural:
                ET.SubElement(tr, "numerusform").text = forms[0]
            else:
                tr.text = forms[0]
    ET.indent(root)
    body = ET.tostring(root, encoding="unicode")
    ts.write_text(
        '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n' + body + "\n", encoding="utf-8"
    )
    return missing


def main() -> int:
    messages: dict[Message, list[tuple[str, int]]] = {}
    for path in sorted(SOURCE.glob("*.py")):
        for msg, line in collect(path):
            rel = "../../desktop/" + path.name
            messages.setdefault(msg, []).append((rel, line))
    status = 0
    for short, lang in LANGS.items():
        ts = HERE / f"shomei_{short}.ts"
        missing = write(ts, lang, messages)
        print(f"{ts.name}: {len(messages)} messages, {missing} untranslated")
        status = status or (1 if missing else 0)
    return status


if __name__ == "__main__":
    sys.exit(main())
