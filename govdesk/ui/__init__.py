"""The Qt desktop interface. The only package allowed to import PySide6."""
