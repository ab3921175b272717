"""a data item cannot take over sample values it would show in clear

Sample rows are JSON keyed by data-item name, and ``govdesk_samples()`` masks each column by the
grade of the item of that name. A data administrator could rename the 公民身份号码 item (grade
核心, masked) and add a new item of the same name with a grade that does not mask: the new
item then "owned" the stored citizen IDs and viewers read them in clear, with no unmask audit.
This trigger refuses, for GovDesk logins other than the security administrator, a new or
renamed data item whose name is a column of its resource's stored sample rows unless the
item's effective grade (its own, else its resource's) requires masking. The owner (loader,
migrations) is exempt like every working rule (``row_security_active``).

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-03
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FUNCTION = r"""
CREATE OR REPLACE FUNCTION govdesk_sample_column_rules() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  v_role text;
  v_masked boolean;
  r record;
BEGIN
  SELECT w.role_code INTO v_role FROM govdesk_whoami() w;
  IF v_role = 'secadmin' THEN
    RETURN NEW;
  END IF;
  SELECT coalesce(g.masking_required, false) INTO v_masked
  FROM grades g
  WHERE g.id = coalesce(NEW.grade_id,
                        (SELECT d.grade_id FROM data_resources d WHERE d.id = NEW.resource_id));
  IF coalesce(v_masked, false) THEN
    RETURN NEW;
  END IF;
  FOR r IN SELECT s.data FROM resource_samples s WHERE s.resource_id = NEW.resource_id LOOP
    BEGIN
      IF r.data::jsonb ? NEW.name THEN
        RAISE EXCEPTION 'the sample rows of this resource already hold a column named %; a data item of that name needs a grade that masks it (or a security administrator''s review)', NEW.name
          USING ERRCODE = 'insufficient_privilege';
      END IF;
    EXCEPTION WHEN invalid_text_representation THEN
      NULL;  -- a row that is not JSON names no column
    END;
  END LOOP;
  RETURN NEW;
END $$;
"""


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(FUNCTION)
    op.execute("REVOKE ALL ON FUNCTION govdesk_sample_column_rules() FROM PUBLIC")
    op.execute("""CREATE TRIGGER data_items_sample_columns_insert BEFORE INSERT ON data_items
        FOR EACH ROW WHEN (row_security_active('data_items'::regclass))
        EXECUTE FUNCTION govdesk_sample_column_rules()""")
    op.execute("""CREATE TRIGGER data_items_sample_columns_rename
        BEFORE UPDATE OF name, resource_id ON data_items
        FOR EACH ROW WHEN (row_security_active('data_items'::regclass)
                           AND (OLD.name IS DISTINCT FROM NEW.name
                                OR OLD.resource_id IS DISTINCT FROM NEW.resource_id))
        EXECUTE FUNCTION govdesk_sample_column_rules()""")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP TRIGGER IF EXISTS data_items_sample_columns_insert ON data_items")
    op.execute("DROP TRIGGER IF EXISTS data_items_sample_columns_rename ON data_items")
    op.execute("DROP FUNCTION IF EXISTS govdesk_sample_column_rules()")
