"""All ORM tables; importing this package registers them on :data:`Base.metadata`."""

from __future__ import annotations

from govdesk.db.base import Base
from govdesk.db.models.access_import import AccessLogImport, AccessLogSource
from govdesk.db.models.backup import BackupJob, BackupPolicy, BackupSet
from govdesk.db.models.catalog import (
    Category,
    DataItem,
    DataResource,
    Grade,
    GradeScheme,
    GradeSuggestion,
    ResourceProfile,
    ResourceSample,
    ResourceSearch,
    ResourceVersion,
)
from govdesk.db.models.geo import Organisation, Region
from govdesk.db.models.monitor_alerts import (
    MonitorAlert,
    MonitorAlertEvent,
    MonitorCalendarDay,
    MonitorRule,
    MonitorWatermark,
)
from govdesk.db.models.monitoring import AccessReview, AccessReviewEvent
from govdesk.db.models.sharing import SharingGrant, SharingGrantEvent, SharingGrantItem
from govdesk.db.models.security import (
    AccessEvent,
    AuditAnchor,
    AuditEvent,
    Role,
    Setting,
    User,
)

__all__ = [
    "AccessEvent", "AccessLogImport", "AccessLogSource", "AccessReview", "AccessReviewEvent", "AuditAnchor", "AuditEvent", "BackupJob", "BackupPolicy", "BackupSet", "Base", "Category", "DataItem", "DataResource", "Grade", "GradeScheme", "GradeSuggestion", "MonitorAlert", "MonitorAlertEvent", "MonitorCalendarDay", "MonitorRule", "MonitorWatermark", "Organisation", "Region", "ResourceProfile", "ResourceSample", "ResourceSearch", "ResourceVersion", "Role", "Setting",
    "SharingGrant", "SharingGrantEvent", "SharingGrantItem",
    "User",
]
