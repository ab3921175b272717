"""The catalogue's editing actions: open the editor (new or selected resource), the bulk
re-grade, the history, and the workflow steps. Each says in the status bar what it saved, and
the list keeps the selection on what was changed once it has reloaded."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject

from govdesk import vocab
from govdesk.catalog.dto import ResourceDetail
from govdesk.ui.i18n import term
from govdesk.ui.status import show_status

if TYPE_CHECKING:
    from govdesk.ui.catalog.view import CatalogView


class CatalogEditing(QObject):
    """Editing actions of one catalogue view."""

    def __init__(self, view: CatalogView) -> None:
        super().__init__(view)
        self.view = view

    def update_actions(self, d: ResourceDetail | None) -> None:
        """Enable what applies to the shown resource ``d`` (None: nothing is selected)."""
        view = self.view
        status = d.status if d else None
        view.edit_button.setEnabled(d is not None)
        view.history_button.setEnabled(d is not None)
        view.submit_button.setEnabled(status == "draft")
        reviewing = status in ("registration_review", "publication_review")
        view.approve_button.setEnabled(reviewing)
        view.return_button.setEnabled(reviewing)
        view.regrade_button.setEnabled(bool(view.table.selectionModel().selectedRows()))

    def _keep(self, ids: list[int]) -> None:
        """Select ``ids`` again when the list reloads (it does next, from the change bus)."""
        self.view._keep_selected = ids

    def open_editor(self, load: Callable[[], Any], resource_id: int | None) -> None:
        """Load the value lists and the draft in the background, then open the editor."""
        from govdesk.catalog.editing.resources import editor_choices
        from govdesk.ui.catalog.editor import ResourceEditor

        view = self.view
        db, who = view.db, view.who

        def fetch() -> Any:
            return editor_choices(db, who), load()

        def opened(result: Any) -> None:
            choices, (draft, version) = result
            view.editor = ResourceEditor(db, who, view.runner, choices, draft, resource_id,
                                         version, view)
            view.editor.accepted.connect(self.editor_saved)
            view.editor.open()

        view.runner.run(fetch, opened)

    def editor_saved(self) -> None:
        """Say what was saved and keep (or put) the selection on it."""
        saved = self.view.editor.saved if self.view.editor is not None else None
        if saved is None:
            return
        self._keep([saved.resource_id])
        show_status(self.view, self.tr("Saved %1 (version %2)").replace("%1", saved.code)
                    .replace("%2", str(saved.version)))

    def new_resource(self) -> None:
        from govdesk.catalog.editing.resources import ItemDraft, ResourceDraft

        view = self.view
        region = view.who.region_code or "330000000000"
        category = view.model.filter.category_code or "101"
        draft = ResourceDraft(name="", category_code=category, provider_org_id=0,
                              region_code=region, format="database", sharing_type="conditional",
                              open_type="none", update_cycle="monthly",
                              items=(ItemDraft("", "C"),))
        self.open_editor(lambda: (draft, None), None)

    def edit_current(self) -> None:
        from govdesk.catalog.editing.resources import load_draft

        view = self.view
        d = view.detail.detail
        if d is None:
            return
        db, who, rid = view.db, view.who, d.id
        self.open_editor(lambda: load_draft(db, who, rid), rid)

    def regrade_selected(self) -> None:
        from govdesk.ui.catalog.regrade_dialog import RegradeDialog

        view = self.view
        ids = view.selected_ids()
        if not ids:
            return
        grades = [(view.grade.itemData(i), view.grade.itemText(i))
                  for i in range(1, view.grade.count())]
        view.regrade_dialog = RegradeDialog(view.db, view.who, view.runner, ids, grades, view)
        view.regrade_dialog.regraded.connect(lambda n: self._regraded(ids, n))
        view.regrade_dialog.open()

    def _regraded(self, ids: list[int], changed: int) -> None:
        self._keep(ids)
        show_status(self.view, self.tr("Re-graded %n resource(s)", "", changed))

    def show_history(self) -> None:
        from govdesk.ui.catalog.history import HistoryDialog

        view = self.view
        d = view.detail.detail
        if d is None:
            return
        view.history = HistoryDialog(view.db, view.who, view.runner, d.id, d.code, view)
        view.history.open()

    def workflow(self, step: str) -> None:
        """Move the shown resource one step (errors such as reviewing one's own work are
        shown as messages); the status bar says where it went."""
        from govdesk.catalog.editing import workflow

        view = self.view
        d = view.detail.detail
        if d is None:
            return
        action = {"submit": workflow.submit, "approve": workflow.approve,
                  "return": workflow.return_to_draft}[step]
        db, who, rid, code = view.db, view.who, d.id, d.code
        done = {"submit": self.tr("%1 submitted for review"),
                "approve": self.tr("%1 approved: now %2"),
                "return": self.tr("%1 returned to draft")}[step]
        kept = view.selected_ids()

        def moved(status: str) -> None:
            self._keep(kept)
            show_status(view, done.replace("%1", code)
                        .replace("%2", term(vocab.WORKFLOW_STATUS, status)))

        view.runner.run(lambda: action(db, who, rid), moved)
