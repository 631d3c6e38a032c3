#!/usr/bin/env bash
# Debian packages the tests need: Chromium (browser test), CJK fonts (legible screenshots), and
# the fortune collections the house model is trained on (training-recipe test), and a C++
# compiler for llama-cpp-python, which pip builds from source.
set -euo pipefail
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium fonts-noto-cjk)
[ -f /usr/share/games/fortunes/fortunes ] || need+=(fortunes)
[ -f /usr/share/games/fortunes/tang300 ] || need+=(fortunes-zh)
command -v g++ >/dev/null 2>&1 || need+=(g++)
[ ${#need[@]} -eq 0 ] && exit 0
SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
