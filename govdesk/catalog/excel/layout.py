"""The catalogue workbook layout shared by export and import: sheets, columns, value lists.

Column headers are the Chinese names people use in the templates they fill in; enumerated
columns hold the standard's Chinese terms (import also accepts codes and English labels).
"""

from __future__ import annotations

from dataclasses import dataclass

from govdesk import vocab

RESOURCES_SHEET = "数据资源"
ITEMS_SHEET = "信息项"
LISTS_SHEET = "值域"
YES, NO = "是", "否"


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    width: int = 14
    vocabulary: vocab.Vocabulary | None = None
    #: a value list that is not a vocabulary ("grade", "category", "yes_no")
    list_name: str | None = None


RESOURCE_COLUMNS = (
    Column("code", "资源代码", 14),
    Column("name", "资源名称", 36),
    Column("category_code", "分类代码", 10, list_name="category"),
    Column("provider_code", "提供方代码", 16),
    Column("region_code", "行政区划代码", 15),
    Column("summary", "摘要", 48),
    Column("format", "资源格式", 12, vocab.RESOURCE_FORMAT),
    Column("sharing_type", "共享类型", 12, vocab.SHARING_TYPE),
    Column("sharing_condition", "共享条件", 24),
    Column("sharing_basis", "不予共享依据", 24),
    Column("sharing_method", "共享方式", 14, vocab.SHARING_METHOD),
    Column("open_type", "开放属性", 12, vocab.OPEN_TYPE),
    Column("open_condition", "开放条件", 20),
    Column("update_cycle", "更新周期", 10, vocab.UPDATE_CYCLE),
    Column("publish_date", "发布日期", 12),
    Column("related_codes", "关联资源代码", 20),
    Column("grade", "分级", 14, list_name="grade"),
)

ITEM_COLUMNS = (
    Column("resource_code", "资源代码", 14),
    Column("seq", "序号", 6),
    Column("name", "信息项名称", 24),
    Column("data_type", "数据类型", 12, vocab.DATA_TYPE),
    Column("length", "长度", 8),
    Column("description", "说明", 30),
    Column("grade", "分级", 14, list_name="grade"),
    Column("is_authoritative", "权威来源", 10, list_name="yes_no"),
    Column("standard_code", "标准数据元代码", 16),
)

#: the value-list sheet's column headers, by list name (a vocabulary's ``name`` or a
#: :attr:`Column.list_name`): the Chinese of the column that uses the list, and English
LIST_HEADERS: dict[str, tuple[str, str]] = {
    vocab.RESOURCE_FORMAT.name: ("资源格式", "Resource format"),
    vocab.DATA_TYPE.name: ("数据类型", "Data type"),
    vocab.SHARING_TYPE.name: ("共享类型", "Sharing type"),
    vocab.SHARING_METHOD.name: ("共享方式", "Sharing method"),
    vocab.OPEN_TYPE.name: ("开放属性", "Open type"),
    vocab.UPDATE_CYCLE.name: ("更新周期", "Update cycle"),
    vocab.WORKFLOW_STATUS.name: ("状态", "Status"),
    vocab.CATEGORY_KIND.name: ("分类类型", "Category kind"),
    vocab.ORG_KIND.name: ("机构类型", "Organisation kind"),
    vocab.GRANT_STATUS.name: ("授权状态", "Grant status"),
    vocab.ROLE.name: ("角色", "Role"),
    vocab.ACCESS_ACTION.name: ("访问方式", "Access action"),
    vocab.ACCESS_FAILURE.name: ("访问失败原因", "Why an access failed"),
    "grade": ("分级", "Grade"),
    "category": ("分类代码", "Category code"),
    "yes_no": ("是/否", "Yes/no"),
}


def list_header(name: str, lang: str = "zh") -> str:
    """The value-list sheet's header of the list ``name`` in ``lang`` ("zh" or "en"); the name
    itself for a list not in :data:`LIST_HEADERS` (never an error)."""
    zh, en = LIST_HEADERS.get(name, (name, name))
    return en if lang == "en" else zh
