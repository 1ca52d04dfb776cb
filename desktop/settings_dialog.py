"""The settings dialog: one tab per topic; reads and returns AppSettings."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime

from PySide6.QtCore import QDate, QDateTime, Qt, QTime, QTimeZone
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QSizePolicy,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop import core_adapter as core
from desktop.errors_ui import error_detail, error_title
from desktop.i18n import current_language, english_plural
from desktop.settings import (
    EU_TERRITORIES,
    LEVELS,
    TSA_PRESETS,
    AppearancePreset,
    AppSettings,
    TsaServer,
)
from desktop.template_fields import insert_field_button, to_core, to_user
from desktop.workers import Op


def _path_list(parent: QWidget, title: str, items: tuple[str, ...], filt: str) -> QListWidget:
    lst = QListWidget(parent)
    lst.setAccessibleName(title)
    lst.addItems(list(items))
    return lst


def utc_qdatetime(moment: datetime) -> QDateTime:
    """``moment`` as a QDateTime in UTC (to the second)."""
    m = moment.astimezone(UTC) if moment.tzinfo else moment
    return QDateTime(
        QDate(m.year, m.month, m.day), QTime(m.hour, m.minute, m.second), QTimeZone.utc()
    )


class SettingsDialog(QDialog):
    def __init__(self, settings: AppSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("settingsDialog")
        self.setWindowTitle(self.tr("Settings"))
        self.original = settings
        #: count the background checks, so that only the latest answer shows
        self._tsa_tests = 0
        #: the last test's result, kept in the settings (see AppSettings.tsa_test)
        self.tsa_test_result = settings.tsa_test
        self._trust_loads = 0
        self.tabs = QTabWidget()
        self.tabs.addTab(self._general(settings), self.tr("General"))
        self.tabs.addTab(self._timestamps(settings), self.tr("Timestamps"))
        self.tabs.addTab(self._trust(settings), self.tr("Trust"))
        self.tabs.addTab(self._validation(settings), self.tr("Validation"))
        self.tabs.addTab(self._network(settings), self.tr("Network"))
        self.tabs.addTab(self._tokens(settings), self.tr("Tokens"))
        self.tabs.addTab(self._appearance(settings), self.tr("Appearance"))
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        layout.addWidget(buttons)
        self.resize(680, 520)

    # --- tabs --------------------------------------------------------------
    def _general(self, s: AppSettings) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        self.language = QComboBox()
        self.language.setObjectName("languageCombo")
        self.language.setAccessibleName(self.tr("Language"))
        self.language.addItem(self.tr("Same as the system"), "system")
        self.language.addItem("English", "en")
        self.language.addItem("日本語", "ja")
        self.language.setCurrentIndex(max(self.language.findData(s.language), 0))
        form.addRow(self.tr("Language:"), self.language)
        self.level = QComboBox()
        self.level.setAccessibleName(self.tr("Default level"))
        for lv in LEVELS:
            self.level.addItem(f"PAdES {lv}", lv)
        self.level.setCurrentIndex(LEVELS.index(s.default_level))
        form.addRow(self.tr("Default level:"), self.level)
        note = QLabel(
            self.tr(
                "B-T adds a timestamp; B-LT adds what is needed to check it later; "
                "B-LTA keeps it checkable for the long term."
            )
        )
        note.setWordWrap(True)
        form.addRow(note)
        return page

    def _timestamps(self, s: AppSettings) -> QWidget:
        page = QWidget()
        v = QVBoxLayout(page)
        failover_note = QLabel(
            self.tr(
                "★ marks the server the sign screen chooses. When the chosen server does "
                "not answer, the ticked servers are asked in turn, in this order."
            )
        )
        failover_note.setWordWrap(True)
        v.addWidget(failover_note)
        self.tsa_list = QListWidget()
        self.tsa_list.setAccessibleName(self.tr("Timestamp servers"))
        for server in s.tsa_servers:
            self._add_tsa_item(server, server.url == s.default_tsa, server.url in s.tsa_failover)
        v.addWidget(self.tsa_list, 1)
        add_row = QHBoxLayout()
        self.tsa_name = QLineEdit()
        self.tsa_name.setPlaceholderText(self.tr("Name"))
        self.tsa_name.setAccessibleName(self.tr("Server name"))
        self.tsa_url = QLineEdit()
        self.tsa_url.setPlaceholderText("https://…")
        self.tsa_url.setAccessibleName(self.tr("Server address"))
        add = QPushButton(self.tr("Add"))
        add.clicked.connect(self._add_tsa)
        add_row.addWidget(self.tsa_name)
        add_row.addWidget(self.tsa_url, 2)
        add_row.addWidget(add)
        v.addLayout(add_row)
        row = QHBoxLayout()
        remove = QPushButton(self.tr("Remove"))
        remove.clicked.connect(self._remove_tsa)
        default = QPushButton(self.tr("Use by default"))
        default.clicked.connect(self._default_tsa)
        self.tsa_up = QPushButton(self.tr("Move up"))
        self.tsa_up.clicked.connect(lambda: self._move_tsa(-1))
        self.tsa_down = QPushButton(self.tr("Move down"))
        self.tsa_down.clicked.connect(lambda: self._move_tsa(1))
        self.tsa_test = QPushButton(self.tr("Test"))
        self.tsa_test.clicked.connect(self._test_tsa)
        for b in (remove, default, self.tsa_up, self.tsa_down, self.tsa_test):
            row.addWidget(b)
        row.addStretch(1)
        v.addLayout(row)
        self.tsa_status = QLabel()
        self.tsa_status.setObjectName("tsaStatus")
        self.tsa_status.setWordWrap(True)
        v.addWidget(self.tsa_status)
        return page

    def _add_tsa_item(self, server: TsaServer, default: bool, failover: bool = False) -> None:
        label = f"{server.name} — {server.url}"
        if default:
            label += "  ★"
        item = QListWidgetItem(label)
        item.setData(Qt.ItemDataRole.UserRole, server)
        item.setData(Qt.ItemDataRole.UserRole + 1, default)
        # ticked: asked in turn when the chosen server does not answer
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(Qt.CheckState.Checked if failover else Qt.CheckState.Unchecked)
        self.tsa_list.addItem(item)

    def _add_tsa(self) -> None:
        url = self.tsa_url.text().strip()
        if not url.startswith(("http://", "https://")):
            self.tsa_status.setText(self.tr("Enter an address starting with http:// or https://."))
            return
        self._add_tsa_item(TsaServer(self.tsa_name.text().strip() or url, url), False)
        self.tsa_name.clear()
        self.tsa_url.clear()

    def _remove_tsa(self) -> None:
        row = self.tsa_list.currentRow()
        if row >= 0:
            self.tsa_list.takeItem(row)

    def _default_tsa(self) -> None:
        servers = self._servers()
        ticked = self._failover_rows()
        cur = self.tsa_list.currentRow()
        self.tsa_list.clear()
        for i, server in enumerate(servers):
            self._add_tsa_item(server, i == cur, i in ticked)
        self.tsa_list.setCurrentRow(cur)

    def _failover_rows(self) -> set[int]:
        return {
            i
            for i in range(self.tsa_list.count())
            if self.tsa_list.item(i).checkState() == Qt.CheckState.Checked
        }

    def _move_tsa(self, step: int) -> None:
        """Move the current server up (-1) or down (1): the failover order."""
        row = self.tsa_list.currentRow()
        if row < 0 or not 0 <= row + step < self.tsa_list.count():
            return
        item = self.tsa_list.takeItem(row)
        self.tsa_list.insertItem(row + step, item)
        self.tsa_list.setCurrentRow(row + step)

    def _servers(self) -> list[TsaServer]:
        return [
            self.tsa_list.item(i).data(Qt.ItemDataRole.UserRole)
            for i in range(self.tsa_list.count())
        ]

    def _test_tsa(self) -> None:
        item = self.tsa_list.currentItem()
        if item is None:
            self.tsa_status.setText(self.tr("Choose a server to test."))
            return
        url = item.data(Qt.ItemDataRole.UserRole).url
        network = self.result_settings().network()
        self.tsa_status.setText(self.tr("Testing %1…").replace("%1", url))
        self._tsa_tests += 1
        test = self._tsa_tests

        def show(text: str, result: str = "ok") -> None:
            if test == self._tsa_tests:  # (an earlier test, answering late, is not shown)
                self.tsa_status.setText(text)
                self.tsa_test_result = result

        def fail(exc: BaseException) -> None:
            show(error_title(exc) + " " + error_detail(exc), "failed")

        Op(self, lambda ctx: core.test_tsa(url, network), show).failure(fail).run()

    def _trust(self, s: AppSettings) -> QWidget:
        page = QWidget()
        v = QVBoxLayout(page)
        self.eu_trust = QCheckBox(self.tr("Use the EU trusted lists"))
        self.eu_trust.setChecked(s.eu_trust)
        v.addWidget(self.eu_trust)
        self.territories = QListWidget()
        self.territories.setAccessibleName(self.tr("Territories"))
        self.territories.setFlow(QListWidget.Flow.LeftToRight)
        self.territories.setWrapping(True)
        self.territories.setMaximumHeight(64)
        self.territories.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        for code in EU_TERRITORIES:
            item = QListWidgetItem(code)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(
                Qt.CheckState.Checked if code in s.eu_territories else Qt.CheckState.Unchecked
            )
            self.territories.addItem(item)
        self.eu_trust.toggled.connect(self.territories.setEnabled)
        self.territories.setEnabled(s.eu_trust)
        v.addWidget(self.territories)
        self.jp_trust = QCheckBox(self.tr("Use the Japanese trust list"))
        self.jp_trust.setChecked(s.jp_trust)
        v.addWidget(self.jp_trust)
        self.jp_list_url = QLineEdit(s.jp_list_url)
        self.jp_list_url.setPlaceholderText(self.tr("Japanese list update URL (default)"))
        self.jp_list_url.setAccessibleName(self.tr("Japanese list update URL"))
        v.addWidget(self.jp_list_url)
        # organisations that cannot reach every member state's host
        self.tl_mirror = QLineEdit(s.tl_mirror)
        self.tl_mirror.setObjectName("tlMirror")
        self.tl_mirror.setPlaceholderText(self.tr("Trusted-list mirror (none)"))
        self.tl_mirror.setAccessibleName(self.tr("Trusted-list mirror"))
        mirror_hint = QLabel(
            self.tr(
                "The EU national lists are downloaded from BASE/{territory}/{file}"
                " (or from a URL with {territory} and {file} in it)."
            )
        )
        mirror_hint.setWordWrap(True)
        self.tl_mirror.setToolTip(mirror_hint.text())
        self.lotl_url = QLineEdit(s.lotl_url)
        self.lotl_url.setObjectName("lotlUrl")
        self.lotl_url.setPlaceholderText(self.tr("List of trusted lists URL (official)"))
        self.lotl_url.setAccessibleName(self.tr("List of trusted lists URL"))
        v.addWidget(self.tl_mirror)
        v.addWidget(mirror_hint)
        v.addWidget(self.lotl_url)
        status_row = QHBoxLayout()
        self.trust_refresh = QPushButton(self.tr("Refresh now"))
        self.trust_refresh.clicked.connect(self._refresh_trust)
        status_row.addWidget(QLabel(self.tr("Status:")))
        status_row.addStretch(1)
        status_row.addWidget(self.trust_refresh)
        v.addLayout(status_row)
        self.trust_table = QTableWidget(0, 5)
        self.trust_table.setAccessibleName(self.tr("Trust list status"))
        self.trust_table.setHorizontalHeaderLabels(
            [
                self.tr("List"),
                self.tr("Anchors"),
                self.tr("Last update"),
                self.tr("Next update"),
                self.tr("Problem"),
            ]
        )
        self.trust_table.horizontalHeader().setStretchLastSection(True)
        self.trust_table.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents
        )
        self.trust_table.verticalHeader().setVisible(False)
        v.addWidget(self.trust_table, 3)
        self.trust_status = QLabel()
        self.trust_status.setWordWrap(True)
        v.addWidget(self.trust_status)
        anchors = QGroupBox(self.tr("My trusted certificates"))
        av = QHBoxLayout(anchors)
        self.anchor_list = _path_list(self, self.tr("My trusted certificates"), s.user_anchors, "")
        self.anchor_list.setMaximumHeight(110)
        av.addWidget(self.anchor_list, 1)
        bv = QVBoxLayout()
        add = QPushButton(self.tr("Add…"))
        add.clicked.connect(self._add_anchor)
        rem = QPushButton(self.tr("Remove"))
        rem.clicked.connect(lambda: self.anchor_list.takeItem(self.anchor_list.currentRow()))
        bv.addWidget(add)
        bv.addWidget(rem)
        bv.addStretch(1)
        av.addLayout(bv)
        anchors.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        v.addWidget(anchors)
        self._load_trust_status()
        return page

    def _validation(self, s: AppSettings) -> QWidget:
        """The validation time: now, or a moment the user chooses (in UTC)."""
        page = QWidget()
        page.setObjectName("validationPage")
        v = QVBoxLayout(page)
        box = QGroupBox(self.tr("Validation time"))
        bv = QVBoxLayout(box)
        self.validation_now = QRadioButton(self.tr("Now (the current time)"))
        self.validation_now.setObjectName("validationNow")
        self.validation_as_of = QRadioButton(self.tr("As of a date and time you choose (UTC):"))
        self.validation_as_of.setObjectName("validationAsOf")
        group = QButtonGroup(page)
        group.addButton(self.validation_now)
        group.addButton(self.validation_as_of)
        self.validation_time = QDateTimeEdit()
        self.validation_time.setObjectName("validationTime")
        self.validation_time.setAccessibleName(self.tr("Validation time (UTC)"))
        self.validation_time.setTimeZone(QTimeZone.utc())
        self.validation_time.setDisplayFormat("yyyy-MM-dd HH:mm 'UTC'")
        self.validation_time.setCalendarPopup(True)
        chosen = s.validation_as_of()
        moment = chosen or datetime.now(UTC).replace(second=0, microsecond=0)
        self.validation_time.setDateTime(utc_qdatetime(moment))
        self.validation_now.setChecked(chosen is None)
        self.validation_as_of.setChecked(chosen is not None)
        self.validation_time.setEnabled(chosen is not None)
        self.validation_as_of.toggled.connect(self.validation_time.setEnabled)
        bv.addWidget(self.validation_now)
        row = QHBoxLayout()
        row.addWidget(self.validation_as_of)
        row.addWidget(self.validation_time)
        row.addStretch(1)
        bv.addLayout(row)
        note = QLabel(
            self.tr(
                "Certificates, revocation and the trusted lists are judged as they were at "
                "that time: use it to check a signature as of a past date. Every verdict and "
                "report then states the time chosen. It lasts until Shomei is closed."
            )
        )
        note.setWordWrap(True)
        bv.addWidget(note)
        v.addWidget(box)
        v.addStretch(1)
        return page

    def chosen_validation_time(self) -> str:
        """The validation time for the settings: ISO 8601 in UTC, "" for now."""
        if not self.validation_as_of.isChecked():
            return ""
        moment = self.validation_time.dateTime().toUTC().toPython()
        assert isinstance(moment, datetime)
        return moment.replace(tzinfo=UTC).isoformat()

    def _show_trust_rows(self, rows: list[core.TrustRow]) -> None:
        from signing.api import text
        from signing.model import reasons

        lang = current_language()
        self.trust_table.setRowCount(len(rows))
        for i, r in enumerate(rows):
            key = r.source.removeprefix("EU: ")
            # a list past its next update or never downloaded is marked, in
            # the words the banner and the CLI use
            problem = r.problem(lang) or ""
            if r.state == "stale":
                stale = reasons.trust_lists_stale(((key, r.days_past_update),))
                problem = "\n".join(x for x in (text(stale, lang), problem) if x)
            elif r.state == "missing":
                problem = "\n".join(
                    x for x in (text(reasons.trust_lists_missing((key,)), lang), problem) if x
                )
            values = [
                r.source,
                str(r.anchors),
                r.last_update or "—",
                r.next_update or "—",
                problem,
            ]
            for j, value in enumerate(values):
                item = QTableWidgetItem(value)
                if r.state != "current" and j in (0, 3, 4):
                    font = item.font()
                    font.setBold(True)
                    item.setFont(font)
                item.setData(Qt.ItemDataRole.UserRole, r.state)
                self.trust_table.setItem(i, j, item)
        self.trust_status.clear()

    def _trust_failed(self, exc: BaseException) -> None:
        self.trust_status.setText(error_title(exc) + " " + error_detail(exc))

    def _latest_trust_rows(self) -> Callable[[list[core.TrustRow]], None]:
        """Shows the rows of this load only if no later one was started (a
        refresh started after the first load: its rows count)."""
        self._trust_loads += 1
        loads = self._trust_loads

        def show(rows: list[core.TrustRow]) -> None:
            if loads == self._trust_loads:
                self._show_trust_rows(rows)

        return show

    def _load_trust_status(self) -> None:
        config = self.original.validation()
        show = self._latest_trust_rows()
        Op(self, lambda ctx: core.trust_status(config), show).failure(self._trust_failed).run()

    def _refresh_trust(self) -> None:
        config = self.result_settings().validation()
        self.trust_status.setText(self.tr("Refreshing the trusted lists…"))
        self.trust_refresh.setEnabled(False)  # (one refresh at a time)
        show = self._latest_trust_rows()
        Op(self, lambda ctx: core.refresh_trust(config, ctx.cancel), show).failure(
            self._trust_failed
        ).finally_(lambda: self.trust_refresh.setEnabled(True)).run()

    def _add_anchor(self) -> None:
        paths, _f = QFileDialog.getOpenFileNames(
            self,
            self.tr("Choose certificates"),
            "",
            self.tr("Certificates (*.pem *.crt *.cer *.der)"),
        )
        self.anchor_list.addItems(paths)

    def _network(self, s: AppSettings) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        self.proxy_none = QRadioButton(self.tr("No proxy"))
        self.proxy_system = QRadioButton(self.tr("Use the system proxy settings"))
        self.proxy_manual = QRadioButton(self.tr("Manual proxy:"))
        self.proxy_group = QButtonGroup(self)
        for b, mode in (
            (self.proxy_none, "none"),
            (self.proxy_system, "system"),
            (self.proxy_manual, "manual"),
        ):
            self.proxy_group.addButton(b)
            b.setChecked(s.proxy_mode == mode)
            form.addRow(b)
        self.proxy_host = QLineEdit(s.proxy_host)
        self.proxy_host.setAccessibleName(self.tr("Proxy host"))
        self.proxy_port = QSpinBox()
        self.proxy_port.setRange(1, 65535)
        self.proxy_port.setValue(s.proxy_port)
        self.proxy_port.setAccessibleName(self.tr("Proxy port"))
        self.proxy_user = QLineEdit(s.proxy_user)
        self.proxy_user.setAccessibleName(self.tr("Proxy user name"))
        form.addRow(self.tr("Host:"), self.proxy_host)
        form.addRow(self.tr("Port:"), self.proxy_port)
        form.addRow(self.tr("User name:"), self.proxy_user)
        note = QLabel(self.tr("The proxy password is asked for when needed and never stored."))
        note.setWordWrap(True)
        form.addRow(note)
        self.timeout = QSpinBox()
        self.timeout.setRange(1, 300)
        self.timeout.setSuffix(self.tr(" s"))
        self.timeout.setValue(s.timeout_s)
        self.timeout.setAccessibleName(self.tr("Network timeout"))
        form.addRow(self.tr("Timeout:"), self.timeout)
        for w in (self.proxy_host, self.proxy_port, self.proxy_user):
            self.proxy_manual.toggled.connect(w.setEnabled)
            w.setEnabled(s.proxy_mode == "manual")
        return page

    def _tokens(self, s: AppSettings) -> QWidget:
        page = QWidget()
        v = QVBoxLayout(page)
        v.addWidget(QLabel(self.tr("PKCS#11 modules (smart card drivers):")))
        self.module_list = _path_list(self, self.tr("PKCS#11 modules"), s.pkcs11_modules, "")
        v.addWidget(self.module_list, 1)
        row = QHBoxLayout()
        add = QPushButton(self.tr("Add…"))
        add.clicked.connect(self._add_module)
        rem = QPushButton(self.tr("Remove"))
        rem.clicked.connect(lambda: self.module_list.takeItem(self.module_list.currentRow()))
        detect = QPushButton(self.tr("Detect"))
        detect.clicked.connect(self._detect_modules)
        for b in (add, rem, detect):
            row.addWidget(b)
        row.addStretch(1)
        v.addLayout(row)
        self.module_status = QLabel()
        self.module_status.setWordWrap(True)
        v.addWidget(self.module_status)
        return page

    def _add_module(self) -> None:
        path, _f = QFileDialog.getOpenFileName(
            self, self.tr("Choose a PKCS#11 module"), "", self.tr("Libraries (*.so *.dylib *.dll)")
        )
        if path:
            self.module_list.addItem(path)

    def _detect_modules(self) -> None:
        def found(paths: list[str]) -> None:
            known = {self.module_list.item(i).text() for i in range(self.module_list.count())}
            self.module_list.addItems([p for p in paths if p not in known])
            self.module_status.setText(
                english_plural(self.tr("%n module(s) found.", "", len(paths)), len(paths))
            )

        def fail(exc: BaseException) -> None:
            self.module_status.setText(error_title(exc) + " " + error_detail(exc))

        Op(self, lambda ctx: core.find_pkcs11_modules(), found).failure(fail).run()

    def _appearance(self, s: AppSettings) -> QWidget:
        page = QWidget()
        v = QVBoxLayout(page)
        self.preset_list = QListWidget()
        self.preset_list.setAccessibleName(self.tr("Appearance presets"))
        for p in s.appearance_presets:
            item = QListWidgetItem(p.name)
            item.setData(Qt.ItemDataRole.UserRole, p)
            self.preset_list.addItem(item)
        v.addWidget(self.preset_list, 1)
        form = QFormLayout()
        self.preset_name = QLineEdit()
        self.preset_name.setAccessibleName(self.tr("Preset name"))
        self.preset_text = QPlainTextEdit()
        self.preset_text.setAccessibleName(self.tr("Preset text"))
        self.preset_text.setFixedHeight(60)
        self.preset_text.setTabChangesFocus(True)
        self.preset_image = QLineEdit()
        self.preset_image.setAccessibleName(self.tr("Preset image"))
        form.addRow(self.tr("Name:"), self.preset_name)
        trow = QHBoxLayout()
        trow.addWidget(self.preset_text, 1)
        trow.addWidget(insert_field_button(self.preset_text), 0, Qt.AlignmentFlag.AlignTop)
        form.addRow(self.tr("Text:"), trow)
        form.addRow(self.tr("Image / hanko:"), self.preset_image)
        hint = QLabel(
            self.tr("{signer} is the signer's name, {date} the signing time (Insert field).")
        )
        hint.setWordWrap(True)
        form.addRow(hint)
        v.addLayout(form)
        row = QHBoxLayout()
        save = QPushButton(self.tr("Save preset"))
        save.clicked.connect(self._save_preset)
        rem = QPushButton(self.tr("Remove"))
        rem.clicked.connect(lambda: self.preset_list.takeItem(self.preset_list.currentRow()))
        row.addWidget(save)
        row.addWidget(rem)
        row.addStretch(1)
        v.addLayout(row)
        self.preset_list.currentItemChanged.connect(self._preset_selected)
        return page

    def _preset_selected(self, item: QListWidgetItem | None, _prev: object) -> None:
        if item is None:
            return
        p: AppearancePreset = item.data(Qt.ItemDataRole.UserRole)
        self.preset_name.setText(p.name)
        self.preset_text.setPlainText(to_user(p.template))
        self.preset_image.setText(p.image_path)

    def _save_preset(self) -> None:
        name = self.preset_name.text().strip()
        if not name:
            return
        preset = AppearancePreset(
            name, to_core(self.preset_text.toPlainText()), self.preset_image.text().strip()
        )
        for i in range(self.preset_list.count()):
            item = self.preset_list.item(i)
            if item.text() == name:
                item.setData(Qt.ItemDataRole.UserRole, preset)
                return
        item = QListWidgetItem(name)
        item.setData(Qt.ItemDataRole.UserRole, preset)
        self.preset_list.addItem(item)

    # --- result ------------------------------------------------------------
    def result_settings(self) -> AppSettings:
        servers = self._servers() or list(TSA_PRESETS)
        default = self.original.default_tsa
        for i in range(self.tsa_list.count()):
            if self.tsa_list.item(i).data(Qt.ItemDataRole.UserRole + 1):
                default = servers[i].url
        if default not in {s.url for s in servers}:
            default = servers[0].url
        mode = (
            "none"
            if self.proxy_none.isChecked()
            else ("manual" if self.proxy_manual.isChecked() else "system")
        )
        territories = tuple(
            self.territories.item(i).text()
            for i in range(self.territories.count())
            if self.territories.item(i).checkState() == Qt.CheckState.Checked
        )
        return replace(
            self.original,
            language=str(self.language.currentData()),
            default_level=str(self.level.currentData()),
            tsa_servers=tuple(servers),
            default_tsa=default,
            tsa_failover=tuple(servers[i].url for i in sorted(self._failover_rows())),
            tsa_test=self.tsa_test_result,
            eu_trust=self.eu_trust.isChecked(),
            eu_territories=territories,
            jp_trust=self.jp_trust.isChecked(),
            jp_list_url=self.jp_list_url.text().strip(),
            tl_mirror=self.tl_mirror.text().strip(),
            lotl_url=self.lotl_url.text().strip(),
            user_anchors=tuple(
                self.anchor_list.item(i).text() for i in range(self.anchor_list.count())
            ),
            validation_time=self.chosen_validation_time(),
            proxy_mode=mode,
            proxy_host=self.proxy_host.text().strip(),
            proxy_port=self.proxy_port.value(),
            proxy_user=self.proxy_user.text().strip(),
            timeout_s=self.timeout.value(),
            pkcs11_modules=tuple(
                self.module_list.item(i).text() for i in range(self.module_list.count())
            ),
            appearance_presets=tuple(
                self.preset_list.item(i).data(Qt.ItemDataRole.UserRole)
                for i in range(self.preset_list.count())
            ),
        )
