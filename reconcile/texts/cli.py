"""The command line's words in Chinese: command and option help, click's own messages, and the error lines.

The command definitions keep their English help (``--lang en``); `localise` puts these in their place before
click runs, so ``reconcile --help`` and every message a user sees are Chinese by default. A test requires a
translation for every command and option.
"""

from __future__ import annotations

import re
from typing import Any

#: The language of the command line: ``--lang en`` anywhere among the arguments, or RECONCILE_LANG=en.
DEFAULT = "zh"

COMMANDS = {
    "": "核对贷款机构的账单与您实际付过的钱。\n\n"
    "读取贷款机构的对账单、还款计划和您自己的付款记录（支付宝、微信支付、银行流水），找出已还仍被计为欠款、"
    "重复计入、记载有误或还款未入账的金额，每一项都附上能证明它的文件和行。全程离线运行，不向任何地方发送数据。\n\n"
    "\b\n示例：\n  reconcile demo\n  reconcile check 借呗还款计划.pdf 支付宝交易明细.csv\n"
    "  reconcile extract 支付宝交易明细.csv\n  reconcile formats",
    "formats": "列出支持的文件格式（名称、类别、文件类型、说明）。",
    "extract": "读取导出文件，列出其中的记录及出处（文件、SHA-256、页/表、行、原文）。\n\n"
    "\b\n示例：\n  reconcile extract 支付宝交易明细.csv\n  reconcile extract 微信支付账单.xlsx --json\n"
    "  reconcile extract alipay.zip --password 123456 --csv -o records.csv",
    "check": "用您的付款记录核对贷款机构的账单，列出每一笔有争议的金额。\n\n"
    "每个文件按其内容识别为贷款机构的账单或您的付款记录；--statement 和 --payments 可指定类别。"
    "报告默认写入第一个文件所在文件夹的 reconcile-report.xlsx。退出码 0：未发现问题；1：发现问题；2：输入有误。\n\n"
    "\b\n示例：\n  reconcile check 借呗还款计划.pdf 支付宝交易明细.csv\n"
    "  reconcile check 还款计划.xlsx alipay.zip --password 123456 -o 报告.xlsx --json findings.json\n"
    "  reconcile check 还款计划.pdf 银行流水.csv --letter 投诉函.docx --channel regulator",
    "demo": "运行自带的演示案例：一份借呗还款计划（PDF）和一份埋有问题的支付宝账单。\n\n"
    "把报告（report.xlsx）、JSON（findings.json）和各渠道的信函写入指定文件夹，并列出发现的问题。",
    "schedule": "计算还款计划及合计，并给出年化利率（APR，单利与复利）。\n\n"
    "\b\n示例：\n  reconcile schedule --principal 10000 --rate 10.8%/year --periods 12 --method 等额本息 "
    "--start 2024-01-15\n  reconcile schedule --principal 1200 --rate 0%/month --periods 12 --method 等额本金 "
    "--start 2024-03-01 --fee rate:8.8% -o huabei.xlsx",
}

#: Option help by (command, parameter name).
OPTIONS = {
    ("formats", "markdown"): "输出 Markdown 表格（与 README 中相同）。",
    ("extract", "format_name"): "把每个文件都按此格式读取（格式名见 formats 命令）。",
    ("extract", "passwords"): "ZIP 或 PDF 导出文件的密码；可重复给出多个。",
    ("extract", "as_json"): "输出 JSON（schema reconcile.extract/1）。",
    ("extract", "as_csv"): "每条记录输出一行 CSV。",
    ("extract", "output"): "写入此文件，而不是输出到屏幕。",
    ("check", "statements"): "贷款机构的账单（指定其类别）。",
    ("check", "payment_files"): "您的付款记录（指定其类别）。",
    ("check", "output"): "报告（.xlsx）写到这里。  [默认：第一个文件旁的 reconcile-report.xlsx]",
    ("check", "force"): "替换已有的 reconcile-report.xlsx。",
    ("check", "json_out"): "把 JSON（reconcile.findings/1）写到 OUT；- 表示输出到屏幕。",
    (
        "check",
        "formats_given",
    ): "把 FILE 按此格式读取（格式名见 formats 命令）；只给 NAME 时用于无法按内容识别的文件。",
    ("check", "passwords"): "ZIP/PDF 文件的密码；可重复给出。",
    ("check", "as_of"): "以此日期为基准核对账单。",
    ("check", "tolerance"): "相差不超过此数的金额视为相等。  [默认：0.01]",
    ("check", "window"): "应还日之后多少天内的付款仍算作该期还款。  [默认：3]",
    ("check", "grace"): "合同约定的宽限天数。  [默认：0]",
    ("check", "aliases"): "付款记录中指代该贷款机构的文字（在内置名称之外追加）。",
    ("check", "deferrals"): "与贷款机构的约定（缓催/停催/分期），例如 2024-07-01:2024-09-30。",
    ("check", "cap"): "与年化利率比较的综合成本上限。  [默认：auto]",
    ("check", "lender_type"): "适用哪一上限取决于贷款机构类型。  [默认：consumer-finance]",
    ("check", "lang"): "报告语言：zh 中文，en 英文。  [默认：zh]",
    ("check", "config_file"): "从 JSON 或 TOML 文件读取设置；命令行给出的选项优先。",
    ("check", "redact"): "在所有输出中遮盖姓名、手机号、证件号、卡号和账号。",
    ("check", "letter"): "同时写一封可直接寄出的信函（.md 或 .docx）。",
    (
        "check",
        "channel",
    ): "信函的收件方：lender 贷款机构，mediation 调解组织，regulator 金融监管总局（12378），"
    "pboc 人民银行（12363，征信）。  [默认：lender]",
    ("check", "name"): "信函中您的姓名（默认：账单上的借款人）。",
    ("check", "unverified"): "对未能可靠读取的账单也列出问题，每一项标为“未经核实”。",
    ("check", "evidence_images"): "另将每项问题所引用的截图区域裁剪保存到 DIR（F001-1.png ……）。",
    ("demo", "out_dir"): "报告、JSON 和信函写入的文件夹。  [默认：reconcile-demo]",
    ("demo", "lang"): "报告语言。  [默认：zh]",
    ("schedule", "principal"): "借款本金，例如 12000 或 ¥12,000.00。",
    ("schedule", "rate"): "合同利率及单位：0.04%/day（日）、10.8%/year（年）、0.9%/month（月）。",
    ("schedule", "periods"): "还款月数（期数）。",
    (
        "schedule",
        "method",
    ): "还款方式：等额本息、等额本金、先息后本、一次性还本付息、等本等息（或其英文名）。",
    ("schedule", "start"): "借款日期，例如 2024-01-10。",
    ("schedule", "due_day"): "每月的应还日（默认：借款日）。",
    (
        "schedule",
        "fee_specs",
    ): "upfront:1000（放款时扣除），period:8.80（每期），rate:8.8%（总费率，平均分摊）。",
    (
        "schedule",
        "day_count",
    ): "每期利息按月利率计算（monthly），或按日利率乘实际天数（actual）。  [默认：monthly]",
    ("schedule", "basis"): "日利率与年利率换算时一年的天数。  [默认：360]",
    ("schedule", "as_json"): "输出 JSON（schema reconcile.schedule/1）。",
    ("schedule", "output"): "写入 .xlsx、.json 或 .txt，而不是输出到屏幕。",
    ("schedule", "lang"): "表格语言。  [默认：zh]",
    ("*", "verbose"): "出错时显示详细的调用栈。",
    ("*", "help"): "显示本帮助并退出。",
    ("*", "version"): "显示版本并退出。",
}

#: click's own messages (its gettext message ids).
CLICK = {
    "Usage:": "用法：",
    "Options": "选项",
    "Commands": "命令",
    "Show this message and exit.": "显示本帮助并退出。",
    "Show the version and exit.": "显示版本并退出。",
    "Error: {message}": "错误：{message}",
    "Try {command!r} for help.": "运行 {command!r} 查看帮助。",
    "Try '{command} {option}' for help.": "运行“{command} {option}”查看帮助。",
    "Missing argument": "缺少参数",
    "Missing option": "缺少选项",
    "Missing parameter": "缺少参数",
    "Missing argument {param_hint}.": "缺少参数 {param_hint}。",
    "Missing option {param_hint}.": "缺少选项 {param_hint}。",
    "Missing parameter {param_hint}.": "缺少参数 {param_hint}。",
    "No such option: {name}": "没有这个选项：{name}",
    "No such command {name!r}.": "没有这个命令：{name!r}。",
    "No such option {name!r}.": "没有这个选项：{name!r}。",
    "(Did you mean one of: {possibilities}?)": "（您是不是想输入其中之一：{possibilities}？）",
    "Missing command.": "缺少命令。",
    "{value!r} is not a valid {number_type}.": "{value!r} 不是有效的{number_type}。",
    "Could not open file {filename!r}: {message}": "无法打开文件 {filename!r}：{message}",
    "file": "文件",
    "directory": "文件夹",
    "path": "路径",
    "default: {default}": "默认：{default}",
    "Did you mean {possibility}?": "您是不是想输入 {possibility}？",
    "(Possible options: {possibilities})": "（可能的选项：{possibilities}）",
    "Invalid value for {param_hint}: {message}": "{param_hint} 的值无效：{message}",
    "Invalid value: {message}": "值无效：{message}",
    "Got unexpected extra argument ({args})": "多出了一个参数（{args}）",
    "Got unexpected extra arguments ({args})": "多出了几个参数（{args}）",
    "Option {name!r} requires an argument.": "选项 {name!r} 需要一个值。",
    "Option {name!r} requires {nargs} arguments.": "选项 {name!r} 需要 {nargs} 个值。",
    "Option {name!r} does not take a value.": "选项 {name!r} 不带值。",
    "{value!r} is not one of {choices}.": "{value!r} 不是可选值 {choices} 之一。",
    "{value!r} is not {choice}.": "{value!r} 不是 {choice}。",
    "{value!r} is not a valid integer.": "{value!r} 不是整数。",
    "{value!r} is not a valid float.": "{value!r} 不是数字。",
    "{value} is not in the range {range}.": "{value} 不在范围 {range} 内。",
    "{len_type} {name!r} does not exist.": "{len_type} {name!r} 不存在。",
    "{name} {filename!r} does not exist.": "{name} {filename!r} 不存在。",
    "{name} {filename!r} is a directory.": "{name} {filename!r} 是文件夹。",
    "{name} {filename!r} is a file.": "{name} {filename!r} 是文件。",
    "File": "文件",
    "Directory": "文件夹",
    "Path": "路径",
    "Aborted!": "已中止。",
    "default": "默认",
    "required": "必填",
    "Interrupted.": "已中断。",
}

#: Our own error messages: (pattern on the English message, Chinese with the pattern's groups).
ERRORS = [
    (
        r"not a supported export \((.*) that no extractor recognises; known: (.*)\)",
        r"不是支持的导出文件（\1，无法识别）",
    ),
    (r"the ZIP archive is password-protected", "ZIP 压缩包有密码"),
    (
        r"reading a screenshot needs the OCR extra, which is not installed",
        "读取屏幕截图需要 OCR 扩展，但尚未安装",
    ),
    (r"no text was found in the screenshot", "截图中没有识别出文字"),
    (r"the image cannot be opened \((.*)\)", r"图片无法打开（\1）"),
    (r"wrong password for the ZIP archive \((\d+) tried\)", r"ZIP 压缩包密码不对（试了 \1 个）"),
    (r"the PDF is password-protected", "PDF 有密码"),
    (r"wrong password for the PDF \((\d+) tried\)", r"PDF 密码不对（试了 \1 个）"),
    (r"the file matches several formats: (.*)", r"文件同时符合几种格式：\1"),
    (r"unknown format '(.*)'.*", r"未知的格式“\1”"),
    (r"a report of this name is already there", "已有同名的报告"),
    (
        r"the report is an Excel workbook, but this name ends in (.*)",
        r"报告是 Excel 工作簿，但这个文件名以 \1 结尾",
    ),
    (
        r"a letter is written as Markdown or Word, but this name ends in (.*)",
        r"信函是 Markdown 或 Word 文件，但这个文件名以 \1 结尾",
    ),
    (r"the output would overwrite this input file", "输出会覆盖这个输入文件"),
    (r"two outputs would be written to this file", "两个输出会写到同一个文件"),
    (r"cannot write the output: (.*)", r"无法写入输出：\1"),
    (r"no lender statement among the inputs", "输入中没有贷款机构的账单"),
    (
        r"read as statement \((.*)\), but given as payments",
        r"按内容识别为贷款机构的账单（\1），但被指定为付款记录",
    ),
    (
        r"read as payments \((.*)\), but given as statement",
        r"按内容识别为付款记录（\1），但被指定为贷款机构的账单",
    ),
    (r"unknown method '(.*)'; use one of (.*)", r"未知的还款方式“\1”，可用：\2"),
    (
        r"unknown fee kind '(.*)' in --fee '(.*)'; use upfront:, period: or rate:",
        r"--fee “\2”中的费用类型“\1”未知，可用 upfront:、period: 或 rate:",
    ),
    (r"cannot read --fee '(.*)' \((.*)\)", r"无法读取 --fee “\1”（\2）"),
    (r"the file is empty", "文件是空的"),
    (
        r"row has (\d+) fields, the header has (\d+) \(the file may be truncated or damaged\)",
        r"这一行有 \1 列，表头有 \2 列（文件可能不完整或已损坏）",
    ),
    (
        r"the statement could not be read reliably, so no finding is made from it: (.*)",
        r"对账单未能可靠读取，不据此认定任何问题：\1",
    ),
    (r"not an amount: (.*)", r"不是金额：\1"),
    (r"not a date: (.*)", r"不是日期：\1"),
    (r"malformed CSV \((.*)\)", r"CSV 格式损坏（\1）"),
    (r"the file is empty", "文件是空的"),
    (r"--tolerance (.*) is not a number", r"--tolerance \1 不是数字"),
    (r"unknown settings: (.*)", r"未知的设置：\1"),
    (r"cannot read the config file \((.*)\)", r"无法读取设置文件（\1）"),
    (r"not enough memory for these inputs", "内存不足，无法处理这些输入"),
    (r"could not be read \((.*)\)", r"无法读取（\1）"),
    (r"no such file", "文件不存在"),
    (r"is a directory, not a file", "这是文件夹，不是文件"),
    (r"permission denied", "没有读取权限"),
    (r"cannot read: (.*)", r"无法读取：\1"),
    (r"not a regular file \(a pipe, a device or a socket\)", "不是普通文件（管道、设备或套接字）"),
    (r"file is (\d+) bytes, larger than the (\d+) bytes accepted", r"文件有 \1 字节，超过可接受的 \2 字节"),
    (r"the ZIP archive is empty", "ZIP 压缩包是空的"),
    (r"not a readable ZIP archive \((.*)\)", r"不是可读取的 ZIP 压缩包（\1）"),
    (r"the archive contains another ZIP archive", "压缩包里还有一个压缩包"),
    (r"corrupt ZIP member \((.*)\)", r"ZIP 压缩包内的文件已损坏（\1）"),
    (r"not an amount: (.*)", r"不是金额：\1"),
    (r"amount out of range: (.*?) \(.*\)", r"金额超出范围：\1"),
    (r"not a plausible date: (.*?) \(.*\)", r"不是合理的日期：\1"),
    (r"not a valid date: (.*)", r"不是有效日期：\1"),
    (r"refusing to (read the workbook|unpack).*", r"文件超出安全限制，拒绝读取"),
    (r"unknown 收/支 value (.*)", r"未知的收/支值 \1"),
]

#: Hints, the same way.
HINTS = {
    "install the OCR extra: pip install 'reconcile[ocr]'": "请安装 OCR 扩展：pip install 'reconcile[ocr]'",
    "take the screenshot again": "请重新截图",
    "re-export it; the download may have failed": "请重新导出：下载可能没有完成",
    "check the path": "请检查路径",
    "give the export files themselves": "请给出导出文件本身",
    "check the file's permissions": "请检查文件权限",
    "give the export file itself": "请给出导出文件本身",
    "the download may be incomplete or damaged; download it again": "下载可能不完整或已损坏，请重新下载",
    "extract the inner archive first and give its files": "请先解开里面的压缩包，再给出其中的文件",
    "split the export into shorter periods": "请按较短的时间段分别导出",
    "split the exports into shorter periods and try again": "请按较短的时间段分别导出后再试",
    "run `reconcile formats` to see what is supported, or force one with --format NAME": "运行 reconcile formats "
    "查看支持的格式，或用 --format 指定格式",
    "choose one with --format NAME": "用 --format 指定其中一种",
    "give the password with --password (Alipay/WeChat ZIP passwords are 6 digits)": "用 --password 给出密码"
    "（支付宝/微信 ZIP 的密码是 6 位数字）",
    "check the password; it is shown in the app or message that delivered the file": "请核对密码：它显示在发送"
    "该文件的 App 或消息里",
    "re-export the file from the app or bank and try again": "请从 App 或网银重新导出该文件后再试",
    "see `reconcile check --help`": "见 reconcile check --help",
    "pass --force to replace it, or -o to choose another name": "加 --force 替换它，或用 -o 另起一个名字",
    "name it .xlsx": "请以 .xlsx 结尾",
    "name it .md or .docx": "请以 .md 或 .docx 结尾",
    "write the output to another file": "请写到另一个文件",
    "give each its own": "请各用一个文件",
    "choose another place": "请换一个位置",
    "give the lender's statement or repayment plan too": "请同时给出贷款机构的账单或还款计划",
    "check which file is the lender's and which is yours": "请确认哪个文件是贷款机构的、哪个是您的",
    "the row is damaged; re-export the file": "该行已损坏，请重新导出文件",
    "run with --verbose and report this if the file is a genuine export": "如文件确为原始导出，请加 --verbose "
    "运行并报告此问题",
    "run `reconcile formats` to see the names": "运行 reconcile formats 查看格式名",
    "check that this is the lender's statement as exported; --unverified shows findings anyway, marked unverified": "请确认这是原样导出的贷款机构账单；加 --unverified 仍会列出问题，并标为“未经核实”",
}


def language(argv: list[str], environ: dict[str, str]) -> str:
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            return "en" if argv[i + 1] == "en" else "zh"
        if arg.startswith("--lang="):
            return "en" if arg.split("=", 1)[1] == "en" else "zh"
    return "en" if environ.get("RECONCILE_LANG", "").strip().lower() == "en" else DEFAULT


def message(text: str) -> str:
    """One of our English error messages in Chinese (its file names and values kept), or the text itself."""
    for pattern, zh in ERRORS:
        m = re.fullmatch(pattern, text, flags=re.S)
        if m:
            return m.expand(zh)
    option = re.fullmatch(r"(--[\w-]+(?: '[^']*')?): (.*)", text, flags=re.S)
    if option:  # "--as-of: not a valid date: ..."
        return f"{option.group(1)}：{message(option.group(2))}"
    return text


def hint(text: str) -> str:
    return HINTS.get(text, text)


def localise(group: Any) -> None:
    """Put the Chinese help on every command and option of ``group`` and make click speak Chinese."""
    import click

    group.help = COMMANDS[""]
    for name, command in group.commands.items():
        command.help = COMMANDS.get(name, command.help)
        command.short_help = None
        for param in command.params:
            key = OPTIONS.get((name, param.name)) or OPTIONS.get(("*", param.name))
            if key is not None and isinstance(param, click.Option):
                param.help = key
                param.show_default = False  # the Chinese help names its default
    for param in group.params:
        key = OPTIONS.get(("*", param.name))
        if key is not None and isinstance(param, click.Option):
            param.help = key
    _click_speaks_chinese()


def _click_speaks_chinese() -> None:
    import importlib

    def gettext(text: str) -> str:
        return CLICK.get(text, text)

    def ngettext(single: str, plural: str, n: int) -> str:
        return gettext(single if n == 1 else plural)

    for name in ("core", "exceptions", "parser", "types", "decorators", "formatting", "termui", "utils"):
        try:
            module = importlib.import_module(f"click.{name}")
        except ImportError:  # pragma: no cover - a click without that module
            continue
        if hasattr(module, "_"):
            module._ = gettext  # type: ignore[attr-defined]
        if hasattr(module, "ngettext"):
            module.ngettext = ngettext  # type: ignore[attr-defined]
