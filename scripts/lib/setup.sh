#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Shared by scripts/run and scripts/test: install what is missing, configure once, build.
set -euo pipefail

PROJECT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
export PROJECT_DIR

# Debian 12 packages. Charts fails to configure without libqt6opengl6-dev.
# qt6-l10n-tools: lupdate extracts the strings to translate, lrelease builds in the English plural forms.
BUILD_PACKAGES=(g++ cmake ninja-build qt6-base-dev qt6-charts-dev libqt6opengl6-dev qt6-l10n-tools)
# The install test validates the desktop files with the freedesktop tools and formats the man pages.
TEST_PACKAGES=(libbenchmark-dev clang libclang-rt-14-dev pkexec polkitd dbus forkstat
    desktop-file-utils appstream libxml2-utils shared-mime-info groff-base openssh-server)
# openssh-server: tests/remote starts a private sshd (tests/support/test_sshd.h) for the SSH
# capture. Its postinst would start the system's sshd as well; the packages named here are
# installed with services kept from starting (install_without_starting_services).
NO_SERVICE_PACKAGES=(openssh-server)
# scripts/package builds the Debian package with debhelper; its test checks it with lintian, and
# that the hicolor icon cache (whose trigger these two packages carry) picks up the icon.
PACKAGE_PACKAGES=(debhelper dpkg-dev lintian hicolor-icon-theme gtk-update-icon-cache)
# libqt6svg6: Qt renders the SVG window icon with it.
RUN_PACKAGES=(pkexec polkitd libqt6svg6)

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

as_root() {
    if [ "$(id -u)" -eq 0 ]; then
        "$@"
    elif command -v sudo >/dev/null 2>&1; then
        sudo "$@"
    else
        echo "error: installing packages needs root; run as root or install sudo" >&2
        exit 1
    fi
}

ensure_packages() {
    local missing=() quiet=()
    local package
    for package in "$@"; do
        if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed'; then
            if [[ " ${NO_SERVICE_PACKAGES[*]} " == *" $package "* ]]; then
                quiet+=("$package")
            else
                missing+=("$package")
            fi
        fi
    done
    if [ ${#missing[@]} -eq 0 ] && [ ${#quiet[@]} -eq 0 ]; then
        return 0
    fi
    local all=("${missing[@]}" "${quiet[@]}")
    log "Installing ${all[*]}"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q
    if [ ${#missing[@]} -gt 0 ]; then
        as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
    fi
    if [ ${#quiet[@]} -gt 0 ]; then
        install_without_starting_services "${quiet[@]}"
    fi
}

# Installs PACKAGES with a policy-rc.d that forbids every service action (exit 101), which
# invoke-rc.d and deb-systemd-invoke obey, so their postinst starts nothing. A policy-rc.d
# already there (a container's, an administrator's) is left as it is; ours is created with
# O_EXCL and removed however the install ends (bash runs the EXIT trap on a signal too). A
# subshell, so the trap stays local.
install_without_starting_services() (
    policy=/usr/sbin/policy-rc.d
    ours=0
    trap '[ "$ours" = 0 ] || as_root rm -f "$policy"' EXIT
    if as_root sh -c 'set -C && : >"$1"' sh "$policy" 2>/dev/null; then
        ours=1
        printf '#!/bin/sh\n# Temporary, from procscope scripts/lib/setup.sh: start no service.\nexit 101\n' |
            as_root tee "$policy" >/dev/null
        as_root chmod 755 "$policy"
    elif [ -e "$policy" ] || [ -L "$policy" ]; then
        log "Installing $* under the existing $policy"
    else
        echo "error: cannot create $policy, so installing $* could start its service" >&2
        exit 1
    fi
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$@"
    keep_services_off_at_boot "$@"
)

# The postinst of a package with a service also enables it at boot (systemd unit links, SysV
# rc links): undone for the packages just installed, so the next boot does not start them either.
# systemctl edits the links without a running systemd (and the SysV ones with them).
keep_services_off_at_boot() {
    local package file name units=() scripts=()
    for package in "$@"; do
        while read -r file; do
            name=${file##*/}
            case "$file" in
            /lib/systemd/system/*.service | /lib/systemd/system/*.socket | \
                /usr/lib/systemd/system/*.service | /usr/lib/systemd/system/*.socket)
                [[ "$name" == *@* ]] || units+=("$name") ;; # templates are never enabled by themselves
            /etc/init.d/?*) scripts+=("$name") ;;
            esac
        done < <(dpkg-query -L "$package" 2>/dev/null)
    done
    if command -v systemctl >/dev/null 2>&1 && [ ${#units[@]} -gt 0 ]; then
        as_root systemctl disable --quiet "${units[@]}" >/dev/null 2>&1 ||
            log "Could not keep ${units[*]} from starting at boot: systemctl disable ${units[*]}"
    elif command -v update-rc.d >/dev/null 2>&1; then
        for name in "${scripts[@]}"; do
            as_root update-rc.d "$name" disable >/dev/null 2>&1 ||
                log "Could not keep $name from starting at boot: update-rc.d $name disable"
        done
    fi
}

# configure_and_build PRESET [extra cmake -D arguments...]
configure_and_build() {
    local preset=$1
    shift
    cd "$PROJECT_DIR"
    local binary_dir=build
    [ "$preset" = default ] || binary_dir="build-$preset"
    # Reconfigure only when needed (ninja re-runs cmake itself when a CMakeLists.txt changes),
    # or when the caller passes cache settings.
    if [ ! -f "$binary_dir/build.ninja" ] || [ $# -gt 0 ]; then
        log "Configuring ($preset)"
        cmake --preset "$preset" "$@" >/dev/null
    fi
    log "Building ($preset)"
    cmake --build --preset "$preset"
}
