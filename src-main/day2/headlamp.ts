import type { Duplex } from 'node:stream';
import { KubesmithError } from '../../src-shared/errors';
import { hostsWithRole, type Cluster, type Host } from '../../src-shared/model/cluster';
import type { TransportProvider } from '../deploy/engine/transport';
import { kubectl } from '../deploy/phases/addons';
import { sh, type Shell } from '../ssh/shell';
import { openLocalTunnel, type LocalTunnel } from '../connections/local-tunnel';

/** Where the add-on manifest (resources/templates/common/addons/headlamp.yaml) puts Headlamp and its login account. */
export const HEADLAMP = { namespace: 'headlamp', service: 'headlamp', servicePort: 80, loginAccount: 'headlamp-admin' } as const;

/** How long a login token lives: long enough for a session, short enough that a copied token soon stops working. */
export const TOKEN_MINUTES = 60;

/** A short-lived token of the login account (TokenRequest API; `kubectl create token`, kubectl 1.24+). */
export function tokenCommand(minutes = TOKEN_MINUTES): Shell {
  if (!Number.isInteger(minutes) || minutes < 10 || minutes > 24 * 60) throw new Error(`token lifetime ${minutes} min is out of range`);
  return kubectl(sh`-n ${HEADLAMP.namespace} create token ${HEADLAMP.loginAccount} --duration=${`${minutes}m`}`);
}

/** The Service's ClusterIP, which a master reaches through its own kube-proxy rules. */
export function serviceIpCommand(): Shell {
  return kubectl(sh`-n ${HEADLAMP.namespace} get service ${HEADLAMP.service} -o ${'jsonpath={.spec.clusterIP}'} --request-timeout=10s`);
}

const IPV4 = /^(\d{1,3})(\.\d{1,3}){3}$/;
const IPV6 = /^[0-9a-f:]+$/i;
const TOKEN = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

export interface HeadlampAccess {
  url: string;
  token: string;
  expiresAt: string;
  via: string;
}

export interface HeadlampAccessDeps {
  transports: (cluster: Cluster) => TransportProvider;
  /** A TCP stream to address:port opened by the host over its SSH connection (SshPool.forwardOut). */
  forward: (cluster: Cluster, host: Host, address: string, port: number) => Promise<Duplex>;
  now?: () => Date;
  log?: (msg: string) => void;
}

/**
 * Opens Headlamp from this computer: a token minted on a master, and a loopback port whose connections go over the
 * app's SSH connection to that master and on to Headlamp's ClusterIP. The ClusterIP (not a NodePort) keeps Headlamp
 * off the LAN: nothing is exposed outside the cluster, and the tunnel listens on 127.0.0.1 only. One tunnel per
 * cluster, reused while its master answers; closed when the app closes.
 */
export class HeadlampTunnels {
  private readonly open = new Map<string, { tunnel: LocalTunnel; via: string; target: string }>();

  constructor(private readonly deps: HeadlampAccessDeps) {}

  async access(cluster: Cluster): Promise<HeadlampAccess> {
    if (!cluster.settings.addons.headlamp) {
      throw new KubesmithError(
        'HeadlampNotInstalled',
        `${cluster.name} has no Headlamp add-on.`,
        'Turn Headlamp on in the cluster settings (Topology → Settings), then deploy.',
      );
    }
    const masters = hostsWithRole(cluster, 'master');
    if (masters.length === 0) throw new KubesmithError('NoMaster', `${cluster.name} has no master to reach Headlamp through.`);
    const provider = this.deps.transports(cluster);
    try {
      let lastError: unknown;
      for (const master of masters) {
        try {
          return await this.through(cluster, master, provider);
        } catch (err) {
          if (err instanceof KubesmithError && err.name === 'HeadlampNotRunning') throw err;
          lastError = err;
        }
      }
      throw lastError;
    } finally {
      await provider.close();
    }
  }

  async closeAll(): Promise<void> {
    const tunnels = [...this.open.values()];
    this.open.clear();
    await Promise.all(tunnels.map((t) => t.tunnel.close()));
  }

  private async through(cluster: Cluster, master: Host, provider: TransportProvider): Promise<HeadlampAccess> {
    const host = provider.forHost(master);
    const ip = await host.exec(serviceIpCommand().command, { timeoutMs: 20_000 });
    const address = ip.stdout.trim();
    if (ip.code !== 0 || !(IPV4.test(address) || IPV6.test(address))) {
      throw new KubesmithError(
        'HeadlampNotRunning',
        `Headlamp's Service was not found on ${cluster.name}${ip.stderr.trim() ? `: ${ip.stderr.trim()}` : ''}.`,
        'Deploy the cluster with the Headlamp add-on turned on, then try again.',
      );
    }
    const minted = await host.exec(tokenCommand().command, { timeoutMs: 20_000 });
    const token = minted.stdout.trim();
    if (minted.code !== 0 || !TOKEN.test(token)) {
      throw new KubesmithError(
        'HeadlampTokenFailed',
        `${master.name} could not make a Headlamp login token${minted.stderr.trim() ? `: ${minted.stderr.trim()}` : ''}.`,
        `Check that the ${HEADLAMP.loginAccount} service account exists in the ${HEADLAMP.namespace} namespace (redeploy the add-on).`,
      );
    }
    const now = (this.deps.now ?? (() => new Date()))();
    const tunnel = await this.tunnelFor(cluster, master, address);
    return { url: tunnel.url, token, expiresAt: new Date(now.getTime() + TOKEN_MINUTES * 60_000).toISOString(), via: master.name };
  }

  private async tunnelFor(cluster: Cluster, master: Host, address: string): Promise<LocalTunnel> {
    const target = `${master.id}>${address}:${HEADLAMP.servicePort}`;
    const existing = this.open.get(cluster.name);
    if (existing && existing.target === target) return existing.tunnel;
    if (existing) {
      this.open.delete(cluster.name);
      await existing.tunnel.close();
    }
    // One stream checked before the port is handed out, so a refused forward is an error here, not a blank page.
    (await this.deps.forward(cluster, master, address, HEADLAMP.servicePort)).destroy();
    const tunnel = await openLocalTunnel({
      open: () => this.deps.forward(cluster, master, address, HEADLAMP.servicePort),
      onError: (err) => this.deps.log?.(`Headlamp tunnel of ${cluster.name}: ${err instanceof Error ? err.message : String(err)}`),
    });
    this.open.set(cluster.name, { tunnel, via: master.name, target });
    return tunnel;
  }
}
