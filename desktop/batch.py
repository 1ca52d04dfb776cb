"""Many files at once: a table model of FileResults, a sort/filter proxy, and
the batch screen (progress bar, cancel, summary line)."""

from __future__ import annotations

import os
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.i18n import current_language, tr_functions
from desktop.validation_view import fmt_time, reason_text, who_text
from desktop.verdict_style import verdict_icon, verdict_words
from signing.api import FileStory, file_story, word
from signing.model.labels import Lang
from signing.model.results import EntryKind, FileResult, Verdict

_t, _tn = tr_functions("batch")

_Index = QModelIndex | QPersistentModelIndex

#: the verdict as a sort key (-1 when not done yet)
SORT_ROLE = Qt.ItemDataRole.UserRole + 1


class BatchTableModel(QAbstractTableModel):
    COLUMNS = ("file", "verdict", "signatures", "signer", "time", "notes")

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._paths: list[str] = []
        self._results: dict[str, FileResult] = {}
        #: each result's story, made once (data() asks for it on every repaint)
        self._stories: dict[str, tuple[FileResult, FileStory]] = {}

    def _story(self, result: FileResult) -> FileStory:
        cached = self._stories.get(result.path)
        if cached is None or cached[0] is not result:
            cached = self._stories[result.path] = (result, file_story(result))
        return cached[1]

    # filling
    def set_paths(self, paths: list[str]) -> None:
        self.beginResetModel()
        self._paths = list(paths)
        self._results = {}
        self.endResetModel()

    def add_result(self, result: FileResult) -> None:
        if result.path not in self._results and result.path not in self._paths:
            row = len(self._paths)
            self.beginInsertRows(QModelIndex(), row, row)
            self._paths.append(result.path)
            self._results[result.path] = result
            self.endInsertRows()
            return
        self._results[result.path] = result
        row = self._paths.index(result.path)
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(self.COLUMNS) - 1))

    def result_at(self, row: int) -> FileResult | None:
        return self._results.get(self._paths[row])

    def results(self) -> list[FileResult]:
        return [self._results[p] for p in self._paths if p in self._results]

    def summary(self) -> str:
        done = self.results()
        counts = {v: sum(1 for r in done if r.verdict is v) for v in Verdict}
        parts = [_tn("%n file(s)", len(self._paths))]
        if len(done) < len(self._paths):
            parts.append(_tn("%n checked", len(done)))
        parts += [
            _tn("%n valid", counts[Verdict.VALID]),
            _tn("%n with warnings", counts[Verdict.VALID_WITH_WARNINGS]),
            _tn("%n cannot be confirmed", counts[Verdict.INDETERMINATE]),
            _tn("%n NOT valid", counts[Verdict.INVALID]),
        ]
        # (Japanese lists take 、, not an ASCII comma and a space)
        line = ("、" if current_language() == "ja" else ", ").join(parts)
        # validated as of a chosen time (Settings › Validation): said once, below
        as_of = next((s.as_of for s in map(self._story, done) if s.as_of is not None), None)
        return line if as_of is None else line + "\n" + reason_text(as_of)

    # Qt model API
    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._paths)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        return {
            "file": _t("File"),
            "verdict": _t("Result"),
            "signatures": _t("Signatures"),
            "signer": _t("Signed by"),
            "time": _t("Time"),
            "notes": _t("Notes"),
        }[self.COLUMNS[section]]

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        path = self._paths[index.row()]
        result = self._results.get(path)
        col = self.COLUMNS[index.column()]
        if role == SORT_ROLE:
            if col == "verdict":
                return -1 if result is None else int(result.verdict)
            if col == "signatures":
                return -1 if result is None else result.signature_count
            return str(self.data(index, Qt.ItemDataRole.DisplayRole) or "")
        if role == Qt.ItemDataRole.ToolTipRole and col == "file":
            return path
        if role == Qt.ItemDataRole.DecorationRole and col == "verdict" and result:
            return verdict_icon(result.verdict)
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if col == "file":
            return os.path.basename(path)
        if result is None:
            return _t("Waiting…") if col == "verdict" else ""
        if col == "verdict":
            if result.error is not None:
                return _t("Could not be checked")
            if not result.signatures:
                return _t("Not signed")
            return verdict_words(result.verdict)
        if col == "signatures":
            return str(result.signature_count)
        sigs = [s for s in result.signatures if s.kind is EntryKind.SIGNATURE]
        if col == "signer":
            return "; ".join(who_text(s) for s in sigs)
        story = self._story(result)
        if col == "time":
            # the first signature's time as its card shows it: proven, or
            # the signer's claim marked as such (never the validation time)
            entry = next((e for e in story.entries if e.kind is EntryKind.SIGNATURE), None)
            if entry is None or entry.time.shown is None:
                return ""
            shown = fmt_time(entry.time.shown)
            if entry.time.time is not None:
                return shown
            lang: Lang = "ja" if current_language() == "ja" else "en"
            return f"{shown} ({word('claimed', lang)})"
        if col == "notes":
            # the headline first (the same line as the banner and the CLI)
            notes = [reason_text(story.headline)] + [reason_text(r) for r in story.notes]
            return " / ".join(dict.fromkeys(notes))
        return None


class BatchFilterProxy(QSortFilterProxyModel):
    """Sorts by the model's SORT_ROLE; filters by text and by worst verdict."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.setSortRole(SORT_ROLE)
        self.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setFilterKeyColumn(-1)
        self._verdicts: frozenset[Verdict] | None = None

    def set_verdict_filter(self, verdicts: frozenset[Verdict] | None) -> None:
        self.beginFilterChange()
        self._verdicts = verdicts
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: _Index) -> bool:
        if self._verdicts is not None:
            model = self.sourceModel()
            assert isinstance(model, BatchTableModel)
            result = model.result_at(source_row)
            if result is None or result.verdict not in self._verdicts:
                return False
        return super().filterAcceptsRow(source_row, source_parent)


class BatchView(QWidget):
    cancel_requested = Signal()
    open_result = Signal(object)  # FileResult
    #: "pdf" | "xml" | "json": save one report for the files shown
    export_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("batchView")
        self.model = BatchTableModel(self)
        self.cancelled = False
        self.proxy = BatchFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        layout = QVBoxLayout(self)
        filters = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Filter by name, signer or note"))
        self.search.setAccessibleName(self.tr("Filter"))
        self.search.textChanged.connect(self.proxy.setFilterFixedString)
        filters.addWidget(self.search, 1)
        self.verdict_filter = QComboBox()
        self.verdict_filter.setAccessibleName(self.tr("Show"))
        self.verdict_filter.addItem(self.tr("All files"), None)
        self.verdict_filter.addItem(self.tr("Only problems"), "problems")
        self.verdict_filter.addItem(self.tr("Only valid"), "valid")
        self.verdict_filter.currentIndexChanged.connect(self._verdict_filter_changed)
        filters.addWidget(self.verdict_filter)
        layout.addLayout(filters)
        self.table = QTableView()
        self.table.setObjectName("batchTable")
        self.table.setAccessibleName(self.tr("Validation results"))
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.doubleClicked.connect(self._open)
        self.table.activated.connect(self._open)
        layout.addWidget(self.table, 1)
        bottom = QHBoxLayout()
        self.progress = QProgressBar()
        self.progress.setAccessibleName(self.tr("Progress"))
        bottom.addWidget(self.progress, 1)
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.cancel_button.clicked.connect(self.cancel_requested)
        bottom.addWidget(self.cancel_button)
        layout.addLayout(bottom)
        exports = QHBoxLayout()
        exports.addStretch(1)
        self.export_pdf = QPushButton(self.tr("Save report (PDF)…"))
        self.export_xml = QPushButton(self.tr("Save ETSI report (XML)…"))
        self.export_json = QPushButton(self.tr("Save JSON…"))
        for button, fmt in (
            (self.export_pdf, "pdf"),
            (self.export_xml, "xml"),
            (self.export_json, "json"),
        ):
            button.setToolTip(self.tr("One report for the files shown in the table"))
            button.setEnabled(False)
            button.clicked.connect(lambda _c=False, f=fmt: self.export_requested.emit(f))
            exports.addWidget(button)
        layout.addLayout(exports)
        self.summary = QLabel()
        self.summary.setObjectName("batchSummary")
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.model.rowsInserted.connect(self._update_summary)
        self.model.dataChanged.connect(self._update_summary)
        self.model.modelReset.connect(self._update_summary)

    def shown_results(self) -> list[FileResult]:
        """The results of the rows the table shows (filter and order applied)."""
        out = []
        for row in range(self.proxy.rowCount()):
            source = self.proxy.mapToSource(self.proxy.index(row, 0))
            result = self.model.result_at(source.row())
            if result is not None:
                out.append(result)
        return out

    def _set_exports_enabled(self, on: bool) -> None:
        for button in (self.export_pdf, self.export_xml, self.export_json):
            button.setEnabled(on)

    def start(self, paths: list[str]) -> None:
        self.cancelled = False
        self._set_exports_enabled(False)
        self.model.set_paths(paths)
        self.progress.setRange(0, max(len(paths), 1))
        self.progress.setValue(0)
        self.cancel_button.setEnabled(True)

    def set_progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)

    def finish(self, results: list[FileResult], cancelled: bool = False) -> None:
        self.cancelled = cancelled
        for r in results:
            self.model.add_result(r)
        if not cancelled:
            self.progress.setValue(self.progress.maximum())
        self.cancel_button.setEnabled(False)
        self._set_exports_enabled(bool(self.model.results()))
        self._update_summary()

    def _update_summary(self, *_args: Any) -> None:
        text = self.model.summary()
        if self.cancelled:
            text += " — " + self.tr("cancelled")
        self.summary.setText(text)

    def _verdict_filter_changed(self, _i: int) -> None:
        key = self.verdict_filter.currentData()
        if key == "problems":
            self.proxy.set_verdict_filter(
                frozenset({Verdict.VALID_WITH_WARNINGS, Verdict.INDETERMINATE, Verdict.INVALID})
            )
        elif key == "valid":
            self.proxy.set_verdict_filter(frozenset({Verdict.VALID}))
        else:
            self.proxy.set_verdict_filter(None)

    def _open(self, index: QModelIndex) -> None:
        source = self.proxy.mapToSource(index)
        result = self.model.result_at(source.row())
        if result is not None:
            self.open_result.emit(result)
