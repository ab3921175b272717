"""The GUI's audit view names events and objects from the shared label table
(govdesk/security/audit_labels.py): every event type, the objects the services and the
triggers write, in Chinese and English."""

from __future__ import annotations

from govdesk.security.audit import EventType
from govdesk.security.audit_labels import EVENT_TYPE, event_label, object_label


def test_every_event_type_is_named() -> None:
    codes = {v for k, v in vars(EventType).items() if k.isupper()}
    assert codes == set(EVENT_TYPE.codes)
    for code in codes:
        assert event_label(code) != code and event_label(code, "en") != code


def test_the_objects_the_issue_saw_are_named() -> None:
    for code in ("data_resources", "user", "settings", "audit_events", "categories",
                 "grade_schemes", "grade_suggestions", "resource_samples"):
        assert object_label(code) != code and object_label(code).isascii() is False
    assert object_label("something_new") == "something_new"  # never hidden
