#!/usr/bin/env bash
# Assembles dist/shomei_<version>_<arch>.deb from the PyInstaller bundle in
# dist/shomei/ (build it first with packaging/build_bundle.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
py=${PYTHON:-.venv/bin/python}
[ -x dist/shomei/shomei ] || { echo "build the bundle first: bash packaging/build_bundle.sh" >&2; exit 1; }

version=$("$py" -c "import signing; print(signing.__version__)")
arch=$(dpkg --print-architecture)
app_id=app.shomei.Shomei
root=build/deb/root
rm -rf build/deb && mkdir -p "$root/DEBIAN" "$root/opt" "$root/usr/bin" \
  "$root/usr/share/applications" "$root/usr/share/metainfo" \
  "$root/usr/share/icons/hicolor/scalable/apps"

cp -a dist/shomei "$root/opt/shomei"
ln -s /opt/shomei/shomei "$root/usr/bin/shomei"
install -m 644 "packaging/linux/$app_id.desktop" "$root/usr/share/applications/"
install -m 644 "packaging/linux/$app_id.metainfo.xml" "$root/usr/share/metainfo/"
install -m 644 "resources/icons/$app_id.svg" "$root/usr/share/icons/hicolor/scalable/apps/"
QT_QPA_PLATFORM=offscreen "$py" packaging/render_icons.py \
  "resources/icons/$app_id.svg" "$root/usr/share/icons/hicolor" "$app_id"
install -m 755 packaging/linux/postinst packaging/linux/postrm "$root/DEBIAN/"

size_kb=$(du -sk "$root" | cut -f1)
cat > "$root/DEBIAN/control" <<CONTROL
Package: shomei
Version: $version
Section: utils
Priority: optional
Architecture: $arch
Installed-Size: $size_kb
Depends: libc6, libegl1, libgl1, libfontconfig1, libxkbcommon0, libxkbcommon-x11-0, libdbus-1-3, libxcb-cursor0
Recommends: opensc, desktop-file-utils, shared-mime-info
Maintainer: The Shomei developers <dev@shomei.app>
Homepage: https://shomei.app/
Description: sign, seal and validate PDF documents (EU and Japanese trust)
 Shomei signs and seals PDF documents with qualified certificates,
 timestamps them, and validates received signed documents against the EU
 trusted lists and Japan's trust anchors (JPKI, GPKI, accredited services).
CONTROL
out="dist/shomei_${version}_${arch}.deb"
dpkg-deb --build --root-owner-group -Zzstd -z9 "$root" "$out" >/dev/null
echo "package: $out ($(du -h "$out" | cut -f1))"
