"""Monitoring (监测, issue 15): the review of access events, the import of external access logs,
hourly rollups for the dashboard, alert rules kept as data and the alerts they raise with their
triage workflow.

Access events are *recorded* by :mod:`govdesk.security.access_log` (the security core every
feature uses, so the catalogue and sharing services can record without importing this
package); this package reads, imports, reviews and analyses them. It sits above the catalogue,
sharing and backup packages (the dashboard shows grading coverage, grants expiring and backup
health) and below the UI.
"""

from govdesk.monitoring import alert_messages as alert_messages  # registers the alerts' codes
from govdesk.monitoring import messages as messages  # registers the monitoring message codes
