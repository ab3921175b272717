"""The lines ``govdesk backup`` prints, in Chinese and English (``say`` renders them)."""

from __future__ import annotations

from govdesk.messages import define

OUTPUT: dict[str, tuple[str, str]] = {
    "bk_policy_line": ("{id}  {name}  第{level}级  {method}  {cron}  RPO 可达 {achievable} 小时 / 目标 {rpo} 小时  {state}",
                       "{id}  {name}  level {level}  {method}  {cron}  RPO achievable {achievable} h / target {rpo} h  {state}"),
    "bk_policy_ok": ("可执行", "can hold"),
    "bk_policy_problem": ("不可执行：{reason}", "cannot hold: {reason}"),
    "bk_policy_disabled": ("已停用", "disabled"),
    "bk_next_runs": ("    下次运行：{runs}", "    next runs: {runs}"),
    "bk_policy_saved": ("已保存备份策略 {id}“{name}”。", "Saved backup policy {id} ({name})."),
    "bk_key_made": ("已新建备份密钥 {key_id}（保存在{where}）。请另行妥善保管该密钥的副本：没有它，备份无法读取。",
                    "Made backup key {key_id} (kept in {where}). Keep a copy of it elsewhere: "
                    "without it the backups cannot be read."),
    "bk_keyring": ("操作系统密钥环", "the OS keyring"),
    "bk_backup_line": ("{id}  {label}  {status}  {size} 字节  {finished}  {where}",
                       "{id}  {label}  {status}  {size} bytes  {finished}  {where}"),
    "bk_none": ("没有备份。", "No backups."),
    "bk_ran": ("已完成备份 {id}：{label}，{size} 字节。", "Backup {id} done: {label}, {size} bytes."),
    "bk_due_failed": ("备份策略 {id}“{name}”失败：{error}", "Backup policy {id} ({name}) failed: {error}"),
    "bk_due_none": ("没有到期的备份策略。", "No backup policy is due."),
    "bk_verified": ("备份 {id}（{label}）校验通过。", "Backup {id} ({label}) verifies."),
    "bk_drilled": ("备份 {id}（{label}）恢复演练通过：恢复用时 {seconds} 秒（实际 RTO），审计链 {rows} 行校验通过。",
                   "Backup {id} ({label}) restore drill passed: restored in {seconds} s (the "
                   "achieved RTO), {rows} audit rows verify."),
    "bk_verify_failed": ("备份 {id}（{label}）校验失败：{reason}",
                         "Backup {id} ({label}) does not verify: {reason}"),
    "bk_restored": ("已将备份 {id} 恢复到 {target}。", "Restored backup {id} into {target}."),
    "bk_safety": ("恢复前已做安全备份 {id}。", "A safety backup {id} was taken first."),
    "bk_pruned": ("已删除 {n} 个备份。", "Deleted {n} backup(s)."),
    "bk_would_prune": ("将删除 {n} 个备份（试运行，未删除任何内容）。",
                       "Would delete {n} backup(s) (dry run: nothing was deleted)."),
    "bk_prune_line": ("  备份 {id}  {label}", "  backup {id}  {label}"),
    "bk_hold": ("备份 {id} 已设为法定保留（永久保存）。", "Backup {id} is on legal hold (kept for ever)."),
    "bk_release": ("备份 {id} 已解除法定保留。", "Backup {id} is released from legal hold."),
    "bk_health_line": ("{id}  {name}  第{level}级  最新已校验备份距今 {rpo} 小时（目标 {rpo_target}）  最近演练 RTO {rto} 小时（目标 {rto_target}）  {alerts}",
                       "{id}  {name}  level {level}  newest verified backup {rpo} h old (target {rpo_target})  last drill RTO {rto} h (target {rto_target})  {alerts}"),
    "bk_no_alerts": ("正常", "ok"),
    "bk_compliance_head": ("等级要求未被覆盖的资源 {n} 个（现有可执行策略的最高等级：{best}）。",
                           "{n} resource(s) whose grade's DR level no policy covers (highest "
                           "level of a policy that can hold: {best})."),
    "bk_uncovered_line": ("  {code}  {name}  分级 {grade} 要求第{level}级",
                          "  {code}  {name}  grade {grade} needs level {level}"),
    "bk_missing_targets": ("RPO 或 RTO 未达标的策略：{names}", "Policies missing their RPO or RTO: {names}"),
    "bk_job_line": ("作业 {id}  {kind}  {result}  {started}  {size}  {error}",
                    "job {id}  {kind}  {result}  {started}  {size}  {error}"),
    "bk_progress": ("备份", "Backup"),
}

ALERTS: dict[str, tuple[str, str]] = {
    "bk_alert_cannot_hold": ("策略无法达到其等级", "cannot reach its level"),
    "bk_alert_rpo_breached": ("RPO 超标", "RPO breached"),
    "bk_alert_rto_unproved": ("RTO 未经演练证明或超标", "RTO not proved by a drill or missed"),
    "bk_alert_verification_failed": ("校验失败", "verification failed"),
    "bk_alert_jobs_failed": ("有失败的作业", "failed jobs"),
}

define(OUTPUT, __name__)
define(ALERTS, __name__)
