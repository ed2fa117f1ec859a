from datetime import date

import pytest

from app.db import Database
from app.domain.members import MemberInput
from app.services.errors import UserError, ValidationError
from app.services.roster.groups import (
    add_group,
    delete_group,
    descendants,
    find_group_by_path,
    list_groups,
    update_group,
)
from app.services.roster.members import create_member
from app.services.system.profile import ProfileData, get_profile, save_profile


def test_profile_round_trip_and_validation(db: Database) -> None:
    with db.session() as session:
        assert get_profile(session).name == ""
        save_profile(session, ProfileData(name="　某公司工会委员会 ", province="安徽", chair="李建国"))
    with db.session() as session:
        profile = get_profile(session)
        assert (profile.name, profile.province, profile.chair) == ("某公司工会委员会", "安徽", "李建国")
    with pytest.raises(ValidationError) as caught, db.session() as session:
        save_profile(session, ProfileData(name="", province="火星"))
    assert set(caught.value.errors) == {"name", "province"}
    assert "工会名称" in str(caught.value)


def test_group_tree_paths_counts_and_rules(db: Database) -> None:
    with db.session() as session:
        production = add_group(session, "生产部", "分会")
        workshop = add_group(session, "一车间", "工会小组", production)
        team = add_group(session, "甲班", "工会小组", workshop)
        office = add_group(session, "办公室")
        create_member(
            session,
            MemberInput(name="张伟", id_number="11010519491231002X", group_id=team),
            today=date(2026, 1, 1),
        )
    with db.session() as session:
        groups = list_groups(session)
        assert [g.path for g in groups] == ["生产部", "生产部 / 一车间", "生产部 / 一车间 / 甲班", "办公室"]
        assert [g.total_count for g in groups] == [1, 1, 1, 0]
        assert [g.member_count for g in groups] == [0, 0, 1, 0]
        assert descendants(groups, production) == {production, workshop, team}
        assert find_group_by_path(session, "生产部/一车间") == workshop
        assert find_group_by_path(session, "甲班") == team
    with pytest.raises(ValidationError, match="已有名为"), db.session() as session:
        add_group(session, "一车间", "工会小组", production)
    with pytest.raises(UserError, match="下级分组"), db.session() as session:
        delete_group(session, production)
    with pytest.raises(UserError, match="1 名会员"), db.session() as session:
        delete_group(session, team)
    with db.session() as session:
        update_group(session, office, "党政办公室", "部门")
        delete_group(session, office)
        assert [g.name for g in list_groups(session)] == ["生产部", "一车间", "甲班"]


def test_a_groups_count_is_its_members_in_the_roll(db: Database) -> None:
    """One who transferred out still belongs to the group's records but not to its count, which
    then adds up to the roster's 在册 figure; the first page read at start-up counts alike."""
    from app.domain.members import EventKind
    from app.services.roster.members import change_status
    from app.services.roster.peek import peek_roster

    with db.session() as session:
        office = add_group(session, "办公室")
        kept = create_member(session, MemberInput(name="张伟", id_number="11010519491231002X", group_id=office),
                             today=date(2026, 1, 1))  # fmt: skip
        gone = create_member(session, MemberInput(name="李娜", id_number="110105199003070025", group_id=office),
                             today=date(2026, 1, 1))  # fmt: skip
        change_status(
            session, gone, EventKind.TRANSFER_OUT, date(2026, 3, 1), "调往外地", today=date(2026, 6, 1)
        )
    with db.session() as session:
        assert [(g.member_count, g.total_count) for g in list_groups(session)] == [(1, 1)]
        with pytest.raises(UserError, match="2 名会员"):  # nobody is lost from a group deleted
            delete_group(session, office)
    assert [(g.member_count, g.total_count) for g in peek_roster(db.path, 10).groups] == [(1, 1)]
    assert kept != gone
