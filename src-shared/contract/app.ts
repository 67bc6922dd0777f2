import { z } from 'zod';
import { method } from './define';

export const AppInfoSchema = z.object({
  name: z.literal('Kubesmith'),
  version: z.string(),
  mode: z.enum(['electron', 'browser']),
  dataDir: z.string(),
  /** How secrets and private keys are protected at rest, in words for the user. */
  secretProtection: z.string(),
  secretsEncryptedAtRest: z.boolean(),
});
export type AppInfo = z.infer<typeof AppInfoSchema>;

export const noInput = z.object({}).strict();

export const appMethods = {
  'app.info': method(noInput, AppInfoSchema),
};
