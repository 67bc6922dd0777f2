import { z } from 'zod';
import { method } from './define';

/** A question the backend must ask the user in the middle of its work (Tabby-style host-key and password prompts). */
export const PromptSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('hostKey'),
    promptId: z.string(),
    host: z.string(),
    port: z.number().int(),
    keyType: z.string(),
    /** SHA256:… exactly as OpenSSH prints it. */
    fingerprint: z.string(),
  }),
  z.object({
    kind: z.literal('secret'),
    promptId: z.string(),
    host: z.string(),
    secretKind: z.enum(['passphrase', 'password', 'sudo']),
  }),
]);
export type Prompt = z.infer<typeof PromptSchema>;

export const PromptClosedSchema = z.object({ promptId: z.string() });

export const PromptAnswerSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('hostKey'), promptId: z.string(), accept: z.boolean() }).strict(),
  z.object({ kind: z.literal('secret'), promptId: z.string(), value: z.string().max(4096).optional() }).strict(),
]);
export type PromptAnswer = z.infer<typeof PromptAnswerSchema>;

export const promptMethods = {
  'prompts.answer': method(PromptAnswerSchema, z.object({ accepted: z.boolean() })),
  /** Questions still waiting, for a window that connects (or reloads) while one is open. */
  'prompts.pending': method(z.object({}).strict(), z.array(PromptSchema)),
};
