"""The Monitoring area (监测, issue 15): the access-log review workbench, and the tabs later
lanes add (alerts, dashboard) through :data:`govdesk.ui.monitoring.view.TAB_FACTORIES`."""
