"""The names of a resource's fields and the labels of their coded values, as a person reads
them in the history, the version diff and the conflict dialog (``grade_code: general4`` reads
分级：一般数据4级)."""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import QCoreApplication

from govdesk import vocab
from govdesk.catalog.messages import FIELD_NAMES
from govdesk.ui.i18n import problem_lang, term
from govdesk.ui.regions import region_name

#: snapshot keys that FIELD_NAMES knows under another name
_ALIASES = {"category_code": "category", "provider_org_id": "provider",
            "region_code": "region", "grade_code": "grade"}

#: fields whose values come from a controlled value list
_VOCAB = {"format": vocab.RESOURCE_FORMAT, "sharing_type": vocab.SHARING_TYPE,
          "sharing_method": vocab.SHARING_METHOD, "open_type": vocab.OPEN_TYPE,
          "update_cycle": vocab.UPDATE_CYCLE, "data_type": vocab.DATA_TYPE,
          "status": vocab.WORKFLOW_STATUS}


def _extra() -> dict[str, str]:
    return {
        "item": QCoreApplication.translate("ResourceFields", "Data item"),
        "items": QCoreApplication.translate("ResourceFields", "Data items"),
        "item_order": QCoreApplication.translate("ResourceFields", "Order of the data items"),
        "is_authoritative": QCoreApplication.translate("ResourceFields", "Authoritative source"),
        "position": QCoreApplication.translate("ResourceFields", "Position"),
    }


def field_name(key: str) -> str:
    """The name of field ``key`` in the interface language; the key when none is known."""
    extra = _extra()
    if key in extra:
        return extra[key]
    names = FIELD_NAMES.get(_ALIASES.get(key, key))
    if names is None:
        return key
    return names[0] if problem_lang() == "zh" else names[1].capitalize()


def field_value(key: str, value: object, grades: Mapping[str, str] | None = None,
                organisations: Mapping[int, str] | None = None) -> str:
    """``value`` of field ``key`` as shown: value-list codes by their labels, grades by their
    names (from ``grades``), providers by name, regions by name, lists joined, yes/no."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return QCoreApplication.translate("ResourceFields", "yes") if value else \
            QCoreApplication.translate("ResourceFields", "no")
    if isinstance(value, (list, tuple)):
        return "; ".join(v["name"] if isinstance(v, dict) and "name" in v
                         else field_value(key, v, grades, organisations) for v in value)
    if key in _VOCAB and isinstance(value, str):
        return term(_VOCAB[key], value)
    if key in ("grade_code", "grade") and grades is not None:
        return grades.get(str(value), str(value))
    if key == "provider_org_id" and organisations is not None and isinstance(value, int):
        return organisations.get(value, str(value))
    if key in ("region_code", "region"):
        return region_name(str(value))
    return str(value)
