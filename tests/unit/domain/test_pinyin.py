import pytest

from app.domain.pinyin import character_readings, pinyin_keys


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


def test_shipped_reading_table_is_what_pypinyin_reads_for_every_character() -> None:
    """The table in resources replaces pypinyin at run time; regenerate it with
    scripts/build_pinyin_table.py when pypinyin changes."""
    from pypinyin import Style, lazy_pinyin
    from pypinyin.pinyin_dict import pinyin_dict

    readings = character_readings()
    assert len(readings) == len(pinyin_dict)
    differing = [
        ch
        for ch in map(chr, pinyin_dict)
        if readings.get(ch) != lazy_pinyin(ch, style=Style.NORMAL, errors="default")[0].lower()
    ]
    assert differing == []


def test_letters_and_digits_in_a_name_keep_their_own_spelling() -> None:
    assert pinyin_keys("王A2") == ("wang a 2", "wa2")
    assert pinyin_keys("李 四") == ("li si", "ls")


def test_text_sorts_by_the_readings_of_its_characters() -> None:
    from app.domain.pinyin import reading_order

    departments = ["质检科", "生产一车间", "财务科", "办公室", "技术中心", "后勤保障部"]
    assert sorted(departments, key=reading_order) == [
        "办公室",
        "财务科",
        "后勤保障部",
        "技术中心",
        "生产一车间",
        "质检科",
    ]
    assert sorted(["财务科", "生产一车间"]) == ["生产一车间", "财务科"]  # what Unicode's order gives instead
    assert reading_order("FP-0012号") == "fp-0012 hao" and reading_order("FP-0012") == "fp-0012"
    assert sorted(["二车间", "A组", "一车间"], key=reading_order) == ["A组", "二车间", "一车间"]
