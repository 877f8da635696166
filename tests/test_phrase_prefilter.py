"""The time-phrase scan skips a pattern when the text lacks the literal every match of it contains;
the phrases found are exactly those of the full grammar run on every text."""

from __future__ import annotations

import random

import pytest

from ggk.deadlines import phrases as deadlines
from tests.conftest import SEED_NUMBERS, seed

PIECES = [
    "每季度",
    "每月",
    "按年",
    "逐月",
    "每周",
    "每2个月",
    "年内",
    "全年",
    "至少",
    "1次",
    "3次",
    "两次",
    "年底前",
    "年末",
    "本年度内",
    "2021年",
    "12月",
    "6月底",
    "3月份",
    "上旬",
    "中旬",
    "下旬",
    "前",
    "之前",
    "截至",
    "5日",
    "15号",
    "2022-03-01",
    "2021/6/30",
    "上半年",
    "下半年",
    "第一季度",
    "前三季度",
    "5个工作日内",
    "收到申请之日起",
    "后",
    "20日内",
    "三个月内",
    "公开",
    "政务",
    "，",
    "。",
    "发布",
    "信息",
    "各单位",
    "3",
    "十",
    "内",
    "年",
    "月",
    "日",
    "工作",
    ".",
    "-",
    "/",
    "季",
    "度",
    "半",
    "遍",
    "场",
    "回",
]


def _ungated(monkeypatch: pytest.MonkeyPatch) -> None:
    full = [(regex, fn, ()) for regex, fn, _needs in deadlines._compiled()]
    monkeypatch.setattr(deadlines, "_compiled", lambda: full)


def _texts() -> list[str]:
    texts = [line for n in SEED_NUMBERS for line in seed(n).read_text(encoding="utf-8").splitlines() if line.strip()]
    rng = random.Random(8)
    texts += ["".join(rng.choice(PIECES) for _ in range(rng.randint(1, 12))) for _ in range(3000)]
    return texts


def test_prefilter_finds_what_the_full_grammar_finds(monkeypatch: pytest.MonkeyPatch) -> None:
    texts = _texts()
    gated = [(deadlines._scan(t, 2021, True), deadlines._scan(t, 2021, False)) for t in texts]
    assert sum(1 for strict, _ in gated if strict) > 1000  # the texts do hold phrases
    _ungated(monkeypatch)
    assert [(deadlines._scan(t, 2021, True), deadlines._scan(t, 2021, False)) for t in texts] == gated
