"""a user changes their own password through the database, audited by the database

``govdesk_account_own_password(verifier)`` (SECURITY DEFINER, owned by ``<prefix>_accounts``
like the other account functions of 0016): for the calling login only (``session_user``), an
active GovDesk user of this database, with a SCRAM-SHA-256 verifier computed by the client (no
password reaches the server or its logs); it changes the login's password and writes
``account_changed`` to the audit trail itself, so the record cannot be left out. The client-
reported events of ``govdesk_audit`` stay as they were: a client cannot report an account change.

PostgreSQL lets any login run ``ALTER ROLE CURRENT_USER PASSWORD …`` itself; no privilege can
take that away, and such a change is not audited and skips the strength policy. The README says
so (administrators who need it enforced set ``password_encryption`` and check ``pg_authid``'s
``rolvaliduntil``/verifiers, or restrict logins to the client through pg_hba and certificates).

Revision ID: 0027
Revises: 0026
Create Date: 2026-12-03
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0027"
down_revision: str | None = "0026"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ROLES = ("sysadmin", "secadmin", "auditor", "data_admin", "viewer")
SIGNATURE = "govdesk_account_own_password(text)"

FUNCTION = r"""
CREATE OR REPLACE FUNCTION govdesk_account_own_password(p_verifier text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM govdesk_whoami()) THEN
    RAISE EXCEPTION 'The database login % is not an active GovDesk user: it changes no password here.',
      session_user USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF p_verifier IS NULL OR p_verifier !~ '^SCRAM-SHA-256\$' THEN
    RAISE EXCEPTION 'a password must be given as a SCRAM-SHA-256 verifier'
      USING ERRCODE = 'invalid_parameter_value';
  END IF;
  EXECUTE format('ALTER ROLE %I PASSWORD %L', session_user, p_verifier);
  PERFORM govdesk_audit_as(session_user::text, 'account_changed', 'user', session_user::text,
                           true, host(inet_client_addr()), '{"password": "changed by the user"}');
END $$;
"""


def _as_accounts(sql: str) -> None:
    """Run ``sql`` as a member of ``<prefix>_accounts`` (which owns the account functions and
    holds CREATEROLE, migration 0016), for this migration only."""
    bind = op.get_bind()
    runner = bind.execute(sa.text("SELECT current_user")).scalar_one()
    prefix = bind.execute(sa.text("SELECT prefix FROM govdesk_instance")).scalar_one()
    accounts = f"{prefix}_accounts"
    op.execute(f'GRANT CREATE, USAGE ON SCHEMA public TO "{accounts}"')
    op.execute(f'GRANT "{accounts}" TO "{runner}"')
    op.execute(f'SET LOCAL ROLE "{accounts}"')
    op.execute(sql)
    op.execute("RESET ROLE")
    op.execute(f'REVOKE CREATE ON SCHEMA public FROM "{accounts}"')
    op.execute(f'REVOKE "{accounts}" FROM "{runner}"')


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return  # SQLite: the service replaces the stored hash and records the change
    groups = [bind.execute(sa.text("SELECT govdesk_group(:r)"), {"r": r}).scalar_one()
              for r in ROLES]
    _as_accounts(FUNCTION + f"REVOKE ALL ON FUNCTION {SIGNATURE} FROM PUBLIC;\n"
                 f"GRANT EXECUTE ON FUNCTION {SIGNATURE} TO "
                 + ", ".join(f'"{g}"' for g in groups) + ";")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"DROP FUNCTION IF EXISTS {SIGNATURE}")
