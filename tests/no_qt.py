"""The prologue of the subprocess scripts that prove a path works where
PySide6 cannot load: an import hook refusing the named top-level packages."""


def blocking(*packages: str) -> str:
    """A script prologue that makes importing any of ``packages`` fail."""
    return f"""
import sys
class Block:
    def find_spec(self, name, path=None, target=None):
        if name.split('.')[0] in {packages!r}:
            raise ImportError('blocked: ' + name)
        return None
sys.meta_path.insert(0, Block())
"""


#: Qt refused: the command line (desktop.launcher, then signing.cli) must run
WITHOUT_QT = blocking("PySide6", "shiboken6")
#: Qt and the GUI package refused: the core must import without either
WITHOUT_QT_OR_DESKTOP = blocking("PySide6", "shiboken6", "desktop")
