#!/usr/bin/env bash
# Remove UnionDesk installed by install.sh for the current user: the program, its menu entry,
# desktop icon, icons and the `uniondesk` command. The 账套, backups, settings and logs are
# kept (~/.local/share/UnionDesk, ~/.config/UnionDesk, ~/.local/state/UnionDesk): delete
# those folders yourself only if you are sure nobody needs the data any more.
set -euo pipefail

main() {
  local program data_home apps icons bin
  program="$HOME/.local/opt/UnionDesk"
  data_home="${XDG_DATA_HOME:-$HOME/.local/share}"
  apps="$data_home/applications"
  icons="$data_home/icons/hicolor"
  bin="$HOME/.local/bin"

  # only what install.sh put there: the link if it points into the program folder, the
  # desktop entries if they start this program
  if [ -L "$bin/uniondesk" ] && [ "$(readlink "$bin/uniondesk")" = "$program/uniondesk" ]; then
    rm -f "$bin/uniondesk"
  fi
  local desktop entry
  desktop=$(xdg-user-dir DESKTOP 2>/dev/null || echo "$HOME/Desktop")
  for entry in "$apps/uniondesk.desktop" "$desktop/uniondesk.desktop"; do
    if [ -f "$entry" ] && grep -qF "$program/UnionDesk" "$entry"; then
      rm -f "$entry"
    fi
  done
  rm -f "$icons"/*/apps/uniondesk.png "$icons/scalable/apps/uniondesk.svg"
  if [ -x "$program/UnionDesk" ]; then
    rm -rf "$program"
  fi
  update-desktop-database -q "$apps" 2>/dev/null || true
  gtk-update-icon-cache -q -t "$icons" 2>/dev/null || true

  echo "UnionDesk 已卸载。"
  echo "账套、备份和日志都保留着：$data_home/UnionDesk（重新安装后可以继续使用）"
}

main "$@"
