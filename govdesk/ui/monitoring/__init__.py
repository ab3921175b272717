"""The Monitoring area of the GUI (监测, issue 15)."""
