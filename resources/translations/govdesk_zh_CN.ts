<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>AccessFilterBar</name>
    <message>
        <source>User name</source>
        <translation>用户名</translation>
    </message>
    <message>
        <source>Resource code</source>
        <translation>资源代码</translation>
    </message>
    <message>
        <source>e.g. 10.33.1. (a prefix)</source>
        <translation>如 10.33.1.（前缀）</translation>
    </message>
    <message>
        <source>&amp;Not reviewed only</source>
        <translation>只看未审查(&amp;N)</translation>
    </message>
    <message>
        <source>A&amp;pply filter</source>
        <translation>应用筛选(&amp;P)</translation>
    </message>
    <message>
        <source>All organisations</source>
        <translation>所有单位</translation>
    </message>
    <message>
        <source>All grades</source>
        <translation>所有分级</translation>
    </message>
    <message>
        <source>All actions</source>
        <translation>所有操作</translation>
    </message>
    <message>
        <source>Any result</source>
        <translation>任何结果</translation>
    </message>
    <message>
        <source>Success</source>
        <translation>成功</translation>
    </message>
    <message>
        <source>Denied</source>
        <translation>拒绝</translation>
    </message>
    <message>
        <source>F&amp;rom:</source>
        <translation>从(&amp;R)：</translation>
    </message>
    <message>
        <source>From date</source>
        <translation>起始日期</translation>
    </message>
    <message>
        <source>&amp;To:</source>
        <translation>到(&amp;T)：</translation>
    </message>
    <message>
        <source>To date (included)</source>
        <translation>截止日期（含当天）</translation>
    </message>
    <message>
        <source>&amp;User:</source>
        <translation>用户(&amp;U)：</translation>
    </message>
    <message>
        <source>User filter</source>
        <translation>用户筛选</translation>
    </message>
    <message>
        <source>Or&amp;ganisation:</source>
        <translation>单位(&amp;G)：</translation>
    </message>
    <message>
        <source>Organisation filter</source>
        <translation>单位筛选</translation>
    </message>
    <message>
        <source>Re&amp;source:</source>
        <translation>资源(&amp;S)：</translation>
    </message>
    <message>
        <source>Resource code filter</source>
        <translation>资源代码筛选</translation>
    </message>
    <message>
        <source>Gra&amp;de:</source>
        <translation>分级(&amp;D)：</translation>
    </message>
    <message>
        <source>Grade filter</source>
        <translation>分级筛选</translation>
    </message>
    <message>
        <source>Act&amp;ion:</source>
        <translation>操作(&amp;I)：</translation>
    </message>
    <message>
        <source>Action filter</source>
        <translation>操作筛选</translation>
    </message>
    <message>
        <source>Resu&amp;lt:</source>
        <translation>结果(&amp;L)：</translation>
    </message>
    <message>
        <source>Result filter</source>
        <translation>结果筛选</translation>
    </message>
    <message>
        <source>Cli&amp;ent:</source>
        <translation>客户端(&amp;E)：</translation>
    </message>
    <message>
        <source>Client host filter</source>
        <translation>客户端地址筛选</translation>
    </message>
    <message>
        <source>Only events not reviewed</source>
        <translation>只看尚未审查的访问记录</translation>
    </message>
    <message>
        <source>Apply the filter</source>
        <translation>应用筛选条件</translation>
    </message>
</context>
<context>
    <name>AccessReviewTab</name>
    <message>
        <source>Details of the current access event</source>
        <extracomment>where an export is written (tests set it; else a file dialog asks)</extracomment>
        <translation>当前访问记录的详情</translation>
    </message>
    <message>
        <source>Number of access events and the last action</source>
        <translation>访问记录条数和最近的操作结果</translation>
    </message>
    <message>
        <source>Access events, newest first</source>
        <extracomment>what the last action did, shown before the next count</extracomment>
        <translation>访问记录（最新的在前）</translation>
    </message>
    <message>
        <source>&amp;Mark selected reviewed…</source>
        <translation>将选中记录标记为已审查(&amp;M)…</translation>
    </message>
    <message>
        <source>Mark the selected events reviewed</source>
        <translation>将选中的访问记录标记为已审查</translation>
    </message>
    <message>
        <source>Review an organisation&apos;s peri&amp;od…</source>
        <translation>按单位和时段审查(&amp;O)…</translation>
    </message>
    <message>
        <source>Mark an organisation&apos;s period reviewed</source>
        <translation>将某单位某时段的访问记录标记为已审查</translation>
    </message>
    <message>
        <source>E&amp;xport…</source>
        <translation>导出(&amp;X)…</translation>
    </message>
    <message>
        <source>Export the filtered events to Excel</source>
        <translation>将筛选出的访问记录导出为 Excel</translation>
    </message>
    <message>
        <source>Your role may not do this</source>
        <translation>您的角色无权执行此操作</translation>
    </message>
    <message numerus="yes">
        <source>%n access event(s)</source>
        <translation>
            <numerusform>%n 条访问记录</numerusform>
        </translation>
    </message>
    <message>
        <source>About %1 access events</source>
        <translation>约 %1 条访问记录（估计值）</translation>
    </message>
    <message>
        <source>Time: %1</source>
        <translation>时间：%1</translation>
    </message>
    <message>
        <source>User: %1 (%2)</source>
        <translation>用户：%1（%2）</translation>
    </message>
    <message>
        <source>Organisation: %1 (%2)</source>
        <translation>单位：%1（%2）</translation>
    </message>
    <message>
        <source>Resource: %1 %2</source>
        <translation>资源：%1 %2</translation>
    </message>
    <message>
        <source>Grade: %1</source>
        <translation>分级：%1</translation>
    </message>
    <message>
        <source>Action: %1, %2 rows, %3</source>
        <translation>操作：%1，%2 行，%3</translation>
    </message>
    <message>
        <source>succeeded</source>
        <translation>成功</translation>
    </message>
    <message>
        <source>denied</source>
        <translation>被拒绝</translation>
    </message>
    <message>
        <source>Client: %1</source>
        <translation>客户端：%1</translation>
    </message>
    <message>
        <source>Not reviewed yet.</source>
        <translation>尚未审查。</translation>
    </message>
    <message>
        <source>Reviewed by %1 at %2 (%3): %4</source>
        <translation>%1 于 %2 审查（%3）：%4</translation>
    </message>
    <message>
        <source>the organisation&apos;s period</source>
        <translation>按单位和时段</translation>
    </message>
    <message>
        <source>this event</source>
        <translation>按记录</translation>
    </message>
    <message>
        <source>Select the events to mark first.</source>
        <translation>请先选中要标记的访问记录。</translation>
    </message>
    <message>
        <source>Recording the review…</source>
        <translation>正在记录审查…</translation>
    </message>
    <message>
        <source>Review #%1 recorded.</source>
        <translation>已记录审查 #%1。</translation>
    </message>
    <message>
        <source>Export access events</source>
        <translation>导出访问记录</translation>
    </message>
    <message>
        <source>Excel workbook (*.xlsx)</source>
        <translation>Excel 工作簿 (*.xlsx)</translation>
    </message>
    <message>
        <source>Exported %1 events to %2</source>
        <translation>已导出 %1 条访问记录到 %2</translation>
    </message>
    <message>
        <source>Exporting access events…</source>
        <translation>正在导出访问记录…</translation>
    </message>
</context>
<context>
    <name>AccessTableModel</name>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>User</source>
        <translation>用户</translation>
    </message>
    <message>
        <source>Organisation</source>
        <translation>单位</translation>
    </message>
    <message>
        <source>Resource</source>
        <translation>资源</translation>
    </message>
    <message>
        <source>Grade</source>
        <translation>分级</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>操作</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>结果</translation>
    </message>
    <message>
        <source>Rows</source>
        <translation>行数</translation>
    </message>
    <message>
        <source>Client</source>
        <translation>客户端</translation>
    </message>
    <message>
        <source>Review</source>
        <translation>审查</translation>
    </message>
    <message>
        <source>Success</source>
        <translation>成功</translation>
    </message>
    <message>
        <source>Denied</source>
        <translation>拒绝</translation>
    </message>
    <message>
        <source>Not reviewed</source>
        <translation>未审查</translation>
    </message>
    <message>
        <source>%1, %2</source>
        <translation>%1，%2</translation>
    </message>
</context>
<context>
    <name>AddUserDialog</name>
    <message>
        <source>Add user</source>
        <translation>新增用户</translation>
    </message>
    <message>
        <source>e.g. 330100 (empty: whole database)</source>
        <translation>例如 330100（留空：全部地区）</translation>
    </message>
    <message>
        <source>&amp;User name:</source>
        <translation>用户名(&amp;U)：</translation>
    </message>
    <message>
        <source>&amp;Full name:</source>
        <translation>姓名(&amp;F)：</translation>
    </message>
    <message>
        <source>R&amp;ole:</source>
        <translation>角色(&amp;O)：</translation>
    </message>
    <message>
        <source>Re&amp;gion code:</source>
        <translation>行政区划代码(&amp;G)：</translation>
    </message>
    <message>
        <source>Initial &amp;password:</source>
        <translation>初始密码(&amp;P)：</translation>
    </message>
    <message>
        <source>Why the account was not created</source>
        <translation>未能创建账号的原因</translation>
    </message>
</context>
<context>
    <name>AdminView</name>
    <message>
        <source>User accounts</source>
        <translation>用户账号</translation>
    </message>
    <message>
        <source>User name</source>
        <translation>用户名</translation>
    </message>
    <message>
        <source>Full name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>角色</translation>
    </message>
    <message>
        <source>Region</source>
        <translation>行政区划</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>&amp;Add user…</source>
        <translation>新增用户(&amp;A)…</translation>
    </message>
    <message>
        <source>&amp;Lock</source>
        <translation>锁定(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Unlock</source>
        <translation>解锁(&amp;U)</translation>
    </message>
    <message>
        <source>&amp;Reset password…</source>
        <translation>重置密码(&amp;R)…</translation>
    </message>
    <message>
        <source>&amp;Deactivate…</source>
        <translation>停用(&amp;D)…</translation>
    </message>
    <message>
        <source>End the account for good: it can no longer log in and its name is never reused</source>
        <translation>永久停用该账号：不能再登录，用户名也不会再被使用</translation>
    </message>
    <message>
        <source>Accounts</source>
        <translation>账号</translation>
    </message>
    <message>
        <source>System settings</source>
        <translation>系统设置</translation>
    </message>
    <message>
        <source>Administration</source>
        <translation>系统管理</translation>
    </message>
    <message>
        <source>Organisations</source>
        <translation>组织机构</translation>
    </message>
    <message>
        <source>Locked</source>
        <translation>已锁定</translation>
    </message>
    <message>
        <source>Active</source>
        <translation>正常</translation>
    </message>
    <message>
        <source>Disabled</source>
        <translation>已停用</translation>
    </message>
    <message>
        <source>(all)</source>
        <translation>（全部）</translation>
    </message>
    <message>
        <source>Account %1 created</source>
        <translation>已创建账号 %1</translation>
    </message>
    <message>
        <source>Deactivate account</source>
        <translation>停用账号</translation>
    </message>
    <message>
        <source>Deactivate %1 for good? The account can no longer log in, and its name stays reserved in the audit trail.</source>
        <translation>确定永久停用 %1 吗？该账号将不能再登录，其用户名在审计记录中保留。</translation>
    </message>
    <message>
        <source>Reset password</source>
        <translation>重置密码</translation>
    </message>
    <message>
        <source>New password for %1:</source>
        <translation>%1 的新密码：</translation>
    </message>
</context>
<context>
    <name>AlertsPanel</name>
    <message>
        <source>Show alerts of kind</source>
        <translation>显示此类提醒</translation>
    </message>
    <message>
        <source>All kinds</source>
        <translation>全部类型</translation>
    </message>
    <message>
        <source>Alert t&amp;ype:</source>
        <translation>提醒类型(&amp;Y)：</translation>
    </message>
    <message>
        <source>Check aga&amp;in</source>
        <translation>重新检查(&amp;I)</translation>
    </message>
    <message>
        <source>Reload the sharing alerts</source>
        <translation>重新加载共享提醒</translation>
    </message>
    <message>
        <source>Sharing alerts summary</source>
        <translation>共享提醒概况</translation>
    </message>
    <message>
        <source>Sharing alerts</source>
        <translation>共享提醒</translation>
    </message>
    <message>
        <source>Alert</source>
        <translation>提醒</translation>
    </message>
    <message>
        <source>Grant</source>
        <translation>授权</translation>
    </message>
    <message>
        <source>Resource code</source>
        <translation>资源代码</translation>
    </message>
    <message>
        <source>Resource</source>
        <translation>数据资源</translation>
    </message>
    <message>
        <source>Grantee</source>
        <translation>被授权方</translation>
    </message>
    <message>
        <source>Due</source>
        <translation>期限</translation>
    </message>
    <message>
        <source>Days left</source>
        <translation>剩余天数</translation>
    </message>
    <message>
        <source>Who should act</source>
        <translation>处理人</translation>
    </message>
    <message>
        <source>What to do</source>
        <translation>处理方式</translation>
    </message>
    <message>
        <source>Loading the sharing alerts…</source>
        <translation>正在加载共享提醒…</translation>
    </message>
    <message>
        <source>every organisation</source>
        <translation>所有单位</translation>
    </message>
    <message>
        <source>%1 in region %2</source>
        <translation>区划 %2 内的%1</translation>
    </message>
    <message numerus="yes">
        <source>unused %n day(s)</source>
        <translation>
            <numerusform>%n 天未使用</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n day(s) overdue</source>
        <translation>
            <numerusform>已逾期 %n 天</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n day(s)</source>
        <translation>
            <numerusform>%n 天</numerusform>
        </translation>
    </message>
    <message>
        <source>Sharing alerts are for data administrators and security administrators.</source>
        <translation>共享提醒仅面向数据管理员和安全管理员。</translation>
    </message>
    <message numerus="yes">
        <source>%n sharing alert(s).</source>
        <translation>
            <numerusform>共 %n 条共享提醒。</numerusform>
        </translation>
    </message>
    <message>
        <source>No sharing alerts: nothing needs you now.</source>
        <translation>没有共享提醒：目前没有需要您处理的事项。</translation>
    </message>
</context>
<context>
    <name>AlertsTab</name>
    <message>
        <source>Show alerts in state</source>
        <extracomment>step -&gt; the states it applies to</extracomment>
        <translation>按状态筛选告警</translation>
    </message>
    <message>
        <source>Show alerts of severity</source>
        <translation>按级别筛选告警</translation>
    </message>
    <message>
        <source>Show alerts of rule</source>
        <translation>按规则筛选告警</translation>
    </message>
    <message>
        <source>Run the rules &amp;now</source>
        <translation>立即运行规则(&amp;N)</translation>
    </message>
    <message>
        <source>Evaluate every enabled rule now</source>
        <translation>立即运行所有启用的监测规则</translation>
    </message>
    <message>
        <source>Re&amp;load</source>
        <translation>刷新(&amp;L)</translation>
    </message>
    <message>
        <source>Reload the alerts</source>
        <translation>重新加载告警</translation>
    </message>
    <message>
        <source>Alerts summary</source>
        <translation>告警统计</translation>
    </message>
    <message>
        <source>Alerts</source>
        <translation>告警列表</translation>
    </message>
    <message>
        <source>No.</source>
        <translation>编号</translation>
    </message>
    <message>
        <source>Severity</source>
        <translation>级别</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Rule</source>
        <translation>规则</translation>
    </message>
    <message>
        <source>Subject</source>
        <translation>对象</translation>
    </message>
    <message>
        <source>Count</source>
        <translation>次数</translation>
    </message>
    <message>
        <source>Last seen</source>
        <translation>最近发现</translation>
    </message>
    <message>
        <source>Assignee</source>
        <translation>处理人</translation>
    </message>
    <message>
        <source>Selected alert</source>
        <translation>所选告警</translation>
    </message>
    <message>
        <source>Alert history</source>
        <translation>告警处理记录</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>By</source>
        <translation>操作人</translation>
    </message>
    <message>
        <source>Change</source>
        <translation>变化</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>Ackno&amp;wledge…</source>
        <translation>确认(&amp;W)…</translation>
    </message>
    <message>
        <source>Acknowledge the selected alert</source>
        <translation>确认所选告警</translation>
    </message>
    <message>
        <source>Assi&amp;gn…</source>
        <translation>指派(&amp;G)…</translation>
    </message>
    <message>
        <source>Assign the selected alert</source>
        <translation>指派所选告警</translation>
    </message>
    <message>
        <source>Add no&amp;te…</source>
        <translation>添加备注(&amp;T)…</translation>
    </message>
    <message>
        <source>Add a note to the selected alert</source>
        <translation>为所选告警添加备注</translation>
    </message>
    <message>
        <source>&amp;Close with disposition…</source>
        <translation>关闭并给出结论(&amp;C)…</translation>
    </message>
    <message>
        <source>Close the selected alert with a disposition</source>
        <translation>关闭所选告警并给出处置结论</translation>
    </message>
    <message>
        <source>Any</source>
        <translation>全部</translation>
    </message>
    <message>
        <source>&amp;State:</source>
        <translation>状态(&amp;S)：</translation>
    </message>
    <message>
        <source>Severit&amp;y:</source>
        <translation>级别(&amp;Y)：</translation>
    </message>
    <message>
        <source>Rule &amp;kind:</source>
        <translation>规则类型(&amp;K)：</translation>
    </message>
    <message>
        <source>Loading the alerts…</source>
        <translation>正在加载告警…</translation>
    </message>
    <message numerus="yes">
        <source>%n alert(s)</source>
        <translation>
            <numerusform>共 %n 条告警</numerusform>
        </translation>
    </message>
    <message>
        <source>No alerts match the filters.</source>
        <translation>没有符合条件的告警。</translation>
    </message>
    <message>
        <source> (the %1 most recently seen are listed: narrow the filters to see others)</source>
        <translation>（列出最近发现的 %1 条：缩小筛选条件可查看其他告警）</translation>
    </message>
    <message>
        <source>No alert selected.</source>
        <translation>未选择告警。</translation>
    </message>
    <message>
        <source>Alert %1: %2, severity %3, %4</source>
        <translation>告警 %1：%2，级别%3，%4</translation>
    </message>
    <message>
        <source>%1: %2 time(s) in %3 run(s), first %4, last %5</source>
        <translation>%1：共 %2 次（%3 次运行），首次 %4，最近 %5</translation>
    </message>
    <message>
        <source>Disposition: %1</source>
        <translation>处置结论：%1</translation>
    </message>
    <message>
        <source>raised</source>
        <translation>生成告警</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>正在保存…</translation>
    </message>
    <message>
        <source>Running the rules…</source>
        <translation>正在运行监测规则…</translation>
    </message>
</context>
<context>
    <name>App</name>
    <message>
        <source>Opening the database… (the first start creates the demo database, which takes a few seconds: you can type your user name and password meanwhile)</source>
        <translation>正在打开数据库…（首次启动时会创建演示数据库，需要几秒钟，您可以同时输入用户名和密码）</translation>
    </message>
    <message>
        <source>GovDesk</source>
        <translation>GovDesk</translation>
    </message>
    <message>
        <source>Opening the database…</source>
        <translation>正在打开数据库…</translation>
    </message>
    <message>
        <source>GovDesk cannot open the database</source>
        <translation>GovDesk 无法打开数据库</translation>
    </message>
</context>
<context>
    <name>AuditDetail</name>
    <message>
        <source>Operation</source>
        <translation>操作</translation>
    </message>
    <message>
        <source>Rows</source>
        <translation>行数</translation>
    </message>
    <message>
        <source>Records</source>
        <translation>记录</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>角色</translation>
    </message>
    <message>
        <source>Region</source>
        <translation>行政区划</translation>
    </message>
    <message>
        <source>Before</source>
        <translation>修改前</translation>
    </message>
    <message>
        <source>After</source>
        <translation>修改后</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>动作</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>理由</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>说明</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Until</source>
        <translation>截至</translation>
    </message>
    <message>
        <source>Since</source>
        <translation>起始</translation>
    </message>
    <message>
        <source>Workflow step</source>
        <translation>流程步骤</translation>
    </message>
    <message>
        <source>Resources</source>
        <translation>资源数</translation>
    </message>
    <message>
        <source>Data items</source>
        <translation>信息项数</translation>
    </message>
    <message>
        <source>Parent category</source>
        <translation>上级分类</translation>
    </message>
    <message>
        <source>Minutes</source>
        <translation>分钟</translation>
    </message>
    <message>
        <source>Key</source>
        <translation>密钥</translation>
    </message>
    <message>
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <source>Failed attempts</source>
        <translation>失败次数</translation>
    </message>
    <message>
        <source>Demo account</source>
        <translation>演示账号</translation>
    </message>
    <message>
        <source>Records checked</source>
        <translation>已校验记录数</translation>
    </message>
    <message>
        <source>By</source>
        <translation>操作方</translation>
    </message>
    <message>
        <source>Broken at record</source>
        <translation>断链记录</translation>
    </message>
    <message>
        <source>Anchored record</source>
        <translation>锚定记录</translation>
    </message>
    <message>
        <source>Anchor</source>
        <translation>锚定</translation>
    </message>
    <message>
        <source>SHA-256</source>
        <translation>SHA-256 摘要</translation>
    </message>
    <message>
        <source>Purpose</source>
        <translation>用途</translation>
    </message>
    <message>
        <source>Requested</source>
        <translation>申请</translation>
    </message>
    <message>
        <source>Columns</source>
        <translation>列</translation>
    </message>
    <message>
        <source>Grade</source>
        <translation>分级</translation>
    </message>
    <message>
        <source>Grade scheme</source>
        <translation>分级方案</translation>
    </message>
    <message>
        <source>Action attempted</source>
        <translation>尝试的操作</translation>
    </message>
    <message>
        <source>Error code</source>
        <translation>错误代码</translation>
    </message>
    <message>
        <source>Problem codes</source>
        <translation>问题代码</translation>
    </message>
    <message>
        <source>Error type</source>
        <translation>错误类型</translation>
    </message>
    <message>
        <source>Blank template</source>
        <translation>空白模板</translation>
    </message>
    <message>
        <source>Filter</source>
        <translation>筛选条件</translation>
    </message>
    <message>
        <source>Search text</source>
        <translation>检索词</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Sorted by</source>
        <translation>排序字段</translation>
    </message>
    <message>
        <source>Descending</source>
        <translation>降序</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>资源分类</translation>
    </message>
    <message>
        <source>Provider</source>
        <translation>提供方</translation>
    </message>
    <message>
        <source>Sharing type</source>
        <translation>共享类型</translation>
    </message>
    <message>
        <source>Update cycle</source>
        <translation>更新周期</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>新增</translation>
    </message>
    <message>
        <source>Updated</source>
        <translation>修改</translation>
    </message>
    <message>
        <source>Unchanged</source>
        <translation>未变</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <source>Province</source>
        <translation>省份</translation>
    </message>
    <message>
        <source>added</source>
        <translation>新增</translation>
    </message>
    <message>
        <source>changed</source>
        <translation>修改</translation>
    </message>
    <message>
        <source>deleted</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>workflow step</source>
        <translation>流程流转</translation>
    </message>
    <message>
        <source>renamed</source>
        <translation>重命名</translation>
    </message>
    <message>
        <source>removed</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>administrator</source>
        <translation>管理员</translation>
    </message>
    <message>
        <source>submitted for review</source>
        <translation>提交审核</translation>
    </message>
    <message>
        <source>approved</source>
        <translation>审核通过</translation>
    </message>
    <message>
        <source>returned to draft</source>
        <translation>退回草稿</translation>
    </message>
    <message>
        <source>import</source>
        <translation>导入</translation>
    </message>
    <message>
        <source>export</source>
        <translation>导出</translation>
    </message>
    <message>
        <source>changed by the user</source>
        <translation>由本人修改</translation>
    </message>
    <message>
        <source>unexpected error</source>
        <translation>意外错误</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>no</source>
        <translation>否</translation>
    </message>
</context>
<context>
    <name>AuditDetailDialog</name>
    <message>
        <source>Audit record %1</source>
        <translation>审计记录 %1</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>User</source>
        <translation>用户</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>角色</translation>
    </message>
    <message>
        <source>Event</source>
        <translation>事件</translation>
    </message>
    <message>
        <source>Object type</source>
        <translation>对象类型</translation>
    </message>
    <message>
        <source>Object</source>
        <translation>对象</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>结果</translation>
    </message>
    <message>
        <source>Success</source>
        <translation>成功</translation>
    </message>
    <message>
        <source>Failure</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>Client</source>
        <translation>客户端</translation>
    </message>
    <message>
        <source>Detail</source>
        <translation>详情</translation>
    </message>
</context>
<context>
    <name>AuditTableModel</name>
    <message>
        <source>No.</source>
        <translation>序号</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>User</source>
        <translation>用户</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>角色</translation>
    </message>
    <message>
        <source>Event</source>
        <translation>事件</translation>
    </message>
    <message>
        <source>Object type</source>
        <translation>对象类型</translation>
    </message>
    <message>
        <source>Object</source>
        <translation>对象</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>结果</translation>
    </message>
    <message>
        <source>Client</source>
        <translation>客户端</translation>
    </message>
    <message>
        <source>Detail</source>
        <translation>详情</translation>
    </message>
    <message>
        <source>Success</source>
        <translation>成功</translation>
    </message>
    <message>
        <source>Failure</source>
        <translation>失败</translation>
    </message>
</context>
<context>
    <name>AuditView</name>
    <message>
        <source>From date</source>
        <extracomment>every change is audited (by the services or the database&apos;s triggers) the record dialog last opened (tests read it)</extracomment>
        <translation>开始日期</translation>
    </message>
    <message>
        <source>To date</source>
        <translation>结束日期</translation>
    </message>
    <message>
        <source>User name</source>
        <translation>用户名</translation>
    </message>
    <message>
        <source>User filter</source>
        <translation>用户筛选</translation>
    </message>
    <message>
        <source>Event type filter</source>
        <translation>事件类型筛选</translation>
    </message>
    <message>
        <source>All events</source>
        <translation>全部事件</translation>
    </message>
    <message>
        <source>Result filter</source>
        <translation>结果筛选</translation>
    </message>
    <message>
        <source>Any result</source>
        <translation>全部结果</translation>
    </message>
    <message>
        <source>Success</source>
        <translation>成功</translation>
    </message>
    <message>
        <source>Failure</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>&amp;Apply filter</source>
        <translation>应用筛选(&amp;A)</translation>
    </message>
    <message>
        <source>&amp;Export…</source>
        <translation>导出(&amp;E)…</translation>
    </message>
    <message>
        <source>Verify &amp;integrity</source>
        <translation>校验完整性(&amp;I)</translation>
    </message>
    <message>
        <source>A&amp;nchor head…</source>
        <translation>锚定链头(&amp;N)…</translation>
    </message>
    <message>
        <source>Write the newest record&apos;s hash, signed with your anchor key, to a file kept outside the database</source>
        <translation>将最新一条记录的哈希值用您的锚定密钥签名后写入数据库之外保存的文件</translation>
    </message>
    <message>
        <source>Verify a&amp;gainst anchor…</source>
        <translation>按锚定文件校验(&amp;G)…</translation>
    </message>
    <message>
        <source>Prove that no record up to an anchor was deleted or rewritten, even by someone with the whole database server</source>
        <translation>证明锚定点之前的记录没有被删除或改写，即使对方控制了整个数据库服务器</translation>
    </message>
    <message>
        <source>Number of audit events shown</source>
        <translation>显示的审计记录数量</translation>
    </message>
    <message>
        <source>Integrity check result</source>
        <translation>完整性校验结果</translation>
    </message>
    <message>
        <source>F&amp;rom:</source>
        <translation>从(&amp;R)：</translation>
    </message>
    <message>
        <source>&amp;To:</source>
        <translation>至(&amp;T)：</translation>
    </message>
    <message>
        <source>Audit events</source>
        <translation>审计记录</translation>
    </message>
    <message>
        <source>Double-click or press Enter on a record to see all of it</source>
        <translation>双击记录或按回车查看完整内容</translation>
    </message>
    <message numerus="yes">
        <source>%n event(s)</source>
        <translation>
            <numerusform>共 %n 条记录</numerusform>
        </translation>
    </message>
    <message>
        <source>Audit trail</source>
        <translation>审计日志</translation>
    </message>
    <message>
        <source>Exported %1 events to %2</source>
        <translation>已将 %1 条记录导出到 %2</translation>
    </message>
    <message>
        <source>Exporting the audit trail…</source>
        <translation>正在导出审计日志…</translation>
    </message>
    <message>
        <source>Export audit trail</source>
        <translation>导出审计日志</translation>
    </message>
    <message>
        <source>Excel workbook (*.xlsx);;CSV (*.csv)</source>
        <translation>Excel 工作簿 (*.xlsx);;CSV 文件 (*.csv)</translation>
    </message>
    <message>
        <source>Verifying the audit trail…</source>
        <translation>正在校验审计日志…</translation>
    </message>
    <message>
        <source>Integrity verified: all %1 audit records are intact.</source>
        <translation>完整性校验通过：全部 %1 条审计记录均未被篡改。</translation>
    </message>
    <message>
        <source>Integrity BROKEN at record %1: %2</source>
        <translation>完整性被破坏，位置：第 %1 条记录：%2</translation>
    </message>
    <message>
        <source>Anchored at record %1 in %2 (key %3). Keep the file away from the database server.</source>
        <translation>已在第 %1 条记录处锚定，写入 %2（密钥 %3）。请将该文件保存在数据库服务器之外。</translation>
    </message>
    <message>
        <source>Anchoring the audit trail…</source>
        <translation>正在锚定审计记录…</translation>
    </message>
    <message>
        <source>Verifying the audit trail against the anchor…</source>
        <translation>正在按锚定文件校验审计记录…</translation>
    </message>
    <message>
        <source>Integrity verified against the anchor at record %1: %2 records intact, %3 written since.</source>
        <translation>按第 %1 条记录处的锚定校验通过：%2 条记录完整，此后新写入 %3 条。</translation>
    </message>
    <message>
        <source>The audit trail does NOT match the anchor: %1</source>
        <translation>审计记录与锚定文件不一致：%1</translation>
    </message>
    <message>
        <source>Anchor key file (cancel to use the OS keyring)</source>
        <translation>锚定密钥文件（取消则使用系统密钥环）</translation>
    </message>
    <message>
        <source>Anchor keys (*.key);;All files (*)</source>
        <translation>锚定密钥 (*.key);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Save audit anchor</source>
        <translation>保存审计锚定文件</translation>
    </message>
    <message>
        <source>Audit anchor (*.json)</source>
        <translation>审计锚定文件 (*.json)</translation>
    </message>
    <message>
        <source>Open audit anchor</source>
        <translation>打开审计锚定文件</translation>
    </message>
</context>
<context>
    <name>AuthorityView</name>
    <message>
        <source>Report summary</source>
        <extracomment>a resource code the user wants to see in the catalogue</extracomment>
        <translation>报告摘要</translation>
    </message>
    <message>
        <source>Data items with more than one authoritative source</source>
        <translation>存在多个权威来源的信息项</translation>
    </message>
    <message>
        <source>Data item / resource</source>
        <translation>信息项 / 资源</translation>
    </message>
    <message>
        <source>Resource code</source>
        <translation>资源代码</translation>
    </message>
    <message>
        <source>Provider</source>
        <translation>提供方</translation>
    </message>
    <message>
        <source>Matched by</source>
        <translation>匹配方式</translation>
    </message>
    <message>
        <source>Each data item should have exactly one authoritative source (一数一源). Press Enter on a resource to open it in the catalogue.</source>
        <translation>每个信息项只应有一个权威来源（一数一源）。在资源行上按回车可在数据资源目录中打开该资源。</translation>
    </message>
    <message>
        <source>One data, one source</source>
        <translation>一数一源</translation>
    </message>
    <message>
        <source>item name</source>
        <translation>信息项名称</translation>
    </message>
    <message>
        <source>standard code</source>
        <translation>标准数据元代码</translation>
    </message>
    <message numerus="yes">
        <source>%n source(s)</source>
        <translation>
            <numerusform>%n 个来源</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n data item(s) have more than one authoritative source.</source>
        <translation>
            <numerusform>共有 %n 个信息项存在多个权威来源。</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>CatalogEditing</name>
    <message>
        <source>Saved %1 (version %2)</source>
        <translation>已保存 %1（第 %2 版）</translation>
    </message>
    <message numerus="yes">
        <source>Re-graded %n resource(s)</source>
        <translation>
            <numerusform>已重新定级 %n 个资源</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 submitted for review</source>
        <translation>%1 已提交审核</translation>
    </message>
    <message>
        <source>%1 approved: now %2</source>
        <translation>%1 审核通过，现为“%2”</translation>
    </message>
    <message>
        <source>%1 returned to draft</source>
        <translation>%1 已退回草稿</translation>
    </message>
</context>
<context>
    <name>CatalogFiles</name>
    <message>
        <source>Export sample rows</source>
        <translation>导出样例数据</translation>
    </message>
    <message>
        <source>Excel workbook (*.xlsx)</source>
        <translation>Excel 工作簿 (*.xlsx)</translation>
    </message>
    <message numerus="yes">
        <source>Exported %n sample row(s) to %1</source>
        <translation>
            <numerusform>已导出 %n 行样例数据到 %1</numerusform>
        </translation>
    </message>
    <message>
        <source>(encrypted)</source>
        <translation>（已加密）</translation>
    </message>
    <message>
        <source>Password for the exported file</source>
        <translation>导出文件的密码</translation>
    </message>
    <message>
        <source>Password:</source>
        <translation>密码：</translation>
    </message>
    <message>
        <source>Import catalogue workbook</source>
        <translation>导入数据资源目录工作簿</translation>
    </message>
    <message>
        <source>Checking %1…</source>
        <translation>正在检查 %1…</translation>
    </message>
    <message>
        <source>Export catalogue</source>
        <translation>导出数据资源目录</translation>
    </message>
    <message>
        <source>Exported %1 resources to %2</source>
        <translation>已导出 %1 个资源到 %2</translation>
    </message>
    <message>
        <source>Exporting to %1…</source>
        <translation>正在导出到 %1…</translation>
    </message>
</context>
<context>
    <name>CatalogTrees</name>
    <message>
        <source>Category</source>
        <extracomment>the trees&apos; width (pixels) at the default window size, so category names are readable (the catalogue&apos;s splitter starts with it; the user may narrow it)</extracomment>
        <translation>分类</translation>
    </message>
    <message>
        <source>Resources</source>
        <translation>资源数</translation>
    </message>
    <message>
        <source>Category tree</source>
        <translation>分类树</translation>
    </message>
    <message>
        <source>Region</source>
        <translation>行政区划</translation>
    </message>
    <message>
        <source>Region tree</source>
        <translation>行政区划树</translation>
    </message>
    <message>
        <source>All categories</source>
        <translation>全部分类</translation>
    </message>
</context>
<context>
    <name>CatalogView</name>
    <message>
        <source>Search names, codes and summaries (Ctrl+F)</source>
        <extracomment>the dialogs last opened (tests read them)</extracomment>
        <translation>搜索名称、代码和摘要（Ctrl+F）</translation>
    </message>
    <message>
        <source>Search the catalogue</source>
        <extracomment>after a change: the resources to select again once the list has reloaded</extracomment>
        <translation>搜索数据资源目录</translation>
    </message>
    <message>
        <source>Workflow status filter</source>
        <translation>工作流状态筛选</translation>
    </message>
    <message>
        <source>All statuses</source>
        <translation>全部状态</translation>
    </message>
    <message>
        <source>Grade filter</source>
        <translation>分级筛选</translation>
    </message>
    <message>
        <source>All grades</source>
        <translation>全部分级</translation>
    </message>
    <message>
        <source>Sharing type filter</source>
        <translation>共享类型筛选</translation>
    </message>
    <message>
        <source>All sharing types</source>
        <translation>全部共享类型</translation>
    </message>
    <message>
        <source>Update cycle filter</source>
        <translation>更新周期筛选</translation>
    </message>
    <message>
        <source>All update cycles</source>
        <translation>全部更新周期</translation>
    </message>
    <message>
        <source>Provider filter</source>
        <translation>提供方筛选</translation>
    </message>
    <message>
        <source>All providers</source>
        <translation>全部提供方</translation>
    </message>
    <message>
        <source>Number of resources shown</source>
        <translation>显示的资源数量</translation>
    </message>
    <message>
        <source>&amp;Status:</source>
        <translation>状态(&amp;S)：</translation>
    </message>
    <message>
        <source>&amp;New…</source>
        <translation>新建(&amp;N)…</translation>
    </message>
    <message>
        <source>&amp;Edit…</source>
        <translation>编辑(&amp;E)…</translation>
    </message>
    <message>
        <source>&amp;Import Excel…</source>
        <translation>导入 Excel(&amp;I)…</translation>
    </message>
    <message>
        <source>E&amp;xport Excel…</source>
        <translation>导出 Excel(&amp;X)…</translation>
    </message>
    <message>
        <source>S&amp;ubmit for review</source>
        <translation>提交审核(&amp;U)</translation>
    </message>
    <message>
        <source>&amp;Approve</source>
        <translation>审核通过(&amp;A)</translation>
    </message>
    <message>
        <source>Re&amp;turn to draft</source>
        <translation>退回草稿(&amp;T)</translation>
    </message>
    <message>
        <source>Re-&amp;grade…</source>
        <translation>批量定级(&amp;G)…</translation>
    </message>
    <message>
        <source>Give the selected resources one grade</source>
        <translation>为所选资源统一定级</translation>
    </message>
    <message>
        <source>Catalogue actions</source>
        <translation>数据资源目录操作</translation>
    </message>
    <message>
        <source>Catalogue resources</source>
        <translation>数据资源列表</translation>
    </message>
    <message>
        <source>Catalogue</source>
        <translation>数据资源目录</translation>
    </message>
    <message numerus="yes">
        <source>%n resource(s)</source>
        <translation>
            <numerusform>共 %n 个资源</numerusform>
        </translation>
    </message>
    <message>
        <source>More than %1 resources (counting…)</source>
        <translation>超过 %1 个资源（正在统计…）</translation>
    </message>
    <message>
        <source>Histor&amp;y…</source>
        <translation>历史版本(&amp;Y)…</translation>
    </message>
</context>
<context>
    <name>CategoriesTab</name>
    <message>
        <source>Categories</source>
        <translation>分类</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>分类</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Resources</source>
        <translation>资源数</translation>
    </message>
    <message>
        <source>New &amp;top category…</source>
        <translation>新建顶级分类(&amp;T)…</translation>
    </message>
    <message>
        <source>New &amp;sub-category…</source>
        <translation>新建下级分类(&amp;S)…</translation>
    </message>
    <message>
        <source>Re&amp;name…</source>
        <translation>重命名(&amp;N)…</translation>
    </message>
    <message>
        <source>Re&amp;move</source>
        <translation>删除(&amp;M)</translation>
    </message>
    <message>
        <source>Add a top category</source>
        <translation>新建顶级分类</translation>
    </message>
    <message>
        <source>Add a sub-category to the selected one</source>
        <translation>在所选分类下新建下级分类</translation>
    </message>
    <message>
        <source>Rename the selected category</source>
        <translation>重命名所选分类</translation>
    </message>
    <message>
        <source>Remove the selected category</source>
        <translation>删除所选分类</translation>
    </message>
</context>
<context>
    <name>CategoryDialog</name>
    <message>
        <source>Rename category</source>
        <translation>重命名分类</translation>
    </message>
    <message>
        <source>New category</source>
        <translation>新建分类</translation>
    </message>
    <message>
        <source>Category code</source>
        <translation>分类代码</translation>
    </message>
    <message>
        <source>Category name</source>
        <translation>分类名称</translation>
    </message>
    <message>
        <source>Kind of top category</source>
        <translation>顶级分类的类型</translation>
    </message>
    <message>
        <source>&amp;Code:</source>
        <translation>代码(&amp;C)：</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>名称(&amp;N)：</translation>
    </message>
    <message>
        <source>&amp;Kind:</source>
        <translation>类型(&amp;K)：</translation>
    </message>
    <message>
        <source>类 1 digit, 项 2 more, 目 3 more, 细目 1–3 more; a code cannot change once resources use it.</source>
        <translation>类 1 位，项再加 2 位，目再加 3 位，细目再加 1–3 位；已有资源使用的代码不能再修改。</translation>
    </message>
</context>
<context>
    <name>ChangePasswordDialog</name>
    <message>
        <source>Change my password</source>
        <translation>修改我的密码</translation>
    </message>
    <message>
        <source>&amp;Current password:</source>
        <translation>当前密码(&amp;C)：</translation>
    </message>
    <message>
        <source>&amp;New password:</source>
        <translation>新密码(&amp;N)：</translation>
    </message>
    <message>
        <source>&amp;Repeat new password:</source>
        <translation>再次输入新密码(&amp;R)：</translation>
    </message>
    <message>
        <source>Progress</source>
        <translation>进度</translation>
    </message>
    <message>
        <source>Password change error</source>
        <translation>修改密码错误</translation>
    </message>
    <message>
        <source>C&amp;hange</source>
        <translation>修改(&amp;H)</translation>
    </message>
    <message>
        <source>The two new passwords differ.</source>
        <translation>两次输入的新密码不一致。</translation>
    </message>
    <message>
        <source>Changing the password…</source>
        <translation>正在修改密码…</translation>
    </message>
</context>
<context>
    <name>ChartCard</name>
    <message>
        <source>Chart: %1</source>
        <extracomment>tick labels shown under a time axis at most (the table lists every bucket)</extracomment>
        <translation>图表：%1</translation>
    </message>
    <message>
        <source>Table: %1</source>
        <translation>表格：%1</translation>
    </message>
</context>
<context>
    <name>ClassificationView</name>
    <message>
        <source>Classification pages</source>
        <extracomment>what each tab shows, as the kinds of change that make it stale a resource code the user wants to see in the catalogue</extracomment>
        <translation>分级分类页面</translation>
    </message>
    <message>
        <source>Gra&amp;de schemes</source>
        <translation>分级方案(&amp;D)</translation>
    </message>
    <message>
        <source>Sugg&amp;estions</source>
        <translation>分级建议(&amp;E)</translation>
    </message>
    <message>
        <source>C&amp;overage</source>
        <translation>覆盖情况(&amp;O)</translation>
    </message>
    <message>
        <source>Categor&amp;ies</source>
        <translation>资源分类(&amp;I)</translation>
    </message>
    <message>
        <source>Classification</source>
        <translation>分级分类</translation>
    </message>
</context>
<context>
    <name>ConflictDialog</name>
    <message>
        <source>Someone else saved this resource</source>
        <translation>其他人已保存了此资源</translation>
    </message>
    <message>
        <source>Differences between the versions</source>
        <translation>各版本之间的差异</translation>
    </message>
    <message>
        <source>Field</source>
        <translation>字段</translation>
    </message>
    <message>
        <source>When you opened it</source>
        <translation>您打开时的版本</translation>
    </message>
    <message>
        <source>Theirs (saved)</source>
        <translation>对方（已保存）</translation>
    </message>
    <message>
        <source>Yours</source>
        <translation>您的修改</translation>
    </message>
    <message>
        <source>Save &amp;mine over theirs</source>
        <translation>以我的修改覆盖(&amp;M)</translation>
    </message>
    <message>
        <source>Take &amp;theirs and keep editing</source>
        <translation>采用对方版本并继续编辑(&amp;T)</translation>
    </message>
</context>
<context>
    <name>CoverageTab</name>
    <message>
        <source>Group coverage by</source>
        <extracomment>bars shown at most (the table lists every row) the share of a bar&apos;s slot on the x axis its name may take (the rest keeps names apart) the category whose children are shown (&quot;&quot; = the top level)</extracomment>
        <translation>覆盖情况分组方式</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>分类</translation>
    </message>
    <message>
        <source>Provider organisation</source>
        <translation>提供单位</translation>
    </message>
    <message>
        <source>Coverage totals</source>
        <translation>覆盖情况合计</translation>
    </message>
    <message>
        <source>Chart: share of resources and data items graded</source>
        <translation>图表：已定级的资源和信息项比例</translation>
    </message>
    <message>
        <source>graded %</source>
        <translation>已定级 %</translation>
    </message>
    <message>
        <source>Coverage figures</source>
        <translation>覆盖情况数据</translation>
    </message>
    <message>
        <source>Category level shown</source>
        <translation>显示的分类层级</translation>
    </message>
    <message>
        <source>&amp;Up one level</source>
        <translation>上一级(&amp;U)</translation>
    </message>
    <message>
        <source>Show the level above</source>
        <translation>显示上一级分类</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Resources</source>
        <translation>资源数</translation>
    </message>
    <message>
        <source>Graded resources</source>
        <translation>已定级资源</translation>
    </message>
    <message>
        <source>Data items</source>
        <translation>信息项</translation>
    </message>
    <message>
        <source>Graded data items</source>
        <translation>已定级信息项</translation>
    </message>
    <message>
        <source>Graded</source>
        <translation>定级比例</translation>
    </message>
    <message>
        <source>Resources not fully graded</source>
        <translation>未完全定级的资源</translation>
    </message>
    <message>
        <source>Resource code</source>
        <translation>资源代码</translation>
    </message>
    <message>
        <source>Provider</source>
        <translation>提供方</translation>
    </message>
    <message>
        <source>Resource graded</source>
        <translation>资源已定级</translation>
    </message>
    <message>
        <source>Ungraded data items</source>
        <translation>未定级信息项</translation>
    </message>
    <message>
        <source>&amp;Group by:</source>
        <translation>分组(&amp;G)：</translation>
    </message>
    <message>
        <source>%1 of %2 resources and %3 of %4 data items are graded.</source>
        <translation>%2 个资源中 %1 个已定级，%4 个信息项中 %3 个已定级。</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>no</source>
        <translation>否</translation>
    </message>
    <message numerus="yes">
        <source>&amp;Not fully graded: %n resource(s)</source>
        <translation>
            <numerusform>未完全定级(&amp;N)：%n 个资源</numerusform>
        </translation>
    </message>
    <message>
        <source>(first %1 shown)</source>
        <translation>（仅显示前 %1 个）</translation>
    </message>
    <message>
        <source>All categories</source>
        <translation>全部分类</translation>
    </message>
    <message>
        <source>Resources graded</source>
        <translation>资源已定级</translation>
    </message>
    <message>
        <source>Data items graded</source>
        <translation>信息项已定级</translation>
    </message>
</context>
<context>
    <name>Dashboard</name>
    <message>
        <source>Access over time by action</source>
        <extracomment>card id -&gt; (title, how its figures are made, its part&apos;s state attribute or None)</extracomment>
        <translation>按操作的访问量</translation>
    </message>
    <message>
        <source>Access results and denials</source>
        <translation>访问结果与拒绝访问</translation>
    </message>
    <message>
        <source>Top users</source>
        <translation>访问最多的用户</translation>
    </message>
    <message>
        <source>Top resources</source>
        <translation>访问最多的数据资源</translation>
    </message>
    <message>
        <source>Grading coverage</source>
        <translation>分级覆盖率</translation>
    </message>
    <message>
        <source>Grants expiring</source>
        <translation>即将到期的共享授权</translation>
    </message>
    <message>
        <source>Open alerts</source>
        <translation>未处理的告警</translation>
    </message>
    <message>
        <source>Backup health</source>
        <translation>备份状况</translation>
    </message>
    <message>
        <source>Dashboard</source>
        <translation>监测看板</translation>
    </message>
    <message>
        <source>%1 access events in the period.</source>
        <translation>本时段共 %1 条访问记录。</translation>
    </message>
    <message>
        <source>Most frequent action: %1.</source>
        <translation>最多的操作：%1。</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Granted</source>
        <translation>成功</translation>
    </message>
    <message>
        <source>Refused</source>
        <translation>被拒绝</translation>
    </message>
    <message>
        <source>%1 of %2 access events were refused (%3).</source>
        <translation>%2 条访问记录中 %1 条被拒绝（%3）。</translation>
    </message>
    <message>
        <source>Events</source>
        <translation>访问次数</translation>
    </message>
    <message>
        <source>Rows</source>
        <translation>行数</translation>
    </message>
    <message>
        <source>Nothing recorded in the period.</source>
        <translation>本时段没有访问记录。</translation>
    </message>
    <message>
        <source>Most events: %1 (%2).</source>
        <translation>访问最多：%1（%2 次）。</translation>
    </message>
    <message>
        <source>User</source>
        <translation>用户</translation>
    </message>
    <message>
        <source>Organisation</source>
        <translation>单位</translation>
    </message>
    <message>
        <source>(no resource: logins, searches)</source>
        <translation>（未指明资源：登录、检索）</translation>
    </message>
    <message>
        <source>Resource #%1</source>
        <translation>数据资源 #%1</translation>
    </message>
    <message>
        <source>Resource</source>
        <translation>数据资源</translation>
    </message>
    <message>
        <source>Resources graded %</source>
        <translation>资源定级比例 %</translation>
    </message>
    <message>
        <source>%1 of %2 resources and %3 of %4 data items are graded.</source>
        <translation>%2 个资源中 %1 个已定级，%4 个信息项中 %3 个已定级。</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>资源分类</translation>
    </message>
    <message>
        <source>Resources</source>
        <translation>资源数</translation>
    </message>
    <message>
        <source>Graded resources</source>
        <translation>已定级资源</translation>
    </message>
    <message>
        <source>Data items</source>
        <translation>信息项数</translation>
    </message>
    <message>
        <source>Graded data items</source>
        <translation>已定级信息项</translation>
    </message>
    <message>
        <source>Graded</source>
        <translation>定级比例</translation>
    </message>
    <message>
        <source>Grant %1</source>
        <translation>授权 #%1</translation>
    </message>
    <message>
        <source>Days left</source>
        <translation>剩余天数</translation>
    </message>
    <message>
        <source>No grant expires soon.</source>
        <translation>近期没有即将到期的授权。</translation>
    </message>
    <message>
        <source>%1 grant(s) expire soon; the first on %2.</source>
        <translation>%1 项授权即将到期，最早于 %2 到期。</translation>
    </message>
    <message>
        <source>Grantee</source>
        <translation>被授权方</translation>
    </message>
    <message>
        <source>Last day</source>
        <translation>截止日</translation>
    </message>
    <message>
        <source>No alert is waiting.</source>
        <translation>没有待处理的告警。</translation>
    </message>
    <message>
        <source>%1 alerts are not closed yet, %2 of them still open.</source>
        <translation>%1 条告警尚未关闭，其中 %2 条待处理。</translation>
    </message>
    <message>
        <source>Severity</source>
        <translation>级别</translation>
    </message>
    <message>
        <source>Hours since the newest good backup</source>
        <translation>距最近一次有效备份的小时数</translation>
    </message>
    <message>
        <source>Yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>No</source>
        <translation>否</translation>
    </message>
    <message>
        <source>No backup policy yet.</source>
        <translation>尚无备份策略。</translation>
    </message>
    <message>
        <source>%1 backup policies; %2 need attention.</source>
        <translation>共 %1 个备份策略，其中 %2 个需要处理。</translation>
    </message>
    <message>
        <source>Policy</source>
        <translation>备份策略</translation>
    </message>
    <message>
        <source>DR level</source>
        <translation>灾备等级</translation>
    </message>
    <message>
        <source>Achieved RPO (h)</source>
        <translation>实际 RPO（小时）</translation>
    </message>
    <message>
        <source>Target RPO (h)</source>
        <translation>目标 RPO（小时）</translation>
    </message>
    <message>
        <source>Newest good backup</source>
        <translation>最近一次有效备份</translation>
    </message>
    <message>
        <source>Failed jobs</source>
        <translation>失败任务</translation>
    </message>
    <message>
        <source>Needs attention</source>
        <translation>需要处理</translation>
    </message>
</context>
<context>
    <name>DashboardTab</name>
    <message>
        <source>Period</source>
        <extracomment>asks where to save a PNG (tests replace it); &quot;&quot; = cancelled</extracomment>
        <translation>时间段</translation>
    </message>
    <message>
        <source>Today</source>
        <translation>今天</translation>
    </message>
    <message>
        <source>Last 7 days</source>
        <translation>近 7 天</translation>
    </message>
    <message>
        <source>Last 30 days</source>
        <translation>近 30 天</translation>
    </message>
    <message>
        <source>Custom</source>
        <translation>自定义</translation>
    </message>
    <message>
        <source>First day</source>
        <translation>起始日</translation>
    </message>
    <message>
        <source>Last day</source>
        <translation>截止日</translation>
    </message>
    <message>
        <source>&amp;Refresh</source>
        <translation>刷新(&amp;R)</translation>
    </message>
    <message>
        <source>Refresh the dashboard</source>
        <translation>刷新监测看板</translation>
    </message>
    <message>
        <source>Show as &amp;tables</source>
        <translation>以表格显示(&amp;T)</translation>
    </message>
    <message>
        <source>Show every chart as its table</source>
        <translation>将所有图表以表格显示</translation>
    </message>
    <message>
        <source>E&amp;xport chart as PNG…</source>
        <translation>导出图表为 PNG(&amp;X)…</translation>
    </message>
    <message>
        <source>Export the chart last focused as PNG</source>
        <translation>将最近选中的图表导出为 PNG</translation>
    </message>
    <message>
        <source>Dashboard status</source>
        <translation>看板状态</translation>
    </message>
    <message>
        <source>&amp;Period:</source>
        <translation>时间段(&amp;P)：</translation>
    </message>
    <message>
        <source>Dashboard charts</source>
        <translation>看板图表</translation>
    </message>
    <message>
        <source>Not shown: your role may not read this part.</source>
        <translation>未显示：您的角色无权查看这一部分。</translation>
    </message>
    <message>
        <source>Figures as of %1. %2</source>
        <translation>数据截至 %1。%2</translation>
    </message>
    <message>
        <source>Export chart as PNG</source>
        <translation>导出图表为 PNG</translation>
    </message>
    <message>
        <source>PNG images (*.png)</source>
        <translation>PNG 图片 (*.png)</translation>
    </message>
    <message>
        <source>This card has no chart to export.</source>
        <translation>这一栏没有可导出的图表。</translation>
    </message>
    <message>
        <source>Chart saved to %1.</source>
        <translation>图表已保存到 %1。</translation>
    </message>
    <message>
        <source>The chart could not be saved to %1.</source>
        <translation>图表未能保存到 %1。</translation>
    </message>
</context>
<context>
    <name>Detectors</name>
    <message>
        <source>Citizen ID number</source>
        <translation>公民身份号码</translation>
    </message>
    <message>
        <source>Disability certificate number</source>
        <translation>残疾人证号</translation>
    </message>
    <message>
        <source>Phone number</source>
        <translation>电话号码</translation>
    </message>
    <message>
        <source>Person&apos;s name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <source>Region code</source>
        <translation>行政区划代码</translation>
    </message>
    <message>
        <source>Disability category</source>
        <translation>残疾类别</translation>
    </message>
    <message>
        <source>Disability grade</source>
        <translation>残疾等级</translation>
    </message>
    <message>
        <source>Date of birth</source>
        <translation>出生日期</translation>
    </message>
    <message>
        <source>Bank card number</source>
        <translation>银行卡号</translation>
    </message>
</context>
<context>
    <name>GradeRules</name>
    <message>
        <source>Masking required</source>
        <translation>需脱敏</translation>
    </message>
    <message>
        <source>Export allowed</source>
        <translation>允许导出</translation>
    </message>
    <message>
        <source>Exports encrypted</source>
        <translation>导出需加密</translation>
    </message>
    <message>
        <source>Sharing types allowed</source>
        <translation>允许的共享类型</translation>
    </message>
    <message>
        <source>Approvals for a grant</source>
        <translation>共享审批人数</translation>
    </message>
    <message>
        <source>Minimum DR level</source>
        <translation>最低灾备等级</translation>
    </message>
    <message>
        <source>Audit retention (days)</source>
        <translation>审计日志保留天数</translation>
    </message>
    <message>
        <source>Longest sharing grant (days)</source>
        <translation>共享授权最长天数</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>no</source>
        <translation>否</translation>
    </message>
</context>
<context>
    <name>GrantDetailDialog</name>
    <message>
        <source>Sharing grant %1</source>
        <translation>共享授权 %1</translation>
    </message>
</context>
<context>
    <name>GrantDetailPane</name>
    <message>
        <source>Grant details</source>
        <translation>授权详情</translation>
    </message>
    <message>
        <source>Select a grant to see its terms and history.</source>
        <translation>选择一个授权以查看其条款和历史。</translation>
    </message>
    <message>
        <source>Grant</source>
        <translation>授权</translation>
    </message>
    <message>
        <source>Granted to</source>
        <translation>被授权方</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Valid</source>
        <translation>有效期</translation>
    </message>
    <message>
        <source>Data items</source>
        <translation>信息项</translation>
    </message>
    <message>
        <source>Left out</source>
        <translation>已排除</translation>
    </message>
    <message>
        <source>Method</source>
        <translation>共享方式</translation>
    </message>
    <message>
        <source>Purpose</source>
        <translation>共享用途</translation>
    </message>
    <message>
        <source>Legal basis</source>
        <translation>法律依据</translation>
    </message>
    <message>
        <source>Conditions</source>
        <translation>共享条件</translation>
    </message>
    <message>
        <source>Started by</source>
        <translation>发起</translation>
    </message>
    <message>
        <source>Decisions</source>
        <translation>审批</translation>
    </message>
    <message>
        <source>Last reason</source>
        <translation>最近原因</translation>
    </message>
    <message>
        <source>:</source>
        <translation>：</translation>
    </message>
    <message>
        <source>History of the grant</source>
        <translation>授权历史</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>By</source>
        <translation>操作人</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>角色</translation>
    </message>
    <message>
        <source>From</source>
        <translation>原状态</translation>
    </message>
    <message>
        <source>To</source>
        <translation>新状态</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>History:</source>
        <translation>历史：</translation>
    </message>
    <message>
        <source>Grant %1: %2</source>
        <translation>授权 %1：%2</translation>
    </message>
    <message>
        <source>accepted by %1</source>
        <translation>已由 %1 接受</translation>
    </message>
    <message>
        <source>accepted</source>
        <translation>已接受</translation>
    </message>
    <message>
        <source>not recorded as accepted</source>
        <translation>未记录接受</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
</context>
<context>
    <name>GrantTable</name>
    <message>
        <source>No.</source>
        <translation>编号</translation>
    </message>
    <message>
        <source>Resource</source>
        <translation>数据资源</translation>
    </message>
    <message>
        <source>Granted to</source>
        <translation>被授权方</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Valid</source>
        <translation>有效期</translation>
    </message>
    <message>
        <source>Days left</source>
        <translation>剩余</translation>
    </message>
    <message>
        <source>Data items</source>
        <translation>信息项</translation>
    </message>
    <message>
        <source>Purpose</source>
        <translation>用途</translation>
    </message>
    <message>
        <source>Requested by</source>
        <translation>申请人</translation>
    </message>
    <message>
        <source>Decisions</source>
        <translation>审批</translation>
    </message>
</context>
<context>
    <name>GranteeBox</name>
    <message>
        <source>Offered to</source>
        <translation>授权对象</translation>
    </message>
    <message>
        <source>One organisa&amp;tion</source>
        <translation>单个单位(&amp;T)</translation>
    </message>
    <message>
        <source>Every organisation in a sco&amp;pe</source>
        <translation>某范围内的所有单位(&amp;P)</translation>
    </message>
    <message>
        <source>Offer to one organisation</source>
        <translation>向单个单位提供</translation>
    </message>
    <message>
        <source>Offer to every organisation in a scope</source>
        <translation>向某范围内的所有单位提供</translation>
    </message>
    <message>
        <source>Organisation granted</source>
        <translation>被授权单位</translation>
    </message>
    <message>
        <source>Region code prefix of the scope</source>
        <translation>范围的区划代码前缀</translation>
    </message>
    <message>
        <source>e.g. 3301 for 杭州市</source>
        <translation>如 3301 表示杭州市</translation>
    </message>
    <message>
        <source>Kind of organisation in the scope</source>
        <translation>范围内的单位类型</translation>
    </message>
    <message>
        <source>Any kind</source>
        <translation>任何类型</translation>
    </message>
    <message>
        <source>Region level of the scope</source>
        <translation>范围内的区划层级</translation>
    </message>
    <message>
        <source>Any level</source>
        <translation>任何层级</translation>
    </message>
    <message>
        <source>Scope in words</source>
        <translation>范围说明</translation>
    </message>
    <message>
        <source>Re&amp;gion prefix:</source>
        <translation>区划前缀(&amp;G)：</translation>
    </message>
    <message>
        <source>Organisation &amp;kind:</source>
        <translation>单位类型(&amp;K)：</translation>
    </message>
    <message>
        <source>Region le&amp;vel:</source>
        <translation>区划层级(&amp;V)：</translation>
    </message>
    <message>
        <source>No region has the code prefix %1.</source>
        <translation>没有区划代码以 %1 开头。</translation>
    </message>
</context>
<context>
    <name>GrantsTab</name>
    <message>
        <source>What was done</source>
        <extracomment>the statuses of grants an organisation holds or held the status line shows the count (not what a step did) how many loads were asked for (the latest one is shown)</extracomment>
        <translation>操作结果</translation>
    </message>
    <message>
        <source>My requests</source>
        <translation>我的申请</translation>
    </message>
    <message>
        <source>Grants of my organisation</source>
        <translation>本单位获得的授权</translation>
    </message>
    <message>
        <source>Requests to decide</source>
        <translation>待审批</translation>
    </message>
    <message>
        <source>All grants</source>
        <translation>全部授权</translation>
    </message>
    <message>
        <source>Filter by state</source>
        <translation>按状态筛选</translation>
    </message>
    <message>
        <source>Any state</source>
        <translation>任何状态</translation>
    </message>
    <message>
        <source>Filter by resource code</source>
        <translation>按资源代码筛选</translation>
    </message>
    <message>
        <source>resource code or its beginning, e.g. 101/</source>
        <translation>资源代码或其开头，如 101/</translation>
    </message>
    <message>
        <source>Filter by organisation granted</source>
        <translation>按被授权单位筛选</translation>
    </message>
    <message>
        <source>Any organisation</source>
        <translation>任何单位</translation>
    </message>
    <message>
        <source>&amp;State:</source>
        <translation>状态(&amp;S)：</translation>
    </message>
    <message>
        <source>Reso&amp;urce:</source>
        <translation>资源(&amp;U)：</translation>
    </message>
    <message>
        <source>O&amp;rganisation:</source>
        <translation>单位(&amp;R)：</translation>
    </message>
    <message>
        <source>De&amp;tails…</source>
        <translation>详情(&amp;T)…</translation>
    </message>
    <message>
        <source>Show the grant&apos;s terms and history</source>
        <translation>显示授权的条款和历史</translation>
    </message>
    <message>
        <source>&amp;New request…</source>
        <translation>申请共享(&amp;N)…</translation>
    </message>
    <message>
        <source>Ask for a resource for my organisation</source>
        <translation>为本单位申请共享数据资源</translation>
    </message>
    <message>
        <source>Rene&amp;w…</source>
        <translation>续期(&amp;W)…</translation>
    </message>
    <message>
        <source>Ask for a renewal of the grant</source>
        <translation>申请续期该授权</translation>
    </message>
    <message>
        <source>Re&amp;lease…</source>
        <translation>提前释放(&amp;L)…</translation>
    </message>
    <message>
        <source>Give the grant back before it ends</source>
        <translation>在到期前提前释放该授权</translation>
    </message>
    <message>
        <source>A&amp;pprove…</source>
        <translation>批准(&amp;P)…</translation>
    </message>
    <message>
        <source>Approve the request</source>
        <translation>批准该申请</translation>
    </message>
    <message>
        <source>Re&amp;ject…</source>
        <translation>驳回(&amp;J)…</translation>
    </message>
    <message>
        <source>Reject the request, with a reason</source>
        <translation>驳回该申请（须填写原因）</translation>
    </message>
    <message>
        <source>Revo&amp;ke…</source>
        <translation>撤销(&amp;K)…</translation>
    </message>
    <message>
        <source>Revoke the grant, with a reason</source>
        <translation>撤销该授权（须填写原因）</translation>
    </message>
    <message>
        <source>Offer a &amp;grant…</source>
        <translation>提供共享(&amp;G)…</translation>
    </message>
    <message>
        <source>Offer a resource of my region to an organisation or a scope</source>
        <translation>向某单位或某范围内的单位提供本区划的数据资源</translation>
    </message>
    <message>
        <source>%1 grants.</source>
        <translation>共 %1 个授权。</translation>
    </message>
    <message>
        <source>Your account belongs to no organisation, so you cannot request grants: a system administrator sets it (Administration → Accounts).</source>
        <translation>您的账号没有所属单位，不能申请共享：请系统管理员在“系统管理 → 账号”中为您指定所属单位。</translation>
    </message>
</context>
<context>
    <name>HelpDialog</name>
    <message>
        <source>&amp;Close</source>
        <translation>关闭(&amp;C)</translation>
    </message>
    <message>
        <source>GovDesk user manual</source>
        <translation>GovDesk 用户手册</translation>
    </message>
    <message>
        <source>Manual text</source>
        <translation>手册正文</translation>
    </message>
</context>
<context>
    <name>HistoryDialog</name>
    <message>
        <source>History of %1</source>
        <translation>%1 的历史版本</translation>
    </message>
    <message>
        <source>Saved versions</source>
        <translation>已保存的版本</translation>
    </message>
    <message>
        <source>Differences</source>
        <translation>差异</translation>
    </message>
    <message>
        <source>Field</source>
        <translation>字段</translation>
    </message>
    <message>
        <source>Data item</source>
        <translation>信息项</translation>
    </message>
    <message>
        <source>Older</source>
        <translation>较早版本</translation>
    </message>
    <message>
        <source>Newer</source>
        <translation>较新版本</translation>
    </message>
    <message>
        <source>Select two versions to compare them.</source>
        <extracomment>grade code -&gt; name and organisation id -&gt; name, for the values of the diff</extracomment>
        <translation>请选择两个版本进行比较。</translation>
    </message>
    <message>
        <source>&amp;Revert to the older version</source>
        <translation>恢复为较早版本(&amp;R)</translation>
    </message>
    <message>
        <source>Version %1 · %2 · %3</source>
        <translation>版本 %1 · %2 · %3</translation>
    </message>
    <message>
        <source>No saved versions yet (resources loaded in bulk have none until their first edit).</source>
        <translation>尚无保存的版本（批量导入的资源在首次编辑前没有版本记录）。</translation>
    </message>
    <message numerus="yes">
        <source>%n difference(s).</source>
        <translation>
            <numerusform>共 %n 处差异。</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ImportDialog</name>
    <message>
        <source>Import %1</source>
        <translation>导入 %1</translation>
    </message>
    <message>
        <source>Check result</source>
        <translation>检查结果</translation>
    </message>
    <message>
        <source>Problems found in the file</source>
        <translation>文件中发现的问题</translation>
    </message>
    <message>
        <source>Sheet</source>
        <translation>工作表</translation>
    </message>
    <message>
        <source>Row</source>
        <translation>行</translation>
    </message>
    <message>
        <source>Column</source>
        <translation>列</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>值</translation>
    </message>
    <message>
        <source>Problem</source>
        <translation>问题</translation>
    </message>
    <message>
        <source>&amp;Import</source>
        <translation>导入(&amp;I)</translation>
    </message>
    <message>
        <source>The file is clean. Importing adds %1 new resources and updates %2; %3 are unchanged. Everything is written in one transaction.</source>
        <translation>文件检查通过。导入将新增 %1 个资源、更新 %2 个，%3 个不变。所有修改在一个事务中写入。</translation>
    </message>
    <message numerus="yes">
        <source>%n problem(s) found. Nothing will be written until the file is corrected.</source>
        <translation>
            <numerusform>发现 %n 个问题。文件修正之前不会写入任何数据。</numerusform>
        </translation>
    </message>
    <message>
        <source>Importing %1…</source>
        <translation>正在导入 %1…</translation>
    </message>
    <message>
        <source>Import cancelled; nothing was written.</source>
        <translation>导入已取消，未写入任何数据。</translation>
    </message>
</context>
<context>
    <name>ItemsTable</name>
    <message>
        <source>Data items</source>
        <translation>信息项数</translation>
    </message>
    <message>
        <source>Item name</source>
        <translation>信息项名称</translation>
    </message>
    <message>
        <source>Data type</source>
        <translation>数据类型</translation>
    </message>
    <message>
        <source>Length</source>
        <translation>长度</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>说明</translation>
    </message>
    <message>
        <source>Grade</source>
        <translation>分级</translation>
    </message>
    <message>
        <source>Authoritative</source>
        <translation>权威来源</translation>
    </message>
    <message>
        <source>Standard item code</source>
        <translation>标准数据元代码</translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <source>Log in to GovDesk</source>
        <translation>登录 GovDesk</translation>
    </message>
    <message>
        <source>host:port of a hot standby (optional)</source>
        <translation>热备库的 主机:端口（可不填）</translation>
    </message>
    <message>
        <source>The dashboard and the access-log review read from this hot standby, with the same login, so that review does not load the primary. Leave empty to read from the server above.</source>
        <translation>监测看板和访问日志审查用同一账号从这台热备库读取数据，审查不给主库增加负担。留空则从上面的服务器读取。</translation>
    </message>
    <message>
        <source>&amp;Server:</source>
        <translation>服务器(&amp;S)：</translation>
    </message>
    <message>
        <source>&amp;Database:</source>
        <translation>数据库(&amp;D)：</translation>
    </message>
    <message>
        <source>&amp;User name:</source>
        <translation>用户名(&amp;U)：</translation>
    </message>
    <message>
        <source>&amp;Password:</source>
        <translation>密码(&amp;P)：</translation>
    </message>
    <message>
        <source>Read replica ser&amp;ver:</source>
        <translation>只读副本服务器(&amp;V)：</translation>
    </message>
    <message>
        <source>Passwords are checked by the PostgreSQL server. A server set to &quot;trust&quot; admits anyone with any password: ask IT to use scram-sha-256.</source>
        <translation>密码由 PostgreSQL 服务器核验。服务器若设为“trust”，任何密码都能登录：请 IT 人员使用 scram-sha-256 认证。</translation>
    </message>
    <message>
        <source>&amp;Remember the password in the system keyring</source>
        <translation>在系统密钥环中记住密码(&amp;R)</translation>
    </message>
    <message>
        <source>Remember the password</source>
        <translation>记住密码</translation>
    </message>
    <message>
        <source>No secure keyring is available on this computer, so the password cannot be remembered and is asked for every time.</source>
        <translation>本机没有可用的安全密钥环，因此无法记住密码，每次登录都需要输入。</translation>
    </message>
    <message>
        <source>This is the demo database. Demo accounts (password %1): %2</source>
        <translation>这是演示数据库。演示账号（密码 %1）：%2</translation>
    </message>
    <message>
        <source>Progress</source>
        <translation>进度</translation>
    </message>
    <message>
        <source>Login error</source>
        <translation>登录错误</translation>
    </message>
    <message>
        <source>&amp;Log in</source>
        <translation>登录(&amp;L)</translation>
    </message>
    <message>
        <source>Enter your user name.</source>
        <translation>请输入用户名。</translation>
    </message>
    <message>
        <source>Opening the database…</source>
        <translation>正在打开数据库…</translation>
    </message>
    <message>
        <source>Logging in…</source>
        <translation>正在登录…</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>GovDesk — data governance for disabled persons&apos; federations</source>
        <extracomment>the areas in navigation order; later issues add theirs here as they land</extracomment>
        <translation>GovDesk 残联数据治理桌面端</translation>
    </message>
    <message>
        <source>Navigation</source>
        <extracomment>on PostgreSQL, what other clients commit reaches the change bus too</extracomment>
        <translation>导航</translation>
    </message>
    <message>
        <source>%1 (Ctrl+%2)</source>
        <translation>%1（Ctrl+%2）</translation>
    </message>
    <message>
        <source>Go to %1</source>
        <translation>转到%1</translation>
    </message>
    <message>
        <source>database owner</source>
        <translation>数据库所有者</translation>
    </message>
    <message>
        <source>User: %1 (%2) · Database: %3</source>
        <translation>用户：%1（%2）· 数据库：%3</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Change my password…</source>
        <translation>修改我的密码(&amp;C)…</translation>
    </message>
    <message>
        <source>&amp;Log out / switch user…</source>
        <translation>注销 / 切换用户(&amp;L)…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Refresh</source>
        <translation>刷新(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>语言(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>User &amp;manual</source>
        <translation>用户手册(&amp;M)</translation>
    </message>
    <message>
        <source>&amp;Keyboard shortcuts</source>
        <translation>键盘快捷键(&amp;K)</translation>
    </message>
    <message>
        <source>&amp;About GovDesk</source>
        <translation>关于 GovDesk(&amp;A)</translation>
    </message>
    <message>
        <source>Your password was changed.</source>
        <translation>密码已修改。</translation>
    </message>
    <message>
        <source>Change my password</source>
        <translation>修改我的密码</translation>
    </message>
    <message>
        <source>Your password was changed. Log in again with the new password.</source>
        <translation>密码已修改。请用新密码重新登录。</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <source>The new language takes effect when GovDesk is started again.</source>
        <translation>新的界面语言将在重新启动 GovDesk 后生效。</translation>
    </message>
    <message>
        <source>About GovDesk</source>
        <translation>关于 GovDesk</translation>
    </message>
    <message>
        <source>GovDesk %1

Data-resource catalogue, classification, sharing and disaster-recovery policy client for disabled persons&apos; federations.

Database: %2</source>
        <translation>GovDesk %1

残疾人联合会数据资源目录、分类分级、共享与容灾备份策略管理客户端。

数据库：%2</translation>
    </message>
</context>
<context>
    <name>MatrixModel</name>
    <message>
        <source>%1: %2</source>
        <extracomment>resources a page columns before the organisations (code, name)</extracomment>
        <translation>%1：%2</translation>
    </message>
    <message>
        <source>%1, %2: %3, %4</source>
        <translation>%1，%2：%3，%4</translation>
    </message>
    <message>
        <source>Resource code</source>
        <translation>资源代码</translation>
    </message>
    <message>
        <source>Resource name</source>
        <translation>资源名称</translation>
    </message>
</context>
<context>
    <name>MatrixPanel</name>
    <message>
        <source>Access matrix: resources by organisations</source>
        <extracomment>the key of each page shown so far pages, explanations asked for (latest shown)</extracomment>
        <translation>共享访问矩阵：资源 × 单位</translation>
    </message>
    <message>
        <source>Matrix page shown</source>
        <translation>当前显示的矩阵页</translation>
    </message>
    <message>
        <source>Explanation of the current cell</source>
        <translation>当前单元格的说明</translation>
    </message>
    <message>
        <source>Data items of the current cell</source>
        <translation>当前单元格的信息项</translation>
    </message>
    <message>
        <source>No.</source>
        <translation>序号</translation>
    </message>
    <message>
        <source>Data item</source>
        <translation>信息项</translation>
    </message>
    <message>
        <source>Grade</source>
        <translation>分级</translation>
    </message>
    <message>
        <source>Readable</source>
        <translation>能否读取</translation>
    </message>
    <message>
        <source>Why</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>Grants</source>
        <translation>授权</translation>
    </message>
    <message>
        <source>Resource code (prefix)</source>
        <translation>资源代码（前缀）</translation>
    </message>
    <message>
        <source>Region code prefix of the resources</source>
        <translation>资源所在区划代码前缀</translation>
    </message>
    <message>
        <source>Every grade</source>
        <translation>所有分级</translation>
    </message>
    <message>
        <source>Category (its sub-categories included)</source>
        <translation>分类（含其下级分类）</translation>
    </message>
    <message>
        <source>Every category</source>
        <translation>所有分类</translation>
    </message>
    <message>
        <source>Region code prefix of the organisations</source>
        <translation>单位所在区划代码前缀</translation>
    </message>
    <message>
        <source>region code prefix, e.g. 3301 (杭州市)</source>
        <translation>区划代码前缀，如 3301（杭州市）</translation>
    </message>
    <message>
        <source>Kind of organisation</source>
        <translation>单位类型</translation>
    </message>
    <message>
        <source>Every kind</source>
        <translation>所有类型</translation>
    </message>
    <message>
        <source>Only my organisa&amp;tion (also what other regions grant it)</source>
        <translation>只看本单位(&amp;T)（含其他区划授权给本单位的资源）</translation>
    </message>
    <message>
        <source>Resource &amp;code:</source>
        <translation>资源代码(&amp;C)：</translation>
    </message>
    <message>
        <source>Resource re&amp;gion:</source>
        <translation>资源区划(&amp;G)：</translation>
    </message>
    <message>
        <source>G&amp;rade:</source>
        <translation>分级(&amp;R)：</translation>
    </message>
    <message>
        <source>Categor&amp;y:</source>
        <translation>分类(&amp;Y)：</translation>
    </message>
    <message>
        <source>Organisation reg&amp;ion:</source>
        <translation>单位区划(&amp;I)：</translation>
    </message>
    <message>
        <source>Organisation &amp;kind:</source>
        <translation>单位类型(&amp;K)：</translation>
    </message>
    <message>
        <source>Only my organisation</source>
        <translation>只看本单位</translation>
    </message>
    <message>
        <source>&amp;Apply filters</source>
        <translation>应用筛选(&amp;A)</translation>
    </message>
    <message>
        <source>First page</source>
        <translation>第一页</translation>
    </message>
    <message>
        <source>&amp;Previous page</source>
        <translation>上一页(&amp;P)</translation>
    </message>
    <message>
        <source>Ne&amp;xt page</source>
        <translation>下一页(&amp;X)</translation>
    </message>
    <message>
        <source>Export to Exce&amp;l...</source>
        <translation>导出为 Excel(&amp;L)…</translation>
    </message>
    <message>
        <source>Export as &amp;JSON...</source>
        <translation>导出为 JSON(&amp;J)…</translation>
    </message>
    <message>
        <source>Page %1: %2 resources × %3 organisations, as of %4</source>
        <translation>第 %1 页：%2 个资源 × %3 个单位，判定日 %4</translation>
    </message>
    <message>
        <source>No resource matches. Only your region&apos;s resources are listed; tick &quot;Only my organisation&quot; to see what other regions grant your organisation.</source>
        <translation>没有符合条件的资源。这里只列出您所在区划的资源；勾选“只看本单位”可查看其他区划授权给本单位的资源。</translation>
    </message>
    <message>
        <source>Choose a cell of the matrix to see why.</source>
        <translation>请选择矩阵中的一个单元格以查看原因。</translation>
    </message>
    <message>
        <source>%1 × %2 %3: %4 (%5)</source>
        <translation>%1 × %2 %3：%4（%5）</translation>
    </message>
    <message>
        <source>Rule: %1 %2</source>
        <translation>规则：%1 %2</translation>
    </message>
    <message>
        <source>named: %1</source>
        <translation>指定单位：%1</translation>
    </message>
    <message>
        <source>scope: %1 %2 level %3</source>
        <translation>范围：%1 的%2，区划层级 %3</translation>
    </message>
    <message>
        <source>any kind</source>
        <translation>所有类型</translation>
    </message>
    <message>
        <source>any</source>
        <translation>不限</translation>
    </message>
    <message>
        <source>Grant #%1 (%2): %3, %4 to %5</source>
        <translation>授权 #%1（%2）：%3，%4 至 %5</translation>
    </message>
    <message>
        <source>    ended on %1</source>
        <translation>    于 %1 终止</translation>
    </message>
    <message>
        <source>    reason: %1</source>
        <translation>    理由：%1</translation>
    </message>
    <message>
        <source>    does not apply now: %1</source>
        <translation>    当前不适用：%1</translation>
    </message>
    <message>
        <source>No grant covers this organisation.</source>
        <translation>没有覆盖该单位的授权。</translation>
    </message>
    <message>
        <source>Export the access matrix</source>
        <translation>导出共享访问矩阵</translation>
    </message>
    <message>
        <source>Excel workbook (*.xlsx)</source>
        <translation>Excel 工作簿 (*.xlsx)</translation>
    </message>
    <message>
        <source>JSON file (*.json)</source>
        <translation>JSON 文件 (*.json)</translation>
    </message>
    <message>
        <source>%1 resources written to %2</source>
        <translation>已将 %1 个资源写入 %2</translation>
    </message>
    <message>
        <source>Exporting the access matrix...</source>
        <translation>正在导出共享访问矩阵…</translation>
    </message>
</context>
<context>
    <name>MonitoringView</name>
    <message>
        <source>&amp;Access log review</source>
        <translation>访问日志审查(&amp;A)</translation>
    </message>
    <message>
        <source>Alert &amp;queue</source>
        <translation>告警(&amp;Q)</translation>
    </message>
    <message>
        <source>Rule &amp;book</source>
        <translation>告警规则(&amp;B)</translation>
    </message>
    <message>
        <source>Monitoring pages</source>
        <extracomment>a review is audited (other clients&apos; reviews reach the list through it); alerts and rules announce ``monitor``; the dashboard&apos;s figures follow the catalogue and grants</extracomment>
        <translation>监测页面</translation>
    </message>
    <message>
        <source>Monitoring</source>
        <translation>监测</translation>
    </message>
</context>
<context>
    <name>OperationRunner</name>
    <message>
        <source>Cancel</source>
        <extracomment>the latest report, shown when the dialog appears emitted whenever the last running operation finished where what operations commit is published (the application&apos;s one bus)</extracomment>
        <translation>取消</translation>
    </message>
    <message>
        <source>Working…</source>
        <translation>正在处理…</translation>
    </message>
    <message>
        <source>Progress</source>
        <translation>进度</translation>
    </message>
    <message>
        <source>Something went wrong: %s</source>
        <translation>操作出错：%s</translation>
    </message>
    <message>
        <source>GovDesk</source>
        <translation>GovDesk</translation>
    </message>
</context>
<context>
    <name>OrgDialog</name>
    <message>
        <source>Add organisation</source>
        <translation>添加组织机构</translation>
    </message>
    <message>
        <source>Edit organisation</source>
        <translation>编辑组织机构</translation>
    </message>
    <message>
        <source>e.g. MZ-330100</source>
        <translation>例如 MZ-330100</translation>
    </message>
    <message>
        <source>e.g. 330100</source>
        <translation>例如 330100</translation>
    </message>
    <message>
        <source>code of the organisation above (optional)</source>
        <translation>上级机构的代码（可不填）</translation>
    </message>
    <message>
        <source>&amp;Code:</source>
        <translation>代码(&amp;C)：</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>名称(&amp;N)：</translation>
    </message>
    <message>
        <source>&amp;Kind:</source>
        <translation>类型(&amp;K)：</translation>
    </message>
    <message>
        <source>&amp;Region code:</source>
        <translation>行政区划代码(&amp;R)：</translation>
    </message>
    <message>
        <source>&amp;Parent organisation:</source>
        <translation>上级机构(&amp;P)：</translation>
    </message>
</context>
<context>
    <name>OrganisationsPanel</name>
    <message>
        <source>Organisations</source>
        <translation>组织机构</translation>
    </message>
    <message>
        <source>Search code or name</source>
        <translation>搜索代码或名称</translation>
    </message>
    <message>
        <source>Search organisations</source>
        <translation>搜索组织机构</translation>
    </message>
    <message>
        <source>Show &amp;deactivated</source>
        <translation>显示已停用的(&amp;D)</translation>
    </message>
    <message>
        <source>Code</source>
        <translation>代码</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Region</source>
        <translation>行政区划</translation>
    </message>
    <message>
        <source>Parent</source>
        <translation>上级机构</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Add &amp;organisation…</source>
        <translation>添加组织机构(&amp;O)…</translation>
    </message>
    <message>
        <source>&amp;Edit…</source>
        <translation>编辑(&amp;E)…</translation>
    </message>
    <message>
        <source>Deacti&amp;vate</source>
        <translation>停用(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Generate federations…</source>
        <translation>按省生成残联(&amp;G)…</translation>
    </message>
    <message>
        <source>&amp;Import from Excel…</source>
        <translation>从 Excel 导入(&amp;I)…</translation>
    </message>
    <message>
        <source>E&amp;xport workbook…</source>
        <translation>导出工作簿(&amp;X)…</translation>
    </message>
    <message>
        <source>Organisations status</source>
        <translation>组织机构操作结果</translation>
    </message>
    <message>
        <source>Active</source>
        <translation>启用</translation>
    </message>
    <message>
        <source>Deactivated</source>
        <translation>已停用</translation>
    </message>
    <message>
        <source>Reacti&amp;vate</source>
        <translation>启用(&amp;V)</translation>
    </message>
    <message>
        <source>Added %1.</source>
        <translation>已添加 %1。</translation>
    </message>
    <message>
        <source>Saved %1.</source>
        <translation>已保存 %1。</translation>
    </message>
    <message>
        <source>%1 is active again.</source>
        <translation>%1 已重新启用。</translation>
    </message>
    <message>
        <source>%1 is deactivated: its resources keep it, new ones cannot use it.</source>
        <translation>%1 已停用：其资源仍以它为提供方，新资源不能再选择它。</translation>
    </message>
    <message>
        <source>Generating federations…</source>
        <translation>正在生成残联…</translation>
    </message>
    <message>
        <source>%1: %2 organisations created, %3 existed.</source>
        <translation>%1：新建 %2 个组织机构，已有 %3 个。</translation>
    </message>
    <message>
        <source>The region list has no townships or villages: no federations at those levels.</source>
        <translation>区划表中没有乡镇（街道）和村（社区）：这两级未生成残联。</translation>
    </message>
    <message>
        <source>Importing organisations…</source>
        <translation>正在导入组织机构…</translation>
    </message>
    <message>
        <source>Imported: %1 added, %2 changed, %3 unchanged.</source>
        <translation>已导入：新增 %1 个，修改 %2 个，%3 个未变。</translation>
    </message>
    <message>
        <source>Wrote %1 organisations to %2.</source>
        <translation>已将 %1 个组织机构写入 %2。</translation>
    </message>
    <message>
        <source>Deactivate organisation</source>
        <translation>停用组织机构</translation>
    </message>
    <message>
        <source>Deactivate %1? Its resources keep it as their provider, but new resources can no longer choose it. Nothing is deleted.</source>
        <translation>停用 %1？其资源仍以它为提供方，但新资源不能再选择它。不会删除任何内容。</translation>
    </message>
    <message>
        <source>Import organisations</source>
        <translation>导入组织机构</translation>
    </message>
    <message>
        <source>Excel workbooks (*.xlsx)</source>
        <translation>Excel 工作簿 (*.xlsx)</translation>
    </message>
    <message>
        <source>Export organisations</source>
        <translation>导出组织机构</translation>
    </message>
</context>
<context>
    <name>PagedTableModel</name>
    <message>
        <source>Loading…</source>
        <extracomment>emitted after a (re)load with the new total row count False while the total is a capped first answer</extracomment>
        <translation>正在加载…</translation>
    </message>
</context>
<context>
    <name>PlanDialog</name>
    <message>
        <source>Apply grade scheme</source>
        <translation>应用分级方案</translation>
    </message>
    <message>
        <source>Make %1 the active scheme</source>
        <translation>启用分级方案 %1</translation>
    </message>
    <message>
        <source>Update the active scheme %1</source>
        <translation>更新当前分级方案 %1</translation>
    </message>
    <message>
        <source>Where each grade goes</source>
        <translation>各分级的对应关系</translation>
    </message>
    <message>
        <source>Grade now</source>
        <translation>现分级</translation>
    </message>
    <message>
        <source>Becomes</source>
        <translation>变为</translation>
    </message>
    <message>
        <source>Resources</source>
        <translation>资源数</translation>
    </message>
    <message>
        <source>Data items</source>
        <translation>信息项</translation>
    </message>
    <message>
        <source>Handling changes</source>
        <translation>处置规则变化</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <source>(removed)</source>
        <translation>（删除）</translation>
    </message>
    <message numerus="yes">
        <source>%n resource(s) change handling.</source>
        <translation>
            <numerusform>%n 个资源的处置规则将变化。</numerusform>
        </translation>
    </message>
    <message>
        <source>Resources that change handling</source>
        <translation>处置规则变化的资源</translation>
    </message>
    <message>
        <source>Resource code</source>
        <translation>资源代码</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Problems</source>
        <translation>问题</translation>
    </message>
    <message>
        <source>Apply</source>
        <translation>应用</translation>
    </message>
    <message>
        <source>Apply the scheme</source>
        <translation>应用该分级方案</translation>
    </message>
    <message>
        <source>This scheme loosens handling rules:</source>
        <translation>该方案会放宽以下管控规则：</translation>
    </message>
    <message>
        <source>Handling rules the scheme loosens</source>
        <translation>该方案放宽的管控规则</translation>
    </message>
    <message>
        <source>I &amp;confirm these loosenings</source>
        <translation>我确认放宽这些规则(&amp;C)</translation>
    </message>
    <message>
        <source>Confirm that the scheme may loosen these handling rules</source>
        <translation>确认该方案可以放宽这些管控规则</translation>
    </message>
</context>
<context>
    <name>QFileDialog</name>
    <message>
        <source>&amp;Look in:</source>
        <translation>查找范围(&amp;L)：</translation>
    </message>
    <message>
        <source>Files of &amp;type:</source>
        <translation>文件类型(&amp;T)：</translation>
    </message>
</context>
<context>
    <name>ReasonDialog</name>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>&amp;Reason (required):</source>
        <translation>原因（必填）(&amp;R)：</translation>
    </message>
    <message>
        <source>&amp;Reason:</source>
        <translation>原因(&amp;R)：</translation>
    </message>
</context>
<context>
    <name>RegradeDialog</name>
    <message numerus="yes">
        <source>Re-grade %n resource(s)</source>
        <translation>
            <numerusform>批量定级 %n 个资源</numerusform>
        </translation>
    </message>
    <message>
        <source>New grade</source>
        <translation>新分级</translation>
    </message>
    <message>
        <source>Resources and their grades</source>
        <translation>资源及其分级</translation>
    </message>
    <message>
        <source>Resource code</source>
        <translation>资源代码</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Grade now</source>
        <translation>现分级</translation>
    </message>
    <message>
        <source>Becomes</source>
        <translation>变为</translation>
    </message>
    <message>
        <source>Kept higher by data item</source>
        <translation>因信息项保持较高分级</translation>
    </message>
    <message>
        <source>Re-grade summary</source>
        <translation>批量定级摘要</translation>
    </message>
    <message>
        <source>&amp;Apply</source>
        <translation>应用(&amp;A)</translation>
    </message>
    <message>
        <source>Apply the new grade</source>
        <translation>应用新分级</translation>
    </message>
    <message>
        <source>&amp;Grade:</source>
        <translation>分级(&amp;G)：</translation>
    </message>
    <message numerus="yes">
        <source>%n resource(s) change grade.</source>
        <translation>
            <numerusform>%n 个资源的分级将改变。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n stay higher because a data item is graded higher (就高从严).</source>
        <translation>
            <numerusform>其中 %n 个因信息项分级更高而保持较高分级（就高从严）。</numerusform>
        </translation>
    </message>
    <message>
        <source>Re-grading…</source>
        <translation>正在批量定级…</translation>
    </message>
</context>
<context>
    <name>RenewDialog</name>
    <message>
        <source>Ask for a renewal of grant %1</source>
        <translation>申请续期授权 %1</translation>
    </message>
    <message>
        <source>%1
The renewal is a new request for the days after %2, decided like any request. The grades allow at most %3 days, until %4.</source>
        <translation>%1
续期是对 %2 之后的日期提出的新申请，与其他申请一样须经审批。按分级规则最长 %3 天，即至 %4。</translation>
    </message>
    <message>
        <source>New last day</source>
        <translation>新的截止日</translation>
    </message>
    <message>
        <source>New &amp;last day:</source>
        <translation>新的截止日(&amp;L)：</translation>
    </message>
    <message>
        <source>Purpose in words</source>
        <translation>用途说明</translation>
    </message>
    <message>
        <source>&amp;Purpose in words:</source>
        <translation>用途说明(&amp;P)：</translation>
    </message>
    <message>
        <source>I &amp;accept the conditions: %1</source>
        <translation>我接受共享条件(&amp;A)：%1</translation>
    </message>
    <message>
        <source>Accept the sharing conditions</source>
        <translation>接受共享条件</translation>
    </message>
</context>
<context>
    <name>RequestDialog</name>
    <message>
        <source>Offer a grant</source>
        <translation>提供共享</translation>
    </message>
    <message>
        <source>Request a grant</source>
        <translation>申请共享</translation>
    </message>
    <message>
        <source>Find and select a published resource.</source>
        <translation>请查找并选择一个已发布的数据资源。</translation>
    </message>
    <message>
        <source>Terms of the resource</source>
        <translation>资源的共享条款</translation>
    </message>
    <message>
        <source>e.g. 《残疾人保障法》 and the sharing agreement</source>
        <translation>如《残疾人保障法》及数据共享协议</translation>
    </message>
    <message>
        <source>Longest validity</source>
        <translation>最长有效期</translation>
    </message>
    <message>
        <source>I &amp;accept the sharing conditions</source>
        <translation>我接受共享条件(&amp;A)</translation>
    </message>
    <message>
        <source>Accept the sharing conditions</source>
        <translation>接受共享条件</translation>
    </message>
    <message>
        <source>Sharing conditions</source>
        <translation>共享条件</translation>
    </message>
    <message>
        <source>Why the request was refused</source>
        <translation>申请未通过的原因</translation>
    </message>
    <message>
        <source>Data &amp;items:</source>
        <translation>信息项(&amp;I)：</translation>
    </message>
    <message>
        <source>Data items to share (those left out are disabled)</source>
        <translation>要共享的信息项（已排除的不可选）</translation>
    </message>
    <message>
        <source>&amp;Method:</source>
        <translation>共享方式(&amp;M)：</translation>
    </message>
    <message>
        <source>Sharing method</source>
        <translation>共享方式</translation>
    </message>
    <message>
        <source>Pu&amp;rpose:</source>
        <translation>共享用途(&amp;R)：</translation>
    </message>
    <message>
        <source>Purpose</source>
        <translation>共享用途</translation>
    </message>
    <message>
        <source>Purpose in &amp;words:</source>
        <translation>用途说明(&amp;W)：</translation>
    </message>
    <message>
        <source>Purpose in words</source>
        <translation>用途说明</translation>
    </message>
    <message>
        <source>Legal &amp;basis:</source>
        <translation>法律依据(&amp;B)：</translation>
    </message>
    <message>
        <source>Legal basis</source>
        <translation>法律依据</translation>
    </message>
    <message>
        <source>Valid fr&amp;om:</source>
        <translation>生效日期(&amp;O)：</translation>
    </message>
    <message>
        <source>Valid from</source>
        <translation>生效日期</translation>
    </message>
    <message>
        <source>Valid u&amp;ntil:</source>
        <translation>截止日期(&amp;N)：</translation>
    </message>
    <message>
        <source>Valid until</source>
        <translation>截止日期</translation>
    </message>
    <message>
        <source>Offer</source>
        <translation>提供</translation>
    </message>
    <message>
        <source>Submit request</source>
        <translation>提交申请</translation>
    </message>
    <message>
        <source>no grade</source>
        <translation>未分级</translation>
    </message>
    <message>
        <source>%1 %2 · %3 · %4 · graded %5</source>
        <translation>%1 %2 · %3 · %4 · 分级 %5</translation>
    </message>
    <message>
        <source>%1 — left out: its grade does not allow this kind of sharing</source>
        <translation>%1 — 已排除：其分级不允许此类共享</translation>
    </message>
    <message>
        <source>Conditions of sharing: %1</source>
        <translation>共享条件：%1</translation>
    </message>
    <message>
        <source>The grades of these items allow at most %1 days (until %2). Two different security administrators approve.</source>
        <translation>按所选信息项的分级，最长 %1 天（至 %2）；须由两位不同的安全管理员批准。</translation>
    </message>
    <message>
        <source>The grades of these items allow at most %1 days (until %2). One security administrator approves.</source>
        <translation>按所选信息项的分级，最长 %1 天（至 %2）；由一位安全管理员批准。</translation>
    </message>
</context>
<context>
    <name>ResourceDetailPane</name>
    <message>
        <source>Resource details</source>
        <translation>资源详情</translation>
    </message>
    <message>
        <source>Metadata</source>
        <translation>元数据</translation>
    </message>
    <message>
        <source>Data items</source>
        <translation>信息项</translation>
    </message>
    <message>
        <source>No.</source>
        <translation>序号</translation>
    </message>
    <message>
        <source>Item name</source>
        <translation>信息项名称</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>数据类型</translation>
    </message>
    <message>
        <source>Length</source>
        <translation>长度</translation>
    </message>
    <message>
        <source>Grade</source>
        <translation>分级</translation>
    </message>
    <message>
        <source>Authoritative source</source>
        <translation>权威来源</translation>
    </message>
    <message>
        <source>Standard item code</source>
        <translation>标准数据元代码</translation>
    </message>
    <message>
        <source>Sample rows</source>
        <translation>样例数据</translation>
    </message>
    <message>
        <source>Show &amp;unmasked (recorded in the audit trail)</source>
        <translation>查看未脱敏数据(&amp;U)（将记入审计日志）</translation>
    </message>
    <message>
        <source>E&amp;xport sample rows…</source>
        <translation>导出样例数据(&amp;X)…</translation>
    </message>
    <message>
        <source>Export the sample rows to Excel, masked and encrypted as their grades require</source>
        <translation>按分级要求脱敏、加密后将样例数据导出为 Excel</translation>
    </message>
    <message>
        <source>Resource code</source>
        <translation>资源代码</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>分类</translation>
    </message>
    <message>
        <source>Provider</source>
        <translation>提供方</translation>
    </message>
    <message>
        <source>Provider code</source>
        <translation>提供方代码</translation>
    </message>
    <message>
        <source>Region</source>
        <translation>行政区划</translation>
    </message>
    <message>
        <source>Summary</source>
        <translation>摘要</translation>
    </message>
    <message>
        <source>Format</source>
        <translation>资源格式</translation>
    </message>
    <message>
        <source>Sharing type</source>
        <translation>共享类型</translation>
    </message>
    <message>
        <source>Sharing conditions</source>
        <translation>共享条件</translation>
    </message>
    <message>
        <source>Basis for not sharing</source>
        <translation>不予共享依据</translation>
    </message>
    <message>
        <source>Sharing method</source>
        <translation>共享方式</translation>
    </message>
    <message>
        <source>Open data</source>
        <translation>开放属性</translation>
    </message>
    <message>
        <source>Open conditions</source>
        <translation>开放条件</translation>
    </message>
    <message>
        <source>Update cycle</source>
        <translation>更新周期</translation>
    </message>
    <message>
        <source>Publish date</source>
        <translation>发布日期</translation>
    </message>
    <message>
        <source>Related resources</source>
        <translation>关联资源代码</translation>
    </message>
    <message>
        <source>Data quality</source>
        <translation>数据质量</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Created by</source>
        <translation>创建人</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>创建时间</translation>
    </message>
    <message>
        <source>Updated</source>
        <translation>更新时间</translation>
    </message>
    <message>
        <source>Version</source>
        <translation>版本</translation>
    </message>
    <message>
        <source>This resource has no sample rows.</source>
        <translation>此资源没有样例数据。</translation>
    </message>
    <message>
        <source>Unmasked view: personal data is shown in full. This view was recorded in the audit trail.</source>
        <translation>未脱敏视图：个人信息完整显示。此次查看已记入审计日志。</translation>
    </message>
    <message>
        <source>Masked by grade: %1</source>
        <translation>按分级脱敏的字段：%1</translation>
    </message>
    <message>
        <source>nothing</source>
        <translation>无</translation>
    </message>
    <message>
        <source>Select a resource in the list.</source>
        <translation>请在列表中选择一个数据资源。</translation>
    </message>
    <message>
        <source>not profiled yet</source>
        <translation>尚未分析</translation>
    </message>
    <message>
        <source>%1 (profiled %2)</source>
        <translation>%1（分析于 %2）</translation>
    </message>
    <message>
        <source>Yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>No</source>
        <translation>否</translation>
    </message>
    <message numerus="yes">
        <source>Data items (%n)</source>
        <translation>
            <numerusform>信息项（%n）</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ResourceEditor</name>
    <message>
        <source> (deactivated)</source>
        <translation>（已停用）</translation>
    </message>
    <message>
        <source>New resource</source>
        <translation>新建数据资源</translation>
    </message>
    <message>
        <source>Edit %1</source>
        <translation>编辑 %1</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>（无）</translation>
    </message>
    <message>
        <source>Change a field</source>
        <translation>修改字段</translation>
    </message>
    <message>
        <source>Region name</source>
        <translation>行政区划名称</translation>
    </message>
    <message>
        <source>Published on</source>
        <translation>已发布，日期</translation>
    </message>
    <message>
        <source>codes separated by ;</source>
        <translation>多个代码用 ; 分隔</translation>
    </message>
    <message>
        <source>Edit a field</source>
        <translation>编辑字段</translation>
    </message>
    <message>
        <source>Edit the summary</source>
        <translation>编辑摘要</translation>
    </message>
    <message>
        <source>Resource code:</source>
        <translation>资源代码：</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>名称(&amp;N)：</translation>
    </message>
    <message>
        <source>&amp;Category:</source>
        <translation>分类(&amp;C)：</translation>
    </message>
    <message>
        <source>&amp;Provider:</source>
        <translation>提供方(&amp;P)：</translation>
    </message>
    <message>
        <source>Re&amp;gion code:</source>
        <translation>行政区划代码(&amp;G)：</translation>
    </message>
    <message>
        <source>Su&amp;mmary:</source>
        <translation>摘要(&amp;M)：</translation>
    </message>
    <message>
        <source>&amp;Format:</source>
        <translation>资源格式(&amp;F)：</translation>
    </message>
    <message>
        <source>Sharing type (&amp;K):</source>
        <translation>共享类型(&amp;K)：</translation>
    </message>
    <message>
        <source>S&amp;haring method:</source>
        <translation>共享方式(&amp;H)：</translation>
    </message>
    <message>
        <source>Pub&amp;lish date:</source>
        <translation>发布日期(&amp;L)：</translation>
    </message>
    <message>
        <source>Add i&amp;tem</source>
        <translation>添加信息项(&amp;T)</translation>
    </message>
    <message>
        <source>Mov&amp;e up</source>
        <translation>上移(&amp;E)</translation>
    </message>
    <message>
        <source>Undo (&amp;Z)</source>
        <translation>撤销(&amp;Z)</translation>
    </message>
    <message>
        <source>Redo (&amp;Y)</source>
        <translation>重做(&amp;Y)</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>保存(&amp;S)</translation>
    </message>
    <message>
        <source>Sharing con&amp;ditions:</source>
        <translation>共享条件(&amp;D)：</translation>
    </message>
    <message>
        <source>&amp;Basis for not sharing:</source>
        <translation>不予共享依据(&amp;B)：</translation>
    </message>
    <message>
        <source>&amp;Open data:</source>
        <translation>开放属性(&amp;O)：</translation>
    </message>
    <message>
        <source>Open cond&amp;itions:</source>
        <translation>开放条件(&amp;I)：</translation>
    </message>
    <message>
        <source>&amp;Update cycle:</source>
        <translation>更新周期(&amp;U)：</translation>
    </message>
    <message>
        <source>&amp;Related resources:</source>
        <translation>关联资源代码(&amp;R)：</translation>
    </message>
    <message>
        <source>Gr&amp;ade:</source>
        <translation>分级(&amp;A)：</translation>
    </message>
    <message>
        <source>Region code</source>
        <translation>行政区划代码</translation>
    </message>
    <message>
        <source>Edit a data item</source>
        <translation>编辑信息项</translation>
    </message>
    <message>
        <source>Remo&amp;ve item</source>
        <translation>删除信息项(&amp;V)</translation>
    </message>
    <message>
        <source>Move do&amp;wn</source>
        <translation>下移(&amp;W)</translation>
    </message>
    <message>
        <source>Problems to fix before saving</source>
        <translation>保存前需要修正的问题</translation>
    </message>
    <message>
        <source>&amp;Undo</source>
        <translation>撤销(&amp;U)</translation>
    </message>
    <message>
        <source>&amp;Redo</source>
        <translation>重做(&amp;R)</translation>
    </message>
    <message>
        <source>(assigned when saved)</source>
        <translation>（保存时自动分配）</translation>
    </message>
    <message>
        <source>Add a data item</source>
        <translation>添加信息项</translation>
    </message>
    <message>
        <source>Remove a data item</source>
        <translation>删除信息项</translation>
    </message>
    <message>
        <source>Move a data item</source>
        <translation>移动信息项</translation>
    </message>
    <message>
        <source>Item %1: </source>
        <translation>第 %1 个信息项：</translation>
    </message>
</context>
<context>
    <name>ResourceFields</name>
    <message>
        <source>Data item</source>
        <extracomment>snapshot keys that FIELD_NAMES knows under another name fields whose values come from a controlled value list</extracomment>
        <translation>信息项</translation>
    </message>
    <message>
        <source>Data items</source>
        <translation>信息项数</translation>
    </message>
    <message>
        <source>Order of the data items</source>
        <translation>信息项顺序</translation>
    </message>
    <message>
        <source>Authoritative source</source>
        <translation>权威来源</translation>
    </message>
    <message>
        <source>Position</source>
        <translation>位置</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>no</source>
        <translation>否</translation>
    </message>
</context>
<context>
    <name>ResourcePicker</name>
    <message>
        <source>Search the published catalogue</source>
        <translation>搜索已发布的目录</translation>
    </message>
    <message>
        <source>part of a resource&apos;s code or name</source>
        <translation>资源代码或名称的一部分</translation>
    </message>
    <message>
        <source>&amp;Find resource:</source>
        <translation>查找资源(&amp;F)：</translation>
    </message>
    <message>
        <source>Searc&amp;h</source>
        <translation>搜索(&amp;H)</translation>
    </message>
    <message>
        <source>Published resources found</source>
        <translation>找到的已发布资源</translation>
    </message>
    <message>
        <source>Code</source>
        <translation>代码</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Region</source>
        <translation>行政区划</translation>
    </message>
    <message>
        <source>Sharing type</source>
        <translation>共享类型</translation>
    </message>
    <message>
        <source>Provider</source>
        <translation>提供单位</translation>
    </message>
    <message>
        <source>Search result</source>
        <translation>搜索结果</translation>
    </message>
    <message>
        <source>No published resource has this in its code or name.</source>
        <translation>没有代码或名称包含此内容的已发布资源。</translation>
    </message>
    <message>
        <source>%1 found (at most 50 are listed).</source>
        <translation>找到 %1 个（最多列出 50 个）。</translation>
    </message>
</context>
<context>
    <name>ResourceTableModel</name>
    <message>
        <source>Resource code</source>
        <translation>资源代码</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>分类</translation>
    </message>
    <message>
        <source>Provider</source>
        <translation>提供方</translation>
    </message>
    <message>
        <source>Region</source>
        <translation>行政区划</translation>
    </message>
    <message>
        <source>Grade</source>
        <translation>分级</translation>
    </message>
    <message>
        <source>Sharing type</source>
        <translation>共享类型</translation>
    </message>
    <message>
        <source>Update cycle</source>
        <translation>更新周期</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Data items</source>
        <translation>信息项</translation>
    </message>
    <message>
        <source>Updated</source>
        <translation>更新时间</translation>
    </message>
</context>
<context>
    <name>ReviewDialog</name>
    <message>
        <source>Review an organisation&apos;s period</source>
        <translation>按单位和时段审查</translation>
    </message>
    <message numerus="yes">
        <source>Mark %n event(s) reviewed</source>
        <translation>
            <numerusform>将 %n 条访问记录标记为已审查</numerusform>
        </translation>
    </message>
    <message>
        <source>Every access event of the organisation from the first day to the last (included) is marked reviewed.</source>
        <translation>该单位从起始日到截止日（含当天）的全部访问记录将被标记为已审查。</translation>
    </message>
    <message>
        <source>The chosen events are marked reviewed. The review and its comment are kept in the audit trail and cannot be changed.</source>
        <translation>选中的访问记录将被标记为已审查。审查及其意见记入审计日志，不可修改。</translation>
    </message>
    <message>
        <source>Review comment</source>
        <translation>审查意见</translation>
    </message>
    <message>
        <source>What was checked, and what was found (at least %1 letters or digits)</source>
        <translation>核对了什么、发现了什么（至少 %1 个文字或数字）</translation>
    </message>
    <message>
        <source>&amp;Comment:</source>
        <translation>审查意见(&amp;C)：</translation>
    </message>
    <message>
        <source>Organisation reviewed</source>
        <translation>被审查的单位</translation>
    </message>
    <message>
        <source>First day of the period</source>
        <translation>时段的起始日</translation>
    </message>
    <message>
        <source>Last day of the period</source>
        <translation>时段的截止日（含当天）</translation>
    </message>
    <message>
        <source>Or&amp;ganisation:</source>
        <translation>单位(&amp;G)：</translation>
    </message>
    <message>
        <source>F&amp;rom:</source>
        <translation>从(&amp;R)：</translation>
    </message>
    <message>
        <source>&amp;To:</source>
        <translation>到(&amp;T)：</translation>
    </message>
</context>
<context>
    <name>RuleDialog</name>
    <message>
        <source>Edit rule %1</source>
        <translation>编辑规则：%1</translation>
    </message>
    <message>
        <source>Severity</source>
        <translation>级别</translation>
    </message>
    <message>
        <source>Se&amp;verity:</source>
        <translation>级别(&amp;V)：</translation>
    </message>
    <message>
        <source>Rule &amp;enabled</source>
        <translation>启用此规则(&amp;E)</translation>
    </message>
</context>
<context>
    <name>RulesTab</name>
    <message>
        <source>Hit rates over the last days</source>
        <translation>统计命中情况的天数</translation>
    </message>
    <message>
        <source>Hit rates over the last &amp;days:</source>
        <translation>统计最近天数(&amp;D)：</translation>
    </message>
    <message>
        <source>&amp;Edit rule…</source>
        <translation>编辑规则(&amp;E)…</translation>
    </message>
    <message>
        <source>Edit the selected rule</source>
        <translation>编辑所选规则</translation>
    </message>
    <message>
        <source>Alert rules</source>
        <translation>告警规则列表</translation>
    </message>
    <message>
        <source>Rule</source>
        <translation>规则</translation>
    </message>
    <message>
        <source>Enabled</source>
        <translation>启用</translation>
    </message>
    <message>
        <source>Severity</source>
        <translation>级别</translation>
    </message>
    <message>
        <source>Thresholds</source>
        <translation>阈值</translation>
    </message>
    <message>
        <source>Raised</source>
        <translation>告警数</translation>
    </message>
    <message>
        <source>Not closed</source>
        <translation>未关闭</translation>
    </message>
    <message>
        <source>True positive</source>
        <translation>属实</translation>
    </message>
    <message>
        <source>Benign</source>
        <translation>正常业务</translation>
    </message>
    <message>
        <source>False positive</source>
        <translation>误报</translation>
    </message>
    <message>
        <source>Precision</source>
        <translation>准确率</translation>
    </message>
    <message>
        <source>Loading the rules…</source>
        <translation>正在加载规则…</translation>
    </message>
    <message>
        <source>Yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>No</source>
        <translation>否</translation>
    </message>
    <message>
        <source>Saving the rule…</source>
        <translation>正在保存规则…</translation>
    </message>
</context>
<context>
    <name>SchemesTab</name>
    <message>
        <source>Grade schemes and their handling rules</source>
        <translation>分级方案及其处置规则</translation>
    </message>
    <message>
        <source>Scheme / grade</source>
        <translation>方案 / 分级</translation>
    </message>
    <message>
        <source>Rank</source>
        <translation>级别序号</translation>
    </message>
    <message>
        <source>Detectors</source>
        <translation>识别器</translation>
    </message>
    <message>
        <source>&amp;Load scheme file…</source>
        <translation>载入方案文件(&amp;L)…</translation>
    </message>
    <message>
        <source>Load a grade scheme from a YAML or Excel file</source>
        <translation>从 YAML 或 Excel 文件载入分级方案</translation>
    </message>
    <message>
        <source>E&amp;xport active scheme…</source>
        <translation>导出当前方案(&amp;X)…</translation>
    </message>
    <message>
        <source>Save the active scheme as a YAML file</source>
        <translation>将当前分级方案保存为 YAML 文件</translation>
    </message>
    <message>
        <source>Scheme status</source>
        <translation>方案状态</translation>
    </message>
    <message>
        <source>(active)</source>
        <translation>（当前）</translation>
    </message>
    <message>
        <source>Load grade scheme</source>
        <translation>载入分级方案</translation>
    </message>
    <message>
        <source>Grade schemes (*.yaml *.yml *.xlsx)</source>
        <translation>分级方案 (*.yaml *.yml *.xlsx)</translation>
    </message>
    <message>
        <source>Applying the scheme…</source>
        <translation>正在应用分级方案…</translation>
    </message>
    <message>
        <source>Reading %1…</source>
        <translation>正在读取 %1…</translation>
    </message>
    <message numerus="yes">
        <source>%1 is now in force; %n resource(s) changed handling.</source>
        <translation>
            <numerusform>%1 已生效；%n 个资源的处置规则已变化。</numerusform>
        </translation>
    </message>
    <message>
        <source>Export grade scheme</source>
        <translation>导出分级方案</translation>
    </message>
    <message>
        <source>YAML (*.yaml)</source>
        <translation>YAML (*.yaml)</translation>
    </message>
    <message>
        <source>Saved the active scheme to %1</source>
        <translation>已将当前分级方案保存到 %1</translation>
    </message>
</context>
<context>
    <name>SecurityPolicyView</name>
    <message>
        <source>Login failure handling and session locking (GB/T 22239 level 3). Change a value and press Enter or move on; every change is recorded in the audit trail.</source>
        <translation>登录失败处理和会话锁定（GB/T 22239 第三级）。修改数值后按回车或移到下一项即生效；每次修改都记入审计日志。</translation>
    </message>
    <message>
        <source>Security policy</source>
        <translation>安全策略</translation>
    </message>
</context>
<context>
    <name>SeedDialog</name>
    <message>
        <source>Generate federations</source>
        <translation>按省生成残联</translation>
    </message>
    <message>
        <source>Creates the federation of every division of the province that the region list holds (national, province, city, county; townships and villages once the region list has them). Existing organisations are kept; running it again adds only what is missing.</source>
        <translation>为区划表中该省的每个区划生成残联（全国、省、市、县；区划表有乡镇、村时也包括这两级）。已有的组织机构保持不变；再次运行只补充缺少的。</translation>
    </message>
    <message>
        <source>Also the &amp;education, civil-affairs, HRSS and health departments of the province and its cities</source>
        <translation>同时生成省、市两级的教育、民政、人力资源和社会保障、卫生健康部门(&amp;E)</translation>
    </message>
    <message>
        <source>Also the departments</source>
        <translation>同时生成部门</translation>
    </message>
    <message>
        <source>&amp;Province code:</source>
        <translation>省级代码(&amp;P)：</translation>
    </message>
</context>
<context>
    <name>SettingsPanel</name>
    <message>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>A whole number from %1 to %2</source>
        <translation>%1 到 %2 之间的整数</translation>
    </message>
    <message>
        <source>At most %1 characters</source>
        <translation>最多 %1 个字符</translation>
    </message>
</context>
<context>
    <name>SetupDialog</name>
    <message>
        <source>Set up GovDesk</source>
        <translation>初始化 GovDesk</translation>
    </message>
    <message>
        <source>This database has no accounts yet. Create the system administrator, who then creates the other accounts. The three administrator roles (system, security, audit) must be held by different people.</source>
        <translation>此数据库还没有任何账号。请创建系统管理员，再由系统管理员创建其他账号。系统管理员、安全管理员和审计管理员必须由不同的人担任（三员分立）。</translation>
    </message>
    <message>
        <source>&amp;User name:</source>
        <translation>用户名(&amp;U)：</translation>
    </message>
    <message>
        <source>&amp;Full name:</source>
        <translation>姓名(&amp;F)：</translation>
    </message>
    <message>
        <source>&amp;Password:</source>
        <translation>密码(&amp;P)：</translation>
    </message>
    <message>
        <source>&amp;Repeat password:</source>
        <translation>再次输入密码(&amp;R)：</translation>
    </message>
    <message>
        <source>Role:</source>
        <translation>角色：</translation>
    </message>
    <message>
        <source>Progress</source>
        <translation>进度</translation>
    </message>
    <message>
        <source>Set-up error</source>
        <translation>初始化错误</translation>
    </message>
    <message>
        <source>The two passwords differ.</source>
        <translation>两次输入的密码不一致。</translation>
    </message>
    <message>
        <source>Creating the account…</source>
        <translation>正在创建账号…</translation>
    </message>
</context>
<context>
    <name>SharingLabels</name>
    <message>
        <source>organisation</source>
        <translation>单位</translation>
    </message>
    <message>
        <source>every %1 under %2</source>
        <translation>%2所有%1</translation>
    </message>
    <message>
        <source>every %1 %2 under %3</source>
        <translation>%3所有%1%2</translation>
    </message>
    <message>
        <source>(unknown organisation)</source>
        <translation>（未知单位）</translation>
    </message>
    <message>
        <source>(resource no longer in the catalogue)</source>
        <translation>（资源已不在目录中）</translation>
    </message>
    <message>
        <source>%1 days</source>
        <translation>%1 天</translation>
    </message>
    <message>
        <source>ended %1</source>
        <translation>已于 %1 到期</translation>
    </message>
    <message>
        <source>All data items</source>
        <translation>全部信息项</translation>
    </message>
    <message>
        <source>All</source>
        <translation>全部</translation>
    </message>
    <message>
        <source>%1 items</source>
        <translation>%1 项</translation>
    </message>
    <message>
        <source>%1 to %2</source>
        <translation>%1 至 %2</translation>
    </message>
    <message>
        <source>its grade does not allow this kind of sharing</source>
        <translation>其分级不允许此类共享</translation>
    </message>
    <message>
        <source>%1 (graded %2): %3</source>
        <translation>%1（分级 %2）：%3</translation>
    </message>
    <message>
        <source>first approval: %1</source>
        <translation>第一次批准：%1</translation>
    </message>
    <message>
        <source>a second security administrator must approve</source>
        <translation>须由另一位安全管理员第二次批准</translation>
    </message>
    <message>
        <source>decided by %1</source>
        <translation>审批人 %1</translation>
    </message>
    <message>
        <source>ended by %1</source>
        <translation>终止人 %1</translation>
    </message>
    <message>
        <source>(new)</source>
        <translation>（新建）</translation>
    </message>
</context>
<context>
    <name>SharingSteps</name>
    <message>
        <source>Grant %1: %2 to %3</source>
        <extracomment>shows a dialog and says whether it was accepted (tests answer it instead)</extracomment>
        <translation>授权 %1：%2，授予 %3</translation>
    </message>
    <message>
        <source>Approve</source>
        <translation>批准</translation>
    </message>
    <message>
        <source>A note on the approval (optional):</source>
        <translation>审批意见（可选）：</translation>
    </message>
    <message>
        <source>Reject</source>
        <translation>驳回</translation>
    </message>
    <message>
        <source>Why is the request rejected? The requester reads the reason.</source>
        <translation>驳回的原因是什么？申请人会看到此原因。</translation>
    </message>
    <message>
        <source>Revoke</source>
        <translation>撤销</translation>
    </message>
    <message>
        <source>Sharing stops at once. Why is the grant revoked?</source>
        <translation>共享将立即停止。撤销的原因是什么？</translation>
    </message>
    <message>
        <source>Release</source>
        <translation>提前释放</translation>
    </message>
    <message>
        <source>My organisation gives the grant back now; it cannot be undone. Why (optional)?</source>
        <translation>本单位现在提前释放该授权，不可撤回。原因（可选）：</translation>
    </message>
    <message>
        <source>Offered grant %1 (%2): it waits for a security administrator&apos;s approval.</source>
        <translation>已提供授权 %1（%2），等待安全管理员批准。</translation>
    </message>
    <message>
        <source>Request %1 (%2) sent: it waits for the providing side&apos;s approval.</source>
        <translation>已提交申请 %1（%2），等待提供方审批。</translation>
    </message>
    <message>
        <source>First approval of grant %1 recorded: a second security administrator must approve it.</source>
        <translation>已记录授权 %1 的第一次批准：须由另一位安全管理员第二次批准。</translation>
    </message>
    <message>
        <source>Grant %1 approved (%2).</source>
        <translation>已批准授权 %1（%2）。</translation>
    </message>
    <message>
        <source>Grant %1 rejected.</source>
        <translation>已驳回授权 %1。</translation>
    </message>
    <message>
        <source>Grant %1 revoked: sharing stopped.</source>
        <translation>已撤销授权 %1，共享已停止。</translation>
    </message>
    <message>
        <source>Grant %1 released.</source>
        <translation>已提前释放授权 %1。</translation>
    </message>
    <message>
        <source>Renewal of grant %1 requested as request %2 (until %3).</source>
        <translation>已为授权 %1 申请续期，新申请编号 %2（至 %3）。</translation>
    </message>
</context>
<context>
    <name>SharingView</name>
    <message>
        <source>Al&amp;erts</source>
        <translation>共享提醒(&amp;E)</translation>
    </message>
    <message>
        <source>Access &amp;matrix</source>
        <translation>访问矩阵(&amp;M)</translation>
    </message>
    <message>
        <source>My re&amp;quests</source>
        <translation>我的申请(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;Organisation&apos;s grants</source>
        <translation>本单位获得的授权(&amp;O)</translation>
    </message>
    <message>
        <source>To &amp;decide</source>
        <translation>待审批(&amp;D)</translation>
    </message>
    <message>
        <source>All gra&amp;nts</source>
        <translation>全部授权(&amp;N)</translation>
    </message>
    <message>
        <source>Sharing pages</source>
        <extracomment>shows a dialog opened from a tab (modal; tests look at it instead)</extracomment>
        <translation>共享授权页面</translation>
    </message>
    <message>
        <source>Sharing</source>
        <translation>共享授权</translation>
    </message>
</context>
<context>
    <name>ShortcutsDialog</name>
    <message>
        <source>Keyboard shortcuts</source>
        <translation>键盘快捷键</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>操作</translation>
    </message>
    <message>
        <source>Keys</source>
        <translation>按键</translation>
    </message>
    <message>
        <source>Alt with an underlined letter opens a menu or presses a button; Tab and Shift+Tab move between fields.</source>
        <translation>Alt 加带下划线的字母可打开菜单或按下按钮；Tab 和 Shift+Tab 在输入项之间移动。</translation>
    </message>
</context>
<context>
    <name>StepDialog</name>
    <message>
        <source>Acknowledge alert %1</source>
        <translation>确认告警 %1</translation>
    </message>
    <message>
        <source>Assign alert %1</source>
        <translation>指派告警 %1</translation>
    </message>
    <message>
        <source>Add a note to alert %1</source>
        <translation>为告警 %1 添加备注</translation>
    </message>
    <message>
        <source>Close alert %1</source>
        <translation>关闭告警 %1</translation>
    </message>
    <message>
        <source>Disposition</source>
        <translation>处置结论</translation>
    </message>
    <message>
        <source>Assign to (login name)</source>
        <translation>指派给（登录名）</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>&amp;Disposition:</source>
        <translation>处置结论(&amp;D)：</translation>
    </message>
    <message>
        <source>Assi&amp;gn to:</source>
        <translation>指派给(&amp;G)：</translation>
    </message>
    <message>
        <source>&amp;Note:</source>
        <translation>备注(&amp;N)：</translation>
    </message>
</context>
<context>
    <name>SuggestionsTab</name>
    <message>
        <source>e.g. 101/000001 (optional)</source>
        <extracomment>grade code -&gt; name in the interface, for the data items&apos; grades in the queue</extracomment>
        <translation>例如 101/000001（可不填）</translation>
    </message>
    <message>
        <source>Resource code the sample belongs to</source>
        <translation>样例所属资源的代码</translation>
    </message>
    <message>
        <source>&amp;Profile sample file…</source>
        <translation>分析样例文件(&amp;P)…</translation>
    </message>
    <message>
        <source>Profile a CSV or Excel sample file</source>
        <translation>分析 CSV 或 Excel 样例文件</translation>
    </message>
    <message>
        <source>&amp;Queue suggestions for review</source>
        <translation>提交建议待审核(&amp;Q)</translation>
    </message>
    <message>
        <source>Queue the suggestions for review</source>
        <translation>将分级建议提交审核</translation>
    </message>
    <message>
        <source>Choose a sample file: each column is checked for personal data and given a suggested grade. Nothing is applied until a security administrator accepts it.</source>
        <translation>请选择样例文件：逐列识别个人信息并给出建议分级。建议须经安全管理员采纳后才会生效。</translation>
    </message>
    <message>
        <source>Profile summary</source>
        <translation>分析摘要</translation>
    </message>
    <message>
        <source>Columns of the sample file</source>
        <translation>样例文件的各列</translation>
    </message>
    <message>
        <source>Column</source>
        <translation>列</translation>
    </message>
    <message>
        <source>Holds</source>
        <translation>识别为</translation>
    </message>
    <message>
        <source>Confidence</source>
        <translation>置信度</translation>
    </message>
    <message>
        <source>Suggested grade</source>
        <translation>建议分级</translation>
    </message>
    <message>
        <source>Data item grade</source>
        <translation>信息项分级</translation>
    </message>
    <message>
        <source>Empty</source>
        <translation>空值率</translation>
    </message>
    <message>
        <source>Distinct</source>
        <translation>不同值</translation>
    </message>
    <message>
        <source>Examples (masked by grade)</source>
        <translation>示例（按分级脱敏）</translation>
    </message>
    <message>
        <source>Review queue</source>
        <translation>审核队列</translation>
    </message>
    <message>
        <source>Resource code</source>
        <translation>资源代码</translation>
    </message>
    <message>
        <source>Resource</source>
        <translation>资源</translation>
    </message>
    <message>
        <source>Proposed by</source>
        <translation>提出人</translation>
    </message>
    <message>
        <source>&amp;Accept</source>
        <translation>采纳(&amp;A)</translation>
    </message>
    <message>
        <source>Accept the selected suggestions</source>
        <translation>采纳所选建议</translation>
    </message>
    <message>
        <source>&amp;Reject</source>
        <translation>驳回(&amp;R)</translation>
    </message>
    <message>
        <source>Reject the selected suggestions</source>
        <translation>驳回所选建议</translation>
    </message>
    <message>
        <source>Resource &amp;code:</source>
        <translation>资源代码(&amp;C)：</translation>
    </message>
    <message>
        <source>Review queue (pending suggestions)</source>
        <translation>审核队列（待处理的建议）</translation>
    </message>
    <message>
        <source>Profile sample file</source>
        <translation>分析样例文件</translation>
    </message>
    <message>
        <source>Tables (*.csv *.txt *.xlsx *.xls *.ods)</source>
        <translation>表格 (*.csv *.txt *.xlsx *.xls *.ods)</translation>
    </message>
    <message>
        <source>Profiling %1…</source>
        <translation>正在分析 %1…</translation>
    </message>
    <message>
        <source>(guardian)</source>
        <translation>（监护人）</translation>
    </message>
    <message>
        <source>not graded</source>
        <translation>未定级</translation>
    </message>
    <message numerus="yes">
        <source>%1: %n row(s), scheme %2.</source>
        <translation>
            <numerusform>%1：%n 行，分级方案 %2。</numerusform>
        </translation>
    </message>
    <message>
        <source>Quality score of %1: %2 (identifiers %3, metadata %4).</source>
        <translation>%1 的数据质量得分：%2（标识符有效率 %3，元数据完整率 %4）。</translation>
    </message>
    <message numerus="yes">
        <source>%n suggestion(s) queued for review.</source>
        <translation>
            <numerusform>已提交 %n 条建议待审核。</numerusform>
        </translation>
    </message>
    <message>
        <source>Queueing suggestions…</source>
        <translation>正在提交建议…</translation>
    </message>
</context>
<context>
    <name>UnlockDialog</name>
    <message>
        <source>Session locked</source>
        <translation>会话已锁定</translation>
    </message>
    <message>
        <source>GovDesk was locked after a period of inactivity. Enter the password of %1 to continue; nothing you were doing is lost.</source>
        <translation>由于长时间无操作，GovDesk 已锁定。请输入 %1 的密码以继续；您正在进行的工作不会丢失。</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <source>Progress</source>
        <translation>进度</translation>
    </message>
    <message>
        <source>Unlock error</source>
        <translation>解锁错误</translation>
    </message>
    <message>
        <source>&amp;Unlock</source>
        <translation>解锁(&amp;U)</translation>
    </message>
    <message>
        <source>Checking the password…</source>
        <translation>正在核对密码…</translation>
    </message>
</context>
<context>
    <name>UnmaskReasonDialog</name>
    <message>
        <source>Reason for the unmasked view</source>
        <translation>查看未脱敏数据的理由</translation>
    </message>
    <message>
        <source>Personal data of %1 will be shown in full, and the view recorded in the audit trail with your reason.</source>
        <translation>将完整显示 %1 的个人信息，本次查看及您填写的理由会记入审计日志。</translation>
    </message>
    <message>
        <source>&amp;Reason (required, at least %1 letters or digits):</source>
        <translation>理由（必填，至少 %1 个文字或数字）(&amp;R)：</translation>
    </message>
    <message>
        <source>&amp;Show unmasked</source>
        <translation>显示未脱敏数据(&amp;S)</translation>
    </message>
</context>
</TS>
