"""The main window: a stack of screens (home, validation, batch, sign) and the
menus. Screens are built when first needed so the first paint stays fast
(the sign screen pulls in QtPdf). Qt classes only the about box and the log
folder use are imported there: PySide builds each class and its enums on
first use."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import replace
from types import ModuleType
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QDragEnterEvent, QDropEvent, QKeySequence
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QMainWindow,
    QMenu,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.errors_ui import log_dir, show_error
from desktop.home import HomeView
from desktop.i18n import current_language
from desktop.settings import AppSettings, SettingsStore, with_recent
from desktop.trust_chip import TrustChip
from desktop.workers import Op, OpContext, cancel_all, running_ops, work_in_progress

if TYPE_CHECKING:
    from desktop.batch import BatchView
    from desktop.core_adapter import TrustChipState
    from desktop.validation_view import ValidationView
    from signing.api import FileResult, SignatureResult, TrustListState

PDF_FILTER = "PDF (*.pdf)"


def _core() -> ModuleType:
    """The adapter, imported on first use (not needed for the first paint)."""
    from desktop import core_adapter

    return core_adapter


class MainWindow(QMainWindow):
    #: emitted after the settings were saved (the app applies the language)
    settings_changed = Signal(object)
    #: emitted when a single file's validation is shown (tests wait on it)
    result_shown = Signal(object)
    batch_finished = Signal(list)
    #: a single unsigned PDF was opened: the sign screen shows it
    unsigned_opened = Signal(str)
    report_saved = Signal(str)

    def __init__(self, store: SettingsStore, settings: AppSettings) -> None:
        super().__init__()
        self.setObjectName("mainWindow")
        self.store = store
        self.settings = settings
        self.current_path: str | None = None
        #: counts single-file validations: only the latest may show its result
        self._checks = 0
        #: counts batches: only the latest fills the table
        self._batches = 0
        self.batch_op: Op[list[FileResult]] | None = None
        self.settings_dialog: QWidget | None = None
        self.certificate_dialog: QWidget | None = None
        #: the trusted lists' state the chips show (None: not known yet)
        self.trust_state: TrustChipState | None = None
        self._trust_updating = False
        #: counts chip fills: only the latest may show its state
        self._chip_fills = 0
        #: "Cancel it and quit" was chosen: the window closes once the work stopped
        self.quitting = False
        self._quit_poll: QTimer | None = None
        self._quit_box: QWidget | None = None
        self.resize(980, 700)
        self.setAcceptDrops(True)  # on every screen, not only home's drop zone
        self._build()
        # File › Recent: what was validated, opened for signing or signed
        self.result_shown.connect(lambda result: self.add_recent(result.path))
        self.unsigned_opened.connect(self.add_recent)

    # --- construction (again after a language change) -----------------------
    def _build(self) -> None:
        self.setWindowTitle(self.tr("Shomei"))
        central = QWidget()
        column = QVBoxLayout(central)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        # Back and Home above the verdict and batch screens (home needs none;
        # the sign screen has its own Back beside Sign).
        self.nav_bar = QWidget()
        self.nav_bar.setObjectName("navBar")
        nav = QHBoxLayout(self.nav_bar)
        nav.setContentsMargins(9, 6, 9, 0)
        self.back_button = QPushButton(self.tr("← Back"))
        self.back_button.setObjectName("backButton")
        self.back_button.clicked.connect(self.go_back)
        self.home_button = QPushButton(self.tr("Home"))
        self.home_button.setObjectName("homeButton")
        self.home_button.clicked.connect(self.show_home)
        nav.addWidget(self.back_button)
        nav.addWidget(self.home_button)
        nav.addStretch(1)
        self.nav_bar.setVisible(False)
        column.addWidget(self.nav_bar)
        self.stack = QStackedWidget()
        column.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        #: the screens to go back to, most recent last
        self._history: list[QWidget] = []
        self.home = HomeView()
        self.stack.addWidget(self.home)
        self.stack.currentChanged.connect(self._screen_changed)
        self._validation: ValidationView | None = None
        self._batch: BatchView | None = None
        self._sign: QWidget | None = None
        self.home.open_clicked.connect(self.choose_and_open)
        self.home.validate_clicked.connect(self.choose_and_validate)
        self.home.sign_clicked.connect(lambda: self.start_sign(seal=False))
        self.home.seal_clicked.connect(lambda: self.start_sign(seal=True))
        self.home.drop_zone.dropped.connect(self.open_paths)
        self.home.trust_chip.update_clicked.connect(self.update_trust_lists)
        self._build_menus()
        if self._trust_updating:  # (rebuilt after a language change)
            self.home.trust_chip.set_busy()
        elif self.trust_state is not None:
            self.home.trust_chip.set_state(self.trust_state)

    def _build_menus(self) -> None:
        bar = self.menuBar()
        bar.clear()
        for old in getattr(self, "_actions", ()):
            old.deleteLater()
        self._actions: list[QAction] = []
        file_menu = bar.addMenu(self.tr("&File"))
        self._action(
            file_menu, self.tr("&Open…"), self.choose_and_open, QKeySequence.StandardKey.Open
        )
        self._action(file_menu, self.tr("&Sign…"), lambda: self.start_sign(seal=False), "Ctrl+S")
        self._action(file_menu, self.tr("S&eal…"), lambda: self.start_sign(seal=True), "Ctrl+E")
        self.recent_menu = QMenu(self.tr("Open &Recent"), file_menu)
        self.recent_menu.setObjectName("recentMenu")
        self.recent_menu.setToolTipsVisible(True)
        # filled when opened: files come and go, and looking at them (a network
        # drive) must not delay the first paint
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        file_menu.addMenu(self.recent_menu)
        file_menu.addSeparator()
        self._action(
            file_menu,
            self.tr("Se&ttings…"),
            self.open_settings,
            QKeySequence.StandardKey.Preferences,
        )
        file_menu.addSeparator()
        self._action(file_menu, self.tr("&Quit"), self.close, QKeySequence.StandardKey.Quit)
        view_menu = bar.addMenu(self.tr("&View"))
        self._action(view_menu, self.tr("&Back"), self.go_back, "Alt+Left")
        self._action(view_menu, self.tr("&Home"), self.show_home, "Ctrl+H")
        help_menu = bar.addMenu(self.tr("&Help"))
        self._action(help_menu, self.tr("Show the &log folder"), self._open_logs)
        self._action(help_menu, self.tr("&About Shomei"), self._about)

    def _action(
        self,
        menu: object,
        text: str,
        slot: Callable[[], object],
        shortcut: QKeySequence.StandardKey | str | None = None,
    ) -> QAction:
        # QAction(text, parent) and setShortcut() would build PySide's QIcon
        # and Qt namespace enums while resolving their overloads (see
        # desktop.home); these overloads do not.
        action = QAction(self)
        action.setText(text)
        if shortcut is not None:
            action.setShortcuts([QKeySequence(shortcut)])
        action.triggered.connect(lambda _checked=False: slot())
        menu.addAction(action)  # type: ignore[attr-defined]
        self._actions.append(action)
        return action

    # --- File › Recent -----------------------------------------------------
    def add_recent(self, path: str) -> None:
        """Put ``path`` first in File › Recent (saved at once, so a crash
        keeps it); the rest of the settings are left as they are."""
        recent = with_recent(self.settings.recent_files, os.path.abspath(path))
        if recent != self.settings.recent_files:
            self.settings = replace(self.settings, recent_files=recent)
            self.store.save(self.settings)
            self._fill_recent_menu()

    def clear_recent(self) -> None:
        self.settings = replace(self.settings, recent_files=())
        self.store.save(self.settings)
        self._fill_recent_menu()

    def _fill_recent_menu(self) -> None:
        """One entry per file, the latest first; a file that is gone is shown
        greyed out with "(missing)" (it may be on a drive not mounted now)."""
        menu = self.recent_menu
        for action in menu.actions():
            menu.removeAction(action)
            action.deleteLater()
        for n, path in enumerate(self.settings.recent_files, start=1):
            name = os.path.basename(path).replace("&", "&&")
            text = f"&{n % 10} {name}"
            if not os.path.isfile(path):
                text = self.tr("%1 (missing)").replace("%1", text)
            action = QAction(menu)
            action.setText(text)
            action.setToolTip(path)
            action.setData(path)
            action.setEnabled(os.path.isfile(path))
            action.triggered.connect(lambda _checked=False, p=path: self.open_recent(p))
            menu.addAction(action)
        if self.settings.recent_files:
            menu.addSeparator()
        clear = QAction(menu)
        clear.setText(self.tr("&Clear the list"))
        clear.setObjectName("clearRecent")
        clear.setEnabled(bool(self.settings.recent_files))
        clear.triggered.connect(lambda _checked=False: self.clear_recent())
        menu.addAction(clear)

    def open_recent(self, path: str) -> None:
        """As if ``path`` were dropped (a file gone since is said so)."""
        if not os.path.isfile(path):
            self.statusBar().showMessage(
                self.tr("%1 is no longer there.").replace("%1", path), 8000
            )
            self._fill_recent_menu()
            return
        self.open_paths([path])

    def retranslate(self) -> None:
        """Rebuild the screens in the language now installed (a running batch
        is stopped: its table goes; late single-file answers are dropped)."""
        if self.batch_op is not None:
            self.batch_op.cancel()
        self._batches += 1
        self._checks += 1
        result = self._validation.result if self._validation else None
        signing = self._sign if self._sign is not None and self._sign.busy() else None  # type: ignore[attr-defined]
        old = self.stack
        if signing is not None:
            old.removeWidget(signing)  # (it is signing: kept, its result still to show)
        self._build()
        old.deleteLater()
        if signing is not None:
            self._sign = signing
            self.stack.addWidget(signing)
            self.stack.setCurrentWidget(signing)
        elif result is not None:
            self.show_result(result)

    # --- screens ------------------------------------------------------------
    @property
    def validation_view(self) -> ValidationView:
        if self._validation is None:
            from desktop.validation_view import ValidationView

            self._validation = ValidationView()
            self._validation.export_requested.connect(self.export_report)
            self._validation.sign_requested.connect(lambda p: self.open_sign_view(p, seal=False))
            self._validation.update_trust_requested.connect(self.update_trust_lists)
            self._validation.certificate_requested.connect(self.show_certificate)
            self._validation.trust_chip.update_clicked.connect(self.update_trust_lists)
            self._validation.trust_chip.set_state(self.trust_state)
            if self._trust_updating:
                self._validation.trust_chip.set_busy()
            self.stack.addWidget(self._validation)
        return self._validation

    def show_certificate(self, sig: SignatureResult, which: str) -> QWidget:
        """The certificate viewer for ``sig``'s signer or TSA (#18)."""
        from PySide6.QtCore import Qt

        from desktop.certificate_dialog import CertificateDialog

        result = self.validation_view.result
        dialog = CertificateDialog(
            sig,
            which,
            validation_time=result.validation_time if result is not None else None,
            trust_certificate=self.trust_certificate,
            parent=self,
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.certificate_dialog = dialog
        dialog.open()
        return dialog

    def trust_certificate(self, der: bytes) -> None:
        """Add ``der`` to the user's trust anchors (a PEM file beside the
        settings) and save the settings: later checks use it."""
        from pathlib import Path

        from desktop.certificate_dialog import add_trusted_certificate

        folder = Path(self.store.file_name).parent
        self.apply_settings(add_trusted_certificate(self.settings, der, folder))

    @property
    def batch_view(self) -> BatchView:
        if self._batch is None:
            from desktop.batch import BatchView

            self._batch = BatchView()
            self._batch.cancel_requested.connect(self.cancel_batch)
            self._batch.open_result.connect(self.show_result)
            self._batch.export_requested.connect(self.export_batch)
            self.stack.addWidget(self._batch)
        return self._batch

    @property
    def sign_view(self) -> QWidget:
        if self._sign is None:
            from desktop.sign_view import SignView  # QtPdf: only when signing

            self._sign = SignView(self.settings)
            self._sign.back_requested.connect(self.go_back)
            self._sign.signed.connect(self.add_recent)
            self.stack.addWidget(self._sign)
        return self._sign

    def show_home(self) -> None:
        if self._sign_running():
            return  # (a running signature keeps its screen)
        self._history.clear()
        self.stack.setCurrentWidget(self.home)

    def go_back(self) -> None:
        """The screen shown before this one (the batch behind a row opened
        from it, the verdict behind the sign screen), else home."""
        if self._sign_running():
            return
        current = self.stack.currentWidget()
        while self._history:
            previous = self._history.pop()
            if previous is not current and self.stack.indexOf(previous) >= 0:
                self.stack.setCurrentWidget(previous)
                return
        self.stack.setCurrentWidget(self.home)

    def _show_screen(self, screen: QWidget) -> None:
        """Show ``screen``, remembering the one it replaces for Back."""
        current = self.stack.currentWidget()
        if current is not screen:
            if current is self.home:
                self._history.clear()
            if current is not None:
                if current in self._history:
                    self._history.remove(current)
                self._history.append(current)
        self.stack.setCurrentWidget(screen)

    def _screen_changed(self, _index: int) -> None:
        current = self.stack.currentWidget()
        self.nav_bar.setVisible(current is not self.home and current is not self._sign)

    def _sign_running(self) -> bool:
        return self._sign is not None and bool(self._sign.busy())  # type: ignore[attr-defined]

    # --- drops on any screen -------------------------------------------------
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        mime = event.mimeData()
        if mime.hasUrls() and any(u.isLocalFile() for u in mime.urls()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile()]
        if not paths:
            event.ignore()
            return
        event.acceptProposedAction()
        if self._sign_running():
            # the running signature keeps its screen; it says so
            self.sign_view.open_document(paths[0], seal=False)  # type: ignore[attr-defined]
            return
        self.open_paths(paths)

    # --- opening and validating -------------------------------------------
    def choose_and_open(self) -> None:
        paths, _f = QFileDialog.getOpenFileNames(self, self.tr("Open PDF files"), "", PDF_FILTER)
        if paths:
            self.open_paths(paths)

    def choose_and_validate(self) -> None:
        paths, _f = QFileDialog.getOpenFileNames(self, self.tr("Open PDF files"), "", PDF_FILTER)
        if paths:
            self.open_paths(paths, sign_if_unsigned=False)

    def open_paths(self, paths: Sequence[str], sign_if_unsigned: bool = True) -> None:
        """Files from a drop, Open, the command line or a second launch.

        One file is validated first; when it turns out to have no signature
        at all, the sign screen opens for it (unless only validating).
        Several files or folders go to the batch table."""
        paths = [os.path.abspath(p) for p in paths]
        if len(paths) == 1 and os.path.isfile(paths[0]):
            self.validate_file(paths[0], sign_if_unsigned)
            return
        self.home.status.setText(self.tr("Looking for PDF files…"))
        self._checks += 1
        check = self._checks

        def found(pdfs: list[str]) -> None:
            if check == self._checks:  # nothing newer was asked for meanwhile
                self.validate_batch(pdfs)

        def failed(exc: BaseException) -> None:
            if check == self._checks:
                self.home.status.setText("")
                show_error(self, exc)

        Op(self, lambda ctx: _core().collect_pdfs(paths), found).failure(failed).run()

    def validate_file(self, path: str, sign_if_unsigned: bool = False) -> None:
        self.current_path = path
        self.home.status.setText(self.tr("Checking %1…").replace("%1", os.path.basename(path)))
        config = self.settings.validation()
        self._checks += 1
        check = self._checks

        def fail(exc: BaseException) -> None:
            if check != self._checks:
                return  # another file was dropped since: its answer counts
            self.home.status.setText("")
            show_error(self, exc)

        def done(answer: tuple[FileResult, TrustListState | None]) -> None:
            result, lists = answer
            if check != self._checks:
                return  # a slow file finishing after a newer one must not replace it
            if sign_if_unsigned and not result.signatures and result.error is None:
                self.home.status.setText("")
                self.open_sign_view(result.path, seal=False)
                self.sign_view.status.setText(  # type: ignore[attr-defined]
                    self.tr("This document has no signatures yet.")
                )
                self.unsigned_opened.emit(result.path)
            else:
                self.show_result(result, lists)

        def work(ctx: OpContext) -> tuple[FileResult, TrustListState | None]:
            core = _core()
            return core.validate_file(path, config), core.trust_lists(config)

        Op(self, work, done).failure(fail).run()

    def show_result(self, result: FileResult, trust_lists: TrustListState | None = None) -> None:
        self._checks += 1  # what is shown now is newer than any pending check
        self.home.status.setText("")
        self.current_path = result.path
        self.validation_view.show_result(result, trust_lists)
        self._show_screen(self.validation_view)
        self.result_shown.emit(result)

    def _trust_chips(self) -> list[TrustChip]:
        chips = [self.home.trust_chip]
        if self._validation is not None:
            chips.append(self._validation.trust_chip)
        return chips

    def show_trust_state(self, state: TrustChipState | None) -> None:
        self.trust_state = state
        for chip in self._trust_chips():
            chip.set_state(state)

    def refresh_trust_chip(self) -> None:
        """Fill the chips from the cache, in a worker (the app calls this
        after the first paint: it imports the core)."""
        config = self.settings.validation()
        self._chip_fills += 1
        fill = self._chip_fills

        def done(state: TrustChipState) -> None:
            if fill == self._chip_fills and not self._trust_updating:
                self.show_trust_state(state)

        def failed(exc: BaseException) -> None:  # (a note: never an error box for it)
            if fill == self._chip_fills and not self._trust_updating:
                self.show_trust_state(None)

        Op(self, lambda ctx: _core().trust_chip(config), done).failure(failed).in_background().run()

    def update_trust_lists(self) -> None:
        """Download the trusted lists (the chips' and the banner's "Update
        now"), refresh the chips, then check the shown file again with them."""
        if self._trust_updating:
            return
        config = self.settings.validation()
        button = self.validation_view.update_trust if self._validation is not None else None
        if button is not None:
            button.setEnabled(False)
        self._trust_updating = True
        self._chip_fills += 1  # (a fill started before the update is outdated)
        for chip in self._trust_chips():
            chip.set_busy()

        def work(ctx: OpContext) -> TrustChipState:
            core = _core()
            core.refresh_trust(config, ctx.cancel)
            state: TrustChipState = core.trust_chip(config)
            return state

        def done(state: TrustChipState) -> None:
            self._trust_updating = False
            if button is not None:
                button.setEnabled(True)
            self.show_trust_state(state)
            if self.current_path and self.stack.currentWidget() is self._validation:
                self.validate_file(self.current_path)

        def failed(exc: BaseException) -> None:
            self._trust_updating = False
            if button is not None:
                button.setEnabled(True)
            self.refresh_trust_chip()
            show_error(self, exc)

        Op(self, work, done).failure(failed).run()

    def validate_batch(self, paths: list[str]) -> None:
        self.home.status.setText("")
        if not paths:
            self.home.status.setText(self.tr("No PDF files were found there."))
            return
        if len(paths) == 1:
            self.validate_file(paths[0])
            return
        if self.batch_op is not None:
            self.batch_op.cancel()  # a new batch replaces the running one
        self._batches += 1
        self._checks += 1  # (a single file still being checked must not replace it)
        batch = self._batches
        view = self.batch_view
        view.start(paths)
        self._show_screen(view)
        config = self.settings.validation()

        def current() -> bool:
            # (a replaced batch still reports while it stops: not into this table)
            return batch == self._batches

        def work(ctx: OpContext) -> list[FileResult]:
            results: list[FileResult] = _core().validate_batch(
                paths, config, ctx.cancel, ctx.progress, ctx.partial, workers=2
            )
            return results

        def done(results: list[FileResult]) -> None:
            if not current():
                return
            op = self.batch_op
            view.finish(results, cancelled=op is not None and op.ctx.cancel.is_set())
            self.batch_finished.emit(results)

        def fail(exc: BaseException) -> None:
            if current():
                view.finish([])
                show_error(self, exc)

        def progress(done_: int, total: int, _text: str) -> None:
            if current() and total:
                view.set_progress(done_, total)

        def partial(result: FileResult) -> None:
            if current():
                view.model.add_result(result)

        self.batch_op = (
            Op(self, work, done).with_progress(progress).with_partial(partial).failure(fail)
        )
        self.batch_op.run()

    def cancel_batch(self) -> None:
        if self.batch_op is not None:
            self.batch_op.cancel()

    def export_report(self, fmt: str, dest: str | None = None) -> None:
        """Save the shown result as "pdf", "xml" or "json" (asks where)."""
        result = self.validation_view.result
        if result is None:
            return
        ext = {"pdf": ".report.pdf", "xml": ".etsi.xml", "json": ".json"}[fmt]
        suggested = os.path.splitext(result.path)[0] + ext
        config = self.settings.validation()
        self._save_report(
            dest,
            suggested,
            lambda target, lang: _core().export_report(result, fmt, target, lang, config),
        )

    def export_batch(self, fmt: str, dest: str | None = None) -> None:
        """Save one report for the files the batch table shows (asks where)."""
        results = self.batch_view.shown_results()
        if not results:
            return
        ext = {"pdf": ".pdf", "xml": ".xml", "json": ".json"}[fmt]
        folder = os.path.dirname(results[0].path)
        suggested = os.path.join(folder, self.tr("validation-report") + ext)
        config = self.settings.validation()
        self._save_report(
            dest,
            suggested,
            lambda target, lang: _core().export_reports(results, fmt, target, lang, config),
        )

    def _save_report(
        self, dest: str | None, suggested: str, write: Callable[[str, str], str]
    ) -> None:
        """Ask where (unless ``dest``), then ``write(target, language)`` off the
        GUI thread and say where it went."""
        if dest is None:
            dest, _f = QFileDialog.getSaveFileName(self, self.tr("Save the report"), suggested)
        if not dest:
            return
        target, lang = dest, current_language()

        def saved(path: str) -> None:
            self.statusBar().showMessage(self.tr("Saved %1").replace("%1", path), 8000)
            self.report_saved.emit(path)

        Op(self, lambda ctx: write(target, lang), saved).run()

    # --- signing -------------------------------------------------------------
    def start_sign(self, seal: bool) -> None:
        path = self.current_path
        if not path:
            path, _f = QFileDialog.getOpenFileName(
                self, self.tr("Choose the PDF to sign"), "", PDF_FILTER
            )
        if path:
            self.open_sign_view(path, seal)

    def open_sign_view(self, path: str, seal: bool) -> None:
        self._checks += 1
        view = self.sign_view
        view.open_document(path, seal)  # type: ignore[attr-defined]
        self._show_screen(view)

    # --- settings and help ------------------------------------------------
    def open_settings(self) -> None:
        from desktop.settings_dialog import SettingsDialog

        dialog = SettingsDialog(self.settings, self)
        self.settings_dialog = dialog

        def finished(code: int) -> None:
            if code == SettingsDialog.DialogCode.Accepted:
                # (files validated while the dialog was open stay in File › Recent)
                recent = self.settings.recent_files
                self.apply_settings(replace(dialog.result_settings(), recent_files=recent))
            elif dialog.tsa_test_result != self.settings.tsa_test:
                # a test's result is a fact about the network, kept on Cancel too
                self.apply_settings(replace(self.settings, tsa_test=dialog.tsa_test_result))
            self.settings_dialog = None
            dialog.deleteLater()

        dialog.finished.connect(finished)
        dialog.open()

    def apply_settings(self, settings: AppSettings) -> None:
        old = self.settings
        self.settings = settings
        self.store.save(settings)
        _core().apply_network(settings.network())
        if old.validation() != settings.validation():
            self.refresh_trust_chip()  # (other lists, or the lists switched off)
        if old.validation_time != settings.validation_time and (
            self.current_path and self.stack.currentWidget() is self._validation
        ):
            # the file shown is checked again as of the time now chosen
            self.validate_file(self.current_path)
        if self._sign is not None:
            if self.stack.currentWidget() is self._sign or self._sign.busy():  # type: ignore[attr-defined]
                # (a screen that is signing keeps running: its result must be shown)
                self._sign.settings = settings  # type: ignore[attr-defined]
            else:  # rebuilt with the new presets, servers and level when next opened
                self.stack.removeWidget(self._sign)
                self._sign.deleteLater()
                self._sign = None
        self.settings_changed.emit((old, settings))

    def _open_logs(self) -> None:
        from PySide6.QtCore import QUrl
        from PySide6.QtGui import QDesktopServices

        folder = log_dir()
        folder.mkdir(parents=True, exist_ok=True)
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))

    def _about(self) -> None:
        from PySide6.QtCore import Qt  # not before the first paint (see desktop.home)
        from PySide6.QtWidgets import QMessageBox

        from signing import __version__

        box = QMessageBox(self)
        box.setWindowTitle(self.tr("About Shomei"))
        box.setText(
            self.tr(
                "Shomei %1: sign, seal and check PDF documents, with EU and Japanese trust."
            ).replace("%1", __version__)
        )
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()

    # --- closing ---------------------------------------------------------
    def closeEvent(self, event: QCloseEvent) -> None:
        """Closing while a signature, a validation or a download runs asks
        first; "Cancel it and quit" cancels the work and closes once every
        worker has returned (a signature is written atomically: cancelled,
        it leaves no file behind)."""
        if self.quitting and running_ops():
            event.ignore()  # (still stopping: the poll closes the window)
            return
        if not self.quitting and work_in_progress():
            event.ignore()
            if self._quit_box is None:  # (asked once, however often the user closes)
                self._ask_to_quit()
            return
        cancel_all()  # (quick reads: nothing waits for their answer)
        super().closeEvent(event)

    def _ask_to_quit(self) -> None:
        from PySide6.QtWidgets import QMessageBox

        box = QMessageBox(self)
        box.setObjectName("quitWhileBusy")
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(self.tr("Quit Shomei"))
        box.setText(self.tr("Work is still running."))
        box.setInformativeText(
            self.tr("Quitting now cancels it: a signature being made is not saved.")
        )
        quit_button = box.addButton(
            self.tr("Cancel it and &quit"), QMessageBox.ButtonRole.DestructiveRole
        )
        keep = box.addButton(self.tr("&Keep working"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(keep)
        box.setEscapeButton(keep)

        def answered() -> None:
            self._quit_box = None
            if box.clickedButton() is quit_button:
                self.cancel_and_quit()
            box.deleteLater()

        box.finished.connect(lambda _code: answered())
        self._quit_box = box
        box.open()

    def cancel_and_quit(self) -> None:
        """Cancel all work, then close when every worker has returned."""
        self.quitting = True
        cancel_all()
        central = self.centralWidget()
        if central is not None:
            central.setEnabled(False)
        self.menuBar().setEnabled(False)
        self.statusBar().showMessage(self.tr("Cancelling…"))
        if self._quit_poll is None:
            self._quit_poll = QTimer(self)
            self._quit_poll.timeout.connect(self._close_when_stopped)
            self._quit_poll.start(50)

    def _close_when_stopped(self) -> None:
        cancel_all()  # (work a cancelled op's answer started, e.g. a chip refresh)
        if running_ops() == 0 and self._quit_poll is not None:
            self._quit_poll.stop()
            self.close()
