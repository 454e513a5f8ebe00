"""The words of imports in English and Chinese: why a row of a file is refused, the summary's columns."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "rejected_cell": {
        "en": "{file}: row {row}, column {column!r}: {value!r}: {reason}",
        "zh": "{file}：第 {row} 行，列 {column!r}：{value!r}：{reason}",
    },
    "import_rejected": {
        "en": "{file}: {n} bad row{s}; nothing was imported",
        "zh": "{file}：{n} 行有误，未导入任何数据",
    },
    "cell_required": {"en": "required, but empty", "zh": "必填，但为空"},
    "cell_not_valid": {"en": "not valid", "zh": "无效"},
    "import_no_code_or_name": {
        "en": "no customer code or name",
        "zh": "没有客户编号或名称",
    },
    "import_name_shared": {
        "en": "several customers are named {name!r} ({codes}); give the code",
        "zh": "有多个客户名为 {name!r}（{codes}），请给出编号",
    },
    "import_no_such_name": {
        "en": "no customer named {name!r} (import the customers first, or use --create-customers)",
        "zh": "没有名为 {name!r} 的客户（请先导入客户资料，或使用 --create-customers）",
    },
    "import_no_such_code": {
        "en": "no customer with code {code!r} (import the customers first, or use --create-customers)",
        "zh": "没有编号为 {code!r} 的客户（请先导入客户资料，或使用 --create-customers）",
    },
    "import_needs_code_or_name": {
        "en": "a customer needs a code or a name",
        "zh": "客户需要编号或名称",
    },
    "import_same_name": {
        "en": "several customers have this name; give the code",
        "zh": "有多个客户同名，请给出编号",
    },
    "import_new_needs_name": {"en": "a new customer needs a name", "zh": "新客户需要名称"},
    "import_no_key_person": {
        "en": "the customer has no key person to hold this {column}: add a contact_name (联系人) column, "
        "or import the contact first",
        "zh": "该客户没有主要联系人，{column}无处可存：请加上“联系人”列，或先导入联系人",
    },
    # the columns of the import summary (render/imports.py)
    "import_col_file": {"en": "File", "zh": "文件"},
    "import_col_kind": {"en": "Kind", "zh": "类型"},
    "import_col_rows_read": {"en": "Read", "zh": "读取"},
    "import_col_inserted": {"en": "Inserted", "zh": "新增"},
    "import_col_updated": {"en": "Updated", "zh": "更新"},
    "import_col_unchanged": {"en": "Unchanged", "zh": "未变"},
    "import_col_rejected": {"en": "Rejected", "zh": "拒绝"},
    "import_col_seconds": {"en": "Seconds", "zh": "秒"},
    "import_col_unknown_columns": {"en": "Unknown columns", "zh": "未识别的列"},
    # a file that cannot be read at all (io/readers.py)
    "read_empty": {"en": "{path}: the file is empty", "zh": "{path}：文件是空的"},
    "read_binary": {
        "en": "{path}: looks like binary data or UTF-16 without a byte-order mark; try {hint}",
        "zh": "{path}：看起来是二进制数据或不带字节序标记的 UTF-16 文本；请试 {hint}",
    },
    "read_not_table": {
        "en": "{path}: not a well-formed table: {detail}",
        "zh": "{path}：表格格式有误（{detail}）",
    },
    "read_not_as": {
        "en": "{path}: not readable as {encoding}: {detail}",
        "zh": "{path}：无法按 {encoding} 编码读取",
    },
    "read_not_as_utf16": {
        "en": "{path}: not readable as {encoding}: {detail}; try --encoding utf-16-le or utf-16-be",
        "zh": "{path}：无法按 {encoding} 编码读取（开头没有字节序标记）；请试 --encoding utf-16-le 或 utf-16-be",
    },
    "read_cannot": {"en": "{path}: cannot read: {reason}", "zh": "{path}：无法读取（{reason}）"},
    "read_unknown_encoding": {
        "en": "{path}: unknown encoding {encoding!r}; try utf-8, gb18030 or utf-16",
        "zh": "{path}：未知的编码 {encoding!r}；请试 utf-8、gb18030 或 utf-16",
    },
    "import_interrupted": {
        "en": "interrupted: nothing was imported (an import is written all at once or not at all)",
        "zh": "已中断：没有导入任何数据（导入要么全部写入，要么完全不写）",
    },
    "import_unknown_encoding": {
        "en": "{encoding!r} is not a text encoding; try utf-8, gb18030 or utf-16",
        "zh": "{encoding!r} 不是文本编码；请试 utf-8、gb18030 或 utf-16",
    },
    "read_guess_encoding": {
        "en": "{path}: cannot tell the text encoding (neither UTF-8 nor GBK/GB18030 fits at byte {at}); "
        "try --encoding utf-16, --encoding big5 or --encoding latin-1",
        "zh": "{path}：无法判断文本编码（第 {at} 字节处既不是 UTF-8 也不是 GBK/GB18030）；"
        "请试 --encoding utf-16、--encoding big5 或 --encoding latin-1",
    },
    "read_bad_encoding": {
        "en": "{path}: not valid {encoding} at byte {at}; try --encoding {first} or --encoding {second}",
        "zh": "{path}：第 {at} 字节处不是有效的 {encoding} 文本；请试 --encoding {first} 或 --encoding {second}",
    },
    "read_no_sheet": {
        "en": "{path}: no sheet named {sheet!r}; sheets: {names}",
        "zh": "{path}：没有名为 {sheet!r} 的工作表；现有工作表：{names}",
    },
    "read_not_workbook": {
        "en": "{path}: not a readable Excel workbook ({detail})",
        "zh": "{path}：不是可读取的 Excel 工作簿",
    },
    "read_sheet_empty": {
        "en": "{path}: the sheet {sheet!r} is empty",
        "zh": "{path}：工作表 {sheet!r} 是空的",
    },
    "imp_unknown_kind": {
        "en": "unknown kind {kind!r}; use one of: {kinds}",
        "zh": "未知的类型 {kind!r}；可用：{kinds_zh}",
    },
    "imp_map_not_field": {
        "en": "--map {source}={target}: {target!r} is not a field of {kind}; fields: {fields}",
        "zh": "--map {source}={target}：{target!r} 不是 {kind} 的字段；可用字段：{fields}",
    },
    "imp_unknown_file_kind": {
        "en": "{file}cannot tell what the file holds from its headers ({seen}); name it with --kind {kinds}",
        "zh": "{file}无法从表头（{seen}）判断文件内容；请用 --kind {kinds_zh} 指明",
    },
    "imp_new_customers": {
        "en": "{file}: {n} new customer(s) (--create-customers): {codes}",
        "zh": "{file}：新建 {n} 个客户（--create-customers）：{codes}",
    },
    "imp_new_customers_more": {"en": " and {n} more", "zh": " 等另外 {n} 个"},
    # a customers file's owners against the team's hand-overs (docs/team.md)
    "imp_owners_kept": {
        "en": "{file}: {n} customer(s) keep the owner the team gave them in kacrm; the file names the owner "
        "they were taken from: {items}. `kacrm customer assign CODE --owner NAME` to change.",
        "zh": "{file}：{n} 个客户保留团队在 kacrm 中给定的负责人；文件仍写着之前的负责人：{items}。"
        "如需更改，请用 `kacrm customer assign 编号 --owner 姓名`。",
    },
    "imp_owners_kept_item": {
        "en": "{code} (file {file_owner}, kacrm: {owner})",
        "zh": "{code}（文件 {file_owner}，kacrm：{owner}）",
    },
    "imp_owners_moved": {
        "en": "{file}: {n} customer(s) change owner by the file (ownership history `imported`): {items}",
        "zh": "{file}：{n} 个客户按文件更换负责人（归属记录“导入”）：{items}",
    },
    "imp_owners_moved_item": {
        "en": "{code} ({owner} → {file_owner})",
        "zh": "{code}（{owner} → {file_owner}）",
    },
    "imp_owner_pool": {"en": "the pool", "zh": "公海"},
    "imp_owner_over": {
        "en": "{file}: {owner} now holds {n} customers, over the capacity of {capacity}: imported all the "
        "same (the file is the record); hand some over with `kacrm customer assign` or raise it with "
        "`kacrm owner set {owner} --capacity N`.",
        "zh": "{file}：{owner} 现有 {n} 个客户，超过上限 {capacity}：仍已导入（以文件为准）；"
        "可用 `kacrm customer assign` 移交部分客户，或用 `kacrm owner set {owner} --capacity 数量` 提高上限。",
    },
    # a customers file's credit columns against kacrm's reviews and decisions (docs/credit.md)
    "imp_credit_kept": {
        "en": "{file}: {n} customer(s) keep the credit terms kacrm decided (a review, or a `credit set` in "
        "force): the file gives the value it gave before them, or one a manual decision overrides: {items}. "
        "A value the file changes is applied; `kacrm credit set CODE --clear` ends a manual decision.",
        "zh": "{file}：{n} 个客户保留 kacrm 决定的信用条件（信用评审，或仍有效的 `credit set`）："
        "文件给出的是其之前给过的值，或被人工决定覆盖的值：{items}。文件改动的值会被采用；"
        "`kacrm credit set 编号 --clear` 可结束人工决定。",
    },
    "imp_credit_kept_item": {
        "en": "{code} {what} (file {first}, kacrm {second})",
        "zh": "{code} {what}（文件 {first}，kacrm {second}）",
    },
    "imp_credit_moved": {
        "en": "{file}: {n} customer(s) get new credit terms from the file (credit history `imported`): {items}",
        "zh": "{file}：{n} 个客户按文件更改信用条件（信用记录“导入”）：{items}",
    },
    "imp_credit_moved_item": {
        "en": "{code} {what} {first} → {second}",
        "zh": "{code} {what} {first} → {second}",
    },
    "imp_credit_limit_cents": {"en": "limit", "zh": "信用额度"},
    "imp_credit_grade": {"en": "grade", "zh": "信用等级"},
    "imp_credit_terms_days": {"en": "terms", "zh": "账期"},
    "imp_credit_days": {"en": "{n} days", "zh": "{n} 天"},
    "imp_credit_none": {"en": "none", "zh": "无"},
    # a coded field's name in a refused value (kacrm.values.parse_enum)
    "enum_field_type": {"en": "customer type", "zh": "客户类型"},
    "enum_field_status": {"en": "status", "zh": "状态"},
    "enum_field_role": {"en": "role", "zh": "角色"},
    "enum_field_kind": {"en": "interaction kind", "zh": "联系类型"},
    "enum_field_stage": {"en": "stage", "zh": "阶段"},
    "enum_field_horizon": {"en": "horizon", "zh": "期限"},
    "enum_field_tier": {"en": "tier", "zh": "等级"},
    "imp_scaled_money": {
        "en": "{file}: column {header!r} holds amounts in {unit}, and kacrm reads yuan: convert the column to "
        "yuan and head it without that unit (or write the unit after each amount, 12.5万, under a plain "
        "header), then import again",
        "zh": "{file}：列“{header}”的金额以{unit}为单位，而 kacrm 按元读取：请把该列换算成元并去掉表头中的单位"
        "（或在不带单位的表头下，在每个金额后写上单位，如 12.5万），再导入",
    },
    "imp_other_sheets": {
        "en": "; or read another of the workbook's sheets ({sheets}) with --sheet NAME or --sheet 2",
        "zh": "；或用 --sheet 名称（或 --sheet 2）读取工作簿的其他工作表（{sheets}）",
    },
    "imp_no_column": {
        "en": "{file}: no column for {missing} ({kind} files need it; headers seen: {seen}; use {map})",
        "zh": "{file}：缺少“{missing_zh}”列（{kind_zh}文件需要它；现有表头：{seen}；请用 {map_zh}）",
    },
    "imp_no_header": {"en": "(column {n}, no header)", "zh": "（第 {n} 列，无表头）"},
    "imp_beyond_header": {"en": "(column {n}, beyond the header)", "zh": "（第 {n} 列，超出表头）"},
    "imp_row_wider": {
        "en": "the row has {cells} cells, the header names {named}: a {sep} inside an unquoted value such as "
        "￥12,345.50? Quote that cell or remove the separator (or name column {n} in the header row)",
        "zh": "该行有 {cells} 个单元格，表头只有 {named} 列：是否有未加引号的值含有分隔符 {sep}"
        "（如 ￥12,345.50）？请给该单元格加上引号或去掉分隔符（或在表头行为第 {n} 列命名）",
    },
    "imp_row_wider_sheet": {
        "en": "the row has a value in column {n}, beyond the header's last column ({named}): name that "
        "column in the header row, or move the value",
        "zh": "该行第 {n} 列有值，超出表头的最后一列（第 {named} 列）：请在表头行为该列命名，或移走该值",
    },
    "imp_duplicate_of": {
        "en": "{header} (duplicate of {field})",
        "zh": "{header}（与“{field}”重复）",
    },
    "imp_map_any": {"en": "--map SOURCE={field}", "zh": "--map 列名={field}"},
    "imp_headers_like": {"en": "headers like {names}", "zh": "类似 {names} 的表头"},
    "imp_map_usage": {
        "en": "{pair!r}: use SOURCE=FIELD, e.g. --map 客户=customer_name",
        "zh": "{pair!r}：请写成 列名=字段，例如 --map 客户=customer_name",
    },
    "imp_hint": {
        "en": "{file}: column {header!r} looks like {field}; to import it: {map}",
        "zh": "{file}：列 {header!r} 看起来是 {field}；如要导入：{map}",
    },
    "imp_skipped_rows": {
        "en": "{file}: skipped {parts}",
        "zh": "{file}：已跳过 {parts}",
    },
    "imp_totals_rows": {
        "en": "{n} totals or signature row(s) (合计/小计/Total, 制表人/审核人)",
        "zh": "{n} 个合计行或表尾签字行",
    },
    "imp_sheets_not_read": {
        "en": "{file}: only the first sheet was read; sheets with rows not read: {sheets} "
        "(import one with --sheet NAME)",
        "zh": "{file}：只读取了第一个工作表；未读取但有数据的工作表：{sheets}（用 --sheet 名称 导入）",
    },
    "imp_blank_rows": {"en": "{n} blank row(s)", "zh": "{n} 个空行"},
    "imp_void_rows": {
        "en": "{file}: {n} voided or cancelled order row(s) (作废/已取消/void) not imported{removed}",
        "zh": "{file}：{n} 行已作废或已取消的订单未导入{removed}",
    },
    "imp_void_would_remove": {
        "en": "; {n} of them are on file and would be removed (dry run)",
        "zh": "；其中 {n} 张订单原已导入，将被删除（试运行）",
    },
    "imp_void_removed": {
        "en": "; {n} of them were on file and are removed (a payment naming one stays: it settles the "
        "customer's other orders, or remains their credit)",
        "zh": "；其中 {n} 张订单原已导入，现已删除（指向它们的回款保留：冲抵该客户的其他订单，或留作其预收余额）",
    },
    "imp_uscc_taken": {
        "en": "this unified social credit code is customer {code}'s; one company has one code",
        "zh": "此统一社会信用代码属于客户 {code}；同一家公司只能有一个编号",
    },
    "imp_void_of_other": {
        "en": "order {order} is customer {owner}'s, not {customer}'s: a voided row removes its own customer's order "
        "only (check the order number)",
        "zh": "订单 {order} 属于客户 {owner}，不属于 {customer}：作废行只能删除本客户的订单（请核对订单号）",
    },
    "imp_order_off_plan": {
        "en": "order {order}'s amount {amount} (was {was}) no longer matches its payment plan, whose "
        "instalments add up to {plan}: import the order's new plan (a 回款计划 file) with it, or change the "
        "instalments first with `kacrm schedule add {order} --instalment N --due DATE --amount X`",
        "zh": "订单 {order} 的金额 {amount}（原为 {was}）与其回款计划不符，各期合计 {plan}："
        "请在同一次导入中一并导入该订单的新回款计划（回款计划文件），"
        "或先用 `kacrm schedule add {order} --instalment 期数 --due 日期 --amount 金额` 调整各期",
    },
    "imp_order_of_other": {
        "en": "order {order} is customer {owner}'s, not this payment's customer {customer}'s; a payment settles "
        "its own customer's orders (leave the order empty to settle {customer}'s oldest open orders)",
        "zh": "订单 {order} 属于客户 {owner}，不属于本笔回款的客户 {customer}；回款只能核销本客户的订单"
        "（不填订单号则核销 {customer} 最早的未结订单）",
    },
    "imp_repeat_differs": {
        "en": "the same record as row {row}, but {parts}",
        "zh": "与第 {row} 行是同一条记录，但{parts}",
    },
    "imp_repeat_field": {
        "en": "{column} differs: {value!r} here, {first!r} in row {row}",
        "zh": "{column} 不同：此处为 {value!r}，第 {row} 行为 {first!r}",
    },
    # a name or short name given where a customer code is taken (kacrm.store.repo.customer_by_code)
    "customer_ambiguous": {
        "en": "{code!r} names several customers: {listed}; give the code",
        "zh": "{code!r} 对应多个客户：{listed}；请给出编号",
    },
    "uscc_taken": {
        "en": "--uscc {uscc}: customer {code} {name} has this unified social credit code already",
        "zh": "--uscc {uscc}：客户 {code} {name} 已用此统一社会信用代码",
    },
    "customer_not_found": {
        "en": "no customer with code {code!r}, nor with that name or short name "
        "(see `kacrm customer list --search …`)",
        "zh": "没有编号为 {code!r} 的客户，也没有此名称或简称的客户（用 `kacrm customer list --search …` 查找）",
    },
}
LABELS_ZH: dict[str, str] = {}
