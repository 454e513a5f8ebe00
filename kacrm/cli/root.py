"""The root command's own words, without Typer: its help, its global options, and each command's module and
summary. kacrm.cli.app declares the Typer app from them; kacrm.cli.roothelp draws `kacrm --help` from them
without loading Typer or the app (issue 19). tests/test_root_help.py checks that both draw the same help."""

from __future__ import annotations

from typing import NamedTuple

HELP = "Key-account (大客户) management: import spreadsheets, tier, credit, due lists, reports and a daily digest."


class GlobalOption(NamedTuple):
    """An option of the root command, as its help shows it."""

    flag: str
    help: str
    metavar: str | None = None  # None: a flag, which takes no value
    envvar: str | None = None
    short: str = ""


# The global options, in the order of `kacrm --help` (each is a parameter of kacrm.cli.app.main_options)
GLOBAL_OPTIONS = {
    "db": GlobalOption(
        "--db",
        "SQLite file path or SQLAlchemy URL (postgresql+psycopg://…).",
        "PATH|URL",
        "KACRM_DB",
    ),
    "config": GlobalOption("--config", "TOML config file.", "PATH", "KACRM_CONFIG"),
    "lang": GlobalOption(
        "--lang", "Language of help, labels and messages: en or zh.", "en|zh", "KACRM_LANG"
    ),
    "as_of": GlobalOption(
        "--as-of",
        "The day 'today' means (2026-11-20, 2026/11/20, 2026年11月20日…).",
        "DATE",
        "KACRM_TODAY",
    ),
    "version": GlobalOption("--version", "Show the version and exit."),
}

# The options Typer adds after them: shell completion (when the shell can be detected) and help, in its words
TYPER_OPTIONS = (
    GlobalOption("--install-completion", "Install completion for the current shell."),
    GlobalOption(
        "--show-completion",
        "Show completion for the current shell, to copy it or customize the installation.",
    ),
)
HELP_FLAGS = ("-h", "--help")
HELP_OPTION = GlobalOption("--help", "Show this message and exit.", short="-h")


# Each command's module in kacrm/cli/, in the order of `kacrm --help`; imported when the command runs (kacrm.cli.lazy)
COMMAND_MODULES = {
    "init": "init_cmd",
    "import": "imports",
    "log": "interactions",
    "due": "due",
    "done": "due",
    "snooze": "due",
    "export": "export",
    "digest": "digest",
    "demo": "demo",
    "customer": "customers",
    "plan": "plans",
    "tier": "tier",
    "credit": "credit",
    "schedule": "schedules",
    "pool": "pool",
    "report": "report",
    "config": "config_cmd",
    "owner": "owners",
}


# The first paragraph of each command's help, for `kacrm --help` to list the commands without importing their
# modules (about 0.15 s); tests/test_cli_help.py checks that each is its command's own text.
COMMAND_SUMMARIES = {
    "init": "Create an empty database (or bring an existing one's schema up to date).",
    "import": "Import customers, contacts, orders, payments, interactions, owners or payment plans from "
    "spreadsheets;\nre-import is an upsert.",
    "log": "Record a visit, call, meal, gift, complaint… with a customer; it restarts the contact cadence.",
    "due": "What to do for whom: calls by cadence, follow-ups, birthdays, festivals, collections… "
    "overdue first.",
    "done": "Record what a due item asked for: the call, visit or card is logged and the cadence restarts.",
    "snooze": "Hide a due item for N days; it comes back then, due that day.",
    "export": "Write a table as CSV or XLSX with the importer's headers; formula-like cells are neutralised.",
    "digest": "The daily digest: due and overdue items, birthdays and festivals of the week, credit alerts, "
    "tier\nmovements, at-risk key accounts and new orders from key accounts, since the last digest.",
    "demo": "Import the sample data (206 customers, 3 years of orders…) into a demo database and show the "
    "highlights.",
    "customer": "Customers: list, show the information card, add, edit, remove.",
    "plan": "Development plans: goals per customer with a target date.",
    "tier": "Tier customers (ABC, pyramid, RFM, CLV), see their tier history, pin tiers by hand.",
    "credit": "Credit: without a command, list grade, limit, outstanding, overdue and flags per customer; "
    "or review, explain, aging, check, set.",
    "schedule": "Payment plans (回款计划): the instalments an order falls due by.",
    "pool": "The public pool (公海): without a command, list the accounts due for release, in warning and "
    "in the pool; or release, claim.",
    "report": "Reports: the overview of the book, the 80/20 curve, tier movement, churn risk, one "
    "customer's card.",
    "config": "Configuration: the settings in effect and where each comes from.",
    "owner": "Owners (salespeople): their email for the digest and their capacity.",
}
