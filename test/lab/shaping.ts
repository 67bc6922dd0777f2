import { hostLink, NETNS, ROOT_VETH } from './config';
import { run, runOk } from './exec';
import type { LabHost } from './types';

/**
 * Link shaping with tc's token bucket filter (tc-tbf(8)): what leaves an interface goes at most `mbit` Mbit/s.
 * `kslab-root` is the test runner's veth into the lab bridge, so its egress is this computer's uplink to every host;
 * host-to-host traffic is bridged between the hosts' ports (`vb-nodeN`) and never crosses it. A host port's egress
 * is what reaches that host.
 */
async function shapeEgress(dev: string, mbit: number, inLab: boolean): Promise<void> {
  const ns = inLab ? ['-n', NETNS] : [];
  // burst: a few ms of the rate, at least one 64 KiB GSO segment; latency bounds the queue (drops beyond it).
  await runOk('tc', [...ns, 'qdisc', 'replace', 'dev', dev, 'root', 'tbf', 'rate', `${mbit}mbit`, 'burst', '256kb', 'latency', '100ms']);
}

async function unshapeEgress(dev: string, inLab: boolean): Promise<void> {
  const ns = inLab ? ['-n', NETNS] : [];
  // No shaping there already is fine: this runs in finally blocks and signal handlers.
  await run('tc', [...ns, 'qdisc', 'del', 'dev', dev, 'root']);
}

/** This computer's link to the whole lab, shaped like a home uplink. */
export const shapeUplink = (mbit: number): Promise<void> => shapeEgress(ROOT_VETH, mbit, false);
export const unshapeUplink = (): Promise<void> => unshapeEgress(ROOT_VETH, false);

/** Everything that reaches one host (from this computer and from the other hosts). */
export const shapeHostPort = (host: Pick<LabHost, 'name'>, mbit: number): Promise<void> => shapeEgress(hostLink(host.name), mbit, true);
export const unshapeHostPort = (host: Pick<LabHost, 'name'>): Promise<void> => unshapeEgress(hostLink(host.name), true);

/** The shaping on an interface as tc shows it (for a check that it is gone). */
export async function qdiscOf(dev: string, inLab: boolean): Promise<string> {
  return (await run('tc', [...(inLab ? ['-n', NETNS] : []), 'qdisc', 'show', 'dev', dev])).stdout;
}
