"""The PostgreSQL logical method in directory format: ``pg_dump -Fd -j N`` (parallel jobs, one
file per table) in the backup's work directory, each file then put into its own container and
the plain file deleted; ``pg_restore -j N`` from the decrypted files in a private temporary
directory. Faster on a server with cores to spare, at the price of a plain copy of the dump on
disk while it runs (the work directory, 0700; removed file by file as it is containerised, and
by the next run of the policy if the run is killed). Snapshot, facts and globals as
:mod:`.pg`."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import ClassVar

from govdesk.backup.container import ContainerWriter, Written, read_plain
from govdesk.backup.method import RestoreContext, RunContext, register
from govdesk.backup.pg import PgDumpMethod, _check, _Snapshot, libpq, restore_args

PREFIX = "dir."


class PgDumpDirMethod(PgDumpMethod):
    """PostgreSQL, logical, directory format with parallel jobs."""

    name: ClassVar[str] = "pg_dump_dir"

    def _dump(self, ctx: RunContext, snap: _Snapshot) -> list[Written]:
        dsn, env = libpq(ctx.source_url)
        plain = ctx.workdir / "plain.dir"
        proc = subprocess.Popen(["pg_dump", "-Fd", "-Z0", "-j", str(max(1, ctx.jobs)),
                                 f"--snapshot={snap.name}", "-f", str(plain), "-d", dsn],
                                stderr=subprocess.PIPE, env=env)
        try:
            _check(proc, "pg_dump")
            files = sorted(plain.iterdir())
            out = []
            for n, path in enumerate(files):
                writer = ContainerWriter(ctx.workdir / f"{PREFIX}{path.name}.gdbk", ctx.key)
                try:
                    with open(path, "rb") as f:
                        while block := f.read(1 << 20):
                            writer.write(block)
                    out.append(writer.close())
                except BaseException:
                    writer.abort()
                    raise
                path.unlink()
                ctx.progress.report(0.1 + 0.8 * (n + 1) / len(files))
            return out
        except BaseException:
            proc.kill()
            raise
        finally:
            shutil.rmtree(plain, ignore_errors=True)

    def restore(self, ctx: RestoreContext) -> None:
        dsn, env = libpq(ctx.target_url)
        args = restore_args(ctx)
        with tempfile.TemporaryDirectory(prefix="govdesk-restore-") as tmp:
            plain = Path(tmp)
            for name in ctx.files:
                if not name.startswith(PREFIX):
                    continue
                with open(plain / name.removeprefix(PREFIX).removesuffix(".gdbk"), "xb") as out:
                    for block in read_plain(ctx.backup_dir / name, ctx.key_for):
                        out.write(block)
                        ctx.progress.check()
            proc = subprocess.Popen(args + ["-j", str(max(1, ctx.jobs)), "-d", dsn, str(plain)],
                                    stderr=subprocess.PIPE, env=env)
            _check(proc, "pg_restore")


register(PgDumpDirMethod())
