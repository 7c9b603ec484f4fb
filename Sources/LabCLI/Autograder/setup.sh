#!/usr/bin/env bash
# Gradescope runs this once, as root, when it builds the autograder's image from the zip
# (unpacked in /autograder/source). It installs what SelfSup Lab needs and builds
# `selfsup` from the source in lab/, then links it as /usr/local/bin/selfsup.
#
# Target: Gradescope's base image gradescope/autograder-base:ubuntu-22.04 (Ubuntu 22.04,
# glibc 2.35), the default. Debian 12 (glibc 2.36) works the same way.
#
# Why from source: a selfsup built elsewhere needs that system's C library (one built on
# Debian 12 asks for glibc 2.36 and does not start on Ubuntu 22.04), so the lab is built
# here, with the Swift toolchain made for this system.
#
# Network: the distribution's package mirrors (apt), swift.org (the toolchain, its
# signature and Swift's public keys, over HTTPS) and github.com (the lab's Swift package
# dependencies, fetched by SwiftPM). When a Swift 6.3.1 is already on PATH (an image that
# has one), the toolchain is not downloaded.
set -euo pipefail

swift_version=6.3.1
# Swift 6.x Release Signing Key <swift-infrastructure@forums.swift.org>: the toolchain's
# signature must be by this key, whatever the downloaded key file holds.
swift_key=52BB7E3DE28A71BE22EC05FFEF80A866B47A981F
# The toolchain's SHA-256, when you want it checked as well (empty: the signature only).
swift_sha256=""

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
lab="$here/lab"
export DEBIAN_FRONTEND=noninteractive

say() { echo "selfsup setup: $*" >&2; }
die() { say "$*"; exit 1; }

[ -f "$lab/Package.swift" ] || die "no lab source beside this script ($lab/Package.swift is missing)"
[ -r /etc/os-release ] || die "cannot tell the system: /etc/os-release is missing"
# shellcheck disable=SC1091
. /etc/os-release
case "${ID:-}-${VERSION_ID:-}" in
    # What the Swift toolchain needs there, as Swift's own images of that system install it.
    ubuntu-22.04)
        platform=ubuntu22.04
        swift_packages=(binutils git gnupg2 libc6-dev libcurl4-openssl-dev libedit2 libgcc-11-dev libpython3-dev
                        libsqlite3-0 libstdc++-11-dev libxml2-dev libz3-dev pkg-config python3-lldb-13 tzdata
                        zlib1g-dev unzip) ;;
    debian-12)
        platform=debian12
        swift_packages=(binutils libicu-dev libcurl4-openssl-dev libedit-dev libsqlite3-dev libncurses-dev
                        libpython3-dev libxml2-dev pkg-config uuid-dev tzdata git gcc libstdc++-12-dev gnupg) ;;
    *) die "this script knows Ubuntu 22.04 (Gradescope's default base image) and Debian 12, not ${PRETTY_NAME:-this system}" ;;
esac
case "$(dpkg --print-architecture)" in
    amd64) arch_suffix="" ;;
    arm64) arch_suffix="-aarch64" ;;
    *) die "no Swift toolchain for the $(dpkg --print-architecture) architecture" ;;
esac

say "installing packages"
apt-get update -q
# The toolchain's packages, what the lab links (OpenBLAS, libedit, ZeroMQ) and what this
# script and run_autograder use (curl to download, coreutils' timeout).
apt-get install -y -q --no-install-recommends "${swift_packages[@]}" \
    libopenblas-dev libedit-dev libzmq3-dev curl ca-certificates coreutils

if swift --version 2>/dev/null | grep -q "Swift version $swift_version "; then
    say "Swift $swift_version is already here: $(command -v swift)"
else
    name="swift-$swift_version-RELEASE"
    url="https://download.swift.org/swift-$swift_version-release/${platform//./}$arch_suffix/$name/$name-$platform$arch_suffix.tar.gz"
    work=$(mktemp -d)
    say "downloading $url"
    download() { curl -fsSL --retry 3 "$1" -o "$work/$2" || die "cannot download $1 (this script needs swift.org)"; }
    download "$url" swift.tar.gz
    download "$url.sig" swift.tar.gz.sig
    download https://www.swift.org/keys/all-keys.asc keys.asc
    if [ -n "$swift_sha256" ]; then
        echo "$swift_sha256  $work/swift.tar.gz" | sha256sum --check --strict - || die "the toolchain's checksum does not match"
    fi
    export GNUPGHOME="$work/gnupg"
    mkdir -m 700 "$GNUPGHOME"
    gpg --batch --quiet --import "$work/keys.asc"
    # A good signature (VALIDSIG) made by the pinned key, read from gpg's status lines:
    # its exit status also depends on the key's trust and expiry date, not on the file.
    gpg --batch --status-fd 1 --verify "$work/swift.tar.gz.sig" "$work/swift.tar.gz" 2>/dev/null \
        | grep -q "^\[GNUPG:\] VALIDSIG .*$swift_key" \
        || die "the toolchain's signature is not a good one by Swift's release key $swift_key"
    say "signature checked (key $swift_key); unpacking into /usr"
    tar -xzf "$work/swift.tar.gz" --directory / --strip-components=1
    chmod -R o+r /usr/lib/swift
    rm -rf "$work"
fi
swift --version

say "building selfsup (release)"
cd "$lab"
swift build -c release --product selfsup
ln -sf "$lab/.build/release/selfsup" /usr/local/bin/selfsup

# A first grading, of the official starter itself, proves the build runs here: it must
# finish (its score is 0) and write a results file.
check=$(mktemp -d)
SELFSUP_HOME="$check" /usr/local/bin/selfsup grade "$here/exercise/@EXERCISE@.lab" \
    --official "$here/exercise/@EXERCISE@.lab" --json "$check/results.json" > "$check/report.txt" \
    || { cat "$check/report.txt" >&2; die "selfsup was built but could not grade the starter"; }
[ -s "$check/results.json" ] || die "selfsup graded the starter but wrote no results"
rm -rf "$check"
say "ready: $(/usr/local/bin/selfsup --version) grades @EXERCISE@"
