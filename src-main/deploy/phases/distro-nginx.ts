import { sh, type Shell } from '../../ssh/shell';
import { SYSTEMCTL_OFFLINE } from './no-service-starts';

/**
 * Records, before the packages step installs anything, that nginx is new on this host; removed once the
 * distribution's nginx.service is off. It carries that decision over a run stopped between the two.
 */
export const NGINX_NEW_MARKER = '/var/lib/kubesmith/nginx-new';

/**
 * Kubesmith needs nginx only as the program kube-lb (and the relay) runs with a config of its own
 * (load-balancer.ts). Debian's and Ubuntu's package also enables and starts the distribution's nginx.service with a
 * default site on port 80. Debian's packaging (github.com/u-sb/nginx-source, debian/):
 * - nginx-common ships the unit (nginx-common.nginx.service; dh_installsystemd enables and starts it, as the
 *   "Automatically added by dh_installsystemd" part of an installed /var/lib/dpkg/info/nginx-common.postinst shows);
 * - nginx-common.postinst links sites-enabled/default on a first install, and conf/sites-available/default says
 *   `listen 80 default_server; listen [::]:80 default_server;`;
 * - nginx.postinst starts the service when port 80 is free (also github.com/pexip/os-nginx, debian/nginx.postinst).
 * Left alone, every node answers HTTP and an ingress controller on hostPort 80 cannot bind.
 *
 * So where the step installs nginx for the first time, it turns that service off right after the install. A host
 * that had nginx before (the `nginx` package, or `nginx-common` under another flavour such as Ubuntu's nginx-core)
 * keeps its nginx.service as its admin left it. The install itself runs without service starts
 * (no-service-starts.ts), so nginx.service is normally not running here; it is stopped where the host's own policy
 * let it start. The disable runs offline (SYSTEMD_OFFLINE=1, as the install): it removes the symlink in
 * multi-user.target.wants, which the manager reads at the next boot or reload, and has update-rc.d turn the SysV
 * links off. Online, even with `--no-reload`, it reloaded the manager twice on the lab's Debian 12 (update-rc.d,
 * which systemctl calls for nginx's /etc/init.d script, reloads by itself): about 0.3 s of PID 1's CPU each.
 */
export function distroNginxOff(): { title: string; before: Shell; after: Shell; done: Shell } {
  const marker = NGINX_NEW_MARKER;
  // Offline (no-service-starts.ts): only the symlinks change. Where that fails, the same online, with its messages.
  const disableOffline = sh`{ ${SYSTEMCTL_OFFLINE} systemctl disable --quiet nginx.service 2>/dev/null || systemctl disable --quiet nginx.service; }`;
  return {
    title: "the distribution's nginx.service (port 80) off if this installs nginx",
    before: sh`{ dpkg-query -W -f='\${Status}\\n' nginx nginx-common 2>/dev/null | grep -q '^install ok installed$' || { mkdir -p /var/lib/kubesmith && : > ${marker}; }; }`,
    after: sh`{ [ ! -e ${marker} ] || { ${disableOffline} && { ! systemctl is-active --quiet nginx.service || systemctl stop nginx.service; } && rm -f ${marker}; }; }`,
    done: sh`[ ! -e ${marker} ]`,
  };
}
