#!/usr/bin/env bash
# What a bare Debian / Ubuntu / UOS / Kylin machine lacks for UnionDesk: Qt's runtime
# libraries, a Chinese font, and Python's venv module. Installs only what is missing.
set -euo pipefail
command -v apt-get >/dev/null 2>&1 || exit 0   # not an apt system: nothing to do here

packages=(
  libegl1 libgl1 libglib2.0-0 libfontconfig1 libdbus-1-3 libxkbcommon0 libxkbcommon-x11-0
  libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-render-util0
  libxcb-randr0 libxcb-shape0 libxcb-xinerama0 libxcb-xkb1
  fonts-wqy-microhei
)
python3 -c "import venv, ensurepip" >/dev/null 2>&1 || packages+=(python3-venv python3-pip)
# --tests: what only the test suite needs (a second reader for the .xlsx and .docx files we write)
[ "${1:-}" = "--tests" ] && packages=(libreoffice-calc-nogui libreoffice-writer-nogui poppler-utils)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
echo "安装系统软件包：${missing[*]}"
$sudo apt-get update -q
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
