import pytest

from app.domain.pinyin import pinyin_keys


@pytest.mark.parametrize(
    ("name", "full", "initials"),
    [
        ("张伟", "zhang wei", "zw"),
        ("曾志伟", "zeng zhi wei", "zzw"),
        ("单雄信", "shan xiong xin", "sxx"),
        ("仇鹏", "qiu peng", "qp"),
        ("解晓东", "xie xiao dong", "xxd"),
        ("区志明", "ou zhi ming", "ozm"),
        ("查良镛", "zha liang yong", "zly"),
        ("覃海", "qin hai", "qh"),
        ("尉迟恭", "yu chi gong", "ycg"),
        ("长孙无忌", "zhang sun wu ji", "zswj"),
        ("欧阳娜娜", "ou yang na na", "oynn"),
        ("阿依古丽·买买提", "a yi gu li mai mai ti", "ayglmmt"),
    ],
)
def test_surname_overrides_and_keys(name: str, full: str, initials: str) -> None:
    assert pinyin_keys(name) == (full, initials)


def test_sorting_by_full_pinyin_keeps_surnames_together() -> None:
    names = ["程颖", "陈桂", "程波", "陈鹏勇"]
    ordered = sorted(names, key=lambda n: pinyin_keys(n)[0])
    assert ordered == ["陈桂", "陈鹏勇", "程波", "程颖"]
