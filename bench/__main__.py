"""Run a benchmark by name: ``python -m bench startup --json``."""

from __future__ import annotations

import argparse
import json
import sys

from bench import (
    access_events,
    access_import,
    access_page,
    backup,
    catalog_excel,
    catalog_paging,
    catalog_search,
    classify_profile,
    dashboard,
    demo_load,
    monitor_run,
    sharing_matrix,
    startup,
)

BENCHMARKS = {"access_events": access_events.run, "startup": startup.run, "demo_load": demo_load.run,
              "catalog_search": catalog_search.run, "catalog_paging": catalog_paging.run,
              "classify_profile": classify_profile.run,
              "catalog_export": lambda a: catalog_excel.run(a, "catalog_export"),
              "catalog_import": lambda a: catalog_excel.run(a, "catalog_import"),
              "catalog_import_update": catalog_excel.run_update,
              "sharing_matrix": sharing_matrix.run, "access_page": access_page.run,
              "monitor_run": monitor_run.run, "access_import": access_import.run,
              "dashboard": dashboard.run,
              "backup_pg": backup.run_pg,
              "backup_verify": lambda a: backup.run_pg(a, verify=True),
              "backup_sqlite": backup.run_sqlite}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("name", choices=sorted(BENCHMARKS))
    parser.add_argument("--json", action="store_true", help="print only the JSON result")
    parser.add_argument("--backend", choices=("postgres", "sqlite"), default="postgres",
                        help="database for benchmarks that use one (default postgres)")
    parser.add_argument("--scale", default=None, help="demo scale where it applies (classify_profile: rows)")
    parser.add_argument("--db", default=None,
                        help="use this already loaded database instead of a fresh one "
                             "(catalog_search, catalog_paging)")
    parser.add_argument("--logins", default=None,
                        help="catalog_search, catalog_paging: comma-separated logins (default "
                             "hangzhou_data_admin,province_viewer; also zhejiang_viewer, "
                             "ningbo_viewer, province_secadmin)")
    parser.add_argument("--grants", type=int, default=None,
                        help="catalog_search, sharing_matrix: top the demo's sharing grants up "
                             "to this many (named and scope, every state) before measuring; "
                             "catalog_search then also searches as the data administrator of "
                             "the organisation most grants in force cover (grantee_data_admin)")
    parser.add_argument("--no-user-index", action="store_true",
                        help="monitor_run: without the (username, ts) index of the events lane")
    parser.add_argument("--pg", default="postgresql+psycopg2://postgres@127.0.0.1:5432",
                        help="PostgreSQL server URL without a database")
    args = parser.parse_args(argv)
    result = BENCHMARKS[args.name](args)
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
    else:
        print(json.dumps(result, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
