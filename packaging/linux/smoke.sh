#!/usr/bin/env bash
# Check a built Linux bundle as a user gets it, with no screen (Qt's offscreen platform):
#     bash packaging/linux/smoke.sh [dist/UnionDesk-<version>-linux-x86_64.tar.gz]
# Unpacks it into an empty folder, makes a demo 账套 with the bundled command line, opens it
# in the bundled window until the roster shows (`gui --quit-when-ready`), checks it, writes
# and reads the files that need bundled data (PDF font, .docx template, .xlsx), then installs
# and uninstalls it for a throw-away home folder. Exits non-zero at the first failure.
set -euo pipefail
cd "$(dirname "$0")/../.."

bundle=${1:-$(ls -t dist/UnionDesk-*-linux-*.tar.gz 2>/dev/null | head -1)}
if [ -z "$bundle" ] || [ ! -f "$bundle" ]; then
  echo "找不到要检查的安装包：先运行 bash packaging/linux/build.sh" >&2
  exit 1
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() {
  echo "冒烟测试失败：$*" >&2
  exit 1
}

tar -C "$tmp" -xzf "$bundle"
root=$(echo "$tmp"/UnionDesk-*)
cli="$root/UnionDesk/uniondesk"
gui="$root/UnionDesk/UnionDesk"
db="$tmp/smoke.db"
export QT_QPA_PLATFORM=offscreen
export UNIONDESK_HOME="$tmp/home" # never the real user folders

echo "检查 $(basename "$bundle")：$("$cli" --version)"
"$cli" --db "$db" demo --members 300 >/dev/null || fail "uniondesk demo"

# the window: the bundled Qt, its platform plugin and fonts, the roster read from the 账套
ready=$("$gui" --db "$db" gui --quit-when-ready 2>"$tmp/gui.err") || {
  cat "$tmp/gui.err" >&2
  fail "UnionDesk gui --quit-when-ready"
}
[[ $ready =~ ^ready\ [0-9]+$ ]] || fail "窗口没有报告 ready：$ready"
echo "窗口：$ready ms"

"$cli" --db "$db" check >/dev/null || fail "uniondesk check"
echo "检查账套：通过"

# bundled data the program reads from files: the font (PDF), python-docx's templates, openpyxl
# writing and calamine reading .xlsx, the migrations (demo and init above)
year=$(date +%Y)
"$cli" --db "$db" report monthly "$year-01" --out "$tmp/month.pdf" >/dev/null || fail "PDF 报表"
"$cli" --db "$db" report summary "$year" --out "$tmp/summary.docx" >/dev/null || fail ".docx 工作总结"
"$cli" --db "$db" roster export "$tmp/roster.xlsx" >/dev/null || fail ".xlsx 花名册导出"
"$cli" --db "$db" roster import --dry-run "$tmp/roster.xlsx" >/dev/null || fail ".xlsx 花名册读取"
echo "PDF、.docx、.xlsx：通过"

# install.sh and uninstall.sh for a throw-away user; the data folder must survive
user="$tmp/user"
mkdir -p "$user/Desktop" "$user/.local/share/UnionDesk"
echo "keep" >"$user/.local/share/UnionDesk/union.db"
as_user() { env -u XDG_DATA_HOME HOME="$user" "$@"; }
[ -s "$root/REQUIRES-GLIBC" ] || fail "安装包没有记下需要的 glibc 版本"
mv "$root/REQUIRES-GLIBC" "$tmp/REQUIRES-GLIBC"
echo 99.0 >"$root/REQUIRES-GLIBC" # as if built on a much newer system
if as_user bash "$root/install.sh" >/dev/null 2>"$tmp/refused"; then fail "install.sh 没有拒绝太旧的系统"; fi
grep -q "需要 glibc 99.0" "$tmp/refused" || fail "系统太旧时的提示"
mv "$tmp/REQUIRES-GLIBC" "$root/REQUIRES-GLIBC"
as_user bash "$root/install.sh" >/dev/null || fail "install.sh"
entry="$user/.local/share/applications/uniondesk.desktop"
grep -qxF "Exec=\"$user/.local/opt/UnionDesk/UnionDesk\"" "$entry" || fail "菜单项的 Exec 不对"
[ -x "$user/Desktop/uniondesk.desktop" ] || fail "桌面图标"
[ -f "$user/.local/share/icons/hicolor/256x256/apps/uniondesk.png" ] || fail "256 像素图标"
[ -f "$user/.local/share/icons/hicolor/16x16/apps/uniondesk.png" ] || fail "16 像素图标"
if command -v desktop-file-validate >/dev/null; then desktop-file-validate "$entry" || fail "菜单项格式"; fi
as_user "$user/.local/bin/uniondesk" --db "$db" check >/dev/null || fail "安装后的 uniondesk 命令"
as_user bash "$user/.local/opt/UnionDesk/uninstall.sh" >/dev/null || fail "uninstall.sh"
[ ! -e "$user/.local/opt/UnionDesk" ] || fail "卸载后程序还在"
[ ! -e "$entry" ] && [ ! -e "$user/Desktop/uniondesk.desktop" ] || fail "卸载后菜单项还在"
[ ! -e "$user/.local/bin/uniondesk" ] || fail "卸载后 uniondesk 命令还在"
[ "$(cat "$user/.local/share/UnionDesk/union.db")" = keep ] || fail "卸载删除了数据"
echo "安装、卸载（数据保留）：通过"
echo "冒烟测试通过"
