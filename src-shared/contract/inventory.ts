import { z } from 'zod';
import { ClusterSchema, ClusterSettingsSchema, HostSchema, RoleSchema } from '../model/cluster';
import { noInput } from './app';
import { ClusterNameSchema } from './clusters';
import { method } from './define';

const MAX_TEXT = 1024 * 1024;

/** A secret sent with a host save: a string sets it, null forgets it, leaving it out keeps what is stored. */
const SecretValueSchema = z.string().min(1).max(4096).nullable().optional();

export const HostSecretsInputSchema = z
  .object({ password: SecretValueSchema, passphrase: SecretValueSchema, sudoPassword: SecretValueSchema })
  .strict();
export type HostSecretsInput = z.input<typeof HostSecretsInputSchema>;

/** What the API says about a host's secrets: whether each is stored, never the secret itself. */
export const SecretPresenceSchema = z.object({ password: z.boolean(), passphrase: z.boolean(), sudoPassword: z.boolean() });
export type SecretPresence = z.infer<typeof SecretPresenceSchema>;

/** A host as the add/edit form sends it: no id for a new host, and never a probe result. */
export const HostInputSchema = HostSchema.omit({ id: true, probe: true }).extend({ id: HostSchema.shape.id.optional() }).strict();
export type HostInput = z.input<typeof HostInputSchema>;

export const KUBEASZ_NOTE_CODES = [
  'ignoredGroup',
  'unsupportedCni',
  'unsupportedProxyMode',
  'unsupportedVersion',
  'localDnsCacheSkipped',
  'noConfig',
  'passwordStored',
] as const;
export const KubeaszNoteSchema = z.object({
  code: z.enum(KUBEASZ_NOTE_CODES),
  params: z.record(z.string(), z.union([z.string(), z.number()])),
});
export type KubeaszNote = z.infer<typeof KubeaszNoteSchema>;

/** A Host entry of ~/.ssh/config, with the options Kubesmith can use. */
export const SshAliasSchema = z.object({
  alias: z.string(),
  hostName: z.string().optional(),
  user: z.string().optional(),
  port: z.number().int().optional(),
  identityFile: z.string().optional(),
  proxyJump: z.string().optional(),
});
export type SshAlias = z.infer<typeof SshAliasSchema>;

const byCluster = { cluster: ClusterNameSchema };
const hostRef = z.object({ ...byCluster, hostId: z.string().min(1) }).strict();

export const inventoryMethods = {
  'hosts.upsert': method(
    z.object({ ...byCluster, host: HostInputSchema, secrets: HostSecretsInputSchema.optional() }).strict(),
    z.object({ cluster: ClusterSchema, hostId: z.string(), secrets: SecretPresenceSchema }),
  ),
  'hosts.remove': method(hostRef, ClusterSchema),
  /** The roles of some hosts, as the topology canvas sets them; hosts not named keep theirs. */
  'hosts.setRoles': method(z.object({ ...byCluster, roles: z.record(z.string(), z.array(RoleSchema)) }).strict(), ClusterSchema),
  /** Parses a pasted list (see parseHostList) and adds every host, or none when a line is wrong. */
  'hosts.paste': method(
    z
      .object({
        ...byCluster,
        text: z.string().max(MAX_TEXT),
        defaults: z
          .object({
            user: z.string().min(1).optional(),
            port: z.number().int().min(1).max(65535).optional(),
            /** Log in with this private key file; without it, the ssh-agent. */
            keyPath: z.string().min(1).optional(),
          })
          .strict()
          .optional(),
      })
      .strict(),
    z.object({ cluster: ClusterSchema, added: z.array(z.string()) }),
  ),
  /** A kubeasz cluster's `hosts` INI file and, optionally, its config.yml. */
  'hosts.importKubeasz': method(
    z.object({ ...byCluster, hostsIni: z.string().max(MAX_TEXT), configYaml: z.string().max(MAX_TEXT).optional() }).strict(),
    z.object({ cluster: ClusterSchema, added: z.number().int(), updated: z.number().int(), notes: z.array(KubeaszNoteSchema) }),
  ),
  'hosts.sshConfigAliases': method(
    noInput,
    z.object({
      path: z.string(),
      found: z.boolean(),
      aliases: z.array(SshAliasSchema),
      /** What "Host *" gives a bare address (user, key, port): a new cluster's hosts start from these. */
      defaults: SshAliasSchema.omit({ alias: true, hostName: true }).optional(),
      /** An ssh-agent is reachable (SSH_AUTH_SOCK is set). */
      agent: z.boolean().optional(),
    }),
  ),
  /** Logs in to the host, reads its facts and stores them as the host's probe result. */
  'hosts.probe': method(hostRef, ClusterSchema),
  'hosts.secrets': method(z.object(byCluster).strict(), z.record(z.string(), SecretPresenceSchema)),
  'clusterSettings.save': method(z.object({ ...byCluster, settings: ClusterSettingsSchema }).strict(), ClusterSchema),
};
