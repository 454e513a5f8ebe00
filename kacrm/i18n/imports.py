"""The words of imports in English and Chinese: why a row of a file is refused, the summary's columns."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
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
    "import_key_repeated": {
        "en": "repeats the key of row {row} with different values",
        "zh": "与第 {row} 行的键相同，但内容不同",
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
}
LABELS_ZH: dict[str, str] = {}
