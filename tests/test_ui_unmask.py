"""GUI: the reason asked before personal data is shown unmasked (the audit keeps it)."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication

from govdesk.ui.app import create_application
from govdesk.ui.catalog.unmask_dialog import MAX_REASON, UnmaskReasonDialog
from ui_helpers import unnamed_controls

pytestmark = pytest.mark.gui


def test_no_reason_no_unmasked_view(qapp: QApplication, qtbot) -> None:  # type: ignore[no-untyped-def]
    create_application("zh_CN")
    dialog = UnmaskReasonDialog("101/000001 持证残疾人基本信息")
    qtbot.addWidget(dialog)
    assert not dialog.ok.isEnabled()  # no reason yet
    dialog.reason.setPlainText("   \n ")
    assert not dialog.ok.isEnabled()  # blanks are no reason
    for said_nothing in ("x", "。。。。", "核对", "a b!"):  # what the service would refuse
        dialog.reason.setPlainText(said_nothing)
        assert not dialog.ok.isEnabled(), said_nothing
    dialog.reason.setPlainText(" 核对残疾人证信息 ")
    assert dialog.ok.isEnabled() and dialog.text() == "核对残疾人证信息"
    dialog.reason.setPlainText("理" * (MAX_REASON + 50))
    assert len(dialog.text()) == MAX_REASON
    assert dialog.windowTitle() == "查看未脱敏数据的理由"
    assert unnamed_controls(dialog) == []
