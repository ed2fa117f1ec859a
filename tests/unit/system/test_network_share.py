"""A 账套 on a network share is told apart from one on this computer's own disks."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from app.db_file import mount_type, on_network_share

MOUNTS = """\
sysfs /sys sysfs rw,nosuid,nodev,noexec,relatime 0 0
/dev/sda2 / ext4 rw,relatime 0 0
tmpfs /run tmpfs rw,nosuid,nodev 0 0
/dev/sdb1 /media/usb vfat rw,relatime 0 0
//fileserver/工会 /mnt/share cifs rw,relatime,vers=3.0 0 0
fileserver:/export /mnt/share/local-inside ext4 rw 0 0
nas:/volume1/union /srv/nfs nfs4 rw,relatime 0 0
nas:/volume1/union /srv/nfs2 nfs rw 0 0
me@host:/home/me /home/me/remote fuse.sshfs rw,nosuid,nodev 0 0
gvfsd-fuse /run/user/1000/gvfs fuse.gvfsd-fuse rw,nosuid,nodev 0 0
drvfs /mnt/c 9p rw,noatime 0 0
//server/with\\040space /mnt/with\\040space smb3 rw 0 0
/dev/sdc1 /mnt/shared-name-but-local ext4 rw 0 0
"""


@pytest.mark.parametrize(
    ("path", "network"),
    [
        ("/home/me/union.db", False),
        ("/media/usb/union.db", False),
        ("/mnt/share/union.db", True),
        ("/mnt/share/sub/folder/union.db", True),
        ("/mnt/share/local-inside/union.db", False),  # the longest mount point decides
        ("/mnt/sharex/union.db", False),  # a name beginning like a mount point is not inside it
        ("/srv/nfs/union.db", True),
        ("/srv/nfs2/u.db", True),
        ("/home/me/remote/u.db", True),
        ("/run/user/1000/gvfs/smb-share:server=nas,share=union/u.db", True),
        ("/mnt/c/Users/secretary/union.db", True),
        ("/mnt/with space/union.db", True),  # /proc/mounts writes the space as \\040
        ("/mnt/shared-name-but-local/u.db", False),
    ],
)
def test_the_file_system_of_the_longest_mount_point_decides(path: str, network: bool) -> None:
    assert on_network_share(Path(path), MOUNTS) is network


def test_a_later_mount_on_the_same_point_hides_the_earlier_one() -> None:
    stacked = MOUNTS + "nas:/other /media/usb nfs rw 0 0\n"
    assert mount_type("/media/usb/union.db", stacked) == "nfs"
    assert mount_type("/media/usb/union.db", MOUNTS) == "vfat"


def test_broken_or_empty_mount_tables_say_local() -> None:
    assert on_network_share(Path("/mnt/share/union.db"), "") is False
    assert on_network_share(Path("/mnt/share/union.db"), "garbage\n\n//x\n") is False


def test_this_machine_s_temporary_folder_is_local(tmp_path: Path) -> None:
    assert on_network_share(tmp_path / "union.db") is False


def test_windows_unc_paths_are_network_shares() -> None:
    from app.db_file import _windows_network_path

    assert _windows_network_path("\\\\OFFICE-NAS\\工会\\union.db")
    assert _windows_network_path("//OFFICE-NAS/工会/union.db")
    assert _windows_network_path("\\\\?\\UNC\\OFFICE-NAS\\工会\\union.db")
    assert not _windows_network_path("\\\\?\\C:\\Users\\me\\union.db") or os.name == "nt"
