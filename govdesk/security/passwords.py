"""Password rules and argon2 hashing (SQLite accounts; PostgreSQL stores SCRAM verifiers)."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from govdesk.errors import InputRejected

MIN_LENGTH = 10
_hasher = PasswordHasher()


def check_strength(password: str) -> None:
    """Raise InputRejected unless ``password`` has ≥ 10 characters from ≥ 3 of: lower case,
    upper case, digits, other characters (GB/T 22239 level 3 asks for complexity)."""
    classes = sum((any(c.islower() for c in password), any(c.isupper() for c in password),
                   any(c.isdigit() for c in password), any(not c.isalnum() for c in password)))
    if len(password) < MIN_LENGTH or classes < 3:
        raise InputRejected("weak_password", min=MIN_LENGTH)


def hash_password(password: str) -> str:
    """An argon2id hash of ``password``."""
    return _hasher.hash(password)


def verify_password(stored_hash: str | None, password: str) -> bool:
    """True when ``password`` matches ``stored_hash`` (False for a missing or corrupt hash)."""
    if not stored_hash:
        return False
    try:
        return _hasher.verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False
