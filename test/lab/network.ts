import { existsSync } from 'node:fs';
import { BRIDGE, BRIDGE_VETH, GATEWAY_ADDRESS, NETNS, NETNS_PATH, ROOT_ADDRESS, ROOT_VETH, SUBNET_PREFIX } from './config';
import { run, runOk, waitFor } from './exec';

const ip = (...args: string[]) => runOk('ip', args);
const ipns = (...args: string[]) => runOk('ip', ['-n', NETNS, ...args]);

export const netnsExists = (): boolean => existsSync(NETNS_PATH);

export async function linkExists(name: string, inLab = false): Promise<boolean> {
  if (inLab && !netnsExists()) return false;
  const res = await run('ip', [...(inLab ? ['-n', NETNS] : []), 'link', 'show', 'dev', name]);
  return res.code === 0;
}

/**
 * The lab network: a namespace holding a bridge that hosts join with --network-bridge, plus a veth from
 * the root namespace into that bridge so the test runner reaches hosts directly at their addresses.
 */
export async function networkUp(): Promise<void> {
  if (netnsExists() && (await linkExists(ROOT_VETH))) return;
  await networkDown();
  const clash = (await runOk('ip', ['-4', 'route', 'show', `${SUBNET_PREFIX}.0/24`])).stdout.trim();
  if (clash) throw new Error(`lab: ${SUBNET_PREFIX}.0/24 is already routed on this machine (${clash}); free it first`);
  await ip('netns', 'add', NETNS);
  await ipns('link', 'set', 'lo', 'up');
  await ipns('link', 'add', BRIDGE, 'type', 'bridge');
  await ipns('addr', 'add', `${GATEWAY_ADDRESS}/24`, 'dev', BRIDGE);
  await ipns('link', 'set', BRIDGE, 'up');
  await ip('link', 'add', ROOT_VETH, 'type', 'veth', 'peer', 'name', BRIDGE_VETH, 'netns', NETNS);
  await ipns('link', 'set', BRIDGE_VETH, 'master', BRIDGE, 'up');
  await ip('addr', 'add', `${ROOT_ADDRESS}/24`, 'dev', ROOT_VETH);
  await ip('link', 'set', ROOT_VETH, 'up');
}

export async function networkDown(): Promise<void> {
  if (await linkExists(ROOT_VETH)) await ip('link', 'del', ROOT_VETH);
  if (netnsExists()) await ip('netns', 'del', NETNS);
  // Namespace teardown is asynchronous in the kernel; callers expect the links gone on return.
  await waitFor('lab links to disappear', 10_000, async () => ((await linkExists(ROOT_VETH)) ? undefined : true));
}

/** Takes a host's bridge port down or up: to the host it looks like a pulled cable. */
export async function setHostLink(link: string, up: boolean): Promise<void> {
  await ipns('link', 'set', link, up ? 'up' : 'down');
}
