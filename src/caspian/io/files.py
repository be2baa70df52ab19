"""Safe reading and writing of user files: bounded size, clear errors, atomic output.

Every command that reads a file a user names (scenario, config, arrivals, corridors, data
tables) goes through :func:`read_user_text`, and every command that writes goes through
:func:`check_output` before its work starts and :func:`write_atomic` at the end. So a
directory given as a file, ``/dev/zero``, a non-UTF-8 file, an unwritable or missing
folder or a full disk gives a :class:`~caspian.errors.ValidationError` that says what is
wrong, and nothing is left half-written.
"""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from pathlib import Path

from caspian.errors import ValidationError

__all__ = [
    "MAX_USER_FILE_BYTES",
    "check_output",
    "read_user_text",
    "write_atomic",
]

MAX_USER_FILE_BYTES = 20 * 1024 * 1024
"""Largest user file read (20 MiB); the biggest bundled table is well under 1 MiB."""


def _describe(exc: OSError) -> str:
    return exc.strerror or str(exc)


def read_user_text(
    path: str | os.PathLike[str],
    *,
    what: str,
    max_bytes: int = MAX_USER_FILE_BYTES,
    encoding: str = "utf-8-sig",
) -> str:
    """Read a text file a user named, refusing anything that is not a readable text file.

    Parameters
    ----------
    path
        The file.
    what
        What the file is, for messages (``"scenario file"``, ``"--config"``).
    max_bytes
        Refuse larger files (and endless devices such as ``/dev/zero``).
    encoding
        Text encoding; the default accepts a UTF-8 byte-order mark.

    Returns
    -------
    str
        The text.

    Raises
    ------
    ValidationError
        Missing, a directory, not a regular file, unreadable, too large or not UTF-8.

    Examples
    --------
    >>> read_user_text("/nonexistent.yaml", what="scenario file")
    Traceback (most recent call last):
    ...
    caspian.errors.ValidationError: scenario file /nonexistent.yaml does not exist
    """
    p = Path(path)
    try:
        info = p.stat()
    except FileNotFoundError:
        raise ValidationError(f"{what} {p} does not exist") from None
    except OSError as exc:
        raise ValidationError(f"{what} {p} cannot be read: {_describe(exc)}") from None
    if stat.S_ISDIR(info.st_mode):
        raise ValidationError(f"{what} {p} is a folder; give a file")
    if not stat.S_ISREG(info.st_mode):
        raise ValidationError(f"{what} {p} is not a regular file (a device or pipe?)")
    if info.st_size > max_bytes:
        raise ValidationError(
            f"{what} {p} is {info.st_size:,} bytes; the limit is {max_bytes:,} bytes"
        )
    try:
        with p.open("rb") as handle:
            data = handle.read(max_bytes + 1)
    except OSError as exc:
        raise ValidationError(f"{what} {p} cannot be read: {_describe(exc)}") from None
    if len(data) > max_bytes:
        raise ValidationError(f"{what} {p} is larger than the limit of {max_bytes:,} bytes")
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise ValidationError(
            f"{what} {p} is not UTF-8 text (byte {exc.start}); save it as UTF-8"
        ) from None


def check_output(path: str | os.PathLike[str], *, what: str = "-o") -> Path:
    """Check before any work that ``path`` can be written; return it as a :class:`Path`.

    Refuses an existing folder, a missing or read-only parent folder and an existing file
    that cannot be replaced. Call it for every output before computing anything.

    Raises
    ------
    ValidationError
        With what is wrong and what to do.
    """
    p = Path(path)
    if p.is_dir():
        raise ValidationError(f"{what} {p} is a folder; give a file name inside it")
    parent = p.parent if str(p.parent) else Path(".")
    if not parent.is_dir():
        raise ValidationError(f"{what} {p}: the folder {parent} does not exist; create it first")
    try:  # a real probe: os.access says yes to root on read-only mounts such as /proc
        fd, probe = tempfile.mkstemp(dir=parent, prefix=f".{p.name}.probe.")
        os.close(fd)
        Path(probe).unlink()
    except OSError as exc:
        raise ValidationError(
            f"{what} {p}: the folder {parent} is not writable ({_describe(exc)})"
        ) from None
    if p.exists() and not p.is_file():
        raise ValidationError(f"{what} {p} exists and is not a regular file")
    return p


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_atomic(path: str | os.PathLike[str], data: bytes, *, what: str = "-o") -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder.

    The file gets the permissions a normal write would (``0666`` less the umask), and a
    failure (disk full, permission) leaves neither a partial file nor the temporary one.

    Raises
    ------
    ValidationError
        The folder is missing or the write failed; the message says why.
    """
    p = check_output(path, what=what)
    tmp: str | None = None
    try:
        fd, tmp = tempfile.mkstemp(dir=p.parent, prefix=f".{p.name}.")
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, 0o666 & ~_umask())
        Path(tmp).replace(p)
        tmp = None
    except OSError as exc:
        hint = " (the disk is full)" if exc.errno == errno.ENOSPC else ""
        raise ValidationError(f"{what} {p}: could not write: {_describe(exc)}{hint}") from None
    finally:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)
