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
    "imp_unknown_kind": {
        "en": "unknown kind {kind!r}; use one of: {kinds}",
        "zh": "未知的类型 {kind!r}；可用：{kinds}",
    },
    "imp_map_not_field": {
        "en": "--map {source}={target}: {target!r} is not a field of {kind}; fields: {fields}",
        "zh": "--map {source}={target}：{target!r} 不是 {kind} 的字段；可用字段：{fields}",
    },
    "imp_unknown_file_kind": {
        "en": "{file}cannot tell what the file holds from its headers ({seen}); name it with --kind {kinds}",
        "zh": "{file}无法从表头（{seen}）判断文件内容；请用 --kind {kinds} 指明",
    },
    "imp_no_column": {
        "en": "{file}: no column for {missing} ({kind} files need it; headers seen: {seen}; use {map})",
        "zh": "{file}：缺少 {missing} 列（{kind} 文件需要它；现有表头：{seen}；请用 {map}）",
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
    "imp_blank_rows": {"en": "{n} blank row(s)", "zh": "{n} 个空行"},
    "imp_uscc_taken": {
        "en": "this unified social credit code is customer {code}'s; one company has one code",
        "zh": "此统一社会信用代码属于客户 {code}；同一家公司只能有一个编号",
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
    "customer_exists": {
        "en": "customer {code!r} exists already; use `kacrm customer edit {code}`",
        "zh": "客户 {code!r} 已存在；用 `kacrm customer edit {code}` 修改",
    },
    "customer_not_found": {
        "en": "no customer with code {code!r}, nor with that name or short name "
        "(see `kacrm customer list --search …`)",
        "zh": "没有编号为 {code!r} 的客户，也没有此名称或简称的客户（用 `kacrm customer list --search …` 查找）",
    },
}
LABELS_ZH: dict[str, str] = {}
