#!/usr/bin/env bash
# Makes sure the system libraries treatypress needs are present.
#   tools/system-deps.sh check         report what is present (exit 1 if a required one is missing)
#   tools/system-deps.sh install       install what is missing when root on Debian/Ubuntu; otherwise
#                                      print exactly what to install
#   tools/system-deps.sh install-test  the same, plus the renderers the tests draw every PDF with
#                                      (MuPDF, Ghostscript, poppler); when they cannot be installed
#                                      it says what to install and the tests that need them skip
#   tools/system-deps.sh install-all   everything below, optional ones included
#   tools/system-deps.sh fonts PKG...  the font packages content needs to cut new characters
#                                      (make pdf passes what 'treatypress fonts --packages' lists)
set -u
mode=${1:-install}
case "$mode" in
  check|install|install-test|install-all) ;;
  fonts)
    shift
    [ $# -eq 0 ] && exit 0
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
      echo "Installing the font packages content needs: $*"
      export DEBIAN_FRONTEND=noninteractive
      apt-get install -y -q -o DPkg::Lock::Timeout=600 "$@" >/dev/null 2>&1 \
        || { apt-get update -q >/dev/null 2>&1 && apt-get install -y -q "$@" >/dev/null; } \
        || { echo "apt-get could not install: $*" >&2; exit 1; }
    else
      echo "Content uses characters the bundled font subsets lack; install:  sudo apt-get install $*" >&2
    fi
    exit 0 ;;
  *) sed -n 2,11p "$0" >&2; exit 2 ;;
esac

# name | how to detect | Debian package | needed: yes (always), test (make test), no (optional)
deps=(
  "Pango (text layout for WeasyPrint)|lib:libpango-1.0.so.0|libpango-1.0-0|yes"
  "Pango FreeType backend|lib:libpangoft2-1.0.so.0|libpangoft2-1.0-0|yes"
  "HarfBuzz subsetter (fast, reproducible font subsetting)|lib:libharfbuzz-subset.so.0|libharfbuzz-subset0|yes"
  "fontconfig|lib:libfontconfig.so.1|libfontconfig1|yes"
  "MuPDF command line (tests: every PDF draws in MuPDF)|bin:mutool|mupdf-tools|test"
  "Ghostscript (tests: every PDF draws in Ghostscript)|bin:gs|ghostscript|test"
  "poppler-utils (pdftoppm and pdffonts for checking PDFs)|bin:pdftoppm|poppler-utils|test"
  "Chromium (tests: the web pages open in a real browser at phone and desktop widths)|bin:chromium|chromium|test"
  "qpdf command line (optional: the tests use the qpdf inside pikepdf)|bin:qpdf|qpdf|no"
  "Noto Serif CJK (source of the Chinese, Japanese and Korean subsets; tests recut them)|file:/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc|fonts-noto-cjk|test"
  "Noto core fonts (sources of the other script subsets; tests set a title in each script)|file:/usr/share/fonts/truetype/noto/NotoNaskhArabic-Regular.ttf|fonts-noto-core|test"
)

present() {
  case "$1" in
    lib:*) ldconfig -p 2>/dev/null | grep -q "${1#lib:}" ;;
    bin:*) command -v "${1#bin:}" >/dev/null 2>&1 ;;
    file:*) [ -e "${1#file:}" ] ;;
  esac
}

wanted() {  # is a package of this kind installed in this mode?
  case "$1/$mode" in
    yes/*|test/install-test|*/install-all) return 0 ;;
    *) return 1 ;;
  esac
}

missing=(); missing_required=0
for entry in "${deps[@]}"; do
  IFS='|' read -r label probe pkg needed <<<"$entry"
  if present "$probe"; then
    [ "$mode" = check ] && printf '  ok       %-22s %s\n' "$pkg" "$label"
  else
    [ "$mode" = check ] && printf '  MISSING  %-22s %s\n' "$pkg" "$label"
    if wanted "$needed"; then
      missing+=("$pkg")
      [ "$needed" = yes ] && missing_required=1
    fi
  fi
done

if [ "$mode" = check ]; then
  exit $missing_required
fi
[ ${#missing[@]} -eq 0 ] && exit 0

# In install-test mode, renderers for the tests that cannot be installed are not an error: the tests
# that need them skip, each saying what to install.
optional_only=0
[ "$mode" = install-test ] && [ $missing_required = 0 ] && optional_only=1

if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing system packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt="apt-get install -y -q -o DPkg::Lock::Timeout=600"
  $apt "${missing[@]}" >/dev/null 2>&1 \
    || { apt-get update -q >/dev/null 2>&1 && $apt "${missing[@]}" >/dev/null; } \
    || { echo "apt-get could not install: ${missing[*]}" >&2; [ $optional_only = 1 ] || exit 1; }
elif [ $optional_only = 1 ]; then
  echo "Some tests draw every PDF with other renderers; to run them too:  sudo apt-get install ${missing[*]}" >&2
else
  echo "treatypress needs these system packages: ${missing[*]}" >&2
  echo "Install them with:  sudo apt-get install ${missing[*]}" >&2
  echo "(on other systems: Pango >= 1.44 with HarfBuzz, including its subset library, and qpdf)" >&2
  exit 1
fi
