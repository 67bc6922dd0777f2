#!/bin/sh
# Runs inside the freshly debootstrapped rootfs (chroot) to turn it into a lab host image.
# Inputs (environment): LAB_PUBKEY, LAB_KERNEL, LAB_SUDOER_PASSWORD, LAB_PWUSER_PASSWORD, LAB_BUILTIN_MODULES
set -eu

# Every host must get its own identity at first boot.
rm -f /etc/ssh/ssh_host_*
: > /etc/machine-id
rm -f /var/lib/dbus/machine-id
echo lab > /etc/hostname

cat > /etc/systemd/system/ssh-hostkeys.service <<'UNIT'
[Unit]
Description=Generate this host's own SSH host keys
Before=ssh.service
ConditionPathExists=!/etc/ssh/ssh_host_ed25519_key

[Service]
Type=oneshot
ExecStart=/usr/bin/ssh-keygen -A

[Install]
WantedBy=multi-user.target
UNIT
mkdir -p /etc/systemd/system/ssh.service.d
cat > /etc/systemd/system/ssh.service.d/lab-hostkeys.conf <<'UNIT'
[Unit]
Wants=ssh-hostkeys.service
After=ssh-hostkeys.service
UNIT

cat > /etc/ssh/sshd_config.d/lab.conf <<'CONF'
PermitRootLogin prohibit-password
PubkeyAuthentication yes
PasswordAuthentication yes
UseDNS no
CONF

systemctl enable ssh-hostkeys.service ssh.service systemd-networkd.service
# Components are installed for tests to configure and start themselves.
systemctl disable etcd.service containerd.service nginx.service systemd-resolved.service
systemctl disable apt-daily.timer apt-daily-upgrade.timer dpkg-db-backup.timer e2scrub_all.timer fstrim.timer e2scrub_reap.service
# Hosts have no route to any mirror; a failing resolver config only slows things down. systemd-resolved's package
# made /etc/resolv.conf a link to its stub: a plain empty file again, until a test turns resolved on (lab/resolved.ts).
rm -f /etc/resolv.conf
: > /etc/resolv.conf

install -d -m 700 /root/.ssh
echo "$LAB_PUBKEY" > /root/.ssh/authorized_keys
chmod 600 /root/.ssh/authorized_keys

add_user() { # name, authorized key (or empty), password (or empty)
  useradd -m -s /bin/bash "$1"
  if [ -n "$3" ]; then echo "$1:$3" | chpasswd; else usermod -p '*' "$1"; fi
  if [ -n "$2" ]; then
    install -d -m 700 -o "$1" -g "$1" "/home/$1/.ssh"
    echo "$2" > "/home/$1/.ssh/authorized_keys"
    chown "$1:$1" "/home/$1/.ssh/authorized_keys"
    chmod 600 "/home/$1/.ssh/authorized_keys"
  fi
}
add_user deployer "$LAB_PUBKEY" ""
echo 'deployer ALL=(ALL) NOPASSWD:ALL' > /etc/sudoers.d/deployer
chmod 440 /etc/sudoers.d/deployer
add_user sudoer "$LAB_PUBKEY" "$LAB_SUDOER_PASSWORD"
usermod -aG sudo sudoer
add_user pwuser "" "$LAB_PWUSER_PASSWORD"

# The host kernel has these compiled in, not as modules; tell kmod so modprobe succeeds as on a VM.
moddir="/lib/modules/$LAB_KERNEL"
mkdir -p "$moddir"
: > "$moddir/modules.builtin"
: > "$moddir/modules.builtin.modinfo"
for entry in $LAB_BUILTIN_MODULES; do
  echo "kernel/$entry.ko" >> "$moddir/modules.builtin"
  name=$(basename "$entry")
  printf '%s.file=%s\0' "$name" "$name" >> "$moddir/modules.builtin.modinfo"
done
: > "$moddir/modules.order"
depmod "$LAB_KERNEL"

apt-get clean
rm -rf /var/lib/apt/lists/* /tmp/*
