#!/usr/bin/env bash
# Install UnionDesk for the current user, without administrator rights (UOS, Kylin, Debian …).
# Run from the unpacked UnionDesk-<version>-linux-x86_64 folder:
#     bash install.sh                 # menu entry, desktop icon, `uniondesk` command
#     bash install.sh --no-desktop    # the same without the icon on the desktop
# Installing again (a newer version) replaces the program only: the 账套, backups, settings
# and logs stay where the program keeps them (~/.local/share/UnionDesk, ~/.config/UnionDesk,
# ~/.local/state/UnionDesk), which this script never touches.
set -euo pipefail

main() {
  local here program data_home apps icons bin desktop_icon=yes
  here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
  [ "${1:-}" = "--no-desktop" ] && desktop_icon=no

  program="$HOME/.local/opt/UnionDesk"
  data_home="${XDG_DATA_HOME:-$HOME/.local/share}"
  apps="$data_home/applications"
  icons="$data_home/icons/hicolor"
  bin="$HOME/.local/bin"

  if [ ! -x "$here/UnionDesk/UnionDesk" ]; then
    echo "找不到程序文件 UnionDesk/UnionDesk：请在解压出的 UnionDesk 文件夹里运行 install.sh" >&2
    exit 1
  fi
  # a bundle built on a newer system than this one cannot start here (glibc is not bundled)
  local need have
  need=$(cat "$here/REQUIRES-GLIBC" 2>/dev/null || true)
  have=$(getconf GNU_LIBC_VERSION 2>/dev/null | awk '{print $2}' || true)
  if [ -n "$need" ] && [ -n "$have" ] && [ "$(printf '%s\n%s\n' "$need" "$have" | sort -V | head -1)" != "$need" ]; then
    echo "这个安装包需要 glibc $need 或更新的版本，这台电脑是 $have，程序无法在这里运行。" >&2
    echo "请使用在与这台电脑相同或更老的系统上构建的安装包。" >&2
    exit 1
  fi
  case "$program" in
    *'"'* | *'`'* | *'$'* | *'\'* | *'%'*)
      echo "用户主文件夹的路径“$HOME”含有 \" \` \$ \\ % 等字符，菜单无法启动其中的程序，无法安装" >&2
      exit 1
      ;;
  esac

  # the program: copied beside the old one first, so a failed copy leaves the old one working
  mkdir -p "$(dirname "$program")"
  rm -rf "$program.new" "$program.old"
  cp -a "$here/UnionDesk" "$program.new"
  cp "$here/uninstall.sh" "$program.new/uninstall.sh"
  [ -d "$program" ] && mv "$program" "$program.old"
  mv "$program.new" "$program"
  rm -rf "$program.old"

  # the icon in every size, in the user's icon theme
  local png size
  for png in "$here"/icons/uniondesk-*.png "$here/icons/uniondesk.png"; do
    size=$(basename "$png" .png)
    size=${size#uniondesk-}
    [ "$size" = "uniondesk" ] && size=256
    install -D -m 644 "$png" "$icons/${size}x${size}/apps/uniondesk.png"
  done
  install -D -m 644 "$here/icons/uniondesk.svg" "$icons/scalable/apps/uniondesk.svg"

  # the menu entry (Office), and the same on the desktop
  local entry
  entry=$(<"$here/uniondesk.desktop")
  entry=${entry//@EXEC_PATH@/"$program/UnionDesk"}
  entry=${entry//@EXEC@/"\"$program/UnionDesk\""}
  mkdir -p "$apps"
  printf '%s\n' "$entry" >"$apps/uniondesk.desktop"
  chmod 644 "$apps/uniondesk.desktop"
  if [ "$desktop_icon" = yes ]; then
    local desktop
    desktop=$(xdg-user-dir DESKTOP 2>/dev/null || echo "$HOME/Desktop")
    if [ -d "$desktop" ] && [ "$desktop" != "$HOME" ]; then
      printf '%s\n' "$entry" >"$desktop/uniondesk.desktop"
      chmod 755 "$desktop/uniondesk.desktop" # desktops launch only executable entries
      gio set "$desktop/uniondesk.desktop" metadata::trusted true 2>/dev/null || true
    fi
  fi

  # the command line, for scripts: ~/.local/bin is on PATH on most desktops
  mkdir -p "$bin"
  if [ ! -e "$bin/uniondesk" ] || [ -L "$bin/uniondesk" ]; then
    ln -sfn "$program/uniondesk" "$bin/uniondesk"
  fi

  update-desktop-database -q "$apps" 2>/dev/null || true
  gtk-update-icon-cache -q -t "$icons" 2>/dev/null || true

  echo "UnionDesk 已安装到：$program"
  echo "从开始菜单（办公）或桌面上的“UnionDesk 基层工会工作台”打开；命令行：uniondesk --help"
  echo "账套等数据保存在：$data_home/UnionDesk（卸载和升级都不会删除）"
  echo "卸载：bash $program/uninstall.sh"
}

main "$@"
