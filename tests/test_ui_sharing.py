"""GUI: the Sharing area (共享授权) on both databases, as real logins on PostgreSQL: a request made
in the dialog (items left out with why, the grades' longest validity enforced, conditions
accepted), approved twice in the review queue, then in force in the grantee's tab; reject needs a
reason; revoke, release and renewal; buttons enabled only where the step applies; the service
layer's refusals shown in Chinese; the history in words."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog

from govdesk.db.engine import Database
from govdesk.demo.users import DEMO_USERS
from govdesk.security.identity import Identity
from govdesk.sharing import decisions, workflow
from govdesk.sharing.dto import GrantInfo
from govdesk.ui.app import create_application
from govdesk.ui.ops import OperationRunner
from govdesk.ui.sharing.actions import Action
from govdesk.ui.sharing.detail import GrantDetailDialog
from govdesk.ui.sharing.dialogs import ReasonDialog, RenewDialog
from govdesk.ui.sharing.grants_tab import GrantsTab
from govdesk.ui.sharing.request_dialog import RequestDialog
from govdesk.ui.sharing.view import SharingView
from access_keys import clashes
from gui_walk import raw_codes
from ui_helpers import unnamed_controls
from test_sharing import TODAY, World, terms, world  # noqa: F401  (the fixture)

pytestmark = pytest.mark.gui


@pytest.fixture
def app(qapp: QApplication) -> QApplication:
    return create_application("zh_CN")


def open_view(qtbot: Any, login: tuple[Database, Identity]) -> SharingView:
    db, who = login
    view = SharingView(db, who, OperationRunner(show_errors=False))
    qtbot.addWidget(view)
    view.show()
    view.activate()
    idle(view)
    return view


def idle(view: SharingView) -> None:
    assert view.runner.wait_idle()


def tab(view: SharingView, tab_id: str) -> GrantsTab:
    found = view.show_tab(tab_id)
    idle(view)
    assert isinstance(found, GrantsTab)
    return found


def pick(view: SharingView, t: GrantsTab, grant_id: int) -> GrantInfo:
    assert t.table.select_grant(grant_id), [g.id for g in t.table.rows]
    idle(view)
    grant = t.selected()
    assert grant is not None and grant.id == grant_id
    return grant


def enabled(t: GrantsTab) -> set[str]:
    return {k.value for k, b in t.buttons.items() if isinstance(k, Action) and b.isEnabled()}


def test_request_in_the_dialog_two_approvals_then_active_for_the_grantee(
        app: QApplication, qtbot: Any, world: World) -> None:
    w = world
    nb = open_view(qtbot, w.as_("nb_admin"))
    mine = tab(nb, "requests")
    assert set(mine.buttons) >= {"request", Action.RENEW, Action.RELEASE}
    assert "approve" not in {getattr(k, "value", k) for k in mine.buttons}  # not a decider
    seen: dict[str, Any] = {}

    def fill(dialog: QDialog) -> bool:
        assert isinstance(dialog, RequestDialog)
        dialog.picker.search.setText(w.conditional)
        dialog.picker.run_search()
        qtbot.waitUntil(lambda: dialog.resource is not None, timeout=15_000)
        idle(nb)
        items = [dialog.items.item(r) for r in range(dialog.items.count())]
        core = [i for i in items if w.core_item in i.text()]
        assert core and not core[0].flags() & Qt.ItemFlag.ItemIsEnabled  # left out, disabled
        assert "已排除" in core[0].text()
        assert not dialog.ok.isEnabled()  # 有条件共享: conditions not yet accepted
        seen["limit"] = dialog.limit.text()
        seen["latest"] = dialog.valid_until.maximumDate().toPython()
        dialog.conditions.setChecked(True)
        dialog.purpose_text.setText("两项补贴资格比对")
        assert dialog.ok.isEnabled()
        dialog.accept()
        qtbot.waitUntil(lambda: dialog.result() == QDialog.DialogCode.Accepted
                        or bool(dialog.error.text()), timeout=15_000)
        assert not dialog.error.text(), dialog.error.text()
        return True

    mine.steps.answer = fill
    mine.steps.new_request()
    idle(nb)
    assert "两位不同的安全管理员" in seen["limit"] and "180" in seen["limit"]
    assert seen["latest"] == TODAY + dt.timedelta(days=179)  # general4: 180 days at most
    asked = mine.selected()
    assert asked is not None and asked.state == "requested"  # listed and kept selected
    assert "等待提供方审批" in mine.status.text()
    assert enabled(mine) == set()  # nothing to release or renew before approval

    sec = open_view(qtbot, w.as_("hz_sec"))
    queue = tab(sec, "review")
    pick(sec, queue, asked.id)
    assert enabled(queue) == {"approve", "reject"}
    queue.steps.approve(queue.selected())  # type: ignore[arg-type]
    idle(sec)
    assert "须由另一位安全管理员第二次批准" in queue.status.text()
    assert asked.id not in [g.id for g in queue.table.rows]  # not theirs to approve again
    everything = tab(sec, "all")
    first = pick(sec, everything, asked.id)
    assert first.state == "first_approved" and enabled(everything) == {"reject"}

    sec2 = open_view(qtbot, w.as_("hz_sec2"))
    second = tab(sec2, "review")
    second.steps.approve(pick(sec2, second, asked.id), note="同意")
    idle(sec2)
    assert "已批准授权" in second.status.text() and "生效中" in second.status.text()

    held = tab(nb, "organisation")
    grant = pick(nb, held, asked.id)
    assert grant.state == "active" and enabled(held) == {"release", "renew"}
    row = held.table.rows.index(grant)
    assert held.table.item(row, 3).text() == "生效中"
    assert held.table.item(row, 5).text() == "90 天"
    qtbot.waitUntil(lambda: held.detail.history.rowCount() == 3, timeout=15_000)
    steps = [held.detail.history.item(r, 4).text() for r in range(3)]
    assert steps == ["待审批（申请）", "待第二人审批", "已批准"]
    assert held.detail.history.item(1, 2).text() == "安全管理员"
    names = {w.as_(n)[1].username for n in w.logins} | {u[0] for u in DEMO_USERS}
    assert not raw_codes(nb, lambda t: t in names)


def test_reject_needs_a_reason_and_the_refusal_is_in_chinese(
        app: QApplication, qtbot: Any, world: World) -> None:
    w = world
    g = workflow.request_grant(*w.as_("nb_admin"), w.plain, terms())
    sec = open_view(qtbot, w.as_("hz_sec"))
    queue = tab(sec, "review")
    grant = pick(sec, queue, g.id)
    dialog = ReasonDialog("驳回", "为什么驳回？", True, queue)
    assert not dialog.ok.isEnabled()
    dialog.text.setPlainText("  ")
    assert not dialog.ok.isEnabled()
    dialog.text.setPlainText("用途不明确")
    assert dialog.ok.isEnabled()
    queue.steps.reject(grant, "")  # the service refuses a blank reason, whatever the client
    idle(sec)
    assert queue.status.text() == "驳回须填写原因。"
    assert sec.runner.errors == ["驳回须填写原因。"]

    def fill(d: QDialog) -> bool:
        assert isinstance(d, ReasonDialog) and d.required
        d.text.setPlainText("用途不明确，请补充依据")
        return True

    queue.steps.answer = fill
    queue.steps.ask(Action.REJECT)
    idle(sec)
    assert queue.status.text() == f"已驳回授权 {g.id}。"
    assert g.id not in [x.id for x in queue.table.rows]
    nb = open_view(qtbot, w.as_("nb_admin"))
    mine = tab(nb, "requests")
    rejected = pick(nb, mine, g.id)
    assert rejected.state == "rejected" and enabled(mine) == set()
    qtbot.waitUntil(lambda: mine.detail.fields["reason"].text() == "用途不明确，请补充依据",
                    timeout=15_000)


def test_revoke_release_and_renewal(app: QApplication, qtbot: Any, world: World) -> None:
    w = world
    a = workflow.request_grant(*w.as_("nb_admin"), w.plain, terms())
    decisions.approve(*w.as_("hz_sec"), a.id)
    b = workflow.request_grant(*w.as_("nb_admin"), w.plain,
                               terms(valid_until=TODAY + dt.timedelta(days=30)))
    decisions.approve(*w.as_("hz_sec"), b.id)

    sec = open_view(qtbot, w.as_("hz_sec"))
    everything = tab(sec, "all")
    pick(sec, everything, a.id)
    assert enabled(everything) == {"revoke"}
    everything.steps.answer = lambda d: (d.text.setPlainText("协议终止") or True)  # type: ignore[attr-defined]
    everything.steps.ask(Action.REVOKE)
    idle(sec)
    assert everything.status.text() == f"已撤销授权 {a.id}，共享已停止。"
    revoked = everything.selected()  # still selected after the reload
    assert revoked is not None and revoked.id == a.id and revoked.state == "revoked"
    assert enabled(everything) == set()

    nb = open_view(qtbot, w.as_("nb_admin"))
    held = tab(nb, "organisation")
    assert pick(nb, held, a.id).state == "revoked" and enabled(held) == set()
    pick(nb, held, b.id)
    seen: dict[str, Any] = {}

    def renew(d: QDialog) -> bool:
        assert isinstance(d, RenewDialog)
        seen["range"] = (d.until.minimumDate().toPython(), d.until.maximumDate().toPython())
        d.until.setDate(d.until.minimumDate().addDays(59))
        return True

    held.steps.answer = renew
    held.steps.ask(Action.RENEW)
    idle(nb)
    start = TODAY + dt.timedelta(days=31)
    assert seen["range"][0] == start and seen["range"][1] > start
    assert "申请续期" in held.status.text(), held.status.text()
    mine = tab(nb, "requests")
    renewal = next(g for g in mine.table.rows if g.renews_grant_id == b.id)
    assert (renewal.state, renewal.valid_from) == ("requested", start)
    assert renewal.valid_until == start + dt.timedelta(days=59)

    held = tab(nb, "organisation")
    pick(nb, held, b.id)
    held.steps.answer = lambda d: (d.text.setPlainText("核查完成") or True)  # type: ignore[attr-defined]
    held.steps.ask(Action.RELEASE)
    idle(nb)
    assert held.status.text() == f"已提前释放授权 {b.id}。"
    assert held.selected().state == "released" and enabled(held) == set()  # type: ignore[union-attr]


def test_actions_only_where_they_apply_and_stale_steps_refused_in_chinese(
        app: QApplication, qtbot: Any, world: World) -> None:
    w = world
    offered = workflow.offer_grant(*w.as_("hz_sec"), w.plain, terms(), grantee="CDPF-330200")
    sec = open_view(qtbot, w.as_("hz_sec"))
    assert offered.id not in [g.id for g in tab(sec, "review").table.rows]  # own offer
    everything = tab(sec, "all")
    pick(sec, everything, offered.id)
    assert enabled(everything) == set()  # the one who offered neither approves nor rejects
    nb_sec = open_view(qtbot, w.as_("nb_sec"))  # another region: not the providing side
    assert offered.id not in [g.id for g in tab(nb_sec, "review").table.rows]
    other = tab(nb_sec, "all")
    if offered.id in [g.id for g in other.table.rows]:  # seen as the grantee's organisation
        pick(nb_sec, other, offered.id)
        assert enabled(other) == set()
    viewer = open_view(qtbot, w.as_("nb_viewer"))
    assert viewer.tab_ids == ["organisation"]
    assert not [k for k in viewer.tab("organisation").buttons if isinstance(k, Action)]  # type: ignore[attr-defined]

    sec2 = open_view(qtbot, w.as_("hz_sec2"))
    queue = tab(sec2, "review")
    stale = pick(sec2, queue, offered.id)
    decisions.reject(*w.as_("hz_sec2"), offered.id, "重复提供")  # meanwhile, elsewhere
    queue.steps.approve(stale)
    idle(sec2)
    assert queue.status.text() == f"授权 {offered.id} 当前为“已驳回”，不能批准。"
    assert sec2.runner.errors == [queue.status.text()]


def test_offer_to_a_scope_and_every_dialog_named_and_without_key_clashes(
        app: QApplication, qtbot: Any, world: World) -> None:
    """An offer to every county federation under 杭州市 from the dialog; every view and dialog
    of the area: each control has an accessible name, no Alt+letter twice."""
    w = world
    sec = open_view(qtbot, w.as_("hz_sec"))
    everything = tab(sec, "all")
    found: list[str] = [f"view: {c}" for c in clashes(sec)] + unnamed_controls(sec)
    made: dict[str, Any] = {}

    def fill(dialog: QDialog) -> bool:
        assert isinstance(dialog, RequestDialog) and dialog.grantee is not None
        dialog.show()
        dialog.picker.search.setText(w.plain)
        dialog.picker.run_search()
        qtbot.waitUntil(lambda: dialog.resource is not None, timeout=15_000)
        idle(sec)
        dialog.grantee.many.setChecked(True)
        dialog.grantee.prefix.setText("3301")
        dialog.grantee.kind.setCurrentIndex(dialog.grantee.kind.findData("federation"))
        dialog.grantee.level.setCurrentIndex(dialog.grantee.level.findData(3))
        made["summary"] = dialog.grantee.summary.text()
        found.extend(f"request dialog: {c}" for c in clashes(dialog))
        found.extend(unnamed_controls(dialog))
        dialog.accept()
        qtbot.waitUntil(lambda: dialog.result() == QDialog.DialogCode.Accepted
                        or bool(dialog.error.text()), timeout=15_000)
        assert not dialog.error.text(), dialog.error.text()
        return True

    everything.steps.answer = fill
    everything.steps.new_request(offer=True)
    idle(sec)
    assert made["summary"] == "杭州市所有县级残疾人联合会"
    offered = everything.selected()
    assert offered is not None and offered.scope is not None
    assert everything.table.item(everything.table.rows.index(offered), 2).text() == \
        "杭州市所有县级残疾人联合会"
    assert "等待安全管理员批准" in everything.status.text()
    for dialog in (ReasonDialog("驳回", "为什么驳回？", True, sec),):
        found += [f"reason dialog: {c}" for c in clashes(dialog)] + unnamed_controls(dialog)
    approved = workflow.request_grant(*w.as_("nb_admin"), w.conditional, terms())
    decisions.approve(*w.as_("hz_sec"), approved.id)
    decisions.approve(*w.as_("hz_sec2"), approved.id)
    nb = open_view(qtbot, w.as_("nb_admin"))
    held = tab(nb, "organisation")
    grant = pick(nb, held, approved.id)
    found += [f"organisation tab: {c}" for c in clashes(nb)] + unnamed_controls(nb)
    shown: list[QDialog] = []

    def look(dialog: QDialog) -> bool:
        dialog.show()
        shown.append(dialog)
        found.extend(f"{type(dialog).__name__}: {c}" for c in clashes(dialog))
        found.extend(unnamed_controls(dialog))
        return False

    held.steps.answer = look
    held.steps.ask(Action.RENEW)
    idle(nb)
    qtbot.keyClick(held.table, Qt.Key.Key_Return)  # Enter opens the detail
    idle(nb)
    assert [type(d).__name__ for d in shown] == ["RenewDialog", "GrantDetailDialog"]
    detail = shown[1]
    assert isinstance(detail, GrantDetailDialog) and detail.pane.grant.id == grant.id  # type: ignore[union-attr]
    assert detail.pane.history.rowCount() == 3
    # (a date edit's own line edit is Qt's sub-control: the date edit carries the name)
    assert [f for f in found if "qt_spinbox_lineedit" not in f] == []
