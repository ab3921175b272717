"""Store a :class:`govdesk.vocab.Vocabulary` as a string column with a CHECK constraint."""

from __future__ import annotations

from sqlalchemy import Enum

from govdesk.vocab import Vocabulary


def vocab_enum(vocab: Vocabulary) -> Enum:
    """A non-native enum (VARCHAR + CHECK) over the vocabulary's codes, same on both databases."""
    return Enum(
        *vocab.codes, name=vocab.name, native_enum=False, create_constraint=True,
        length=max(len(c) for c in vocab.codes), validate_strings=True,
    )
