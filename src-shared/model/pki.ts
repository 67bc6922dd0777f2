import { z } from 'zod';

/** Certificates expiring in fewer days than this are flagged. */
export const EXPIRY_WARNING_DAYS = 30;

export const KeyStatusSchema = z.enum([
  /** The private key was read and belongs to the certificate. */
  'matches',
  /** A key file exists; not opened because no cipher was given. */
  'present',
  'missing',
  'mismatch',
  /** The key file exists but cannot be decrypted or parsed. */
  'unreadable',
]);
export type KeyStatus = z.infer<typeof KeyStatusSchema>;

export const CertificateInfoSchema = z.object({
  /** Path relative to pki/ without ".crt", e.g. "apiserver", "etcd/ca", "hosts/etcd-1/etcd/server". */
  id: z.string(),
  /** What it is for, when it is one Kubesmith issues. */
  purpose: z.string().optional(),
  path: z.string(),
  keyPath: z.string().optional(),
  keyStatus: KeyStatusSchema,
  subject: z.string(),
  commonName: z.string(),
  organizations: z.array(z.string()),
  issuer: z.string(),
  /** Id of the CA in this folder whose signature checks out (its own id for a CA); null when none does. */
  signedBy: z.string().nullable(),
  isCa: z.boolean(),
  serialNumber: z.string(),
  sans: z.object({ dns: z.array(z.string()), ip: z.array(z.string()) }),
  keyUsages: z.array(z.string()),
  extKeyUsages: z.array(z.string()),
  keyAlgorithm: z.string(),
  sha256Fingerprint: z.string(),
  notBefore: z.string(),
  notAfter: z.string(),
  /** Whole days until notAfter; negative once expired. */
  daysLeft: z.number().int(),
  expired: z.boolean(),
  /** Expired, or fewer than EXPIRY_WARNING_DAYS left. */
  warn: z.boolean(),
});
export type CertificateInfo = z.infer<typeof CertificateInfoSchema>;

export const PkiProblemSchema = z.object({ path: z.string(), reason: z.string() });
export type PkiProblem = z.infer<typeof PkiProblemSchema>;

export const PkiListingSchema = z.object({
  certificates: z.array(CertificateInfoSchema),
  /** Certificate files that could not be read, with why. */
  problems: z.array(PkiProblemSchema),
});
export type PkiListing = z.infer<typeof PkiListingSchema>;

export const IssueReasonSchema = z.enum([
  'new',
  /** Subject, SANs, usages or key type changed. */
  'inputs-changed',
  /** Its CA was created anew, so it was signed by another CA. */
  'ca-changed',
  'expired',
  /** A previous run was interrupted between writing the certificate and its key. */
  'incomplete',
  'renewed',
]);
export type IssueReason = z.infer<typeof IssueReasonSchema>;

export const KubeconfigInfoSchema = z.object({
  /** Path relative to pki/ without ".conf", e.g. "kubeconfig/admin", "hosts/worker-1/kubelet". */
  id: z.string(),
  path: z.string(),
  server: z.string(),
  user: z.string(),
});
export type KubeconfigInfo = z.infer<typeof KubeconfigInfoSchema>;

export const PkiSummarySchema = z.object({
  pkiDir: z.string(),
  /** The cipher's description: how private keys and kubeconfigs are protected on disk. */
  keyProtection: z.string(),
  encryptedAtRest: z.boolean(),
  /** Certificates and key pairs created by this run, with why. */
  issued: z.array(z.object({ id: z.string(), reason: IssueReasonSchema })),
  /** Certificates and key pairs that were already right and left untouched. */
  kept: z.array(z.string()),
  kubeconfigsWritten: z.array(z.string()),
  /** Files of hosts no longer in the cluster, deleted. */
  removed: z.array(z.string()),
  certificates: z.array(CertificateInfoSchema),
  kubeconfigs: z.array(KubeconfigInfoSchema),
  durationMs: z.number(),
});
export type PkiSummary = z.infer<typeof PkiSummarySchema>;
