#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The Debian packages (scripts/package) installed with dpkg over Debian's Perl lacme and
# lacme-accountd on a host where the Perl ones issue from pebble with /etc/lacme as the
# administrator configured it; then the renewal service (lacme.service's ExecStart, under the
# unit's capability bounding set and file-system directives) renews that certificate with the
# installed files only and the same, untouched /etc/lacme.
#
# Where: a chroot whose root is an overlay of this machine's own root file system (lower, read
# only) and a directory in the test's temp dir (upper), in the test's private mount namespace.
# dpkg -i inside it is a real upgrade of the Perl packages this machine has (its dpkg database,
# users and /etc/lacme as they are), every write lands in the upper directory, and nothing
# outside the test sees it: the machine's Perl lacme, the other tests' oracle, is untouched.
# A chroot bootstrapped with mmdebstrap would download a system from Debian's mirror on every
# run (minutes, and a test reaching outside loopback); this one takes a second.
# systemd does not run in the chroot: the renewal runs the installed unit's ExecStart the way
# systemd would start it for lacme.timer (see renew_as_the_unit below).
#
# The .debs: LACME_DEB_DIR if set, else $BUILD/deb, built there by scripts/package when absent
# or made from another commit than the source tree's HEAD (a full Release build: slow once).
T_PRIVATE_MOUNTS=1
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/master_lib.sh"
t_require dpkg-deb
debs=${LACME_DEB_DIR:-$BUILD/deb}
head=$(git -C "$SRC" rev-parse HEAD 2>/dev/null || echo unknown)
if [ -z "${LACME_DEB_DIR:-}" ] && [ "$(cat "$debs/commit" 2>/dev/null)" != "$head" ]; then
    rm -f "$debs"/*.deb
    bash "$SRC/scripts/package" "$debs" >"$T/package.log" 2>&1 || t_fail "scripts/package: $(tail -n 20 "$T/package.log")"
    echo "$head" >"$debs/commit"
fi
# shellcheck disable=SC2012  # dpkg-buildpackage's own file names; the newest version sorts last
lacme_deb=$(ls "$debs"/lacme_*.deb 2>/dev/null | tail -n 1)
# shellcheck disable=SC2012  # as above
accountd_deb=$(ls "$debs"/lacme-accountd_*.deb 2>/dev/null | tail -n 1)
[ -f "$lacme_deb" ] && [ -f "$accountd_deb" ] || t_fail "no lacme and lacme-accountd .debs in $debs"
dpkg-query -W -f='${Version}' lacme lacme-accountd >/dev/null 2>&1 || t_fail "Debian's lacme and lacme-accountd are not installed (scripts/install-deps)"
t_master_up

root="$T/root"
mkdir -p "$T/upper" "$T/overlay-work" "$root"
mount -t overlay overlay -o "lowerdir=/,upperdir=$T/upper,workdir=$T/overlay-work" "$root"
# Lazily: detached at once even if busy, so the temp dir's removal never reaches through it.
t_on_exit "umount -lR '$root'"
mount -t proc proc "$root/proc"
mount --rbind /dev "$root/dev"
mount -t tmpfs -o mode=0755 tmpfs "$root/run"
in_root() { env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LC_ALL=C.UTF-8 chroot "$root" "$@"; }

# The host as its administrator set it up for Debian's Perl lacme: the ACME server, the
# webserver's address, an RSA account key (Perl's accountd reads only those) and a certificate
# section in lacme-certs.conf.d/, installed in /etc/ssl/lacme (a ReadWritePaths of lacme.service).
# pebble's certificates are valid for years: min-days beyond that makes every run a renewal.
sed -i -e "/^\[client\]/a server = $PEBBLE_URL" -e "/^\[webserver\]/a listen = 127.0.0.1:$HTTP01_PORT" "$root/etc/lacme/lacme.conf"
echo "; edited by the administrator" >>"$root/etc/lacme/lacme.conf"
t_keygen "$root/etc/lacme/account.key" rsa2048
echo "privkey = file:/etc/lacme/account.key" >>"$root/etc/lacme/lacme-accountd.conf"
mkdir -p "$root/etc/ssl/lacme"
t_keygen "$root/etc/ssl/lacme/www.key" p256
cp "$PEBBLE_ROOTS" "$root/etc/ssl/lacme/pebble-roots.pem"
cat >"$root/etc/lacme/lacme-certs.conf.d/www.conf" <<CONF
[www]
certificate-key = /etc/ssl/lacme/www.key
certificate-chain = /etc/ssl/lacme/www.pem
subject = /CN=www.package.example.org
subjectAltName = DNS:www.package.example.org
CAfile = /etc/ssl/lacme/pebble-roots.pem
min-days = 100000
CONF
# Perl's client does not retry pebble's badNonce rejections (5%, a few per issuance): retried here
# (a registration that got through answers the next attempts with an error, and its Key ID).
perl_issues() {
    for _ in 1 2 3 4 5 6; do
        in_root /usr/sbin/lacme account --register --tos-agreed >>"$T/perl-register.log" 2>&1 || true
        grep -q '^Key ID: https' "$T/perl-register.log" && in_root /usr/sbin/lacme newOrder >"$T/perl-order.log" 2>&1 && return 0
    done
    return 1
}
perl_issues || t_fail "Debian's Perl lacme does not issue: $(cat "$T/perl-register.log" "$T/perl-order.log")"
t_verify_chain "$root/etc/ssl/lacme/www.pem" www.package.example.org
perl_serial=$(openssl x509 -in "$root/etc/ssl/lacme/www.pem" -noout -serial)
t_pass "Debian's Perl lacme $(dpkg-query -W -f='${Version}' lacme) issues with the administrator's /etc/lacme"

etc_digest() { (cd "$root/etc/lacme" && find . -type f -exec sha256sum {} + | sort); }
etc_digest >"$T/etc-before"
# Users the postinst must make (a host where they never existed).
in_root userdel _lacme-client
in_root userdel _lacme-www

mkdir "$root/debs"
cp "$lacme_deb" "$accountd_deb" "$root/debs/"
in_root dpkg -i /debs/"$(basename "$lacme_deb")" /debs/"$(basename "$accountd_deb")" >"$T/dpkg.log" 2>&1 ||
    t_fail "dpkg -i: $(tail -n 20 "$T/dpkg.log")"
version=$(dpkg-deb -f "$lacme_deb" Version)
# shellcheck disable=SC2016  # dpkg-query's format fields, not shell expansions
[ "$(in_root dpkg-query -W -f='${Version} ' lacme lacme-accountd)" = "$version $version " ] ||
    t_fail "installed: $(in_root dpkg-query -W -f='${Package} ${Version} ' lacme lacme-accountd)"
in_root /usr/bin/lacme-accountd --version | grep -q lacme-cpp || t_fail "/usr/bin/lacme-accountd is not ours"
in_root /usr/sbin/lacme --version | grep -q lacme-cpp || t_fail "/usr/sbin/lacme is not ours"
t_pass "dpkg -i upgrades Debian's Perl lacme $(dpkg-query -W -f='${Version}' lacme) to ours ($version)"

etc_digest >"$T/etc-after"
diff "$T/etc-before" "$T/etc-after" >"$T/etc.diff" || t_fail "/etc/lacme changed: $(cat "$T/etc.diff")"
t_pass "/etc/lacme is untouched by the upgrade (the administrator's edits included)"

in_root getent passwd _lacme-client >/dev/null && in_root getent passwd _lacme-www >/dev/null ||
    t_fail "postinst made no _lacme-client/_lacme-www"
for f in /usr/sbin/lacme /usr/libexec/lacme/client /usr/libexec/lacme/webserver /usr/bin/lacme-accountd \
    /lib/systemd/system/lacme.service /lib/systemd/system/lacme.timer /lib/systemd/system/lacme-accountd@.service \
    /usr/share/man/man8/lacme.8.gz /usr/share/man/man1/lacme-accountd.1.gz /usr/share/man/man5/lacme.conf.5.gz \
    /usr/share/bash-completion/completions/lacme /etc/logrotate.d/lacme-accountd /usr/share/lacme/ca-certificates.crt; do
    [ -e "$root$f" ] || t_fail "not installed: $f"
done
t_pass "postinst made lacme's users; binaries, units, man pages, completion and logrotate in place"

# Installed, the units' Documentation= pages exist too: no --man=no.
units="/lib/systemd/system/lacme.service /lib/systemd/system/lacme.timer /lib/systemd/system/lacme-accountd@.service /lib/systemd/system/lacme-forward@.service"
# shellcheck disable=SC2086 # one word per unit
out=$(in_root systemd-analyze verify $units 2>&1) && [ -z "$out" ] || t_fail "systemd-analyze verify (installed units): $out"
t_pass "systemd-analyze verify accepts the installed units, manual pages included"

# What systemd does when lacme.timer starts lacme.service, by hand: the unit's ExecStart, in a
# mount namespace of its own where the root is read-only but for the unit's ReadWritePaths
# (ProtectSystem=strict), with fresh /tmp and /var/tmp (PrivateTmp), under the unit's
# capability bounding set. The other directives (seccomp, namespaces, ProtectKernel*) are
# systemd's alone; systemd_renewal_units checks them with systemd-analyze.
unit="$root/lib/systemd/system/lacme.service"
renew_as_the_unit() {
    local writable="" p
    for p in $(t_unit_value "$unit" ReadWritePaths); do
        p=${p#-}
        [ -d "$root$p" ] && writable="$writable $p"
    done
    # shellcheck disable=SC2016,SC2046 # the sh -c script expands its own variables; ExecStart is
    # a command line, split as systemd splits it here
    unshare --mount --propagation private -- sh -ec '
        root=$1 writable=$2 caps=$3; shift 3
        for p in $writable; do mount --bind "$root$p" "$root$p"; done
        mount -o remount,bind,ro "$root"
        mount -t tmpfs -o mode=1777 tmpfs "$root/tmp"
        mount -t tmpfs -o mode=1777 tmpfs "$root/var/tmp"
        exec env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LC_ALL=C.UTF-8 chroot "$root" \
            setpriv --bounding-set="-all,$caps" --inh-caps=-all -- "$@"' \
        sh "$root" "$writable" "$(t_unit_caps "$unit")" $(t_unit_value "$unit" ExecStart)
}
renew_as_the_unit >"$T/renew.log" 2>&1 || t_fail "lacme.service's ExecStart: $(cat "$T/renew.log")"
t_verify_chain "$root/etc/ssl/lacme/www.pem" www.package.example.org
[ "$(openssl x509 -in "$root/etc/ssl/lacme/www.pem" -noout -serial)" != "$perl_serial" ] ||
    t_fail "lacme.service left the Perl-issued certificate in place: $(cat "$T/renew.log")"
etc_digest >"$T/etc-renewed"
diff "$T/etc-before" "$T/etc-renewed" >"$T/etc.diff" || t_fail "/etc/lacme changed by the renewal: $(cat "$T/etc.diff")"
t_pass "lacme.service (ExecStart as systemd runs it) renews the Perl-issued certificate with the installed files and the untouched /etc/lacme"
t_done
