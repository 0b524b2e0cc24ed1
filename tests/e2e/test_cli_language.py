"""`hub-scheduler` speaks Simplified Chinese first, English by switch (`--lang en`, or
HUB_SCHEDULER_LANG / LC_ALL / LANG): its output, its errors, its `--help` and click's own words.
What programs read (tokens, passwords, URLs, ids, role codes) is the same in both."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from servers import run_cli

from api.cli_words import environment_language

REPO = Path(__file__).resolve().parents[2]
XUNWU = REPO / "fixtures" / "xunwu.json"
_CJK = re.compile(r"[\u4e00-\u9fff]")
# Runs of three English words or more: a sentence, not a command, a path or an option name.
_ENGLISH_RUN = re.compile(r"\b[A-Za-z]{2,}(?: [A-Za-z]{2,}){2,}\b")
_KEPT = ("SQLite online backup", "pg_dump custom format")  # names of things, not sentences


def _english_runs(text: str) -> list[str]:
    for kept in _KEPT:
        text = text.replace(kept, "")
    return _ENGLISH_RUN.findall(text)


@pytest.fixture
def sqlite_env(tmp_path):
    return {"DATABASE_URL": f"sqlite:///{tmp_path / 'hub.sqlite3'}"}


@pytest.mark.parametrize(
    ("environ", "language"),
    [
        ({}, "zh-CN"),
        ({"LANG": "C.UTF-8"}, "zh-CN"),
        ({"LANG": "en_US.UTF-8"}, "en"),
        ({"LANG": "en_US.UTF-8", "LC_ALL": "zh_CN.UTF-8"}, "zh-CN"),
        ({"LANG": "zh_CN.UTF-8", "HUB_SCHEDULER_LANG": "en"}, "en"),
        ({"HUB_SCHEDULER_LANG": "", "LC_ALL": "POSIX", "LANG": "en_GB"}, "en"),
    ],
)
def test_the_environment_chooses_the_language(environ, language):
    assert environment_language(environ) == language


def test_help_is_chinese_by_default_and_english_by_switch():
    for args in ((), ("tokens", "create"), ("serve",), ("users", "create"), ("info",)):
        zh = run_cli(*args, "--help", lang="zh-CN")
        assert zh.returncode == 0, zh.stderr
        assert zh.stdout.startswith("用法："), zh.stdout
        body = zh.stdout.split("\n", 1)[1]  # below the usage line (the command as typed)
        assert not _english_runs(body), (args, _english_runs(body))
        en = run_cli("--lang", "en", *args, "--help", lang="zh-CN")  # the option beats the env
        assert en.stdout.startswith("Usage:"), en.stdout
    top = run_cli("--help", lang="zh-CN").stdout
    assert "显示本帮助并退出" in top and "非接触式物流中转场地排程" in top


def test_a_usage_error_is_said_in_chinese():
    result = run_cli("tokens", "create", lang="zh-CN")
    assert result.returncode == 2
    assert "错误：缺少选项 '--role'" in result.stderr, result.stderr
    said = result.stderr.replace("python -m api.cli tokens create", "")  # the command as typed
    assert not _english_runs(said), result.stderr


@pytest.mark.db
def test_commands_print_chinese_and_keep_what_programs_read(sqlite_env):
    upgraded = run_cli("db", "upgrade", env=sqlite_env, lang="zh-CN")
    assert upgraded.stdout.startswith("数据库已迁移到最新结构：sqlite:///"), upgraded.stdout
    seeded = run_cli("seed", str(XUNWU), env=sqlite_env, lang="zh-CN")
    assert "4 个场站" in seeded.stdout, seeded.stdout
    token = run_cli("tokens", "create", "--role", "operator", env=sqlite_env, lang="zh-CN")
    assert re.fullmatch(r"\S{32,}\n", token.stdout), token.stdout  # the token alone, as before
    listed = run_cli("tokens", "list", env=sqlite_env, lang="zh-CN").stdout
    assert listed.startswith("编号\t角色\t企业\t备注\t状态\t到期时间\n")
    assert "\toperator\t-\tcli operator\t有效\t永不过期" in listed, listed
    created = run_cli(
        "users", "create", "gate.1", "--role", "operator", env=sqlite_env, lang="zh-CN"
    )
    assert created.stdout.startswith("已创建用户 gate.1（场站操作员）\n密码："), created.stdout
    info = run_cli("info", env=sqlite_env, lang="zh-CN").stdout
    assert "数据库结构：" in info and "已是最新" in info and "任务队列：" in info, info
    for out in (upgraded.stdout, seeded.stdout, listed, created.stdout, info):
        assert not _english_runs(out), out
    failed = run_cli("users", "disable", "nobody", env=sqlite_env, lang="zh-CN")
    assert failed.returncode == 1
    assert failed.stderr.startswith("错误：没有用户“nobody”"), failed.stderr
    english = run_cli("--lang", "en", "users", "disable", "nobody", env=sqlite_env, lang="zh-CN")
    assert 'no user "nobody"' in english.stderr, english.stderr


def test_a_missing_file_is_said_in_chinese(tmp_path):
    result = run_cli(
        "solve", str(tmp_path / "nope.json"), "--out", str(tmp_path / "x.json"), lang="zh-CN"
    )
    assert result.returncode == 1
    assert "文件或文件夹不存在" in result.stderr and "nope.json" in result.stderr, result.stderr


def test_every_word_the_command_line_says_has_chinese():
    """Each literal `say("...")` id in api/cli*.py, and every help text, has a zh-CN text that
    keeps the English's placeholders."""
    import click

    import api.cli
    from api import cli_support
    from api.web.messages import EN, ZH

    ids = set()
    for path in (REPO / "api").glob("cli*.py"):
        if path.name == "cli_words.py":  # the machinery, not a command
            continue
        source = path.read_text(encoding="utf-8")
        for literals in re.findall(r'say\(\s*((?:"(?:[^"\\]|\\.)*"\s*)+)', source):
            ids.add(ast.literal_eval(f"({literals})"))
    ids |= set(cli_support._OS_ERRORS.values()) | {cli_support.NOT_MIGRATED}
    ids |= {f"seed_count_{kind}" for kind in ("hubs", "enterprises", "loads", "transfers")}

    def walk(command: click.Command) -> None:
        for text in [command.help] + [getattr(p, "help", None) for p in command.params]:
            if text:
                ids.add(" ".join(text.split()))
        for sub in getattr(command, "commands", {}).values():
            walk(sub)

    walk(api.cli.main)
    missing = sorted(i for i in ids if i not in ZH)
    assert not missing, missing
    for english in ids:
        source = EN.get(english, english)  # a coded id's English words
        assert set(re.findall(r"\{\w+\}", source)) == set(re.findall(r"\{\w+\}", ZH[english]))
        assert _CJK.search(ZH[english]) or english == "list_separator", english
