import { z } from 'zod';
import { ClusterNameSchema } from './clusters';
import { method } from './define';

export const hostKeyMethods = {
  /**
   * Trusts a host's changed key, deliberately, after the user compared fingerprints. The key is
   * fetched again and must still be the one shown; otherwise nothing changes.
   */
  'hostKeys.acceptChanged': method(
    z
      .object({
        cluster: ClusterNameSchema,
        hostId: z.string().min(1),
        fingerprint: z.string().regex(/^SHA256:[A-Za-z0-9+/]{43}$/, 'a fingerprint as OpenSSH prints it (SHA256:…)'),
      })
      .strict(),
    z.object({ accepted: z.literal(true) }),
  ),
};
