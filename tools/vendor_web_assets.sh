#!/usr/bin/env bash
# Re-create the vendored browser assets of the web interface (src/caspian/web/static/vendor/)
# and its basemap (src/caspian/web/static/basemap/).
#
# NOT run at install time: the files it writes are committed, so `caspian serve` needs no
# network. Run it by hand only to upgrade a library; it needs `npm` (which fetches the two
# packages from the npm registry configured on the machine) and checks each tarball against
# the sha512 integrity recorded below, so a different file is refused.
#
#   package            version  files copied                                        licence
#   leaflet            1.9.4    dist/leaflet.js, dist/leaflet.css, dist/images/*    BSD-2-Clause
#   vazirmatn          33.0.3   fonts/webfonts/Vazirmatn-{Regular,Bold}.woff2,      SIL OFL 1.1
#                               OFL.txt, AUTHORS.txt
#   (basemap)          -        src/caspian/data/geo/region.geojson (Natural Earth 1:50m, public
#                               domain; see that folder's README) copied unchanged
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
STATIC="$ROOT/src/caspian/web/static"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

LEAFLET_VERSION=1.9.4
LEAFLET_SHA512=nxS1ynzJOmOlHp+iL3FyWqK89GtNL8U8rvlMOsQdTTssxZwCXh8N2NB3GDQOL+YR3XnWyZAxwQixURb+FA74PA==
VAZIRMATN_VERSION=33.0.3
VAZIRMATN_SHA512=fbjNc0CMjazZpIegWzz9OHGzI1APFboT+x7ZecXlUCtDe/nkyx7gtCTZnWS/+eeXG7fbfXymCPKJI8EsnM3iqw==

fetch() {  # name version expected-sha512 -> unpacked folder $WORK/<name>
  local name=$1 version=$2 sha=$3
  (cd "$WORK" && npm pack --silent "$name@$version" >/dev/null)
  local tgz="$WORK/$name-$version.tgz"
  local got
  got="$(openssl dgst -sha512 -binary "$tgz" | base64 -w0)"
  if [ "$got" != "$sha" ]; then
    echo "error: $name@$version tarball sha512 $got differs from the recorded $sha" >&2
    exit 1
  fi
  mkdir -p "$WORK/$name"
  tar xzf "$tgz" -C "$WORK/$name"
}

fetch leaflet "$LEAFLET_VERSION" "$LEAFLET_SHA512"
fetch vazirmatn "$VAZIRMATN_VERSION" "$VAZIRMATN_SHA512"

L="$STATIC/vendor/leaflet"
rm -rf "$L" && mkdir -p "$L/images"
cp "$WORK/leaflet/package/dist/leaflet.js" "$WORK/leaflet/package/dist/leaflet.css" "$L/"
cp "$WORK/leaflet/package/dist/images/"*.png "$L/images/"
cp "$WORK/leaflet/package/LICENSE" "$L/LICENSE"
echo "leaflet $LEAFLET_VERSION (npm), dist/ files unchanged" >"$L/VERSION"

V="$STATIC/vendor/vazirmatn"
rm -rf "$V" && mkdir -p "$V"
cp "$WORK/vazirmatn/package/fonts/webfonts/Vazirmatn-Regular.woff2" \
   "$WORK/vazirmatn/package/fonts/webfonts/Vazirmatn-Bold.woff2" "$V/"
cp "$WORK/vazirmatn/package/OFL.txt" "$V/LICENSE"
cp "$WORK/vazirmatn/package/AUTHORS.txt" "$V/AUTHORS.txt"
echo "vazirmatn $VAZIRMATN_VERSION (npm), fonts/webfonts/ files unchanged" >"$V/VERSION"

mkdir -p "$STATIC/basemap"
cp "$ROOT/src/caspian/data/geo/region.geojson" "$STATIC/basemap/region.geojson"

echo "vendored into $STATIC/vendor and $STATIC/basemap"
du -sh "$STATIC/vendor" "$STATIC/basemap"
