"""sharing grants: scopes, data items, the workflow and its history, enforced by the database

Both databases:

* ``sharing_grants`` gains the grant's terms: a scope instead of one organisation (region prefix,
  and when set organisation kind and region level, resolved when read), ``all_items`` or the
  items in the new ``sharing_grant_items``, method, purpose code, legal basis, conditions
  accepted (and by whom), the items left out and why, origin (request or offer), stamps of each
  step (requested, first approval, decision, end) with a reason, and the grant a renewal
  renews. Statuses add ``offered``, ``first_approved``, ``released`` and ``lapsed``. Existing
  grants keep their status and stay valid: all items, requested at their creation, conditions
  of approved conditional grants recorded as accepted by their requester.
* ``sharing_grant_events``: every step (from, to, who, role, when, why).
* ``grades.max_grant_days``: the longest validity of a grant of data of that grade.
* the setting ``sharing.request_lapse_days``: a request unanswered that long lapses.

PostgreSQL (for any client, psql included):

* ``govdesk_shared_resource_ids()`` (the ``resources_read`` policy and the catalogue's definer
  functions read it) and the new ``govdesk_shared_item_ids()`` (the ``data_items_read``
  policy) give what grants **in force** give the caller's organisation: status ``approved``
  and ``govdesk_grant_day()`` (today in UTC+8, whatever the session's time zone) between
  ``valid_from`` and ``valid_until``, so an expired grant stops working with no job run; a
  scope grant covers every organisation in its scope at the time of the read. A grantee reads
  the granted items only, and only those whose effective grade allows the grant's type.
* ``govdesk_grant_rules()`` (BEFORE INSERT OR UPDATE): the state machine and separation of
  duties. Stamps come from ``session_user`` and the server clock; the requester, and for a
  second approval the first approver, cannot approve; the terms of a grant never change once
  written (a renewal is a new grant); a 不予共享 or unpublished resource cannot be granted; a
  conditional one needs its conditions accepted; validity within the grades' maximum.
  ``govdesk_grant_history()`` (AFTER) writes ``sharing_grant_events`` and the audit trail
  (event ``sharing_grant``). Only the database owner (demo loader) writes rows as given.
* ``govdesk_grant_item_rules()``: items are added by the requester, before any approval, of
  the grant's resource only, and never one whose grade forbids the grant's sharing type.
* policies replace 0003's ``USING (true)``: a grant is seen by the providing side (the
  resource lies in the caller's region), the receiving organisation (named or in scope) and
  its requester; nobody deletes one.
* ``govdesk_samples_columns`` (0015): a grantee's sample rows hold the granted items only.
* ``govdesk_grant_resource(code)`` / ``govdesk_grant_items(resource)``: the published
  catalogue metadata a request needs (a resource of another region is hidden by RLS).

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-03
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0025"
down_revision: str | None = "0024"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OLD_STATUSES = ("requested", "approved", "rejected", "revoked")
STATUSES = ("requested", "offered", "first_approved", "approved", "rejected", "revoked",
            "released", "lapsed")
KINDS = ("federation", "education", "civil_affairs", "hrss", "health")
METHODS = ("platform", "email", "media")
PURPOSES = ("eligibility_check", "service_delivery", "statistics", "supervision", "emergency",
            "other")
ORIGINS = ("request", "offer")

#: grade code -> the longest validity of a grant, in days (others: 365)
MAX_DAYS = {"core": 90, "important": 180, "general4": 180, "general3": 365, "general2": 730,
            "general1": 1095, "L4": 180, "L3": 365, "L2": 730, "L1": 1095}

LAPSE_SETTING = ("sharing.request_lapse_days", "14", "security",
                 "Days after which an unanswered sharing request lapses")


READS = r"""
-- Today as grants count days: UTC+8 (China Standard Time), whatever the session's TimeZone.
-- No SET clause (it names no object), so the planner inlines it.
CREATE OR REPLACE FUNCTION govdesk_grant_day() RETURNS date
LANGUAGE sql STABLE AS $$
  SELECT (now() AT TIME ZONE INTERVAL '+08:00')::date
$$;

-- Every grant (any status) that covers the organisation p_org: named, or in its scope now.
-- Internal: called inside definer functions only.
CREATE OR REPLACE FUNCTION govdesk_grants_covering(p_org integer) RETURNS SETOF sharing_grants
LANGUAGE sql STABLE SET search_path = public, pg_temp AS $$
  SELECT g.* FROM sharing_grants g WHERE p_org IS NOT NULL AND g.grantee_org_id = p_org
  UNION ALL
  SELECT g.* FROM sharing_grants g
  JOIN organisations o ON o.id = p_org
  JOIN regions rg ON rg.code = o.region_code
  WHERE g.scope_region_prefix IS NOT NULL
    AND o.region_code LIKE g.scope_region_prefix || '%'
    AND (g.scope_org_kind IS NULL OR g.scope_org_kind = o.kind)
    AND (g.scope_org_level IS NULL OR g.scope_org_level = rg.level)
$$;

-- Resources shared with the caller's organisation by a grant in force today.
CREATE OR REPLACE FUNCTION govdesk_shared_resource_ids() RETURNS integer[]
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT coalesce(array_agg(DISTINCT g.resource_id), '{}')
  FROM govdesk_grants_covering((SELECT w.organisation_id FROM govdesk_whoami() w)) g
  WHERE g.status = 'approved'
    AND (g.valid_from IS NULL OR g.valid_from <= (SELECT govdesk_grant_day()))
    AND (g.valid_until IS NULL OR g.valid_until >= (SELECT govdesk_grant_day()))
$$;

-- Data items those grants give: all or the listed ones, never one whose effective grade
-- does not allow the grant's sharing type.
CREATE OR REPLACE FUNCTION govdesk_shared_item_ids() RETURNS integer[]
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT coalesce(array_agg(DISTINCT i.id), '{}')
  FROM govdesk_grants_covering((SELECT w.organisation_id FROM govdesk_whoami() w)) g
  JOIN data_items i ON i.resource_id = g.resource_id
  JOIN data_resources r ON r.id = i.resource_id
  LEFT JOIN grades gr ON gr.id = coalesce(i.grade_id, r.grade_id)
  WHERE g.status = 'approved'
    AND (g.valid_from IS NULL OR g.valid_from <= (SELECT govdesk_grant_day()))
    AND (g.valid_until IS NULL OR g.valid_until >= (SELECT govdesk_grant_day()))
    AND (g.all_items OR EXISTS (SELECT 1 FROM sharing_grant_items x
                                WHERE x.grant_id = g.id AND x.item_id = i.id))
    AND (gr.id IS NULL OR (' ' || gr.sharing_types_allowed || ' ') LIKE '% ' || g.sharing_type || ' %')
$$;

-- Grants (any status) naming the caller's organisation or covering it by scope.
CREATE OR REPLACE FUNCTION govdesk_my_grant_ids() RETURNS integer[]
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT coalesce(array_agg(g.id), '{}')
  FROM govdesk_grants_covering((SELECT w.organisation_id FROM govdesk_whoami() w)) g
$$;

-- The grades that bind a grant: its resource's, and the effective grades of the items it gives.
CREATE OR REPLACE FUNCTION govdesk_grant_grades(p_grant integer) RETURNS SETOF grades
LANGUAGE sql STABLE SET search_path = public, pg_temp AS $$
  SELECT gr.* FROM sharing_grants g JOIN data_resources r ON r.id = g.resource_id
  JOIN grades gr ON gr.id = r.grade_id WHERE g.id = p_grant
  UNION
  SELECT gr.* FROM sharing_grants g JOIN data_items i ON i.resource_id = g.resource_id
  JOIN data_resources r ON r.id = g.resource_id
  JOIN grades gr ON gr.id = coalesce(i.grade_id, r.grade_id)
  WHERE g.id = p_grant
    AND (g.all_items OR EXISTS (SELECT 1 FROM sharing_grant_items x
                                WHERE x.grant_id = g.id AND x.item_id = i.id))
    AND (' ' || gr.sharing_types_allowed || ' ') LIKE '% ' || g.sharing_type || ' %'
$$;

-- The published catalogue metadata a request needs (RLS hides other regions' resources).
CREATE OR REPLACE FUNCTION govdesk_grant_resource(p_code text)
RETURNS TABLE (id integer, code text, name text, region_code text, sharing_type text,
               sharing_condition text, grade_id integer, provider_org_id integer)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT r.id, r.code::text, r.name::text, r.region_code::text, r.sharing_type::text,
         r.sharing_condition, r.grade_id, r.provider_org_id
  FROM data_resources r
  WHERE r.code = p_code AND r.status = 'published' AND EXISTS (SELECT 1 FROM govdesk_whoami())
$$;

CREATE OR REPLACE FUNCTION govdesk_grant_items(p_resource integer)
RETURNS TABLE (id integer, seq integer, name text, grade_id integer)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT i.id, i.seq, i.name::text, coalesce(i.grade_id, r.grade_id)
  FROM data_items i JOIN data_resources r ON r.id = i.resource_id
  WHERE i.resource_id = p_resource AND r.status = 'published'
    AND EXISTS (SELECT 1 FROM govdesk_whoami())
  ORDER BY i.seq
$$;

-- Code and name of each grant's resource and the names of its listed items, for the grants
-- the caller may see (a grantee sees a resource of another region only while a grant is in force).
CREATE OR REPLACE FUNCTION govdesk_grant_labels(p_grants integer[])
RETURNS TABLE (grant_id integer, code text, name text, items text[])
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT g.id, r.code::text, r.name::text,
         (SELECT array_agg(i.name::text ORDER BY i.seq) FROM sharing_grant_items x
          JOIN data_items i ON i.id = x.item_id WHERE x.grant_id = g.id)
  FROM sharing_grants g JOIN data_resources r ON r.id = g.resource_id
  WHERE g.id = ANY (p_grants) AND EXISTS (SELECT 1 FROM govdesk_whoami())
    AND (g.requested_by = session_user::text
         OR r.region_code LIKE govdesk_scope_prefix() || '%'
         OR g.id = ANY (govdesk_my_grant_ids()))
$$;

-- 0015's sample columns, for a grantee the granted items only (the caller's own region and
-- the owner: every item, as before).
CREATE OR REPLACE FUNCTION govdesk_samples_columns(p_resource_id integer, p_grade integer,
    p_unmask boolean)
RETURNS TABLE (name text, kind text, sensitive boolean)
LANGUAGE sql STABLE SET search_path = public, pg_temp AS $$
  SELECT DISTINCT ON (i.name) i.name::text,
         CASE WHEN coalesce(g.masking_required, false) AND NOT p_unmask
              THEN govdesk_mask_kind(i.standard_code) END,
         coalesce(g.masking_required, false) OR govdesk_mask_kind(i.standard_code) <> 'other'
  FROM data_items i LEFT JOIN grades g ON g.id = coalesce(i.grade_id, p_grade)
  WHERE i.resource_id = p_resource_id
    AND (NOT EXISTS (SELECT 1 FROM govdesk_whoami())
         OR EXISTS (SELECT 1 FROM data_resources r WHERE r.id = p_resource_id
                    AND r.region_code LIKE govdesk_scope_prefix() || '%')
         OR i.id = ANY (govdesk_shared_item_ids()))
  ORDER BY i.name, coalesce(g.masking_required, false) DESC, i.seq DESC
$$;

CREATE OR REPLACE FUNCTION govdesk_grant_lapse_days() RETURNS integer
LANGUAGE sql STABLE SET search_path = public, pg_temp AS $$
  SELECT coalesce((SELECT CASE WHEN s.value ~ '^[0-9]{1,5}$' THEN s.value::integer END
                   FROM settings s WHERE s.key = 'sharing.request_lapse_days'), 14)
$$;
"""

RULES = r"""
-- The state machine and separation of duties of sharing grants, for every client.
CREATE OR REPLACE FUNCTION govdesk_grant_rules() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  w record;
  r record;
  v_old record;
  v_now timestamptz := clock_timestamp();
  v_day date := govdesk_grant_day();
  v_provider boolean;
  v_needed integer;
  v_max integer;
  v_reason text;
  v_asked timestamptz;
BEGIN
  SELECT * INTO w FROM govdesk_whoami();
  IF NOT FOUND THEN
    IF govdesk_is_owner() THEN
      RETURN NEW;  -- the owner (demo loader, data migration) writes rows as given
    END IF;
    RAISE EXCEPTION 'only GovDesk users of this database change sharing grants'
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  SELECT x.id, x.region_code, x.status, x.sharing_type, x.sharing_condition, x.grade_id INTO r
  FROM data_resources x WHERE x.id = NEW.resource_id;
  v_provider := coalesce(r.region_code LIKE govdesk_region_prefix(w.region_code) || '%', false);

  IF TG_OP = 'INSERT' THEN
    IF r.id IS NULL OR r.status <> 'published' THEN
      RAISE EXCEPTION 'resource % is not published in the catalogue: it cannot be shared',
        NEW.resource_id USING ERRCODE = 'check_violation';
    END IF;
    IF r.sharing_type = 'none' THEN
      RAISE EXCEPTION 'resource % is not shared (不予共享): it cannot be granted', NEW.resource_id
        USING ERRCODE = 'check_violation';
    END IF;
    IF EXISTS (SELECT 1 FROM grades g WHERE g.id = r.grade_id
               AND (' ' || g.sharing_types_allowed || ' ') NOT LIKE '% ' || r.sharing_type || ' %') THEN
      RAISE EXCEPTION 'the grade of resource % does not allow % sharing', NEW.resource_id,
        r.sharing_type USING ERRCODE = 'check_violation';
    END IF;
    NEW.sharing_type := r.sharing_type;
    NEW.conditions := r.sharing_condition;
    IF r.sharing_type = 'conditional' AND NOT coalesce(NEW.conditions_accepted, false) THEN
      RAISE EXCEPTION 'the sharing conditions of resource % must be accepted', NEW.resource_id
        USING ERRCODE = 'check_violation';
    END IF;
    NEW.conditions_accepted_by := CASE WHEN NEW.conditions_accepted THEN session_user::text END;
    IF NEW.status = 'requested' THEN
      IF w.role_code <> 'data_admin' OR NEW.grantee_org_id IS DISTINCT FROM w.organisation_id THEN
        RAISE EXCEPTION 'a grant is requested by a data administrator of the receiving organisation, for it'
          USING ERRCODE = 'insufficient_privilege';
      END IF;
      NEW.origin := 'request';
    ELSIF NEW.status = 'offered' THEN
      IF w.role_code NOT IN ('data_admin', 'secadmin') OR NOT v_provider THEN
        RAISE EXCEPTION 'a grant is offered by the providing side: a data or security administrator of the resource''s region'
          USING ERRCODE = 'insufficient_privilege';
      END IF;
      NEW.origin := 'offer';
    ELSE
      RAISE EXCEPTION 'a grant starts as requested or offered, not %', NEW.status
        USING ERRCODE = 'check_violation';
    END IF;
    IF NEW.valid_from IS NULL OR NEW.valid_until IS NULL OR NEW.valid_from < v_day THEN
      RAISE EXCEPTION 'a grant runs from today or later (valid_from) to valid_until, both given'
        USING ERRCODE = 'check_violation';
    END IF;
    v_max := coalesce((SELECT g.max_grant_days FROM grades g WHERE g.id = r.grade_id), 365);
    IF NEW.valid_until - NEW.valid_from + 1 > v_max THEN
      RAISE EXCEPTION 'a grant of resource % may run at most % days', NEW.resource_id, v_max
        USING ERRCODE = 'check_violation';
    END IF;
    IF NEW.renews_grant_id IS NOT NULL THEN
      SELECT * INTO v_old FROM sharing_grants g WHERE g.id = NEW.renews_grant_id;
      IF v_old.id IS NULL OR v_old.status <> 'approved' OR v_old.valid_until IS NULL
         OR v_old.valid_until < v_day OR v_old.resource_id <> NEW.resource_id
         OR v_old.grantee_org_id IS DISTINCT FROM NEW.grantee_org_id
         OR v_old.scope_region_prefix IS DISTINCT FROM NEW.scope_region_prefix THEN
        RAISE EXCEPTION 'grant % cannot be renewed: only an approved grant that has not expired, for the same resource and grantee', NEW.renews_grant_id
          USING ERRCODE = 'check_violation';
      END IF;
      IF NEW.valid_from <> v_old.valid_until + 1 THEN
        RAISE EXCEPTION 'a renewal starts the day after the grant it renews ends (%)',
          v_old.valid_until + 1 USING ERRCODE = 'check_violation';
      END IF;
    END IF;
    NEW.requested_by := session_user::text;
    NEW.requested_at := v_now;
    NEW.first_approved_by := NULL; NEW.first_approved_at := NULL;
    NEW.decided_by := NULL; NEW.decided_at := NULL;
    NEW.ended_by := NULL; NEW.ended_at := NULL; NEW.reason := NULL;
    RETURN NEW;
  END IF;

  IF (NEW.resource_id, NEW.grantee_org_id, NEW.scope_region_prefix, NEW.scope_org_kind,
      NEW.scope_org_level, NEW.sharing_type, NEW.all_items, NEW.method, NEW.purpose_code,
      NEW.purpose, NEW.legal_basis, NEW.conditions, NEW.conditions_accepted,
      NEW.conditions_accepted_by, NEW.exclusions, NEW.origin, NEW.requested_by,
      NEW.requested_at, NEW.renews_grant_id, NEW.valid_from, NEW.valid_until)
     IS DISTINCT FROM
     (OLD.resource_id, OLD.grantee_org_id, OLD.scope_region_prefix, OLD.scope_org_kind,
      OLD.scope_org_level, OLD.sharing_type, OLD.all_items, OLD.method, OLD.purpose_code,
      OLD.purpose, OLD.legal_basis, OLD.conditions, OLD.conditions_accepted,
      OLD.conditions_accepted_by, OLD.exclusions, OLD.origin, OLD.requested_by,
      OLD.requested_at, OLD.renews_grant_id, OLD.valid_from, OLD.valid_until) THEN
    RAISE EXCEPTION 'the terms of sharing grant % cannot be changed: ask for a renewal or a new grant', OLD.id
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF NEW.status = OLD.status THEN
    IF (NEW.first_approved_by, NEW.first_approved_at, NEW.decided_by, NEW.decided_at,
        NEW.ended_by, NEW.ended_at, NEW.reason) IS DISTINCT FROM
       (OLD.first_approved_by, OLD.first_approved_at, OLD.decided_by, OLD.decided_at,
        OLD.ended_by, OLD.ended_at, OLD.reason) THEN
      RAISE EXCEPTION 'sharing grant % changes only by a step of its workflow', OLD.id
        USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
  END IF;
  -- a step: the stamps are the database's, the reason the caller's
  v_reason := nullif(btrim(NEW.reason), '');
  NEW.first_approved_by := OLD.first_approved_by; NEW.first_approved_at := OLD.first_approved_at;
  NEW.decided_by := OLD.decided_by; NEW.decided_at := OLD.decided_at;
  NEW.ended_by := OLD.ended_by; NEW.ended_at := OLD.ended_at; NEW.reason := v_reason;
  v_asked := coalesce(OLD.requested_at, OLD.created_at);

  IF OLD.status IN ('requested', 'offered', 'first_approved')
     AND NEW.status IN ('first_approved', 'approved', 'rejected') THEN
    IF w.role_code <> 'secadmin' OR NOT v_provider THEN
      RAISE EXCEPTION 'only a security administrator of the providing side decides sharing grant %', OLD.id
        USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF session_user::text = OLD.requested_by THEN
      RAISE EXCEPTION 'the requester of sharing grant % cannot decide it', OLD.id
        USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF NEW.status = 'rejected' THEN
      IF v_reason IS NULL THEN
        RAISE EXCEPTION 'rejecting sharing grant % needs a reason', OLD.id
          USING ERRCODE = 'check_violation';
      END IF;
      NEW.decided_by := session_user::text; NEW.decided_at := v_now;
      RETURN NEW;
    END IF;
    IF v_asked + make_interval(days => govdesk_grant_lapse_days()) <= v_now THEN
      RAISE EXCEPTION 'sharing grant % was left unanswered for % days and has lapsed', OLD.id,
        govdesk_grant_lapse_days() USING ERRCODE = 'check_violation';
    END IF;
    IF OLD.valid_until < v_day THEN
      RAISE EXCEPTION 'sharing grant % would end before today', OLD.id
        USING ERRCODE = 'check_violation';
    END IF;
    v_needed := greatest(1, coalesce((SELECT max(g.approvals_required)
                                      FROM govdesk_grant_grades(OLD.id) g), 0));
    v_max := coalesce((SELECT min(g.max_grant_days) FROM govdesk_grant_grades(OLD.id) g), 365);
    IF OLD.valid_until - OLD.valid_from + 1 > v_max THEN
      RAISE EXCEPTION 'sharing grant % may run at most % days', OLD.id, v_max
        USING ERRCODE = 'check_violation';
    END IF;
    IF OLD.status = 'first_approved' THEN
      IF session_user::text = OLD.first_approved_by THEN
        RAISE EXCEPTION 'the second approval of sharing grant % needs another security administrator', OLD.id
          USING ERRCODE = 'insufficient_privilege';
      END IF;
      IF NEW.status <> 'approved' THEN
        RAISE EXCEPTION 'sharing grant % cannot go from % to %', OLD.id, OLD.status, NEW.status
          USING ERRCODE = 'check_violation';
      END IF;
      NEW.decided_by := session_user::text; NEW.decided_at := v_now;
    ELSIF v_needed >= 2 THEN
      IF NEW.status <> 'first_approved' THEN
        RAISE EXCEPTION 'sharing grant % needs two security administrators: this approval is the first', OLD.id
          USING ERRCODE = 'check_violation';
      END IF;
      NEW.first_approved_by := session_user::text; NEW.first_approved_at := v_now;
    ELSE
      IF NEW.status <> 'approved' THEN
        RAISE EXCEPTION 'sharing grant % needs one approval', OLD.id
          USING ERRCODE = 'check_violation';
      END IF;
      NEW.decided_by := session_user::text; NEW.decided_at := v_now;
    END IF;
    RETURN NEW;
  END IF;

  IF OLD.status = 'approved' AND NEW.status IN ('revoked', 'released') THEN
    IF OLD.valid_until IS NOT NULL AND OLD.valid_until < v_day THEN
      RAISE EXCEPTION 'sharing grant % expired on %: there is nothing to end', OLD.id,
        OLD.valid_until USING ERRCODE = 'check_violation';
    END IF;
    IF NEW.status = 'revoked' THEN
      IF w.role_code <> 'secadmin' OR NOT v_provider THEN
        RAISE EXCEPTION 'only a security administrator of the providing side revokes sharing grant %', OLD.id
          USING ERRCODE = 'insufficient_privilege';
      END IF;
      IF v_reason IS NULL THEN
        RAISE EXCEPTION 'revoking sharing grant % needs a reason', OLD.id
          USING ERRCODE = 'check_violation';
      END IF;
    ELSIF w.role_code <> 'data_admin' OR OLD.grantee_org_id IS DISTINCT FROM w.organisation_id THEN
      RAISE EXCEPTION 'sharing grant % is released by a data administrator of the organisation it was granted to', OLD.id
        USING ERRCODE = 'insufficient_privilege';
    END IF;
    NEW.ended_by := session_user::text; NEW.ended_at := v_now;
    RETURN NEW;
  END IF;

  IF OLD.status IN ('requested', 'offered', 'first_approved') AND NEW.status = 'lapsed' THEN
    IF w.role_code NOT IN ('data_admin', 'secadmin') THEN
      RAISE EXCEPTION 'only data and security administrators mark requests lapsed'
        USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF v_asked + make_interval(days => govdesk_grant_lapse_days()) > v_now THEN
      RAISE EXCEPTION 'sharing grant % has not waited % days yet', OLD.id,
        govdesk_grant_lapse_days() USING ERRCODE = 'check_violation';
    END IF;
    NEW.ended_by := session_user::text; NEW.ended_at := v_now;
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'a sharing grant cannot go from % to %', OLD.status, NEW.status
    USING ERRCODE = 'check_violation';
END $$;

-- Every step into the history and the audit trail, from session_user and the server clock.
CREATE OR REPLACE FUNCTION govdesk_grant_history() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  v_from text;
  v_role text;
BEGIN
  IF TG_OP = 'UPDATE' THEN
    IF NEW.status = OLD.status THEN
      RETURN NULL;
    END IF;
    v_from := OLD.status;
  END IF;
  SELECT w.role_code INTO v_role FROM govdesk_whoami() w;
  IF v_role IS NULL THEN
    RETURN NULL;  -- the owner's loads are data, not steps
  END IF;
  INSERT INTO sharing_grant_events (grant_id, from_status, to_status, actor, actor_role, at, reason)
  VALUES (NEW.id, v_from, NEW.status, session_user::text, v_role, clock_timestamp(), NEW.reason);
  PERFORM govdesk_audit_as(session_user::text, 'sharing_grant', 'sharing_grants', NEW.id::text,
    true, host(inet_client_addr()),
    json_build_object('from', v_from, 'to', NEW.status, 'resource', NEW.resource_id,
                      'grantee', NEW.grantee_org_id, 'scope', NEW.scope_region_prefix,
                      'reason', NEW.reason)::text);
  RETURN NULL;
END $$;

-- Items are named by the requester before any approval, of the grant's resource only, and
-- never one whose grade forbids the grant's sharing type.
CREATE OR REPLACE FUNCTION govdesk_grant_item_rules() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  g record;
  v_ok boolean;
BEGIN
  IF NOT EXISTS (SELECT 1 FROM govdesk_whoami()) AND govdesk_is_owner() THEN
    RETURN NEW;
  END IF;
  SELECT * INTO g FROM sharing_grants x WHERE x.id = NEW.grant_id;
  IF g.id IS NULL OR g.requested_by IS DISTINCT FROM session_user::text
     OR g.status NOT IN ('requested', 'offered') OR g.all_items
     OR g.first_approved_by IS NOT NULL THEN
    RAISE EXCEPTION 'data items are named by the requester of a grant of chosen items, before any approval'
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  SELECT (gr.id IS NULL OR (' ' || gr.sharing_types_allowed || ' ') LIKE '% ' || g.sharing_type || ' %')
    INTO v_ok
  FROM data_items i JOIN data_resources r ON r.id = i.resource_id
  LEFT JOIN grades gr ON gr.id = coalesce(i.grade_id, r.grade_id)
  WHERE i.id = NEW.item_id AND i.resource_id = g.resource_id;
  IF v_ok IS NULL THEN
    RAISE EXCEPTION 'data item % is not an item of resource %', NEW.item_id, g.resource_id
      USING ERRCODE = 'check_violation';
  END IF;
  IF NOT v_ok THEN
    RAISE EXCEPTION 'the grade of data item % does not allow % sharing', NEW.item_id,
      g.sharing_type USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END $$;
"""

INTERNAL = ("govdesk_grants_covering(integer)", "govdesk_grant_grades(integer)",
            "govdesk_grant_rules()", "govdesk_grant_history()", "govdesk_grant_item_rules()",
            "govdesk_grant_lapse_days()")
FOR_READERS = ("govdesk_grant_day()", "govdesk_shared_item_ids()", "govdesk_my_grant_ids()",
               "govdesk_grant_labels(integer[])")
FOR_WRITERS = ("govdesk_grant_resource(text)", "govdesk_grant_items(integer)")

SCOPE = "(SELECT govdesk_scope_prefix())"
#: a grant is seen by its requester, the providing side and the organisations it covers.
#: The id lists are probed through a hashed sub-plan (``IN (SELECT unnest(…))``), built once
#: per statement; ``= ANY (array)`` scanned the whole array for every row (4,500 items against
#: 3,900 granted ones: 127 ms for a count).
GRANT_VISIBLE = (
    "requested_by = session_user OR EXISTS (SELECT 1 FROM data_resources r "
    f"WHERE r.id = resource_id AND r.region_code LIKE {SCOPE} || '%') "
    "OR id IN (SELECT unnest(govdesk_my_grant_ids()))")
ITEMS_VISIBLE = (
    f"EXISTS (SELECT 1 FROM data_resources r WHERE r.id = resource_id "
    f"AND r.region_code LIKE {SCOPE} || '%') "
    "OR id IN (SELECT unnest(govdesk_shared_item_ids()))")


def _pg_policies() -> None:
    op.execute(f"CREATE POLICY grants_read ON sharing_grants FOR SELECT USING ({GRANT_VISIBLE})")
    op.execute("CREATE POLICY grants_insert ON sharing_grants FOR INSERT "
               "WITH CHECK (requested_by = session_user)")
    op.execute(f"CREATE POLICY grants_update ON sharing_grants FOR UPDATE "
               f"USING ({GRANT_VISIBLE}) WITH CHECK (true)")
    op.execute("DROP POLICY IF EXISTS data_items_read ON data_items")
    op.execute(f"CREATE POLICY data_items_read ON data_items FOR SELECT USING ({ITEMS_VISIBLE})")
    parent = "EXISTS (SELECT 1 FROM sharing_grants g WHERE g.id = grant_id)"
    for table in ("sharing_grant_items", "sharing_grant_events"):
        op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        op.execute(f"CREATE POLICY {table}_read ON {table} FOR SELECT USING ({parent})")
    op.execute("CREATE POLICY sharing_grant_items_insert ON sharing_grant_items FOR INSERT "
               "WITH CHECK (EXISTS (SELECT 1 FROM sharing_grants g WHERE g.id = grant_id "
               "AND g.requested_by = session_user))")


def _pg_upgrade() -> None:
    bind = op.get_bind()
    group = {role: bind.execute(sa.text("SELECT govdesk_group(:r)"), {"r": role}).scalar_one()
             for role in ("sysadmin", "secadmin", "auditor", "data_admin", "viewer")}
    readers = ", ".join(f'"{group[r]}"' for r in ("secadmin", "data_admin", "viewer"))
    writers = ", ".join(f'"{group[r]}"' for r in ("secadmin", "data_admin"))
    every = ", ".join(f'"{g}"' for g in group.values())
    op.execute(READS)
    op.execute(RULES)
    for fn in (*INTERNAL, *FOR_READERS, *FOR_WRITERS):
        op.execute(f"REVOKE ALL ON FUNCTION {fn} FROM PUBLIC")
    for fn in FOR_READERS:
        op.execute(f"GRANT EXECUTE ON FUNCTION {fn} TO {readers}")
    for fn in FOR_WRITERS:
        op.execute(f"GRANT EXECUTE ON FUNCTION {fn} TO {writers}")
    tables = "sharing_grants, sharing_grant_items, sharing_grant_events"
    op.execute(f"REVOKE ALL ON {tables} FROM PUBLIC, {every}")
    op.execute(f"GRANT SELECT ON {tables} TO {readers}")
    op.execute(f"GRANT INSERT, UPDATE ON sharing_grants TO {writers}")
    op.execute(f"GRANT INSERT ON sharing_grant_items TO {writers}")
    op.execute(f"GRANT USAGE, SELECT ON SEQUENCE sharing_grants_id_seq TO {writers}")
    _pg_policies()
    op.execute("CREATE TRIGGER sharing_grants_rules BEFORE INSERT OR UPDATE ON sharing_grants "
               "FOR EACH ROW EXECUTE FUNCTION govdesk_grant_rules()")
    op.execute("CREATE TRIGGER sharing_grants_history AFTER INSERT OR UPDATE ON sharing_grants "
               "FOR EACH ROW EXECUTE FUNCTION govdesk_grant_history()")
    op.execute("CREATE TRIGGER sharing_grant_items_rules BEFORE INSERT ON sharing_grant_items "
               "FOR EACH ROW EXECUTE FUNCTION govdesk_grant_item_rules()")
    for event, ref in (("INSERT", "NEW TABLE AS new_rows"), ("UPDATE", "NEW TABLE AS new_rows"),
                       ("DELETE", "OLD TABLE AS old_rows")):
        name = event.lower()
        op.execute(f"CREATE TRIGGER sharing_grant_items_audit_{name} AFTER {event} "
                   f"ON sharing_grant_items REFERENCING {ref} FOR EACH STATEMENT "
                   "EXECUTE FUNCTION govdesk_audit_changes('grant_id')")
        for table, column in (("sharing_grants", "id"), ("sharing_grant_items", "grant_id")):
            op.execute(f"CREATE TRIGGER {table}_notify_grants_{name} AFTER {event} ON {table} "
                       f"REFERENCING {ref} FOR EACH STATEMENT "
                       f"EXECUTE FUNCTION govdesk_notify_changes('grants', '{column}')")


def _enum(name: str, values: tuple[str, ...]) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, create_constraint=True,
                   length=max(len(v) for v in values))


def _columns() -> list[sa.Column]:  # type: ignore[type-arg]
    return [
        sa.Column("scope_region_prefix", sa.String(12), nullable=True),
        sa.Column("scope_org_kind", _enum("org_kind", KINDS), nullable=True),
        sa.Column("scope_org_level", sa.Integer(), nullable=True),
        sa.Column("all_items", sa.Boolean(), nullable=False, server_default=sa.true()),
        sa.Column("method", _enum("sharing_method", METHODS), nullable=True),
        sa.Column("purpose_code", _enum("sharing_purpose", PURPOSES), nullable=True),
        sa.Column("legal_basis", sa.Text(), nullable=True),
        sa.Column("conditions_accepted", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("conditions_accepted_by", sa.String(63), nullable=True),
        sa.Column("exclusions", sa.Text(), nullable=True),
        sa.Column("origin", _enum("grant_origin", ORIGINS), nullable=False,
                  server_default="request"),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("first_approved_by", sa.String(63), nullable=True),
        sa.Column("first_approved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ended_by", sa.String(63), nullable=True),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("renews_grant_id", sa.Integer(), nullable=True),
    ]


def _schema() -> None:
    with op.batch_alter_table("grades") as batch:
        batch.add_column(sa.Column("max_grant_days", sa.Integer(), nullable=False,
                                   server_default="365"))
    grades = sa.table("grades", sa.column("code"), sa.column("max_grant_days"))
    for code, days in MAX_DAYS.items():
        op.execute(grades.update().where(grades.c.code == code).values(max_grant_days=days))
    with op.batch_alter_table("grades") as batch:
        batch.alter_column("max_grant_days", server_default=None)

    sqlite = op.get_bind().dialect.name == "sqlite"
    with op.batch_alter_table("sharing_grants", recreate="always" if sqlite else "auto") as batch:
        for column in _columns():
            batch.add_column(column)
        batch.alter_column("grantee_org_id", existing_type=sa.Integer(), nullable=True)
        if sqlite:  # the table is recreated with the new type's CHECK
            batch.alter_column("status", existing_type=_enum("grant_status", OLD_STATUSES),
                               type_=_enum("grant_status", STATUSES), existing_nullable=False)
        batch.create_foreign_key("fk_sharing_grants_renews_grant_id_sharing_grants",
                                 "sharing_grants", ["renews_grant_id"], ["id"])
        batch.create_check_constraint(
            "grantee_or_scope", "(grantee_org_id IS NULL) <> (scope_region_prefix IS NULL)")
        batch.create_check_constraint(
            "scope_level_range", "scope_org_level IS NULL OR scope_org_level BETWEEN 0 AND 5")
        batch.create_check_constraint(
            "validity_order",
            "valid_until IS NULL OR valid_from IS NULL OR valid_until >= valid_from")
        batch.create_index("ix_sharing_grants_status_resource", ["status", "resource_id"])
        batch.create_index("ix_sharing_grants_scope_region_prefix", ["scope_region_prefix"])

    if not sqlite:
        allowed = ", ".join(f"'{v}'" for v in STATUSES)
        for old in ("grants_read", "grants_request", "grants_decide"):  # 0003's, replaced below
            op.execute(f"DROP POLICY IF EXISTS {old} ON sharing_grants")
        op.execute("ALTER TABLE sharing_grants DROP CONSTRAINT ck_sharing_grants_grant_status")
        op.execute("ALTER TABLE sharing_grants ALTER COLUMN status TYPE VARCHAR(14)")
        op.execute("ALTER TABLE sharing_grants ADD CONSTRAINT ck_sharing_grants_grant_status "
                   f"CHECK (status IN ({allowed}))")
    grants = sa.table("sharing_grants", sa.column("requested_at"), sa.column("created_at"),
                      sa.column("status"), sa.column("sharing_type"),
                      sa.column("conditions_accepted"), sa.column("conditions_accepted_by"),
                      sa.column("requested_by"))
    op.execute(grants.update().values(requested_at=grants.c.created_at))
    op.execute(grants.update().where(grants.c.status == "approved",
                                     grants.c.sharing_type == "conditional")
               .values(conditions_accepted=True, conditions_accepted_by=grants.c.requested_by))

    op.create_table(
        "sharing_grant_items",
        sa.Column("grant_id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["grant_id"], ["sharing_grants.id"], ondelete="CASCADE",
                                name="fk_sharing_grant_items_grant_id_sharing_grants"),
        sa.ForeignKeyConstraint(["item_id"], ["data_items.id"], ondelete="CASCADE",
                                name="fk_sharing_grant_items_item_id_data_items"),
        sa.PrimaryKeyConstraint("grant_id", "item_id", name="pk_sharing_grant_items"),
    )
    op.create_index("ix_sharing_grant_items_item_id", "sharing_grant_items", ["item_id"])
    op.create_table(
        "sharing_grant_events",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("grant_id", sa.Integer(), nullable=False),
        sa.Column("from_status", sa.String(20), nullable=True),
        sa.Column("to_status", sa.String(20), nullable=False),
        sa.Column("actor", sa.String(63), nullable=False),
        sa.Column("actor_role", sa.String(20), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["grant_id"], ["sharing_grants.id"], ondelete="CASCADE",
                                name="fk_sharing_grant_events_grant_id_sharing_grants"),
        sa.PrimaryKeyConstraint("id", name="pk_sharing_grant_events"),
    )
    op.create_index("ix_sharing_grant_events_grant_id", "sharing_grant_events", ["grant_id"])
    settings = sa.table("settings", sa.column("key"), sa.column("value"), sa.column("scope"),
                        sa.column("description"), sa.column("version"))
    key, value, scope, description = LAPSE_SETTING
    op.bulk_insert(settings, [{"key": key, "value": value, "scope": scope,
                               "description": description, "version": 1}])


def upgrade() -> None:
    _schema()
    if op.get_bind().dialect.name == "postgresql":
        _pg_upgrade()


def downgrade() -> None:
    raise NotImplementedError(
        "0025 gives sharing grants statuses, scopes and history that 0022 cannot hold; restore "
        "a backup taken before the upgrade to go back.")
