"""The prologue of the subprocess scripts that prove a path works where
PySide6 cannot load: an import hook refusing PySide6, shiboken6 and the
desktop package."""

WITHOUT_QT = """
import sys
class Block:
    def find_spec(self, name, path=None, target=None):
        if name.split('.')[0] in ('PySide6', 'shiboken6', 'desktop'):
            raise ImportError('blocked: ' + name)
        return None
sys.meta_path.insert(0, Block())
"""
