import { z } from 'zod';
import { PkiListingSchema, PkiSummarySchema } from '../model/pki';
import { ClusterNameSchema } from './clusters';
import { method } from './define';

export const PKI_KEY_TYPES = ['rsa-2048', 'rsa-3072', 'rsa-4096', 'ecdsa-p256'] as const;
export const PkiKeyTypeSchema = z.enum(PKI_KEY_TYPES);
export type PkiKeyType = z.infer<typeof PkiKeyTypeSchema>;

const CertificateIdSchema = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[a-z0-9][a-z0-9._/-]*$/i, 'a certificate id such as "apiserver" or "etcd/ca"')
  .refine((id) => !id.split('/').includes('..'), 'no ".." in a certificate id');

const byCluster = { cluster: ClusterNameSchema };

export const PkiStateSchema = z.object({
  listing: PkiListingSchema,
  /** The key type the certificates were last generated with; absent before the first generation. */
  keyType: PkiKeyTypeSchema.optional(),
  /** How private keys are protected on disk here, in words for the user. */
  keyProtection: z.string(),
  encryptedAtRest: z.boolean(),
});
export type PkiState = z.infer<typeof PkiStateSchema>;

export const pkiMethods = {
  'pki.list': method(z.object(byCluster).strict(), PkiStateSchema),
  /** Creates or updates the whole PKI; progress arrives as `progress` events with the given task id. */
  'pki.generate': method(
    z
      .object({
        ...byCluster,
        taskId: z.string().min(1).max(64),
        keyType: PkiKeyTypeSchema.optional(),
        caValidityDays: z.number().int().min(1).max(36500).optional(),
        leafValidityDays: z.number().int().min(1).max(36500).optional(),
      })
      .strict(),
    PkiSummarySchema,
  ),
  'pki.renew': method(z.object({ ...byCluster, id: CertificateIdSchema }).strict(), PkiSummarySchema),
  'pki.pem': method(z.object({ ...byCluster, id: CertificateIdSchema }).strict(), z.object({ id: z.string(), pem: z.string() })),
  /** A kubeconfig's text, decrypted, for the user to save or merge. */
  'pki.kubeconfig': method(
    z.object({ ...byCluster, id: CertificateIdSchema }).strict(),
    z.object({ id: z.string(), fileName: z.string(), text: z.string() }),
  ),
};
