import { KubesmithError } from '../../src-shared/errors';
import type { Cluster } from '../../src-shared/model/cluster';
import { validateSettings, type SettingsProblemCode } from '../../src-shared/model/validate-settings';
import { classifyAddress } from '../../src-shared/net/host-address';

/** Problems that make a value unfit to be written anywhere, whatever the rest of the cluster looks like. */
const MALFORMED: ReadonlySet<SettingsProblemCode> = new Set([
  'cidrEmpty',
  'cidrSyntax',
  'cidrPrefix',
  'cidrHostBits',
  'domainInvalid',
  'sanInvalid',
  'mirrorUrl',
  'offlineFolder',
  'registryInvalid',
]);

/**
 * A second line behind the model's own gate: the values a plan writes into commands, unit files, nginx and add-on
 * manifests are checked again when the plan is built, so a cluster.yaml edited by hand (or stored before the gate
 * existed) is refused here with the field named, never turned into a command.
 */
export function checkPlanValues(cluster: Cluster): void {
  for (const host of cluster.hosts.filter((h) => h.roles.length > 0)) {
    if (classifyAddress(host.address) === undefined) {
      throw new KubesmithError(
        'InvalidHostAddress',
        `${host.name}: "${host.address}" is not an IP address or a DNS name.`,
        'Correct the address in the inventory; nothing was run.',
        { hostId: host.id, field: 'address' },
      );
    }
  }
  const problem = validateSettings(cluster.settings).find((p) => MALFORMED.has(p.code));
  if (problem) {
    throw new KubesmithError(
      'InvalidSettings',
      `The cluster setting ${problem.field} is not valid (${problem.code}: ${JSON.stringify(problem.params)}).`,
      'Correct it in the cluster settings; nothing was run.',
      { field: problem.field, code: problem.code },
    );
  }
  // Each mirror goes into a TOML basic string (containerd's hosts.toml): no quote, backslash, space or control character.
  for (const [registry, mirror] of Object.entries(cluster.settings.registryMirrors)) {
    // eslint-disable-next-line no-control-regex
    if (mirror && /["\\\s\x00-\x1f\x7f]/.test(mirror)) {
      throw new KubesmithError(
        'InvalidSettings',
        `The mirror of ${registry}, ${JSON.stringify(mirror)}, holds a quote, backslash, space or control character.`,
        'Correct it in the cluster settings; nothing was run.',
        { field: `registryMirrors.${registry}` },
      );
    }
  }
}
