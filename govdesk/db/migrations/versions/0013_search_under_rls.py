"""PostgreSQL: catalogue reads that stay fast under row-level security, through SECURITY DEFINER
functions that apply the caller's ``resources_read`` scope themselves (see docs/architecture.md,
"Search under row-level security"). SQLite is unchanged.

Why: for a login subject to RLS the planner evaluates the policy's quals before any qual whose
operator is not LEAKPROOF, and never uses such a qual as an index condition. The bigram (``@>``)
and trigram (``LIKE``) operators are not leakproof, so every search read the whole search table
(p95 1.2-1.3 s on the province demo, against 32 ms for the owner). The policy's scope also comes
from sub-selects, so the planner sees it only as a parameter and estimates 0.5 % of the rows
visible for every query, which gave bad plans for lists and counts.

The functions run as their owner (the migration runner, to whom RLS does not apply), take the
scope from ``govdesk_scope_prefix()`` and ``govdesk_shared_resource_ids()`` evaluated for
``session_user`` (the login calling them), and put it into their statements as literals, so
plans are made for the caller's real scope and the search indexes are used:

- ``govdesk_catalog_matches``: search documents containing every term (sample, or first page in
  code order below a bound), visible to the caller;
- ``govdesk_catalog_page``: one sorted page of visible resource ids matching a filter;
- ``govdesk_catalog_count``: how many visible resources match a filter (optionally capped);
- ``govdesk_catalog_counts``: visible resources per region or per category;
- ``govdesk_catalog_item_counts``: the number of data items of visible resources (a list
  column).

Every one returns only rows the ``resources_read`` policy shows the caller, and only to logins
that may read ``data_resources`` (EXECUTE for viewer, data and security administrators only,
and a check of the caller's SELECT privilege inside).

The search documents carry their resource's region (``resource_search.region_code``, always
copied from ``data_resources`` by triggers, whatever a client writes) with an index, so a
regional search ANDs the term's index with its region instead of visiting every match; the
result is checked against ``data_resources`` itself before it is returned.

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-30
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: region prefix lengths (province, city, county) whose documents can be walked in code order
WALK_PREFIXES = (2, 4, 6)

#: the groups that may read the catalogue (0003: SELECT on data_resources)
READERS = "govdesk_viewer, govdesk_data_admin, govdesk_secadmin"

#: functions callable by the readers
PUBLIC_FUNCTIONS = (
    "govdesk_catalog_matches(text, text[], text, integer, integer, boolean)",
    "govdesk_catalog_page(jsonb, text, boolean, integer, integer)",
    "govdesk_catalog_count(jsonb, integer)",
    "govdesk_catalog_counts(text)",
    "govdesk_catalog_item_counts(integer[])",
)
#: helpers only the functions above call
INTERNAL_FUNCTIONS = (
    "govdesk_catalog_guard()",
    "govdesk_catalog_scope()",
    "govdesk_catalog_visible_sql(text, text, text, integer[])",
    "govdesk_catalog_terms_sql(text, text[])",
    "govdesk_catalog_filter_sql(jsonb)",
    "govdesk_search_region()",
    "govdesk_search_region_moved()",
)

FUNCTIONS = r"""
-- Refuse logins that may not read the catalogue (EXECUTE is granted to readers only; this
-- also holds if a grant is ever widened by mistake).
CREATE OR REPLACE FUNCTION govdesk_catalog_guard() RETURNS void
LANGUAGE plpgsql STABLE SET search_path = public, pg_temp AS $$
BEGIN
  IF NOT has_table_privilege(session_user, 'public.data_resources', 'SELECT') THEN
    RAISE EXCEPTION 'permission denied: % may not read the catalogue', session_user
      USING ERRCODE = 'insufficient_privilege';
  END IF;
END $$;

-- The resources_read policy (0003) for the login calling: "region_code LIKE prefix || '%' OR
-- id = ANY (shared)", with the prefix and the shared ids evaluated now, for session_user, by
-- the same functions the policy calls. prefix '' when the policy holds for every row: a
-- prefix of '' (national scope) matches every region (region_code is NOT NULL), and so does a
-- prefix of digits that every resource's region starts with (a province's users in that
-- province's database), which the pattern index tells at once: the codes starting with it
-- are exactly those in [prefix, next) in byte order, next being the prefix with its last
-- digit counted up.
CREATE OR REPLACE FUNCTION govdesk_catalog_scope(OUT prefix text, OUT shared integer[])
LANGUAGE plpgsql STABLE SET search_path = public, pg_temp AS $$
DECLARE
  v_all boolean;
BEGIN
  prefix := govdesk_scope_prefix();
  IF prefix = '' THEN
    RETURN;
  END IF;
  IF prefix ~ '^[0-9]+$' THEN
    -- dynamic, so the plan is made for these values (a generic plan scans the table)
    EXECUTE format('SELECT NOT EXISTS (SELECT 1 FROM data_resources r WHERE '
                   'r.region_code::text ~<~ %L OR r.region_code::text ~>=~ %L)', prefix,
                   left(prefix, -1) || chr(ascii(right(prefix, 1)) + 1)) INTO v_all;
    IF v_all THEN
      prefix := '';
      RETURN;
    END IF;
  END IF;
  shared := govdesk_shared_resource_ids();
END $$;

-- That scope as SQL over the given region and id columns ('true' for every row).
CREATE OR REPLACE FUNCTION govdesk_catalog_visible_sql(p_region text, p_id text, p_prefix text,
    p_shared integer[]) RETURNS text
LANGUAGE sql IMMUTABLE SET search_path = public, pg_temp AS $$
  SELECT CASE WHEN p_prefix = '' THEN 'true'
    ELSE format('(%s LIKE %L OR %s = ANY (%L::integer[]))', p_region, p_prefix || '%', p_id,
                coalesce(p_shared, '{}')) END
$$;

-- Conditions on resource_search s: the document holds every term. Two-character word terms
-- (p_grams, space-separated) through the bigram codes, the others (p_likes) as substrings;
-- the same SQL catalog/browse.py builds for the owner.
CREATE OR REPLACE FUNCTION govdesk_catalog_terms_sql(p_grams text, p_likes text[]) RETURNS text
LANGUAGE sql STABLE SET search_path = public, pg_temp AS $$
  SELECT concat_ws(' AND ',
    CASE WHEN coalesce(p_grams, '') <> ''
         THEN format('s.grams @> govdesk_gram_codes(%L)', p_grams) END,
    (SELECT string_agg(format('s.text LIKE %L ESCAPE %L',
                              '%' || replace(replace(replace(t, '\', '\\'), '%', '\%'), '_', '\_')
                              || '%', '\'), ' AND ')
     FROM unnest(p_likes) AS t WHERE t <> ''))
$$;

-- Conditions on data_resources r for a catalogue filter (keys as browse.ResourceFilter, with
-- the text as ids already matched or as terms), the caller's scope always included.
CREATE OR REPLACE FUNCTION govdesk_catalog_filter_sql(p_filter jsonb) RETURNS text
LANGUAGE plpgsql STABLE SET search_path = public, pg_temp AS $$
DECLARE
  f jsonb := coalesce(p_filter, '{}');
  v_scope record := govdesk_catalog_scope();
  v_parts text[] := ARRAY[govdesk_catalog_visible_sql('r.region_code', 'r.id', v_scope.prefix,
                                                      v_scope.shared)];
  v_terms text;
  v_key text;
BEGIN
  IF jsonb_typeof(f) <> 'object' THEN
    RAISE EXCEPTION 'a catalogue filter is a JSON object' USING ERRCODE = 'invalid_parameter_value';
  END IF;
  FOR v_key IN SELECT jsonb_object_keys(f) LOOP
    IF v_key <> ALL (ARRAY['ids', 'grams', 'likes', 'category', 'region_prefix', 'status',
                           'grade', 'provider', 'sharing_type', 'update_cycle']) THEN
      RAISE EXCEPTION 'unknown catalogue filter %', v_key USING ERRCODE = 'invalid_parameter_value';
    END IF;
  END LOOP;
  IF f ? 'ids' THEN
    v_parts := v_parts || format('r.id IN (SELECT unnest(%L::integer[]))',
      ARRAY(SELECT jsonb_array_elements_text(f -> 'ids')::integer));
  END IF;
  v_terms := govdesk_catalog_terms_sql(f ->> 'grams',
    ARRAY(SELECT jsonb_array_elements_text(coalesce(f -> 'likes', '[]'))));
  IF v_terms <> '' THEN
    v_parts := v_parts || format(
      'EXISTS (SELECT 1 FROM resource_search s WHERE s.resource_id = r.id AND %s AND %s)',
      v_terms, govdesk_catalog_visible_sql('s.region_code', 's.resource_id', v_scope.prefix,
                                           v_scope.shared));
  END IF;
  IF f ->> 'category' IS NOT NULL THEN
    v_parts := v_parts || format(
      'r.category_id IN (SELECT c.id FROM categories c WHERE c.code LIKE %L ESCAPE %L)',
      replace(replace(replace(f ->> 'category', '\', '\\'), '%', '\%'), '_', '\_') || '%', '\');
  END IF;
  IF f ->> 'region_prefix' IS NOT NULL THEN
    v_parts := v_parts || format('r.region_code LIKE %L', (f ->> 'region_prefix') || '%');
  END IF;
  IF f ->> 'status' IS NOT NULL THEN
    v_parts := v_parts || format('r.status = %L', f ->> 'status');
  END IF;
  IF f ->> 'grade' IS NOT NULL THEN
    v_parts := v_parts || format(
      'r.grade_id IN (SELECT g.id FROM grades g JOIN grade_schemes gs ON gs.id = g.scheme_id '
      'WHERE g.code = %L AND gs.is_active)', f ->> 'grade');
  END IF;
  IF f ->> 'provider' IS NOT NULL THEN
    v_parts := v_parts || format('r.provider_org_id = %s', (f ->> 'provider')::integer);
  END IF;
  IF f ->> 'sharing_type' IS NOT NULL THEN
    v_parts := v_parts || format('r.sharing_type = %L', f ->> 'sharing_type');
  END IF;
  IF f ->> 'update_cycle' IS NOT NULL THEN
    v_parts := v_parts || format('r.update_cycle = %L', f ->> 'update_cycle');
  END IF;
  RETURN array_to_string(v_parts, ' AND ');
END $$;

-- The search documents visible to the caller that hold every term, as (resource_id, code) in
-- code order, and in_order: true when they are the first ones in code order:
-- p_bound NULL: the sample a search starts from: any p_limit of them when the caller sees
--   every row (as the owner's search), else the first p_limit in code order, the sample then
--   being the first page too: the planner either walks the region's documents in code order
--   (indexes on the region's first 2, 4 or 6 digits and code; a dense term fills the page
--   early) or ANDs the term's and the region's bitmaps and sorts (a sparse term), with the
--   documents shared with the caller merged in;
-- p_bound set: the first p_limit in code order among those with code <= p_bound, found by
--   walking the first p_walk documents in code order (only when the caller sees every row:
--   for a region the walk would mostly meet other regions' documents), else by one bitmap
--   scan below the bound.
-- p_index_only: plan without sequential scans (every term has an index).
-- The candidates come from resource_search alone (its region_code narrows them to the scope),
-- then are checked against data_resources itself, so nothing outside resources_read returns.
CREATE OR REPLACE FUNCTION govdesk_catalog_matches(p_grams text, p_likes text[], p_bound text,
    p_limit integer, p_walk integer DEFAULT 0, p_index_only boolean DEFAULT false)
RETURNS TABLE (resource_id integer, code text, in_order boolean)
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = public, pg_temp SET enable_seqscan = on SET enable_indexscan = on AS $$
DECLARE
  v_terms text := govdesk_catalog_terms_sql(p_grams, p_likes);
  v_scope record;
  v_pre text;
  v_limit integer := greatest(coalesce(p_limit, 0), 0);
  v_ids integer[];
  v_codes text[];
  v_in_order boolean := true;
  v_region text;
BEGIN
  PERFORM govdesk_catalog_guard();
  v_scope := govdesk_catalog_scope();
  v_pre := govdesk_catalog_visible_sql('s.region_code', 's.resource_id', v_scope.prefix,
                                       v_scope.shared);
  IF v_terms = '' THEN
    RAISE EXCEPTION 'a search needs at least one term' USING ERRCODE = 'invalid_parameter_value';
  END IF;
  IF p_bound IS NULL THEN
    IF p_index_only THEN PERFORM set_config('enable_seqscan', 'off', true); END IF;
    v_in_order := v_pre <> 'true';
    IF NOT v_in_order THEN
      EXECUTE format('SELECT array_agg(m.resource_id ORDER BY m.code), '
                     'array_agg(m.code ORDER BY m.code) FROM (SELECT s.resource_id, '
                     's.code::text AS code FROM resource_search s WHERE %s LIMIT %s) m',
                     v_terms, v_limit) INTO v_ids, v_codes;
    ELSE
      -- the region part of the policy in a form the (left(region, n), code) indexes serve:
      -- for a prefix of n digits, "region LIKE prefix%" is "left(region, n) = prefix"
      v_region := CASE WHEN v_scope.prefix ~ '^[0-9]+$' AND length(v_scope.prefix) IN (2, 4, 6)
        THEN format('left(s.region_code::text, %s) = %L', length(v_scope.prefix), v_scope.prefix)
        ELSE format('s.region_code LIKE %L', v_scope.prefix || '%') END;
      EXECUTE format('SELECT array_agg(m.resource_id ORDER BY m.code), '
                     'array_agg(m.code ORDER BY m.code) FROM (SELECT u.resource_id, u.code FROM '
                     '((SELECT s.resource_id, s.code::text AS code FROM resource_search s '
                     'WHERE %1$s AND %2$s ORDER BY s.code LIMIT %3$s) UNION ALL '
                     '(SELECT s.resource_id, s.code::text FROM resource_search s WHERE %1$s '
                     'AND s.resource_id = ANY (%4$L::integer[]) AND NOT (%2$s))) u '
                     'ORDER BY u.code LIMIT %3$s) m',
                     v_terms, v_region, v_limit, coalesce(v_scope.shared, '{}'))
        INTO v_ids, v_codes;
    END IF;
  ELSE
    IF coalesce(p_walk, 0) > 0 AND v_pre = 'true' THEN
      EXECUTE format('SELECT array_agg(w.resource_id ORDER BY w.code), '
                     'array_agg(w.code ORDER BY w.code) FROM (SELECT x.resource_id, x.code '
                     'FROM (SELECT s.resource_id, s.code::text AS code, (%s AND %s) AS hit '
                     'FROM resource_search s WHERE s.code <= %L ORDER BY s.code LIMIT %s) x '
                     'WHERE x.hit ORDER BY x.code LIMIT %s) w',
                     v_terms, v_pre, p_bound, p_walk, v_limit) INTO v_ids, v_codes;
    END IF;
    IF coalesce(cardinality(v_ids), 0) < v_limit THEN
      -- see browse._first_ids_by_code: the planner would walk the code index to the end for
      -- a term clustered late in code order
      PERFORM set_config('enable_indexscan', 'off', true);
      IF p_index_only THEN PERFORM set_config('enable_seqscan', 'off', true); END IF;
      EXECUTE format('SELECT array_agg(m.resource_id ORDER BY m.code), '
                     'array_agg(m.code ORDER BY m.code) FROM (SELECT s.resource_id, '
                     's.code::text AS code FROM resource_search s WHERE %s AND %s '
                     'AND s.code <= %L ORDER BY s.code LIMIT %s) m',
                     v_terms, v_pre, p_bound, v_limit) INTO v_ids, v_codes;
    END IF;
  END IF;
  PERFORM set_config('enable_seqscan', 'on', true), set_config('enable_indexscan', 'on', true);
  IF v_pre = 'true' THEN
    RETURN QUERY SELECT m.id, m.code, v_in_order FROM unnest(v_ids, v_codes) AS m(id, code);
    RETURN;
  END IF;
  -- the candidates' resources, each looked up by primary key, must pass the policy itself
  RETURN QUERY EXECUTE format(
    'SELECT m.id, m.code, $3 FROM unnest($1, $2) WITH ORDINALITY AS m(id, code, n) '
    'WHERE m.id IN (SELECT r.id FROM data_resources r WHERE r.id = ANY ($1) AND %s) '
    'ORDER BY m.n', govdesk_catalog_visible_sql('r.region_code', 'r.id', v_scope.prefix,
                                                v_scope.shared)) USING v_ids, v_codes, v_in_order;
END $$;

-- One page of the visible resources matching p_filter, sorted by p_sort (a column id of the
-- catalogue list) then code, as resource ids in page order.
CREATE OR REPLACE FUNCTION govdesk_catalog_page(p_filter jsonb, p_sort text,
    p_descending boolean, p_offset integer, p_limit integer)
RETURNS TABLE (resource_id integer)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  v_key text;
  v_join text := '';
BEGIN
  PERFORM govdesk_catalog_guard();
  v_key := CASE p_sort
    WHEN 'code' THEN 'r.code' WHEN 'name' THEN 'r.name' WHEN 'category' THEN 'c.code'
    WHEN 'provider' THEN 'o.name' WHEN 'region' THEN 'r.region_code' WHEN 'grade' THEN 'g.rank'
    WHEN 'sharing_type' THEN 'r.sharing_type' WHEN 'update_cycle' THEN 'r.update_cycle'
    WHEN 'status' THEN 'r.status' WHEN 'updated_at' THEN 'r.updated_at' END;
  IF v_key IS NULL THEN
    RAISE EXCEPTION 'cannot sort by %', p_sort USING ERRCODE = 'invalid_parameter_value';
  END IF;
  v_join := CASE p_sort
    WHEN 'category' THEN ' JOIN categories c ON c.id = r.category_id'
    WHEN 'provider' THEN ' JOIN organisations o ON o.id = r.provider_org_id'
    WHEN 'grade' THEN ' LEFT JOIN grades g ON g.id = r.grade_id' ELSE '' END;
  RETURN QUERY EXECUTE format(
    'SELECT r.id FROM data_resources r%s WHERE %s ORDER BY %s %s, r.code OFFSET %s LIMIT %s',
    v_join, govdesk_catalog_filter_sql(p_filter), v_key,
    CASE WHEN p_descending THEN 'DESC' ELSE 'ASC' END,
    greatest(coalesce(p_offset, 0), 0), greatest(coalesce(p_limit, 0), 0));
END $$;

-- How many visible resources match p_filter; with p_cap, counting stops at p_cap + 1.
CREATE OR REPLACE FUNCTION govdesk_catalog_count(p_filter jsonb, p_cap integer DEFAULT NULL)
RETURNS bigint
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  v_n bigint;
BEGIN
  PERFORM govdesk_catalog_guard();
  EXECUTE format('SELECT count(*) FROM (SELECT 1 FROM data_resources r WHERE %s%s) x',
                 govdesk_catalog_filter_sql(p_filter),
                 CASE WHEN p_cap IS NULL THEN ''
                      ELSE ' LIMIT ' || (greatest(p_cap, 0)::bigint + 1) END) INTO v_n;
  RETURN v_n;
END $$;

-- Visible resources per region code (p_by 'region') or per category id ('category').
CREATE OR REPLACE FUNCTION govdesk_catalog_counts(p_by text)
RETURNS TABLE (key text, n bigint)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  v_column text := CASE p_by WHEN 'region' THEN 'r.region_code'
                             WHEN 'category' THEN 'r.category_id' END;
  v_scope record;
BEGIN
  PERFORM govdesk_catalog_guard();
  IF v_column IS NULL THEN
    RAISE EXCEPTION 'cannot count by %', p_by USING ERRCODE = 'invalid_parameter_value';
  END IF;
  v_scope := govdesk_catalog_scope();
  RETURN QUERY EXECUTE format(
    'SELECT c.k::text, c.n FROM (SELECT %s AS k, count(*) AS n FROM data_resources r '
    'WHERE %s GROUP BY 1) c',
    v_column, govdesk_catalog_visible_sql('r.region_code', 'r.id', v_scope.prefix,
                                          v_scope.shared));
END $$;

-- How many data items each of the given resources has, for those the caller may see (the
-- list shows the count; under RLS every item row would run the data_items policy).
CREATE OR REPLACE FUNCTION govdesk_catalog_item_counts(p_ids integer[])
RETURNS TABLE (resource_id integer, n bigint)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  v_scope record;
BEGIN
  PERFORM govdesk_catalog_guard();
  v_scope := govdesk_catalog_scope();
  RETURN QUERY EXECUTE format(
    'SELECT r.id, (SELECT count(*) FROM data_items i WHERE i.resource_id = r.id) '
    'FROM data_resources r WHERE r.id = ANY ($1) AND %s',
    govdesk_catalog_visible_sql('r.region_code', 'r.id', v_scope.prefix, v_scope.shared))
    USING p_ids;
END $$;

-- resource_search.region_code is always its resource's region, whatever a client writes.
CREATE OR REPLACE FUNCTION govdesk_search_region() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  SELECT r.region_code INTO NEW.region_code FROM data_resources r WHERE r.id = NEW.resource_id;
  RETURN NEW;
END $$;

CREATE OR REPLACE FUNCTION govdesk_search_region_moved() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  UPDATE resource_search s SET region_code = NEW.region_code WHERE s.resource_id = NEW.id;
  RETURN NULL;
END $$;
"""


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("ALTER TABLE resource_search ADD COLUMN region_code varchar(12)")
    op.execute("UPDATE resource_search s SET region_code = r.region_code FROM data_resources r "
               "WHERE r.id = s.resource_id")
    # LIKE 'prefix%' uses a btree only with the pattern operator class (the database collation
    # is not C); the region index of data_resources serves ordering by (region, code)
    op.execute("CREATE INDEX ix_resource_search_region ON resource_search "
               "(region_code text_pattern_ops)")
    op.execute("CREATE INDEX ix_data_resources_region_pattern ON data_resources "
               "(region_code text_pattern_ops)")
    # a region's search documents in code order: a dense term's first page, regional scopes
    for digits in WALK_PREFIXES:
        op.execute(f"CREATE INDEX ix_resource_search_region{digits}_code ON resource_search "
                   f"(left(region_code::text, {digits}), code)")
    # the audit trail (no RLS; the same for every reader): a user's or an event type's events
    # in a time window, counted from the index alone
    op.execute("CREATE INDEX ix_audit_events_username_ts ON audit_events (username, ts)")
    op.execute("CREATE INDEX ix_audit_events_event_type_ts ON audit_events (event_type, ts)")
    op.execute(FUNCTIONS)
    op.execute("CREATE TRIGGER resource_search_region BEFORE INSERT OR UPDATE OF resource_id, "
               "region_code ON resource_search FOR EACH ROW EXECUTE FUNCTION govdesk_search_region()")
    op.execute("CREATE TRIGGER data_resources_region_search AFTER UPDATE OF region_code ON "
               "data_resources FOR EACH ROW WHEN (OLD.region_code IS DISTINCT FROM "
               "NEW.region_code) EXECUTE FUNCTION govdesk_search_region_moved()")
    functions = ", ".join(PUBLIC_FUNCTIONS + INTERNAL_FUNCTIONS)
    op.execute(f"REVOKE ALL ON FUNCTION {functions} FROM PUBLIC")
    op.execute(f"GRANT EXECUTE ON FUNCTION {', '.join(PUBLIC_FUNCTIONS)} TO {READERS}")
    op.execute("ANALYZE resource_search")
    op.execute("ANALYZE data_resources")
    op.execute("ANALYZE audit_events")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP TRIGGER IF EXISTS data_resources_region_search ON data_resources")
    op.execute("DROP TRIGGER IF EXISTS resource_search_region ON resource_search")
    for fn in PUBLIC_FUNCTIONS + INTERNAL_FUNCTIONS:
        op.execute(f"DROP FUNCTION IF EXISTS {fn}")
    op.execute("DROP INDEX IF EXISTS ix_audit_events_event_type_ts")
    op.execute("DROP INDEX IF EXISTS ix_audit_events_username_ts")
    op.execute("DROP INDEX IF EXISTS ix_data_resources_region_pattern")
    for digits in WALK_PREFIXES:
        op.execute(f"DROP INDEX IF EXISTS ix_resource_search_region{digits}_code")
    op.execute("DROP INDEX IF EXISTS ix_resource_search_region")
    op.execute("ALTER TABLE resource_search DROP COLUMN IF EXISTS region_code")
