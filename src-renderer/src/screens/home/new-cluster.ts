import type { SshAlias } from '../../../../src-shared/contract/inventory';

/** What ~/.ssh/config and the agent offer a new cluster's hosts (hosts.sshConfigAliases). */
export interface SshSetup {
  found?: boolean;
  aliases: SshAlias[];
  defaults?: Omit<SshAlias, 'alias' | 'hostName'> | undefined;
  agent?: boolean | undefined;
}

export const AGENT = 'agent';

/** The logins offered: every key file the config names ("Host *" first), and the agent when one runs. */
export function loginChoices(setup: SshSetup | undefined): string[] {
  const keys = [setup?.defaults?.identityFile, ...(setup?.aliases ?? []).map((a) => a.identityFile)].filter(
    (k): k is string => k !== undefined,
  );
  const unique = [...new Set(keys)];
  return setup?.agent || unique.length === 0 ? [...unique, AGENT] : unique;
}

/** "Host *"'s key when there is one, else the agent when it runs, else the first key the config names. */
export function defaultLogin(setup: SshSetup | undefined): string {
  if (setup?.defaults?.identityFile) return setup.defaults.identityFile;
  const choices = loginChoices(setup);
  return setup?.agent ? AGENT : (choices[0] ?? AGENT);
}

/** homelab, or homelab-2, -3… when taken. */
export function defaultClusterName(taken: readonly string[]): string {
  if (!taken.includes('homelab')) return 'homelab';
  for (let i = 2; ; i++) if (!taken.includes(`homelab-${i}`)) return `homelab-${i}`;
}
