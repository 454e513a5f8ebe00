"""The words of the command line itself: the database a command opens, dates given on the command line, init."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "db_not_a_book": {
        "en": "{path} holds no kacrm book (none of its tables); point --db at your book, or make one there with "
        "kacrm init",
        "zh": "{path} 不是 kacrm 数据库（没有 kacrm 的表）；请用 --db 指向你的数据库，或用 `kacrm init` 在此新建",
    },
    "db_missing": {
        "en": "no database at {path}; create one with kacrm init or kacrm import",
        "zh": "{path} 处没有数据库；请先用 `kacrm init` 或 `kacrm import` 创建",
    },
    "db_no_directory": {
        "en": "cannot create the database {path}: there is no directory {directory}",
        "zh": "无法创建数据库 {path}：目录 {directory} 不存在",
    },
    "db_cannot_create": {
        "en": "cannot create the database {path}: {reason}",
        "zh": "无法创建数据库 {path}：{reason}",
    },
    "db_cannot_open": {
        "en": "cannot open database {where}: {reason}",
        "zh": "无法打开数据库 {where}：{reason}",
    },
    "db_server_missing": {
        "en": "no database at {where}: the server has no database named {name}; check the name, or create it "
        "(createdb {name}) and run kacrm init",
        "zh": "{where} 处没有数据库：服务器上没有名为 {name} 的数据库；请检查名称，或先创建它（createdb {name}）"
        "再运行 `kacrm init`",
    },
    "db_newer_schema": {
        "en": "the database {where} was written by a newer kacrm (schema {revision}; this kacrm knows up to "
        "{head}): upgrade kacrm to use it",
        "zh": "数据库 {where} 由更新版本的 kacrm 写入（结构版本 {revision}，本版本只认识到 {head}）："
        "请升级 kacrm 后再用",
    },
    "db_read_only_old": {
        "en": "the database {path} is read-only and needs an upgrade; make it writable once",
        "zh": "数据库 {path} 为只读，且需要升级；请先让它可写一次",
    },
    "db_read_only_write": {
        "en": "cannot write to the database {path}: the file is read-only",
        "zh": "无法写入数据库 {path}：文件为只读",
    },
    "db_waiting": {
        "en": "waiting for another kacrm that is writing to {path} (at most {seconds} s)…",
        "zh": "另一个 kacrm 正在写入 {path}，等待中（最多 {seconds} 秒）……",
    },
    "db_error": {
        "en": "database error: {detail} (in {where})",
        "zh": "数据库错误：{detail}（{where}）",
    },
    "db_locked": {
        "en": "the database {path} is still locked by another kacrm after {seconds} s; try again later",
        "zh": "数据库 {path} 在 {seconds} 秒后仍被另一个 kacrm 锁定；请稍后再试",
    },
    "init_created": {"en": "Created the database {path}.", "zh": "已创建数据库 {path}。"},
    "init_created_directory": {
        "en": "Created the directory {directory}.",
        "zh": "已创建目录 {directory}。",
    },
    "init_exists": {
        "en": "The database {path} already exists (schema up to date).",
        "zh": "数据库 {path} 已存在（结构已是最新）。",
    },
    "date_source_bad": {
        "en": "{value!r} is not a date; use e.g. 2026-11-20, 2026/11/20 or 2026年11月20日",
        "zh": "{value!r} 不是日期；请写成 2026-11-20、2026/11/20 或 2026年11月20日",
    },
    "date_source_range": {
        "en": "{day} is outside {first} … {last}",
        "zh": "{day} 超出 {first} … {last} 的范围",
    },
    "interrupted": {"en": "interrupted", "zh": "已中断"},
    "out_of_range": {
        "en": "a number or date is out of range ({detail})",
        "zh": "数字或日期超出范围（{detail}）",
    },
}

# Usage errors (kacrm/cli/usage_errors.py rewrites Typer's and pydantic's wording into these).
MESSAGES.update(
    {
        "usage_invalid_for": {
            "en": "Invalid value for {hint}: {reason}",
            "zh": "{hint} 的值无效：{reason}",
        },
        "usage_invalid": {"en": "Invalid value: {reason}", "zh": "值无效：{reason}"},
        "usage_at_least": {"en": "must be at least {n}", "zh": "不能小于 {n}"},
        "usage_at_most": {"en": "must be at most {n}", "zh": "不能大于 {n}"},
        "usage_greater": {"en": "must be more than {n}", "zh": "必须大于 {n}"},
        "usage_whole": {"en": "must be a whole number", "zh": "必须是整数"},
        "usage_number": {"en": "must be a number", "zh": "必须是数字"},
        "usage_one_of": {
            "en": "{value} is not one of {choices}",
            "zh": "{value} 不是 {choices} 之一",
        },
        "usage_missing_option": {"en": "Missing option {name}.", "zh": "缺少选项 {name}。"},
        "usage_missing_argument": {"en": "Missing argument {name}.", "zh": "缺少参数 {name}。"},
        "usage_no_option": {"en": "No such option: {name}", "zh": "没有这个选项：{name}"},
        "usage_possible": {"en": "(Possible options: {names})", "zh": "（可用的选项：{names}）"},
        "usage_extra": {
            "en": "Got unexpected extra argument(s) ({args})",
            "zh": "多余的参数：{args}",
        },
        "usage_no_command": {"en": "No such command {name}.", "zh": "没有这个命令：{name}。"},
        "usage_did_you_mean": {"en": "Did you mean {name}?", "zh": "是不是 {name}？"},
        "usage_needs_value": {
            "en": "Option {name} requires an argument.",
            "zh": "选项 {name} 需要一个值。",
        },
        "usage_takes_no_value": {
            "en": "Option {name} does not take a value.",
            "zh": "选项 {name} 不接受值。",
        },
        "usage_use": {"en": "use {a} or {b}", "zh": "请使用 {a} 或 {b}"},
        "usage_use_one_of": {"en": "use one of {choices}", "zh": "请使用以下之一：{choices}"},
    }
)


# Stored codes that only the command line shows (export kinds).
LABELS_ZH: dict[str, str] = {"tier_history": "等级历史", "credit_reviews": "信用评审"}

# File-level errors of the import and export (io/readers.py, app/imports.py, store/export_rows.py).
MESSAGES.update(
    {
        "file_missing": {"en": "{path}: no such file", "zh": "{path}：文件不存在"},
        "file_not_file": {"en": "{path}: not a file", "zh": "{path}：不是文件"},
        "import_lock_file_only": {
            "en": "{path}: Excel's lock file of {workbook}, which is open in Excel, not data; import {workbook}",
            "zh": "{path}：是 Excel 打开 {workbook} 时生成的锁定文件，不是数据；请导入 {workbook}",
        },
        "import_lock_file_skipped": {
            "en": "Skipped {path}: Excel's lock file of {workbook}, which is open in Excel, not data.",
            "zh": "已跳过 {path}：是 Excel 打开 {workbook} 时生成的锁定文件，不是数据。",
        },
        "file_unsupported": {
            "en": "{path}: unsupported file type {suffix}; use .csv, .tsv, .txt, .xlsx or .xls",
            "zh": "{path}：不支持的文件类型 {suffix}；请用 .csv、.tsv、.txt、.xlsx 或 .xls",
        },
        "export_unknown_kind": {
            "en": "cannot export {kind!r}; choose one of {kinds}",
            "zh": "无法导出 {kind!r}；可选：{kinds}",
        },
    }
)
