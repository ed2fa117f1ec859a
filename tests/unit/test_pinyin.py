import pytest

from app.domain.pinyin import pinyin_keys


@pytest.mark.parametrize(
    ("name", "full", "initials"),
    [
        ("张伟", "zhangwei", "zw"),
        ("曾志伟", "zengzhiwei", "zzw"),
        ("单雄信", "shanxiongxin", "sxx"),
        ("仇鹏", "qiupeng", "qp"),
        ("解晓东", "xiexiaodong", "xxd"),
        ("区志明", "ouzhiming", "ozm"),
        ("查良镛", "zhaliangyong", "zly"),
        ("覃海", "qinhai", "qh"),
        ("尉迟恭", "yuchigong", "ycg"),
        ("长孙无忌", "zhangsunwuji", "zswj"),
        ("欧阳娜娜", "ouyangnana", "oynn"),
        ("阿依古丽·买买提", "ayigulimaimaiti", "ayglmmt"),
    ],
)
def test_surname_overrides_and_keys(name: str, full: str, initials: str) -> None:
    assert pinyin_keys(name) == (full, initials)
