"""Every audit event type and object type has a Chinese and an English name."""

from __future__ import annotations

from govdesk.db.base import Base
from govdesk.security.audit import EventType
from govdesk.security.audit_labels import AUDIT_EVENT, AUDIT_OBJECT, event_name, object_name


def test_every_event_type_is_named() -> None:
    codes = {v for k, v in vars(EventType).items() if k.isupper()}
    assert codes == set(AUDIT_EVENT.codes)
    for code in codes:
        assert event_name(code) != code and event_name(code, "en") != code
    assert event_name("audit_archive") == "审计归档"


def test_every_table_and_service_object_is_named() -> None:
    import govdesk.db.models  # noqa: F401  (registers the tables)

    tables = set(Base.metadata.tables)
    assert tables <= set(AUDIT_OBJECT.codes), tables - set(AUDIT_OBJECT.codes)
    assert object_name("data_resources") == "数据资源" and object_name("user") == "用户账号"
    assert object_name("something_new") == "something_new"  # never hidden
