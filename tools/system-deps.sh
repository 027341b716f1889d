#!/usr/bin/env bash
# Makes sure the system libraries treatypress needs are present.
#   tools/system-deps.sh check    report what is present (exit 1 if a required one is missing)
#   tools/system-deps.sh install  install what is missing when root on Debian/Ubuntu; otherwise
#                                 print exactly what to install
set -u
mode=${1:-install}

# name | how to detect | Debian package | required?
deps=(
  "Pango (text layout for WeasyPrint)|lib:libpango-1.0.so.0|libpango-1.0-0|yes"
  "Pango FreeType backend|lib:libpangoft2-1.0.so.0|libpangoft2-1.0-0|yes"
  "HarfBuzz subsetter (fast, reproducible font subsetting)|lib:libharfbuzz-subset.so.0|libharfbuzz-subset0|yes"
  "fontconfig|lib:libfontconfig.so.1|libfontconfig1|yes"
  "qpdf command line (optional: the tests use the qpdf inside pikepdf)|bin:qpdf|qpdf|no"
  "poppler-utils (page previews: make previews)|bin:pdftoppm|poppler-utils|no"
  "Noto Serif CJK (source of the bundled Chinese subset; needed only when content adds new characters)|file:/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc|fonts-noto-cjk|no"
)

present() {
  case "$1" in
    lib:*) ldconfig -p 2>/dev/null | grep -q "${1#lib:}" ;;
    bin:*) command -v "${1#bin:}" >/dev/null 2>&1 ;;
    file:*) [ -e "${1#file:}" ] ;;
  esac
}

missing=(); missing_required=0
for entry in "${deps[@]}"; do
  IFS='|' read -r label probe pkg required <<<"$entry"
  if present "$probe"; then
    [ "$mode" = check ] && printf '  ok       %-22s %s\n' "$pkg" "$label"
  else
    [ "$mode" = check ] && printf '  MISSING  %-22s %s\n' "$pkg" "$label"
    if [ "$required" = yes ] || [ "$mode" = install-all ]; then
      missing+=("$pkg"); missing_required=1
    fi
  fi
done

if [ "$mode" = check ]; then
  exit $missing_required
fi
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing system packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -q "${missing[@]}" >/dev/null 2>&1 \
    || { apt-get update -q >/dev/null 2>&1 && apt-get install -y -q "${missing[@]}" >/dev/null; } \
    || { echo "apt-get could not install: ${missing[*]}" >&2; exit 1; }
else
  echo "treatypress needs these system packages: ${missing[*]}" >&2
  echo "Install them with:  sudo apt-get install ${missing[*]}" >&2
  echo "(on other systems: Pango >= 1.44 with HarfBuzz, including its subset library, and qpdf)" >&2
  exit 1
fi
