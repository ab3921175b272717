"""Progress of a long CLI command on standard error, so that an import of 10,000 resources
does not sit silent.

On a terminal a tqdm bar (percent, the current step, elapsed and remaining time); when standard
error is a file or a pipe (a log, a scheduled job) one plain line per step and per tenth of the
way, so the log stays readable. Never on standard output, which carries the result (``--json``
output stays one JSON object); commands leave it out for ``--json`` and ``--quiet``.
"""

from __future__ import annotations

from typing import Any, TextIO


class Progress:
    """A ``progress(fraction, message)`` callback (what the services take) that renders to
    ``stream``; call :meth:`close` when the command ends."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.tty = bool(getattr(stream, "isatty", lambda: False)())
        self._bar: Any = None
        self._last: tuple[str, int] | None = None

    def __call__(self, fraction: float, message: str) -> None:
        percent = max(0, min(100, int(fraction * 100)))
        if self.tty:
            if self._bar is None:
                from tqdm import tqdm

                self._bar = tqdm(total=100, file=self.stream, unit="%", leave=True,
                                 bar_format="{desc} {percentage:3.0f}%|{bar}| "
                                            "[{elapsed}<{remaining}]")
            self._bar.set_description_str(message, refresh=False)
            self._bar.update(percent - self._bar.n)
            return
        # a plain line when the step changes or another tenth is done
        key = (message.split(" ")[0], percent // 10)
        if key != self._last:
            self._last = key
            print(f"{percent:3d}% {message}", file=self.stream, flush=True)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None
