"""The access actions each rule looks at, named once: the rules read these sets, never literal
codes, so an action the events lane adds to :data:`govdesk.vocab.ACCESS_ACTION` (a login, a
denial, a masked or unmasked sample view) reaches every rule that should see it by being listed
here. Each set keeps only codes the vocabulary defines today (:func:`defined`), so a code listed
ahead of its vocabulary entry is simply not looked for yet.
"""

from __future__ import annotations

from govdesk import vocab

#: reads of a resource's data (what "access with no active grant" and the grade rules judge)
READ_ACTIONS = ("query", "download", "api", "export", "view", "sample_view", "sample_unmask")
#: what takes rows out of GovDesk (bulk exports)
EXPORT_ACTIONS = ("export", "download")
#: a login (the "new host" rule; without any, every event's host counts)
LOGIN_ACTIONS = ("login",)
#: an action that is itself a refusal (besides any event with ``success`` false)
DENIAL_ACTIONS = ("denied", "denial", "rls_filtered")


def defined(codes: tuple[str, ...]) -> tuple[str, ...]:
    """Those of ``codes`` that :data:`govdesk.vocab.ACCESS_ACTION` defines."""
    known = set(vocab.ACCESS_ACTION.codes)
    return tuple(c for c in codes if c in known)
