#!/usr/bin/env bash
# One command: the Trubka desktop app as dist/trubka_<version>_amd64.deb.
#
#   packaging/linux/build-deb.sh
#
# Needs uv, dpkg-deb and binutils (PyInstaller reads ELF headers with objdump); Python
# 3.11+ with its shared library (any Debian/Ubuntu python3, or set TRUBKA_BUILD_PYTHON).
# Steps: a clean build venv from uv.lock (trubka[desktop] + PyInstaller), the PyInstaller
# one-folder bundle, a smoke run, the package tree (/opt/trubka, /usr/bin/trubka, the
# menu entry, hicolor icons, maintainer scripts), a check that Depends covers every
# system library the bundle links to, then dpkg-deb. Work files go to build/deb/.
set -euo pipefail
cd "$(dirname "$0")/../.."
REPO=$(pwd)
BUILD=$REPO/build/deb
PYTHON=${TRUBKA_BUILD_PYTHON:-3.11}
VERSION=$(sed -n 's/^version = "\(.*\)"$/\1/p' pyproject.toml | head -1)
[ -n "$VERSION" ] || { echo "no version in pyproject.toml" >&2; exit 1; }
DEB=$REPO/dist/trubka_${VERSION}_amd64.deb
step() { printf '%s build-deb: %s\n' "$(date +%T)" "$*" >&2; }

rm -rf "$BUILD"
mkdir -p "$BUILD" "$REPO/dist"

step "build venv ($PYTHON) from uv.lock"
uv export --frozen --quiet --no-emit-project --no-hashes --no-header \
  --extra desktop --extra package --output-file "$BUILD/requirements.txt"
uv venv --quiet --no-python-downloads --python "$PYTHON" "$BUILD/venv"
VPY=$BUILD/venv/bin/python
uv pip install --quiet --python "$VPY" --requirement "$BUILD/requirements.txt"
uv pip install --quiet --python "$VPY" --no-deps "$REPO"

step "PyInstaller one-folder bundle"
(cd "$BUILD" && "$BUILD/venv/bin/pyinstaller" --noconfirm --log-level WARN \
  --distpath "$BUILD/dist" --workpath "$BUILD/work" "$REPO/packaging/pyinstaller/trubka.spec")
BUNDLE=$BUILD/dist/trubka
[ "$("$BUNDLE/trubka" --version)" = "trubka $VERSION" ] || { echo "bundle does not start" >&2; exit 1; }
for needed in platforms/libqxcb.so platforms/libqoffscreen.so imageformats/libqsvg.so \
    iconengines/libqsvgicon.so; do
  [ -f "$BUNDLE/_internal/PySide6/Qt/plugins/$needed" ] \
    || { echo "bundle lacks the Qt plugin $needed" >&2; exit 1; }
done
for lang in ru en; do
  [ -f "$BUNDLE/_internal/trubka/resources/translations/trubka_$lang.qm" ] \
    || { echo "bundle lacks trubka_$lang.qm" >&2; exit 1; }
done

step "package tree"
ROOT=$BUILD/root
mkdir -p "$ROOT/opt" "$ROOT/usr/bin" "$ROOT/usr/share/applications" \
  "$ROOT/usr/share/doc/trubka" "$ROOT/DEBIAN"
cp -a "$BUNDLE" "$ROOT/opt/trubka"
ln -s /opt/trubka/trubka "$ROOT/usr/bin/trubka"
APP_ID=$("$VPY" -c 'from trubka.desktop.platform import APP_ID; print(APP_ID)')
"$VPY" -m trubka.desktop.platform.linux menu-entry /usr/bin/trubka \
  > "$ROOT/usr/share/applications/$APP_ID.desktop"
"$VPY" "$REPO/packaging/render_icons.py" hicolor "$ROOT/usr/share/icons/hicolor"
cat > "$ROOT/usr/share/doc/trubka/copyright" <<COPYRIGHT
Trubka $VERSION — MIT License, Copyright (c) 2026 The Trubka authors.
/opt/trubka bundles CPython (PSF License), Qt 6 and PySide6 (LGPLv3; shared
libraries under /opt/trubka/_internal, replaceable) and the Python packages listed in
/opt/trubka/_internal/*.dist-info, each under its own licence.
COPYRIGHT
install -m 0755 "$REPO/packaging/linux/postinst" "$REPO/packaging/linux/postrm" "$ROOT/DEBIAN/"

step "checking Depends against the bundle's system libraries"
DEPENDS=$("$VPY" "$REPO/packaging/linux/check_depends.py" "$ROOT/opt/trubka" \
  "$REPO/packaging/linux/depends.txt")
SIZE=$(du -sk --exclude=DEBIAN "$ROOT" | cut -f1)
sed -e "s/@VERSION@/$VERSION/" -e "s/@INSTALLED_SIZE@/$SIZE/" -e "s/@DEPENDS@/$DEPENDS/" \
  "$REPO/packaging/linux/control.in" > "$ROOT/DEBIAN/control"

step "dpkg-deb"
find "$ROOT" -type d -exec chmod 0755 {} +
dpkg-deb --root-owner-group -Zxz --build "$ROOT" "$DEB" >/dev/null
step "built $DEB ($(du -h "$DEB" | cut -f1))"
echo "$DEB"
