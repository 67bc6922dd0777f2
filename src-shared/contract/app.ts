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

/**
 * Where the app's self-update stands. `unsupported`: no updater here (browser mode, or a build run from source).
 * `ready`: downloaded and verified; `waitingFor` lists the clusters whose deploy or operation must finish first.
 */
export const UpdateStatusSchema = z.object({
  phase: z.enum(['unsupported', 'idle', 'checking', 'up-to-date', 'downloading', 'ready', 'failed']),
  channel: z.enum(['latest', 'beta']),
  currentVersion: z.string(),
  /** The newer version found, once there is one. */
  version: z.string().optional(),
  releaseNotes: z.string().optional(),
  percent: z.number().min(0).max(100).optional(),
  waitingFor: z.array(z.string()).default([]),
  /** Why there is no updater, or why the last check or download failed, in words for the user. */
  message: z.string().optional(),
  /** True when the download did not match the SHA-512 the release feed published: it is never installed. */
  verificationFailed: z.boolean().default(false),
});
export type UpdateStatus = z.infer<typeof UpdateStatusSchema>;

export const AboutSchema = z.object({
  name: z.literal('Kubesmith'),
  version: z.string(),
  mode: z.enum(['electron', 'browser']),
  /** null in browser mode. */
  electron: z.string().nullable(),
  chromium: z.string().nullable(),
  node: z.string(),
  dataDir: z.string(),
  update: UpdateStatusSchema,
});
export type About = z.infer<typeof AboutSchema>;

export const noInput = z.object({}).strict();

export const appMethods = {
  'app.info': method(noInput, AppInfoSchema),
  'app.about': method(noInput, AboutSchema),
  'app.checkForUpdates': method(noInput, UpdateStatusSchema),
  /** Quits and installs the downloaded update; refused while a deploy or an operation runs. */
  'app.restartToUpdate': method(noInput, z.object({ restarting: z.boolean() })),
};
