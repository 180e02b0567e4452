#!/usr/bin/env bash
# Make sure a Chromium-family browser is available for PDF output and chart images.
# Uses one that is installed; on Debian/Ubuntu as root installs Debian's chromium;
# otherwise explains how to get one and carries on (the HTML report still builds).
set -u
for b in "${EDI_BROWSER:-}" chromium chromium-browser google-chrome google-chrome-stable msedge microsoft-edge; do
  if [ -n "$b" ] && command -v "$b" >/dev/null 2>&1; then
    echo "Browser for PDF output: $(command -v "$b")"
    exit 0
  fi
done
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian's chromium for PDF output (apt-get) ..."
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq chromium >/dev/null && {
    echo "Browser for PDF output: $(command -v chromium)"; exit 0; }
  echo "apt-get could not install chromium." >&2
fi
cat >&2 <<'MSG'
No Chromium-family browser found: reports will be built as HTML only.
For the PDF and static chart images install one, e.g. `sudo apt-get install -y chromium`
(Debian/Ubuntu), Google Chrome or Microsoft Edge, or set EDI_BROWSER to a browser's path.
With Quarto installed, `edi-report build --renderer quarto` makes the PDF with Typst.
MSG
exit 0
