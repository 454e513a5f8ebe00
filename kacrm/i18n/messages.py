"""General messages in English and Chinese (customers, log, plans, import, export, demo): key → {en, zh}."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    # column headers of render/owners.py
    "owners_col_owner": {"en": "Owner", "zh": "负责人"},
    "owners_col_email": {"en": "Email", "zh": "邮箱"},
    "owners_col_customers": {"en": "Customers", "zh": "客户数"},
    "owners_col_key_accounts": {"en": "Key accounts", "zh": "大客户数"},
    "owners_col_capacity": {"en": "Capacity", "zh": "容量"},
    # column headers of render/customers.py
    "customers_col_customer_code": {"en": "Code", "zh": "编号"},
    "customers_col_customer_name": {"en": "Name", "zh": "客户名称"},
    "customers_col_type": {"en": "Type", "zh": "类型"},
    "customers_col_status": {"en": "Status", "zh": "状态"},
    "plan_status_open": {"en": "open", "zh": "进行中"},
    "plan_status_done": {"en": "done", "zh": "已完成"},
    "customers_col_region": {"en": "Region", "zh": "区域"},
    "customers_col_owner": {"en": "Owner", "zh": "负责人"},
    "customers_col_phone": {"en": "Phone", "zh": "电话"},
    "customers_col_tier": {"en": "Tier", "zh": "等级"},
    "customers_col_credit_grade": {"en": "Grade", "zh": "信用等级"},
    "customers_col_orders": {"en": "Orders", "zh": "订单数"},
    "customers_col_revenue": {"en": "Revenue", "zh": "销售额"},
    "customers_col_paid": {"en": "Paid", "zh": "回款"},
    "customers_col_outstanding": {"en": "Outstanding", "zh": "应收"},
    "customers_col_first_order_on": {"en": "First order", "zh": "首单"},
    "customers_col_last_order_on": {"en": "Last order", "zh": "末单"},
    "customers_col_last_contact_on": {"en": "Last contact", "zh": "最近联系"},
    "customers_col_name": {"en": "Key person", "zh": "关键人"},
    "customers_col_title": {"en": "Title", "zh": "职务"},
    "customers_col_role": {"en": "Role", "zh": "角色"},
    "customers_col_birthday": {"en": "Birthday", "zh": "生日"},
    "customers_col_lunar_birthday": {"en": "Lunar birthday", "zh": "农历生日"},
    "customers_col_anniversary": {"en": "Anniversary", "zh": "结婚纪念日"},
    "customers_col_hobbies": {"en": "Hobbies", "zh": "爱好"},
    "customers_col_id": {"en": "ID", "zh": "编号"},
    "customers_col_plan_customer_code": {"en": "Code", "zh": "客户编号"},
    "customers_col_plan_customer_name": {"en": "Customer", "zh": "客户"},
    "customers_col_horizon": {"en": "Horizon", "zh": "期限"},
    "customers_col_goal": {"en": "Goal", "zh": "目标"},
    "customers_col_target_date": {"en": "Target", "zh": "目标日期"},
    "customers_col_done_on": {"en": "Done", "zh": "完成日期"},
    "list_separator": {"en": ", ", "zh": "、"},
    "table_columns_hidden": {
        "en": "Not shown at this width: {columns} (a wider terminal shows them; --format csv or json has "
        "every column).",
        "zh": "终端宽度不足，未显示：{columns}（加宽终端即可显示；--format csv 或 json 含全部列）。",
    },
    # after table_columns_hidden, when a total shown adds up columns left out (credit aging at 80 columns)
    "table_total_includes": {
        "en": " {total} includes {columns}.",
        "zh": "{total}已含{columns}。",
    },
    "demo_not_empty": {
        "en": "{target} already has {n} customer{s}; choose another --db, or add --force to import the "
        "sample data into it",
        "zh": "{target} 中已有 {n} 个客户；请换一个 --db，或加 --force 把示例数据导入其中",
    },
    "log_on_future": {
        "en": "{on} is after today ({today}): log what has happened; a follow-up goes in --next",
        "zh": "{on} 晚于今天（{today}）：只记录已发生的联系；下次跟进请用 --next",
    },
    "log_next_before": {
        "en": "{next} is before the interaction ({on})",
        "zh": "{next} 早于这次联系的日期（{on}）",
    },
    "customer_exists": {
        "en": "customer {code!r} exists already; use `kacrm customer edit {code}`",
        "zh": "客户 {code!r} 已存在；请用 `kacrm customer edit {code}`",
    },
    "customer_refers_itself": {
        "en": "--referred-by {code}: a customer cannot refer itself",
        "zh": "--referred-by {code}：客户不能推荐自己",
    },
    "contact_not_found": {
        "en": "{code} has no key person named {contact!r} (see `kacrm customer show {code}`)",
        "zh": "{code} 没有名为 {contact!r} 的关键人（见 `kacrm customer show {code}`）",
    },
    "plan_not_found": {
        "en": "no plan #{id} (see `kacrm plan list`)",
        "zh": "没有计划 #{id}（见 `kacrm plan list`）",
    },
    "cannot_write": {"en": "cannot write {path}: {reason}", "zh": "无法写入 {path}（{reason}）"},
    "cannot_write_directory": {
        "en": "cannot write {path}: it is a directory; give a file's name",
        "zh": "无法写入 {path}：这是一个目录；请给出文件名",
    },
    "output_suffix": {
        "en": "--format {fmt} writes a {suffix} file: name it so ({name} would open as something else)",
        "zh": "--format {fmt} 写出的是 {suffix} 文件：文件名请以 {suffix} 结尾（{name} 会被当作别的文件打开）",
    },
    "export_bad_suffix": {
        "en": "{path}: the file name must end in .csv or .xlsx",
        "zh": "{path}：文件名须以 .csv 或 .xlsx 结尾",
    },
    "customer_added": {"en": "Added customer {code} {name}.", "zh": "已添加客户 {code} {name}。"},
    "customer_updated": {"en": "Updated customer {code}.", "zh": "已更新客户 {code}。"},
    "customer_removed": {
        "en": "Removed customer {code} and its records.",
        "zh": "已删除客户 {code} 及其记录。",
    },
    "confirm_remove": {
        "en": "Remove customer {code} {name} with all its contacts, orders, payments and interactions?",
        "zh": "删除客户 {code} {name} 及其全部联系人、订单、回款和联系记录？",
    },
    "nothing_to_update": {
        "en": "Nothing to update: give at least one option.",
        "zh": "没有要更新的内容。",
    },
    "logged": {
        "en": "Logged {kind} with {code} on {on}.",
        "zh": "已记录 {code} 的{kind}（{on}）。",
    },
    "plan_added": {"en": "Added plan #{id} for {code}.", "zh": "已为 {code} 添加计划 #{id}。"},
    "plan_done": {"en": "Plan #{id} done.", "zh": "计划 #{id} 已完成。"},
    "tier_title": {
        "en": "{method} by {metric}{by}, window {window}, as of {as_of}",
        "zh": "{method}，按{metric}{by}，期间 {window}，截至 {as_of}",
    },
    "tier_title_by": {"en": ", by {by}", "zh": "，{by}"},
    "tier_unknown_costs": {
        "en": "Note: {n} orders in the window have no cost and are left out of profit",
        "zh": "提示：期间内有 {n} 笔订单没有成本，未计入利润",
    },
    "tier_dry_run": {"en": "Dry run: nothing stored.", "zh": "试运行：未保存任何内容。"},
    "tier_stored": {"en": "Stored tier run #{id}.", "zh": "已保存分级批次 #{id}。"},
    "tier_no_previous": {
        "en": "Movements: no previous run of this method to compare with; every entry is new.",
        "zh": "变动：此方法没有上一批次可比较，全部为新进。",
    },
    "tier_movements": {
        "en": "Movements since run #{id} (as of {as_of}): {parts}",
        "zh": "与批次 #{id}（{as_of}）相比的变动：{parts}",
    },
    "tier_more_moved": {
        "en": "… and {n} more (see --format json)",
        "zh": "……另有 {n} 个（完整列表见 --format json）",
    },
    "tier_pin_holds": {
        "en": "Pinned: {code} stays {tier} (computed {computed})",
        "zh": "锁定：{code} 保持{tier}（计算结果为{computed}）",
    },
    "tier_pinned": {
        "en": "Pinned {code} at {tier}; re-tiering will leave it there until `kacrm tier unpin`.",
        "zh": "已将 {code} 锁定为{tier}；重新分级不会改变它，直到执行 `kacrm tier unpin`。",
    },
    "tier_not_pinned": {"en": "{code} was not pinned.", "zh": "{code} 未被锁定。"},
    "tier_unpinned": {
        "en": "Unpinned {code} (was {old}); the next run decides its tier.",
        "zh": "已解除 {code} 的锁定（原为{old}）；下次分级将重新决定其等级。",
    },
    "tier_history_title": {"en": "Tier history of {code} {name}", "zh": "{code} {name} 的分级历史"},
    "tier_not_converged": {
        "en": "Warning: the fit did not converge after {n} iterations; treat it with care.",
        "zh": "警告：拟合在 {n} 次迭代后仍未收敛，请谨慎使用结果。",
    },
    "tier_model_title": {"en": "CLV model as of {as_of}", "zh": "CLV 模型（截至 {as_of}）"},
    "import_title": {"en": "Import", "zh": "导入"},
    "import_rejects_file": {
        "en": "All {n} bad rows are in {path}.",
        "zh": "全部 {n} 个错误行已写入 {path}。",
    },
    "import_skipped": {"en": "Skipped {n} bad rows.", "zh": "已跳过 {n} 个错误行。"},
    "import_skipped_file": {
        "en": "Skipped {n} bad rows; see {path}.",
        "zh": "已跳过 {n} 个错误行，见 {path}。",
    },
    "import_more_rejects": {
        "en": "… and {n} more bad rows (use --rejects FILE to get them all)",
        "zh": "……另有 {n} 个错误行（用 --rejects 文件 获取全部）",
    },
    "import_dry_run": {"en": "Dry run: nothing was written.", "zh": "试运行：未写入任何内容。"},
    "demo_db": {"en": "Demo database: {path}", "zh": "示例数据库：{path}"},
    "demo_explore": {"en": "Explore it: {command}", "zh": "继续体验：{command}"},
    "demo_import_title": {"en": "Import of the sample data", "zh": "导入示例数据"},
    "demo_abc_title": {
        "en": "ABC tiers by revenue of the last 12 months (kacrm tier)",
        "zh": "近 12 个月销售额 ABC 分级（kacrm tier）",
    },
    "demo_credit_title": {
        "en": "Credit grades (kacrm credit review)",
        "zh": "信用等级（kacrm credit review）",
    },
    "demo_top_title": {
        "en": "Top {n} customers by revenue (kacrm customer list)",
        "zh": "销售额前 {n} 名客户（kacrm customer list）",
    },
    "demo_ladder_title": {
        "en": "The follow-up ladder: {n} collections this week, one per action (kacrm due --kind collection)",
        "zh": "催款阶梯：本周 {n} 项催收，每个动作一例（kacrm due --kind collection）",
    },
    "demo_due_title": {
        "en": "Due this week: {n} items, the first {shown} (kacrm due)",
        "zh": "本周待办：共 {n} 项，以下为前 {shown} 项（kacrm due）",
    },
    "demo_aging_title": {
        "en": "Receivables aging, biggest first (kacrm credit aging)",
        "zh": "应收账龄，金额大的在前（kacrm credit aging）",
    },
    "export_wrote": {
        "en": "Wrote {n} {kind} rows to {path}.",
        "zh": "已将 {n} 行{kind}写入 {path}。",
    },
    "error_prefix": {"en": "Error: ", "zh": "错误："},
    # the columns of `config show` and of a one-record table (render/config.py, render/output.py)
    "col_setting": {"en": "Setting", "zh": "设置"},
    "col_value": {"en": "Value", "zh": "值"},
    "col_source": {"en": "Source", "zh": "来源"},
    "config_source_default": {"en": "default", "zh": "默认"},
    "config_source_database": {
        "en": "database (kacrm tier primary)",
        "zh": "数据库（kacrm tier primary）",
    },
    "config_source_env": {"en": "env {name}", "zh": "环境变量 {name}"},
    "col_field": {"en": "Field", "zh": "字段"},
    # the one line a table view writes on stderr instead of an empty table
    "output_empty": {"en": "Nothing to show.", "zh": "没有可显示的内容。"},
    "customers_empty": {
        "en": "No customers match (see every customer with `kacrm customer list`).",
        "zh": "没有符合条件的客户（`kacrm customer list` 列出全部客户）。",
    },
    # a template: the table renderer fills {more} and {total} per day group (read it with text(), not t())
}
