#!/usr/bin/env bash
# Installs every Debian package that WEMoE Studio's build, tests and demo need.
# Idempotent: packages already present are skipped; sudo is used only when not root.
#   --demo-data  also install the packages whose images the demo zoo is built from
#                (zoo/, docs/DEMO-DATA.md): about 0.7 GB to download, 1.2 GB installed
#                (stellarium-data 388 MB, opencv-doc 274 MB, tuxpaint-stamps-default 218 MB,
#                openclipart-png 154 MB, of which the zoo reads a few hundred files).
set -euo pipefail

demo_data=0
for arg in "$@"; do
  case "$arg" in
    --demo-data) demo_data=1 ;;
    -h|--help)
      echo "usage: $0 [--demo-data]" >&2
      exit 0 ;;
    *)
      echo "install-deps: unknown option '$arg' (usage: $0 [--demo-data])" >&2
      exit 2 ;;
  esac
done

packages=(
  build-essential cmake ninja-build ccache pkg-config
  qt6-base-dev qt6-base-dev-tools qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools qt6-translations-l10n
  qt6-svg-dev libgl-dev
  libqcustomplot-dev
  libtorch-dev libopenblas0-openmp
  libopencv-dev
  zlib1g-dev libyaml-cpp-dev libsnappy-dev libzstd-dev
  libbenchmark-dev
  clang clang-format libclang-rt-14-dev
  xvfb xauth
  # Simplified Chinese needs a CJK font, or the zh_CN interface draws boxes
  # (the .deb recommends the larger fonts-noto-cjk).
  fonts-wqy-microhei
)

# The demo zoo's sources (zoo/): photos, scans, textures, sign designs and fonts.
if [ "$demo_data" -eq 1 ]; then
  packages+=(
    opencv-doc
    dataset-fashion-mnist
    stellarium-data
    marble-qt-data
    tuxpaint-stamps-default
    gimp-data
    mypaint-data-extras
    openclipart-png
    fonts-urw-base35 fonts-freefont-ttf fonts-liberation2 fonts-dejavu-core
  )
fi

if [ "$(id -u)" -eq 0 ]; then SUDO=(); else SUDO=(sudo); fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q '^install ok installed$'; then
    missing+=("$p")
  fi
done

if [ "${#missing[@]}" -gt 0 ]; then
  echo "install-deps: installing ${missing[*]}" >&2
  "${SUDO[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
else
  echo "install-deps: all packages present" >&2
fi

# libopenblas0-pthread, if some other package pulled it in, outranks the OpenMP
# build and ignores at::set_num_threads: point the BLAS/LAPACK alternatives at OpenMP.
arch=$(dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null || echo x86_64-linux-gnu)
for alt in "libblas.so.3-$arch" "liblapack.so.3-$arch"; do
  target=$(update-alternatives --list "$alt" 2>/dev/null | grep '/openblas-openmp/' | head -n1 || true)
  if [ -n "$target" ]; then
    current=$(update-alternatives --query "$alt" 2>/dev/null | awk '/^Value:/{print $2}')
    if [ "$current" != "$target" ]; then
      "${SUDO[@]}" update-alternatives --set "$alt" "$target" >&2
    fi
  fi
done
