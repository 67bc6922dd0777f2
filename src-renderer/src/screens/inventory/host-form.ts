import type { HostInput, HostSecretsInput, SshAlias } from '../../../../src-shared/contract/inventory';
import { isJumpSpec } from '../../../../src-shared/inventory/jump-spec';
import type { Host, SudoMode } from '../../../../src-shared/model/cluster';
import { classifyAddress, normalizeAddress } from '../../../../src-shared/net/host-address';

/** The add/edit form as the user fills it: strings as typed, secrets only when typed. */
export interface HostFormState {
  id: string | undefined;
  name: string;
  address: string;
  port: string;
  user: string;
  authKind: 'key' | 'agent' | 'password';
  keyPath: string;
  hasPassphrase: boolean;
  passphrase: string;
  password: string;
  sudo: SudoMode;
  sudoPassword: string;
  jumpKind: 'none' | 'host' | 'spec';
  jumpHostId: string;
  jumpSpec: string;
  roles: Host['roles'];
}

export const HOST_FORM_FIELDS = ['name', 'address', 'port', 'user', 'keyPath', 'jump'] as const;
export type HostFormField = (typeof HOST_FORM_FIELDS)[number];
export type HostFormProblem =
  'required' | 'address' | 'port' | 'user' | 'name' | 'duplicateAddress' | 'duplicateName' | 'jumpHost' | 'jumpSpec';

export function formFromHost(host?: Host): HostFormState {
  return {
    id: host?.id,
    name: host?.name ?? '',
    address: host?.address ?? '',
    port: String(host?.port ?? 22),
    user: host?.user ?? 'root',
    authKind: host?.auth.kind ?? 'agent',
    keyPath: host?.auth.kind === 'key' ? host.auth.keyPath : '',
    hasPassphrase: host?.auth.kind === 'key' ? host.auth.hasPassphrase : false,
    passphrase: '',
    password: '',
    sudo: host?.sudo ?? 'none',
    sudoPassword: '',
    jumpKind: host?.jump?.kind ?? 'none',
    jumpHostId: host?.jump?.kind === 'host' ? host.jump.hostId : '',
    jumpSpec: host?.jump?.kind === 'spec' ? host.jump.spec : '',
    roles: host?.roles ?? [],
  };
}

/** Fills the form from a ~/.ssh/config alias; a ProxyJump naming a host of the inventory becomes that host. */
export function applyAlias(state: HostFormState, alias: SshAlias, hosts: readonly Host[]): HostFormState {
  const next: HostFormState = { ...state, name: alias.alias, address: alias.hostName ?? alias.alias };
  if (alias.user) next.user = alias.user;
  if (alias.port) next.port = String(alias.port);
  if (alias.identityFile) Object.assign(next, { authKind: 'key', keyPath: alias.identityFile });
  if (alias.proxyJump) {
    const byName = hosts.find((h) => h.name === alias.proxyJump || h.address === alias.proxyJump);
    Object.assign(next, byName ? { jumpKind: 'host', jumpHostId: byName.id } : { jumpKind: 'spec', jumpSpec: alias.proxyJump });
  }
  return next;
}

/** What the backend would refuse, found before sending, per field. */
export function checkForm(state: HostFormState, hosts: readonly Host[]): Partial<Record<HostFormField, HostFormProblem>> {
  const problems: Partial<Record<HostFormField, HostFormProblem>> = {};
  const others = hosts.filter((h) => h.id !== state.id);
  const address = state.address.trim();
  const name = state.name.trim() || address;
  if (address === '') problems.address = 'required';
  else if (classifyAddress(address) === undefined) problems.address = 'address';
  else if (others.some((h) => normalizeAddress(h.address) === normalizeAddress(address))) problems.address = 'duplicateAddress';
  if (/\s/.test(name)) problems.name = 'name';
  else if (name !== '' && others.some((h) => h.name.toLowerCase() === name.toLowerCase())) problems.name = 'duplicateName';
  const port = Number(state.port);
  if (!/^[0-9]{1,5}$/.test(state.port.trim()) || port < 1 || port > 65535) problems.port = 'port';
  if (state.user.trim() === '') problems.user = 'required';
  else if (/\s/.test(state.user.trim())) problems.user = 'user';
  if (state.authKind === 'key' && state.keyPath.trim() === '') problems.keyPath = 'required';
  if (state.jumpKind === 'host' && (!others.some((h) => h.id === state.jumpHostId) || state.jumpHostId === '')) problems.jump = 'jumpHost';
  if (state.jumpKind === 'spec' && !isJumpSpec(state.jumpSpec.trim())) problems.jump = 'jumpSpec';
  return problems;
}

/** The upsert request: the host, and only the secrets the user typed (blank keeps what is stored). */
export function formToRequest(state: HostFormState): { host: HostInput; secrets: HostSecretsInput } {
  const address = state.address.trim();
  const auth: HostInput['auth'] =
    state.authKind === 'key'
      ? { kind: 'key', keyPath: state.keyPath.trim(), hasPassphrase: state.hasPassphrase || state.passphrase !== '' }
      : { kind: state.authKind };
  const host: HostInput = {
    ...(state.id !== undefined ? { id: state.id } : {}),
    name: state.name.trim() || address,
    address,
    port: Number(state.port),
    user: state.user.trim(),
    auth,
    sudo: state.sudo,
    roles: state.roles,
    ...(state.jumpKind === 'host' ? { jump: { kind: 'host' as const, hostId: state.jumpHostId } } : {}),
    ...(state.jumpKind === 'spec' ? { jump: { kind: 'spec' as const, spec: state.jumpSpec.trim() } } : {}),
  };
  const secrets: HostSecretsInput = {};
  if (state.authKind === 'password' && state.password !== '') secrets.password = state.password;
  if (state.authKind === 'key' && state.passphrase !== '') secrets.passphrase = state.passphrase;
  if (state.sudo === 'password' && state.sudoPassword !== '') secrets.sudoPassword = state.sudoPassword;
  return { host, secrets };
}
