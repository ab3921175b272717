"""Demo sharing grants taken through the workflow services, as the demo accounts (SQLite demo
only, where the demo accounts exist): every step recorded in the grants' history and the audit
trail as it would be in use, so the Sharing area shows each state with who, when and why.

杭州市残联's data administrator (``demo_hz_data_admin``) asks for resources of other regions: one
stays requested, one is approved once and waits for a second security administrator (its
grades ask for two), one is approved and in force, one rejected, one released, one revoked, and
the one in force is asked to be renewed. The province's data administrator offers a province
resource to every city federation of the province, approved by the security administrator.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from govdesk.db.engine import Database
from govdesk.db.models import DataResource, Grade, User
from govdesk.db.models.sharing import grant_day
from govdesk.security.identity import Identity, client_host
from govdesk.security.roles import Role
from govdesk.sharing import decisions
from govdesk.sharing.dto import GrantScope, GrantTerms
from govdesk.sharing.lookup import requestable
from govdesk.sharing.workflow import offer_grant, renew_grant, request_grant

#: purposes and bases of the demo's requests (what a federation would write)
PURPOSES = (("eligibility_check", "残疾人两项补贴资格比对"), ("service_delivery", "残疾人就业帮扶服务办理"),
            ("statistics", "残疾人基本状况年度统计"), ("supervision", "康复服务质量监督检查"),
            ("service_delivery", "残疾学生资助审核"), ("eligibility_check", "低保对象复核"))
BASIS = "《残疾人保障法》《浙江省公共数据条例》及双方数据共享协议"


def _pick(db: Database, who: Identity, two_approvals: bool, count: int, region_like: str,
          exclude: str | None = None) -> list[str]:
    """Codes of ``count`` published resources that may be granted (their grade allows their
    sharing type, some item may be shared), whose region matches ``region_like`` (and not
    ``exclude``), whose grade asks for two approvals (or for fewer)."""
    with db.session() as s:
        query = (select(DataResource.code).join(Grade, Grade.id == DataResource.grade_id)
                 .where(DataResource.status == "published",
                        DataResource.sharing_type != "none",
                        DataResource.region_code.like(region_like),
                        (Grade.approvals_required >= 2) if two_approvals
                        else (Grade.approvals_required < 2))
                 .order_by(DataResource.id).limit(200))
        if exclude:
            query = query.where(DataResource.region_code.not_like(exclude))
        codes = list(s.scalars(query))
    found = []
    for code in codes:
        terms = requestable(db, who, code)
        if terms.shareable and any(i.allowed for i in terms.items):
            found.append(code)
            if len(found) == count:
                break
    return found


def _acting(db: Database, username: str) -> Identity:
    """The demo account ``username`` as the acting identity (no login is recorded: these steps
    are the demo's history, as if taken in the days before)."""
    with db.session() as s:
        user = s.scalars(select(User).where(User.username == username)).one()
        return Identity(user.username, Role(user.role_code), user.region_code,
                        user.organisation_id, host=client_host())


def add_demo_grants(db: Database) -> int:
    """Take the demo's sharing steps (see the module's docstring); how many grants were made.
    Nothing when the catalogue has no resource to ask for."""
    hz = _acting(db, "demo_hz_data_admin")
    sec = _acting(db, "demo_secadmin")
    prov = _acting(db, "demo_data_admin")
    one = _pick(db, hz, False, 5, "33%", exclude="3301%")
    two = _pick(db, hz, True, 1, "33%", exclude="3301%")
    province = _pick(db, hz, False, 1, "330000%")
    if len(one) < 5 or not two or not province:
        return 0
    today = grant_day()

    def terms(code: str, n: int, days: int = 90) -> GrantTerms:
        found = requestable(db, hz, code)
        purpose_code, purpose = PURPOSES[n % len(PURPOSES)]
        until = today + dt.timedelta(days=min(days, found.max_days()) - 1)
        return GrantTerms(valid_until=until, method="platform", purpose_code=purpose_code,
                          purpose=purpose, legal_basis=BASIS,
                          accept_conditions=found.sharing_type == "conditional")

    asked = [request_grant(db, hz, code, terms(code, n)) for n, code in enumerate(one)]
    waiting, active, rejected, released, revoked = asked
    decisions.approve(db, sec, active.id, note="用途明确，依据充分")
    decisions.reject(db, sec, rejected.id, "申请用途与所列信息项不符，请缩小信息项范围后重新申请")
    decisions.approve(db, sec, released.id)
    decisions.release(db, hz, released.id, "专项核查已完成，提前归还")
    decisions.approve(db, sec, revoked.id)
    decisions.revoke(db, sec, revoked.id, "共享协议已终止")
    double = request_grant(db, hz, two[0], terms(two[0], 5, 60))
    decisions.approve(db, sec, double.id, note="第一人审核通过")
    renewal = renew_grant(db, hz, active.id, today + dt.timedelta(days=150),
                          accept_conditions=True)
    offered = offer_grant(db, prov, province[0], GrantTerms(
        valid_until=today + dt.timedelta(days=179), method="platform",
        purpose_code="statistics", purpose="全省残疾人基本状况统计汇总", legal_basis=BASIS,
        accept_conditions=True), scope=GrantScope("33", "federation", 2))
    decisions.approve(db, sec, offered.id)
    assert waiting.status == "requested" and renewal.renews_grant_id == active.id
    return len(asked) + 3  # the two-approval request, the renewal, the offer
