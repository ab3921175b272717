"""Realistic catalogue content for demo data: resource templates and data-item definitions.

Every name here is what a federation's catalogue really contains; none is lorem ipsum.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ItemDef:
    """A data item: name, type code, length, grade code, standard item code, sample kind."""

    name: str
    data_type: str
    length: int | None
    grade: str
    standard_code: str | None = None
    sample: str = "text"


ITEMS: dict[str, ItemDef] = {d.name: d for d in [
    ItemDef("姓名", "C", 50, "general4", "DE0001", "person_name"),
    ItemDef("公民身份号码", "C", 18, "general4", "DE0002", "citizen_id"),
    ItemDef("残疾人证号", "C", 20, "general4", "DE0003", "disability_cert"),
    ItemDef("性别", "C", 1, "general2", "DE0004", "sex"),
    ItemDef("出生日期", "D", None, "general3", "DE0005", "birth_date"),
    ItemDef("民族", "C", 20, "general2", "DE0006", "ethnicity"),
    ItemDef("残疾类别", "C", 1, "general4", "DE0007", "disability_category"),
    ItemDef("残疾等级", "C", 1, "general4", "DE0008", "disability_grade"),
    ItemDef("联系电话", "C", 20, "general3", "DE0009", "phone"),
    ItemDef("户籍地址", "C", 200, "general3", "DE0010", "address"),
    ItemDef("居住地址", "C", 200, "general3", "DE0011", "address"),
    ItemDef("行政区划代码", "C", 12, "general1", "DE0012", "region_code"),
    ItemDef("监护人姓名", "C", 50, "general4", "DE0013", "person_name"),
    ItemDef("监护人联系电话", "C", 20, "general3", "DE0014", "phone"),
    ItemDef("监护人公民身份号码", "C", 18, "general4", "DE0015", "citizen_id"),
    ItemDef("发证日期", "D", None, "general2", None, "date"),
    ItemDef("有效期至", "D", None, "general2", None, "date"),
    ItemDef("户口类别", "C", 10, "general2", None, "hukou"),
    ItemDef("婚姻状况", "C", 10, "general3", None, "text"),
    ItemDef("文化程度", "C", 20, "general2", None, "education"),
    ItemDef("就业状况", "C", 20, "general2", None, "text"),
    ItemDef("银行卡号", "C", 19, "general4", "DE0016", "bank_card"),
    ItemDef("补贴金额", "Y", 12, "general3", None, "amount"),
    ItemDef("发放日期", "D", None, "general2", None, "date"),
    ItemDef("发放月份", "C", 6, "general1", None, "text"),
    ItemDef("康复服务项目", "C", 100, "general3", None, "text"),
    ItemDef("康复机构名称", "C", 200, "general1", None, "org"),
    ItemDef("服务开始日期", "D", None, "general2", None, "date"),
    ItemDef("服务结束日期", "D", None, "general2", None, "date"),
    ItemDef("评估结果", "M", None, "general4", None, "text"),
    ItemDef("辅助器具名称", "C", 100, "general2", None, "text"),
    ItemDef("适配数量", "I", 4, "general1", None, "count"),
    ItemDef("学校名称", "C", 200, "general1", None, "org"),
    ItemDef("学段", "C", 20, "general1", None, "text"),
    ItemDef("资助金额", "Y", 12, "general3", None, "amount"),
    ItemDef("用人单位名称", "C", 200, "general2", None, "org"),
    ItemDef("统一社会信用代码", "C", 18, "general1", "DE0017", "text"),
    ItemDef("岗位名称", "C", 100, "general2", None, "text"),
    ItemDef("劳动合同起始日期", "D", None, "general2", None, "date"),
    ItemDef("培训项目", "C", 100, "general1", None, "text"),
    ItemDef("培训时长", "N", 6, "general1", None, "count"),
    ItemDef("参保类型", "C", 30, "general2", None, "text"),
    ItemDef("参保状态", "C", 10, "general2", None, "text"),
    ItemDef("缴费基数", "Y", 12, "general3", None, "amount"),
    ItemDef("医疗机构名称", "C", 200, "general1", None, "org"),
    ItemDef("诊断结论", "M", None, "general4", None, "text"),
    ItemDef("机构名称", "C", 200, "general1", None, "org"),
    ItemDef("机构类型", "C", 50, "general1", None, "text"),
    ItemDef("床位数", "I", 6, "general1", None, "count"),
    ItemDef("负责人", "C", 50, "general2", None, "person_name"),
    ItemDef("办公电话", "C", 20, "general2", None, "phone"),
    ItemDef("地址", "C", 200, "general1", None, "address"),
    ItemDef("活动名称", "C", 200, "general1", None, "text"),
    ItemDef("活动日期", "D", None, "general1", None, "date"),
    ItemDef("参与人数", "I", 8, "general1", None, "count"),
    ItemDef("项目名称", "C", 200, "general1", None, "text"),
    ItemDef("比赛成绩", "C", 50, "general1", None, "text"),
    ItemDef("信访事项", "M", None, "general3", None, "text"),
    ItemDef("受理日期", "D", None, "general2", None, "date"),
    ItemDef("办理结果", "M", None, "general2", None, "text"),
    ItemDef("设施类型", "C", 50, "general1", None, "text"),
    ItemDef("改造户数", "I", 8, "general1", None, "count"),
    ItemDef("改造日期", "D", None, "general1", None, "date"),
    ItemDef("组织名称", "C", 200, "general1", None, "org"),
    ItemDef("专职委员人数", "I", 6, "general1", None, "count"),
    ItemDef("记录更新时间", "T", None, "general1", None, "datetime"),
    ItemDef("数据来源", "C", 100, "general1", None, "text"),
    ItemDef("备注", "M", None, "general1", None, "text"),
    ItemDef("是否在世", "L", 1, "general2", None, "bool"),
    ItemDef("纬度", "F", 10, "general1", None, "float"),
    ItemDef("联系人", "C", 50, "general2", None, "person_name"),
    ItemDef("邮政编码", "C", 6, "general1", None, "text"),
    ItemDef("数据更新人", "C", 50, "general1", None, "text"),
    ItemDef("审核人", "C", 50, "general1", None, "text"),
    ItemDef("审核日期", "D", None, "general1", None, "date"),
    ItemDef("数据质量标记", "C", 10, "general1", None, "text"),
    ItemDef("经度", "F", 10, "general1", None, "float"),
]}

PERSON_CORE = ["姓名", "公民身份号码", "残疾人证号", "性别", "出生日期", "残疾类别", "残疾等级",
               "行政区划代码"]


@dataclass(frozen=True)
class ResourceTemplate:
    """A kind of resource a federation keeps: its category, name, items and sharing."""

    category: str
    name: str
    summary: str
    items: tuple[str, ...]
    format: str = "database"
    update_cycle: str = "monthly"
    sharing_type: str = "conditional"
    provider: str = "federation"


T = ResourceTemplate
TEMPLATES: tuple[ResourceTemplate, ...] = (
    T("101", "持证残疾人基础信息", "第二代残疾人证持证人员的身份、残疾类别与等级信息，是残疾人人口基础库的主体。",
      (*PERSON_CORE, "民族", "户籍地址", "居住地址", "联系电话", "户口类别", "婚姻状况", "文化程度",
       "发证日期", "有效期至", "是否在世", "记录更新时间"), update_cycle="daily"),
    T("101", "残疾人监护人信息", "智力、精神及未成年残疾人的监护人身份与联系方式。",
      ("姓名", "公民身份号码", "残疾人证号", "监护人姓名", "监护人公民身份号码", "监护人联系电话",
       "居住地址", "记录更新时间")),
    T("101", "残疾人动态更新调查数据", "残疾人基本服务状况和需求信息动态更新年度调查结果。",
      (*PERSON_CORE, "就业状况", "文化程度", "参保状态", "康复服务项目", "数据来源", "备注"),
      update_cycle="yearly"),
    T("102", "残疾人专职委员名册", "乡镇（街道）、村（社区）残疾人专职委员的基本信息。",
      ("姓名", "公民身份号码", "性别", "联系电话", "组织名称", "行政区划代码", "发证日期")),
    T("102", "残联系统工作人员信息", "各级残联机关及直属单位在编人员信息。",
      ("姓名", "公民身份号码", "性别", "出生日期", "文化程度", "岗位名称", "办公电话")),
    T("103", "残疾人康复机构名录", "提供残疾人康复服务的定点机构及其服务能力。",
      ("机构名称", "统一社会信用代码", "机构类型", "地址", "负责人", "办公电话", "床位数", "经度", "纬度"),
      sharing_type="unconditional", update_cycle="quarterly"),
    T("103", "残疾人托养服务机构名录", "寄宿制、日间照料和居家托养服务机构。",
      ("机构名称", "统一社会信用代码", "地址", "负责人", "办公电话", "床位数", "经度", "纬度"),
      sharing_type="unconditional", update_cycle="quarterly"),
    T("201", "残疾人基本康复服务记录", "残疾人接受基本康复服务的项目、机构与时间。",
      ("姓名", "公民身份号码", "残疾人证号", "残疾类别", "康复服务项目", "康复机构名称",
       "服务开始日期", "服务结束日期", "评估结果")),
    T("201", "残疾儿童康复救助记录", "0–6岁残疾儿童康复救助对象、救助项目与经费。",
      ("姓名", "公民身份号码", "出生日期", "残疾类别", "监护人姓名", "监护人联系电话", "康复机构名称",
       "补贴金额", "服务开始日期")),
    T("201", "辅助器具适配记录", "辅助器具评估、适配与发放记录。",
      ("姓名", "公民身份号码", "残疾人证号", "辅助器具名称", "适配数量", "发放日期", "康复机构名称")),
    T("202", "残疾学生资助信息", "家庭经济困难残疾学生及残疾人家庭子女资助发放信息。",
      ("姓名", "公民身份号码", "残疾人证号", "学校名称", "学段", "资助金额", "发放日期", "银行卡号")),
    T("202", "特殊教育学校名录", "特殊教育学校及随班就读资源中心。",
      ("学校名称", "统一社会信用代码", "地址", "办公电话", "负责人"), sharing_type="unconditional",
      update_cycle="yearly"),
    T("203", "残疾人就业登记信息", "已就业残疾人的用人单位、岗位与合同信息。",
      ("姓名", "公民身份号码", "残疾人证号", "用人单位名称", "统一社会信用代码", "岗位名称",
       "劳动合同起始日期", "联系电话")),
    T("203", "按比例安排残疾人就业单位信息", "按比例安排残疾人就业审核的单位名单与安排人数。",
      ("用人单位名称", "统一社会信用代码", "参与人数", "地址", "办公电话"), update_cycle="yearly"),
    T("203", "残疾人职业技能培训记录", "残疾人参加职业技能培训的项目与结业情况。",
      ("姓名", "公民身份号码", "培训项目", "培训时长", "服务开始日期", "服务结束日期")),
    T("204", "困难残疾人生活补贴发放信息", "困难残疾人生活补贴的对象、金额与发放月份。",
      ("姓名", "公民身份号码", "残疾人证号", "残疾等级", "补贴金额", "发放月份", "发放日期", "银行卡号"),
      sharing_type="conditional"),
    T("204", "重度残疾人护理补贴发放信息", "一、二级重度残疾人护理补贴发放信息。",
      ("姓名", "公民身份号码", "残疾人证号", "残疾等级", "补贴金额", "发放月份", "银行卡号")),
    T("204", "残疾人参保信息", "残疾人参加城乡居民养老和医疗保险的状态与补贴。",
      ("姓名", "公民身份号码", "参保类型", "参保状态", "缴费基数", "补贴金额")),
    T("205", "残疾人文化活动记录", "残疾人文化进家庭、文化周等活动。",
      ("活动名称", "活动日期", "参与人数", "组织名称", "备注"), sharing_type="unconditional"),
    T("206", "残疾人体育赛事成绩", "各级残疾人运动会及特奥会参赛与成绩。",
      ("姓名", "残疾类别", "项目名称", "比赛成绩", "活动日期"), update_cycle="other"),
    T("207", "残疾人信访与维权案件", "残疾人来信来访及法律援助案件的受理与办理。",
      ("姓名", "公民身份号码", "联系电话", "信访事项", "受理日期", "办理结果"), sharing_type="none"),
    T("208", "无障碍设施建设改造信息", "公共场所与困难残疾人家庭无障碍改造。",
      ("设施类型", "地址", "改造户数", "改造日期", "行政区划代码"), sharing_type="unconditional",
      update_cycle="quarterly"),
    T("209", "基层残疾人组织建设信息", "乡镇、村残疾人协会与专职委员配备情况。",
      ("组织名称", "行政区划代码", "专职委员人数", "负责人", "办公电话"), update_cycle="yearly"),
    T("301", "残疾学生学籍信息（教育部门）", "教育部门提供的在校残疾学生学籍信息。",
      ("姓名", "公民身份号码", "学校名称", "学段", "记录更新时间"), provider="education",
      format="service_api"),
    T("302", "城乡低保中残疾人信息（民政部门）", "民政部门提供的享受最低生活保障的残疾人名单。",
      ("姓名", "公民身份号码", "补贴金额", "发放月份", "行政区划代码"), provider="civil_affairs",
      format="service_api"),
    T("302", "残疾人社会保险参保信息（人社部门）", "人力资源和社会保障部门提供的残疾人参保缴费信息。",
      ("姓名", "公民身份号码", "参保类型", "参保状态", "缴费基数"), provider="hrss",
      format="service_api"),
    T("302", "残疾人就业失业登记（人社部门）", "人社部门的就业失业登记中残疾人记录。",
      ("姓名", "公民身份号码", "就业状况", "用人单位名称", "记录更新时间"), provider="hrss"),
    T("303", "残疾评定医疗机构名录（卫健部门）", "卫生健康部门指定的残疾评定医疗机构。",
      ("医疗机构名称", "统一社会信用代码", "地址", "办公电话"), provider="health",
      sharing_type="unconditional", update_cycle="yearly"),
    T("303", "残疾人家庭医生签约信息（卫健部门）", "残疾人家庭医生签约服务记录。",
      ("姓名", "公民身份号码", "医疗机构名称", "服务开始日期", "诊断结论"), provider="health"),
    T("304", "助残社会组织名录", "登记在册的助残社会组织与志愿服务团队。",
      ("组织名称", "统一社会信用代码", "负责人", "办公电话", "地址"), provider="civil_affairs",
      sharing_type="unconditional"),
)

EXTRA_ITEMS = ("记录更新时间", "数据来源", "备注", "行政区划代码", "发证日期", "办公电话", "地址",
               "联系人", "邮政编码", "数据更新人", "审核人", "审核日期", "数据质量标记",
               "活动日期", "经度", "纬度", "婚姻状况", "就业状况")

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉兰萍建华红梅鑫波斌宇浩凯健俊帆帅旭宁晨阳欣怡佳琪子涵雨桐思远嘉懿"
STREETS = ("解放路", "人民路", "中山路", "建设路", "和平路", "文化路", "新华路", "青年路", "胜利路", "朝阳路")
ETHNICITIES = ("汉族", "汉族", "汉族", "汉族", "回族", "畲族", "满族", "苗族")
MOBILE_PREFIXES = ("130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151",
                   "152", "155", "157", "158", "159", "166", "177", "180", "181", "186", "187",
                   "188", "189", "198", "199")
