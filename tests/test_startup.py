"""First launch: the embedded database is created, migrated and seeded; others are checked."""

from __future__ import annotations

import inspect
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from govdesk.config import default_db_url, default_sqlite_path, resolve_db_url
from govdesk.db.engine import Database
from govdesk.db.migrate import head_revision, upgrade, current_revision
from govdesk.db.models import DataResource
from govdesk.errors import SchemaError
from govdesk.startup import open_database

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def fresh_data_dir(tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("GOVDESK_DATA_DIR", str(tmp_path / "userdata"))
    return tmp_path / "userdata"


def test_first_launch_creates_and_seeds_the_embedded_database(fresh_data_dir) -> None:  # type: ignore[no-untyped-def]
    assert resolve_db_url() == default_db_url()
    assert not default_sqlite_path().exists()
    opened = open_database(default_db_url())
    assert opened.created and default_sqlite_path().is_file()
    with opened.db.session() as s:
        assert s.scalar(select(func.count()).select_from(DataResource)) == 300
    opened.db.dispose()
    again = open_database(default_db_url())
    assert not again.created
    again.db.dispose()


def test_embedded_database_is_upgraded_in_place(fresh_data_dir) -> None:  # type: ignore[no-untyped-def]
    db = Database(default_db_url())
    upgrade(db, "0001")
    db.dispose()
    opened = open_database(default_db_url())
    assert current_revision(opened.db) == head_revision()
    opened.db.dispose()


def test_other_databases_must_be_current(empty_db: Database) -> None:
    with pytest.raises(SchemaError, match="govdesk db upgrade"):
        open_database(empty_db.url)


def test_newer_database_is_never_opened(db: Database) -> None:
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = 'ffff0000'"))
    with pytest.raises(SchemaError, match="newer"):
        open_database(db.url)


def test_the_head_read_from_the_files_is_alembics() -> None:
    from govdesk.startup import head_from_files

    assert head_from_files() == head_revision()


def test_a_current_database_is_opened_without_alembic(db: Database) -> None:
    """The check at every start is one query: Alembic is not even imported for a current
    database (a fresh interpreter, so earlier tests' imports do not count)."""
    code = ("import sys; from govdesk.startup import open_database; "
            f"open_database({db.url!r}).db.dispose(); "
            "print(sorted(m for m in ('alembic', 'govdesk.demo.load', 'numpy') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert out.stdout.strip() == "[]", out.stderr


def test_importing_the_main_window_imports_no_heavy_library() -> None:
    """pandas, openpyxl, pyqtgraph, xlsxwriter, numpy and Alembic wait until a view needs them;
    of the areas only the module list is known, no view is imported."""
    heavy = ("pandas", "openpyxl", "pyqtgraph", "xlsxwriter", "numpy", "alembic",
             "govdesk.ui.classification.view", "govdesk.ui.admin.view", "govdesk.ui.audit.view")
    code = ("import sys; import govdesk.ui.main_window, govdesk.ui.app; "
            f"print(sorted(m for m in {heavy!r} if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen"})
    assert out.stdout.strip() == "[]", out.stderr


def test_area_specs_agree_with_their_views() -> None:
    """Each AreaSpec repeats its view's id, required operation and title source text."""
    from govdesk.ui.main_window import AREAS

    for spec in AREAS:
        cls = spec.load()
        assert (cls.__name__, cls.area_id, cls.required_op) == (
            spec.class_name, spec.area_id, spec.required_op)
        source = inspect.getsource(cls.area_title)
        assert f'self.tr("{spec.title}")' in source, spec
