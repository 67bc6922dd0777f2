import { randomInt } from 'node:crypto';
import { KubesmithError } from '../../../src-shared/errors';
import { classifyAddress } from '../../../src-shared/net/host-address';
import { raw, sh, shJoin, type Shell } from '../../ssh/shell';
import { atomicWriteCommand, sumsKey } from '../engine/file-step';
import { hostPort } from '../net';

/** One relay per host at a time: a fixed unit name and folder, so a stale one (a crashed run) is found and removed. */
export const RELAY_UNIT = 'kubesmith-relay.service';
export const RELAY_DIR = '/var/lib/kubesmith/relay';
/** Where the staged artifacts are, each named by its SHA-256. */
export const RELAY_FILES = `${RELAY_DIR}/www/files`;
export const RELAY_HEADER = 'X-Kubesmith-Relay';
/** The relay stops by itself after this long even if the app never comes back to stop it. */
export const RELAY_MAX_SECONDS = 6 * 3600;

/**
 * Ports the relay is started on, one at random per try. Below the NodePort range (a relay host may already be a node:
 * kube-proxy would hand a request for such a port to a Service, Kubernetes docs "Service" type NodePort) and below
 * Linux's default ephemeral range 32768–60999 (Documentation/networking/ip-sysctl: ip_local_port_range), from which
 * the host's own outgoing connections take their local ports.
 */
export const RELAY_PORTS = { first: 20_000, last: 29_999 } as const;
export const randomRelayPort = (): number => randomInt(RELAY_PORTS.first, RELAY_PORTS.last + 1);

export const stagedPath = (sha256: string, filesDir = RELAY_FILES): string => `${filesDir}/${hex64(sha256)}`;

function hex64(sha256: string): string {
  if (!/^[0-9a-f]{64}$/.test(sha256)) throw new KubesmithError('UnsafeValue', `${JSON.stringify(sha256)} is not a SHA-256.`);
  return sha256;
}

function ipOnly(address: string): string {
  const kind = classifyAddress(address);
  if (kind !== 'ipv4' && kind !== 'ipv6') {
    throw new KubesmithError(
      'UnsafeValue',
      `${JSON.stringify(address)} is not an IP address; the relay binds to and allows only IP addresses.`,
      undefined,
      {
        address,
      },
    );
  }
  return address;
}

/**
 * The relay's nginx.conf: bound to the relay host's cluster address and a port of this run, answering only the
 * cluster's hosts (allow/deny) that send the run's secret in a header, serving only the staged files by SHA-256 name.
 * Every value is checked first: addresses are IP literals, the port an integer, the secret hex.
 * nginx directives: https://nginx.org/en/docs/http/ngx_http_access_module.html, ngx_http_map_module.html.
 */
export function relayNginxConf(opts: { address: string; port: number; allow: readonly string[]; secret: string; dir?: string }): string {
  const dir = opts.dir ?? RELAY_DIR;
  if (!/^\/[\w./-]+$/.test(dir)) throw new KubesmithError('UnsafeValue', `${JSON.stringify(dir)} cannot be the relay's folder.`);
  if (!/^[0-9a-f]{32,128}$/.test(opts.secret)) throw new KubesmithError('UnsafeValue', 'The relay secret must be hex.');
  if (!Number.isInteger(opts.port) || opts.port < 1024 || opts.port > 65535)
    throw new KubesmithError('UnsafeValue', `Port ${opts.port} is out of range.`);
  const listen = hostPort(ipOnly(opts.address), opts.port);
  const allow = opts.allow.map((a) => `    allow ${ipOnly(a)};`);
  return [
    'daemon off;',
    'worker_processes 1;',
    'user nobody nogroup;',
    `pid ${dir}/nginx.pid;`,
    'error_log stderr warn;',
    'events { worker_connections 128; }',
    'http {',
    '  access_log off;',
    '  sendfile on;',
    // The secret (64 hex characters) is longer than a map key fits by default.
    '  map_hash_bucket_size 256;',
    `  client_body_temp_path ${dir}/tmp/body;`,
    `  proxy_temp_path ${dir}/tmp/proxy;`,
    `  fastcgi_temp_path ${dir}/tmp/fastcgi;`,
    `  uwsgi_temp_path ${dir}/tmp/uwsgi;`,
    `  scgi_temp_path ${dir}/tmp/scgi;`,
    `  map $http_${RELAY_HEADER.toLowerCase().replace(/-/g, '_')} $kubesmith_secret_ok { default 0; "${opts.secret}" 1; }`,
    '  server {',
    `    listen ${listen};`,
    ...allow,
    '    deny all;',
    `    root ${dir}/www;`,
    '    if ($kubesmith_secret_ok = 0) { return 403; }',
    '    location ~ "^/files/[0-9a-f]{64}$" { }',
    '    location / { return 404; }',
    '  }',
    '}',
    '',
  ].join('\n');
}

/**
 * Starts the relay on its host (the config arrives on stdin): any earlier relay (a crashed run) is stopped and its
 * folder removed first; nginx runs as a transient unit (systemd-run) that stops by itself after RELAY_MAX_SECONDS.
 * It is up once a listener on the port belongs to the unit's nginx: another program's listener there must not pass
 * for it (the hosts would fetch from that program), so a port in use is refused before nginx starts.
 * Exit 10: nginx is missing (not installed yet); 11: it did not come up (the journal says); 12: the port is in use.
 */
export function startRelayCommand(port: number): Shell {
  const files = RELAY_FILES;
  const onPort = `sport = :${port}`;
  return shJoin(
    [
      stopRelayCommand(),
      raw('command -v nginx >/dev/null || { echo "nginx is not installed on this host" >&2; exit 10; }'),
      sh`if ss -Hltn ${onPort} | grep -q .; then echo ${`port ${port} is in use on this host`} >&2; exit 12; fi`,
      sh`mkdir -p ${files} ${RELAY_DIR}/tmp && chmod 755 ${RELAY_DIR} ${RELAY_DIR}/www ${files}`,
      sh`(umask 077 && cat > ${RELAY_DIR}/nginx.conf)`,
      sh`systemd-run --quiet --collect --unit=${RELAY_UNIT} --property=RuntimeMaxSec=${RELAY_MAX_SECONDS} nginx -e stderr -p ${RELAY_DIR} -c ${RELAY_DIR}/nginx.conf`,
      sh`for i in $(seq 50); do pid=$(systemctl show -p MainPID --value ${RELAY_UNIT}); ss -Hltnp ${onPort} | grep -q "pid=$pid," && exit 0; systemctl is-failed -q ${RELAY_UNIT} && break; sleep 0.1; done`,
      sh`journalctl -u ${RELAY_UNIT} -n 5 --no-pager -o cat >&2; exit 11`,
    ],
    '\n',
  );
}

/** Stops the relay and removes its config, secret and files. Safe to run when there is none. */
export function stopRelayCommand(): Shell {
  return shJoin(
    [
      sh`systemctl stop ${RELAY_UNIT} 2>/dev/null; systemctl reset-failed ${RELAY_UNIT} 2>/dev/null`,
      sh`rm -rf ${RELAY_DIR}`,
      // The staged files' SHA-256 records (atomicWriteCommand keeps one per file it writes).
      sh`rm -f ${sumsKey(RELAY_DIR)}%*`,
    ],
    '\n',
  );
}

/** A fetch from the relay gives up on a relay that does not answer in 5 s or sends under 1 KiB/s for 20 s. */
export const RELAY_CURL_LIMITS = raw('--connect-timeout 5 --speed-limit 1024 --speed-time 20');

/**
 * Fetches an artifact from the relay (the secret header arrives on stdin, so it is never on a command line) and
 * installs it exactly as a direct upload does (atomicWriteCommand: temp file beside the target, SHA-256 checked,
 * renamed into place). A cut transfer or other bytes fail the SHA-256 check: nothing is installed.
 */
export function fetchFromRelayCommand(opts: { relayAddress: string; port: number; sha256: string; path: string; mode: string }): Shell {
  const url = relayFileUrl(opts.relayAddress, opts.port, opts.sha256);
  return sh`curl -fsS ${RELAY_CURL_LIMITS} -H @- ${url} | { ${atomicWriteCommand(opts.path, opts.sha256, opts.mode)}
}`;
}

/** Where the relay serves a staged artifact: its address (an IP literal), the run's port, the SHA-256 as the name. */
export function relayFileUrl(relayAddress: string, port: number, sha256: string): string {
  return `http://${hostPort(ipOnly(relayAddress), port)}/files/${hex64(sha256)}`;
}

/** On the relay host itself: installs the staged copy (no bytes over the desktop's link), checked the same way. */
export function installStagedCommand(opts: { sha256: string; path: string; mode: string }): Shell {
  return sh`{ ${atomicWriteCommand(opts.path, opts.sha256, opts.mode)}
} < ${stagedPath(opts.sha256)}`;
}
