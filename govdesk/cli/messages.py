"""Messages of the command line itself, in Chinese and English (see :mod:`govdesk.messages`):
its errors (arguments, passwords on standard input) in :data:`MESSAGES`, and in :data:`OUTPUT`
every line a command prints for a person (results, prompts, progress labels, hints), rendered
with :func:`govdesk.cli.common.say` in the command's language."""

from __future__ import annotations

from govdesk.messages import define

MESSAGES: dict[str, tuple[str, str]] = {
    "passwords_differ": ("两次输入的密码不一致；未创建任何内容。",
                         "The two passwords differ; nothing was created."),
    "no_password_on_stdin": ("标准输入中没有密码；未创建任何内容。",
                             "No password on standard input; nothing was created."),
    "bad_time": ("“{value}”不是日期（YYYY-MM-DD）或日期时间。",
                 "{value!r} is not a date (YYYY-MM-DD) or date and time."),
    "anchor_key_where": ("请用 --out FILE 指定新密钥文件，或使用 --keyring。",
                         "Give --out FILE for the new key file, or --keyring."),
    "reason_without_unmask": ("--reason 需与 --unmask 一起使用：脱敏导出不需要理由。",
                              "--reason goes with --unmask: a masked export needs no reason."),
    "cli_bad_term": ("“{value}”不是可选的值（可选：{allowed}）",
                     "{value!r} is not one of the values ({allowed})"),
    "export_unknown_category": ("分类代码“{code}”不存在：未导出任何内容。",
                                "There is no category {code}: nothing was exported."),
    "export_unknown_region": ("行政区划代码“{code}”不存在：未导出任何内容。",
                              "There is no region {code}: nothing was exported."),
    "bad_map": ("--map 的格式为 旧=新，而不是“{pair}”。", "--map takes OLD=NEW, not {pair!r}."),
    "queue_needs_resource": ("--queue 需要 --resource CODE：分级建议属于某个资源。",
                             "--queue needs --resource CODE: suggestions belong to a resource."),
    "no_password_for_user": ("{username} 没有密码：请设置 GOVDESK_PASSWORD、在标准输入的第一行给出密码，或在终端中运行。",
                             "No password for {username}: set GOVDESK_PASSWORD, give it on the "
                             "first line of standard input, or run in a terminal."),
    "scheme_write_type": ("{name}：分级方案以 YAML（.yaml）格式写出。",
                          "{name}: the scheme is written as YAML (.yaml)."),
    # sharing
    "sharing_bad_date": ("日期“{value}”的格式应为 YYYY-MM-DD。",
                         "The date {value!r} must be written YYYY-MM-DD."),
    "sharing_until_or_days": ("请用 --until 日期 或 --days 天数 指定有效期的结束（二选一）。",
                              "Say when the grant ends: --until DATE or --days N (one of them)."),
    "sharing_bad_scope": ("范围“{value}”的格式应为 地区前缀[:单位类型[:层级]]，如 3301:federation:3。",
                          "The scope {value!r} must be PREFIX[:KIND[:LEVEL]], e.g. "
                          "3301:federation:3."),
    "sharing_to_or_scope": ("请用 --to 单位代码 或 --scope 范围 指定被授权方（二选一）。",
                            "Name who is granted: --to ORG or --scope SCOPE (one of them)."),
}

#: what the commands print for a person (``--json`` prints codes and numbers instead)
OUTPUT: dict[str, tuple[str, str]] = {
    # shared
    "cli_interrupted": ("已中断；未写入任何内容。", "interrupted; nothing was written."),
    "hint_not_allowed_sqlite": (
        "提示：请以具有上述角色之一的用户执行：--user 用户名（密码取自 GOVDESK_PASSWORD、标准输入的第一行或终端提示）。",
        "Hint: act as a user with one of those roles: --user NAME (password from "
        "GOVDESK_PASSWORD, the first line of standard input, or a prompt)."),
    "hint_not_allowed_pg": (
        "提示：请以具有上述角色之一的登录名连接：--db postgresql://用户名@主机/数据库。",
        "Hint: connect as a login with one of those roles: "
        "--db postgresql://NAME@HOST/DATABASE."),
    "prompt_password": ("{username} 的密码：", "Password for {username}: "),
    "prompt_password_on": ("{username}（{host}）的密码：", "Password for {username} on {host}: "),
    "prompt_new_password": ("{username} 的初始密码：", "Initial password for {username}: "),
    "prompt_repeat": ("再输入一次：", "Repeat it: "),
    "prompt_file_password": ("{name} 的密码：", "Password for {name}: "),
    "answer_yes": ("是", "yes"),
    "answer_no": ("否", "no"),
    # orgs
    "orgs_seeding": ("生成残联", "Seeding federations"),
    "orgs_seeded": ("{p}：新建 {c} 个残联，已有 {e} 个；各级残联数：{lv}。",
                    "{p}: created {c} federations, {e} existed; per level: {lv}."),
    "orgs_seeded_departments": ("另新建 {d} 个省、市级部门。",
                                " Also created {d} province and city departments."),
    "orgs_levels_missing": ("区划表中没有{m}的区划，这些层级未生成残联（导入含乡镇、村级代码的区划表后再运行一次即可）。",
                            "The region list has no divisions at level(s) {m}: no federations "
                            "there (seed again once such divisions are in the region list)."),
    "orgs_added": ("已添加 {c} {n}（{r}）。", "Added {c} {n} ({r})."),
    "orgs_updated": ("已修改 {c} {n}。", "Changed {c} {n}."),
    "orgs_activated": ("{c} {n} 已启用。", "{c} {n} is active."),
    "orgs_deactivated": ("{c} {n} 已停用：其资源保留，新资源不能再选择它。",
                         "{c} {n} is deactivated: its resources keep it; new ones cannot use it."),
    "orgs_inactive_mark": ("，已停用", ", deactivated"),
    "orgs_none": ("没有组织机构：可运行 govdesk orgs seed --province 33。",
                  "No organisations: run govdesk orgs seed --province 33."),
    "orgs_importing": ("导入组织机构", "Importing organisations"),
    "orgs_imported": ("{d}新增 {c} 个，修改 {u} 个，未变 {n} 个。",
                      "{d}{c} added, {u} changed, {n} unchanged."),
    "orgs_dry_run_mark": ("（试运行，未写入）", "(dry run, nothing written) "),
    "orgs_template_written": ("已写出 {f}（{n} 个组织机构）。", "Wrote {f} ({n} organisations)."),
    "region_named": ("{name}（区划代码 {code}）", "{name} ({code})"),
    "region_none": ("全省", "province-wide"),
    # db and demo
    "db_upgraded": ("数据库 {database} 已从 {before} 升级到 {after}。",
                    "Database {database} upgraded from {before} to {after}."),
    "db_created": ("已在数据库 {database} 中创建 GovDesk 结构（版本 {after}）。",
                   "Created the GovDesk schema in {database} (revision {after})."),
    "db_current": ("数据库 {database} 已是最新版本 {after}，无需升级。",
                   "Database {database} is already at the newest revision {after}."),
    "orgs_line": ("{code} {name}  [{kind}，{region}{inactive}]",
                  "{code} {name}  [{kind}, {region}{inactive}]"),
    "db_status": ("{database}：{state}（当前版本 {revision}，最新版本 {head}）",
                  "{database}: {state} (at {revision}, newest {head})"),
    "bar_demo": ("载入演示数据（{scale}）", "demo {scale}"),
    "demo_loaded": ("已为{province}载入 {scale} 演示数据：{rows}，用时 {seconds} 秒（每秒 {rate} 行）。",
                    "Loaded the {scale} demo for {province}: {rows} in {seconds} s "
                    "({rate} rows/s)."),
    # users
    "user_created": ("已创建用户 {username}（{role}，{region}）。",
                     "Created {username} ({role}, {region})."),
    "user_changed": ("{username}：{role}，{region}，机构 {organisation}。",
                     "{username}: {role}, {region}, organisation {organisation}."),
    "user_locked_mark": ("已锁定", "locked"),
    "no_users": ("没有用户。", "No users."),
    "user_unlocked": ("已解锁 {username}。", "Unlocked {username}."),
    "user_locked": ("已锁定 {username}。", "Locked {username}."),
    "user_deactivated": ("已停用 {username}。", "Deactivated {username}."),
    "no_anomalies": ("本数据库 GovDesk 组中的每个登录名都是有效的 GovDesk 用户。",
                     "Every login in a GovDesk group of this database is an active GovDesk user."),
    # audit
    "anchor_key_created": ("新的锚点密钥 {key_id} 已保存到 {where}。请由审计管理员保管，不要放在数据库服务器上。",
                           "New anchor key {key_id} in {where}. Keep it with the audit "
                           "administrator, away from the database server."),
    "anchored": ("已在 {file} 中锚定审计日志至第 {last_id} 条（{hash}…），使用密钥 {key_id} 签名。",
                 "Anchored the audit trail at row {last_id} ({hash}…) in {file}, signed with "
                 "key {key_id}."),
    "anchor_matches": ("审计日志完整，与第 {anchored_id} 条处的锚点一致（已校验 {checked} 条，之后新写入 {since} 条）。",
                       "Audit trail intact and matches the anchor at row {anchored_id} "
                       "({checked} rows verified, {since} written since)."),
    "anchor_mismatch": ("审计日志与锚点不一致：{reason}。", "Audit trail does NOT match the anchor: {reason}."),
    "chain_intact": ("审计日志完整：已校验 {checked} 条记录。", "Audit trail intact: {checked} rows verified."),
    "chain_broken": ("审计日志在第 {broken_id} 条处断裂：{reason}（之前的 {checked} 条已校验）。",
                     "Audit trail BROKEN at row {broken_id}: {reason} ({checked} rows before it "
                     "verified)."),
    "audit_exported": ("已导出 {rows} 条审计记录到 {file}。", "Exported {rows} audit rows to {file}."),
    "audit_archived": ("已归档 {rows} 条审计记录（至第 {through_id} 条）到 {file}（SHA-256 {sha256}）。",
                       "Archived {rows} audit rows (up to no. {through_id}) to {file} "
                       "(SHA-256 {sha256})."),
    # catalog
    "bar_export": ("导出 {name}", "export {name}"),
    "bar_import": ("导入 {name}", "import {name}"),
    "catalog_exported": ("已导出 {resources} 个数据资源和 {items} 个信息项到 {file}。",
                         "Exported {resources} resources and {items} data items to {file}."),
    "template_exported": ("已把空白模板写入 {file}。", "Wrote the blank template to {file}."),
    "import_problem_cell": ("{sheet} 第 {row} 行“{column}”：{message}",
                            "{sheet} row {row}, {column}: {message}"),
    "import_problem_row": ("{sheet} 第 {row} 行：{message}", "{sheet} row {row}: {message}"),
    "import_problem": ("工作表“{sheet}”：{message}", "Sheet {sheet}: {message}"),
    "import_more_problems": ("……另有 {more} 个问题（完整列表见 --json）。",
                             "… and {more} more problems (--json lists them all)."),
    "import_would_change": ("检查通过：将新增 {inserted} 个、更新 {updated} 个资源，{unchanged} 个不变（未写入：--dry-run）。",
                            "Would change {inserted} new, {updated} updated, {unchanged} "
                            "unchanged resources (nothing written: --dry-run)."),
    "import_wrote": ("已写入：新增 {inserted} 个、更新 {updated} 个资源，{unchanged} 个不变。",
                     "Wrote {inserted} new, {updated} updated, {unchanged} unchanged resources."),
    "import_no_change": ("没有变化：新增 {inserted} 个、更新 {updated} 个资源，{unchanged} 个不变。",
                         "No change: {inserted} new, {updated} updated, {unchanged} unchanged "
                         "resources."),
    "import_refused": ("发现 {problems} 个问题；未写入任何内容。",
                       "{problems} problem(s); nothing was written."),
    "samples_exported": ("已导出 {rows} 行样例数据到 {file}。", "Exported {rows} sample rows to {file}."),
    "samples_exported_encrypted": ("已导出 {rows} 行样例数据到 {file}（已加密）。",
                                   "Exported {rows} sample rows to {file} (encrypted)."),
    # grades and classify
    "scheme_line": ("{mark} {name}（代码 {code}）", "{mark} {name} (code {code})"),
    "grade_line": ("{name}（代码 {code}）  级别序号 {rank}  需脱敏 {mask}  允许导出 {export}  最低灾备等级 {dr}  识别器：{detectors}",
                   "{name} (code {code})  rank {rank}  masking {mask}  export {export}  "
                   "DR≥{dr}  detectors: {detectors}"),
    "scheme_written": ("已把生效的分级方案“{name}”写入 {file}。",
                       "Wrote the active scheme {name} to {file}."),
    "plan_activate": ("启用分级方案“{name}”：", "Activate {name}:"),
    "plan_update": ("更新分级方案“{name}”：", "Update {name}:"),
    "plan_change": ("{old} → {new}：{resources} 个资源、{items} 个信息项；{rules}",
                    "{old} → {new}: {resources} resources, {items} items; {rules}"),
    "plan_removed": ("（删除）", "(removed)"),
    "plan_same_rules": ("处理要求不变", "same rules"),
    "plan_affected": ("{resources} 个资源的处理要求会改变。", "{resources} resources change handling."),
    "plan_applied": ("已应用。", "Applied."),
    "plan_dry_run": ("未应用（--dry-run 预演）。", "Nothing applied (dry run)."),
    "plan_not_applied": ("未应用。", "Nothing applied."),
    "bar_profile": ("分析 {name}", "profile {name}"),
    "profile_head": ("{file}：{rows} 行，分级方案 {scheme}", "{file}: {rows} rows, scheme {scheme}"),
    "profile_column": ("{name} {detector} {confidence}  {grade} 空值 {null}  不同值 {distinct}  例如 {examples}",
                       "{name} {detector} {confidence}  {grade} null {null}  distinct {distinct}  "
                       "e.g. {examples}"),
    "profile_quality": ("质量评分 {score}（标识符有效率 {identifiers}，元数据完整度 {metadata}）",
                        "Quality score {score} (identifiers {identifiers}, metadata {metadata})"),
    "profile_queued": ("{queued} 条建议已放入审核队列。", "{queued} suggestion(s) queued for review."),
    "queue_line": ("#{id} {resource} {column} {detector} {confidence} → {grade}（信息项当前：{item_grade}）",
                   "#{id} {resource} {column} {detector} {confidence} → {grade} (item: "
                   "{item_grade})"),
    "queue_empty": ("审核队列为空。", "The review queue is empty."),
    "suggestion_accepted": ("已采纳建议 {id}。", "Suggestion {id} accepted."),
    "suggestion_rejected": ("已拒绝建议 {id}。", "Suggestion {id} rejected."),
    "suggestion_status": ("建议 {id}：{status}。", "Suggestion {id} {status}."),
    # sharing
    "sharing_line": ("#{id} {resource} → {grantee} {state} {start} 至 {until}  {items}",
                     "#{id} {resource} → {grantee} {state} {start} … {until}  {items}"),
    "sharing_all_items": ("全部信息项", "all items"),
    "sharing_n_items": ("{n} 个信息项", "{n} items"),
    "sharing_scope": ("区划 {prefix} 内的{kind}{level}", "{kind} in region {prefix}{level}"),
    "sharing_scope_any_kind": ("所有单位", "Every organisation"),
    "sharing_scope_level": ("（第 {level} 级区划）", " (region level {level})"),
    "sharing_requested": ("已申请：{grant}", "Requested: {grant}"),
    "sharing_offered": ("已提供：{grant}", "Offered: {grant}"),
    "sharing_approved": ("已批准：{grant}", "Approved: {grant}"),
    "sharing_first_approved": ("已完成第一人审批，还需另一位安全管理员批准：{grant}",
                               "First approval given; another security administrator must "
                               "approve too: {grant}"),
    "sharing_rejected": ("已驳回：{grant}", "Rejected: {grant}"),
    "sharing_revoked": ("已撤销：{grant}", "Revoked: {grant}"),
    "sharing_released": ("已提前释放：{grant}", "Released: {grant}"),
    "sharing_renewal_requested": ("已申请续期：{grant}", "Renewal requested: {grant}"),
    "sharing_left_out": ("  未包含：{item}（分级“{grade}”，{reason}）",
                         "  left out: {item} (grade {grade}: {reason})"),
    "sharing_reason_grade_forbids_sharing": ("其分级不允许此共享类型",
                                             "its grade does not allow this sharing type"),
    "sharing_terms": ("  资源：{name}；共享方式：{method}；用途：{purpose}",
                      "  resource: {name}; method: {method}; purpose: {purpose}"),
    "sharing_purpose_text": ("  用途说明：{text}", "  purpose in words: {text}"),
    "sharing_basis": ("  依据：{text}", "  basis: {text}"),
    "sharing_conditions": ("  共享条件：{text}", "  conditions: {text}"),
    "sharing_items_named": ("  信息项：{items}", "  items: {items}"),
    "sharing_history": ("  历史：", "  history:"),
    "sharing_event": ("  {at}  {actor}（{role}）：状态 {before} → {after}",
                      "  {at}  {actor} ({role}): {before} → {after}"),
    "sharing_event_reason": ("  {at}  {actor}（{role}）：状态 {before} → {after}；理由：{reason}",
                             "  {at}  {actor} ({role}): {before} → {after}; reason: {reason}"),
    "sharing_event_new": ("新建", "new"),
    "sharing_none": ("没有共享授权。", "No grants."),
    "sharing_lapsed": ("已将 {n} 个逾期未审的申请标记为失效。",
                       "{n} unanswered request(s) marked lapsed."),
    # selftest
    "selftest_ok": ("正常  {view}", "ok    {view}"),
    "selftest_failed": ("失败  {view}", "FAIL  {view}"),
}

define(MESSAGES, __name__)
define(OUTPUT, __name__)
