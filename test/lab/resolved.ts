import { labSsh } from './ssh';
import type { LabHost } from './types';

/**
 * Makes a lab host resolve names the way Ubuntu does out of the box: systemd-resolved running and /etc/resolv.conf a
 * link to its stub file (`nameserver 127.0.0.53`). The image installs resolved from the same bookworm mirror as
 * everything else and leaves it off; hosts go back to the plain file on the next boot (labDown drops the overlay).
 */
export async function useSystemdResolved(host: LabHost): Promise<void> {
  const r = await labSsh(
    host.address,
    'systemctl enable --now --quiet systemd-resolved && ln -sfn ../run/systemd/resolve/stub-resolv.conf /etc/resolv.conf && ' +
      "for i in $(seq 1 20); do grep -q '^nameserver 127.0.0.53$' /etc/resolv.conf && test -f /run/systemd/resolve/resolv.conf && exit 0; sleep 0.5; done; exit 1",
  );
  if (r.code !== 0) throw new Error(`${host.name}: systemd-resolved did not come up (exit ${r.code}): ${r.stderr}${r.stdout}`);
}
