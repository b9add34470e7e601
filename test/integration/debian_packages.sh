#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The Debian packages (scripts/package) installed with dpkg over Debian's Perl lacme and
# lacme-accountd, then issuing a certificate from pebble with the installed files only.
#
# Where: a chroot whose root is an overlay of this machine's own root file system (lower, read
# only) and a directory in the test's temp dir (upper), in the test's private mount namespace.
# dpkg -i inside it is a real upgrade of the Perl packages this machine has (its dpkg database,
# users and /etc/lacme as they are), every write lands in the upper directory, and nothing
# outside the test sees it: the machine's Perl lacme, the other tests' oracle, is untouched.
# A chroot bootstrapped with mmdebstrap would download a system from Debian's mirror on every
# run (minutes, and a test reaching outside loopback); this one takes a second.
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
lacme_deb=$(ls "$debs"/lacme_*.deb 2>/dev/null | tail -n 1)
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

# The administrator's /etc/lacme, as Debian's packages left it plus an edit, must survive.
echo "; edited by the administrator" >>"$root/etc/lacme/lacme.conf"
(cd "$root/etc/lacme" && find . -type f -exec sha256sum {} + | sort) >"$T/etc-before"
# Users the postinst must make (a host where they never existed).
in_root userdel _lacme-client
in_root userdel _lacme-www

mkdir "$root/debs"
cp "$lacme_deb" "$accountd_deb" "$root/debs/"
in_root dpkg -i /debs/"$(basename "$lacme_deb")" /debs/"$(basename "$accountd_deb")" >"$T/dpkg.log" 2>&1 ||
    t_fail "dpkg -i: $(tail -n 20 "$T/dpkg.log")"
version=$(dpkg-deb -f "$lacme_deb" Version)
[ "$(in_root dpkg-query -W -f='${Version} ${Version}' lacme lacme-accountd)" = "$version $version" ] ||
    t_fail "installed: $(in_root dpkg-query -W -f='${Package} ${Version} ' lacme lacme-accountd)"
in_root /usr/bin/lacme-accountd --version | grep -q lacme-cpp || t_fail "/usr/bin/lacme-accountd is not ours"
in_root /usr/sbin/lacme --version | grep -q lacme-cpp || t_fail "/usr/sbin/lacme is not ours"
t_pass "dpkg -i upgrades Debian's Perl lacme $(dpkg-query -W -f='${Version}' lacme) to ours ($version)"

(cd "$root/etc/lacme" && find . -type f -exec sha256sum {} + | sort) >"$T/etc-after"
diff "$T/etc-before" "$T/etc-after" >"$T/etc.diff" || t_fail "/etc/lacme changed: $(cat "$T/etc.diff")"
t_pass "/etc/lacme is untouched by the upgrade (the administrator's edit included)"

in_root getent passwd _lacme-client >/dev/null && in_root getent passwd _lacme-www >/dev/null ||
    t_fail "postinst made no _lacme-client/_lacme-www"
for f in /usr/sbin/lacme /usr/libexec/lacme/client /usr/libexec/lacme/webserver /usr/bin/lacme-accountd \
    /lib/systemd/system/lacme.service /lib/systemd/system/lacme.timer /lib/systemd/system/lacme-accountd@.service \
    /usr/share/man/man8/lacme.8.gz /usr/share/man/man1/lacme-accountd.1.gz /usr/share/man/man5/lacme.conf.5.gz \
    /usr/share/bash-completion/completions/lacme /etc/logrotate.d/lacme-accountd /usr/share/lacme/ca-certificates.crt; do
    [ -e "$root$f" ] || t_fail "not installed: $f"
done
t_pass "postinst made lacme's users; binaries, units, man pages, completion and logrotate in place"

# A certificate with the installed programs and their defaults only: the client, webserver and
# accountd commands and users are lacme.conf's defaults, left out.
mkdir -p "$root/etc/lacme-test/certs"
in_root openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out /etc/lacme-test/account.key 2>/dev/null
in_root openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out /etc/lacme-test/certs/www.key 2>/dev/null
printf 'privkey = file:/etc/lacme-test/account.key\n' >"$root/etc/lacme-test/lacme-accountd.conf"
cat >"$root/etc/lacme-test/lacme.conf" <<CONF
config-certs = certs.conf
[client]
server = $PEBBLE_URL
[webserver]
listen = 127.0.0.1:$HTTP01_PORT
[accountd]
command = /usr/bin/lacme-accountd
config = /etc/lacme-test/lacme-accountd.conf
CONF
cp "$PEBBLE_ROOTS" "$root/etc/lacme-test/pebble-roots.pem"
cat >"$root/etc/lacme-test/certs.conf" <<CONF
[www]
certificate-key = /etc/lacme-test/certs/www.key
certificate-chain = /etc/lacme-test/certs/www.pem
subject = /CN=www.package.example.org
subjectAltName = DNS:www.package.example.org
CAfile = /etc/lacme-test/pebble-roots.pem
CONF
in_root /usr/sbin/lacme --config=/etc/lacme-test/lacme.conf account --register --tos-agreed >"$T/register.log" 2>&1 ||
    t_fail "register with the installed lacme: $(cat "$T/register.log")"
in_root /usr/sbin/lacme --config=/etc/lacme-test/lacme.conf newOrder >"$T/order.log" 2>&1 ||
    t_fail "newOrder with the installed lacme: $(cat "$T/order.log")"
t_verify_chain "$root/etc/lacme-test/certs/www.pem" www.package.example.org
t_pass "the installed lacme, client, webserver and lacme-accountd issue a certificate from pebble"
t_done
