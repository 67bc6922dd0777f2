import { z } from 'zod';

/**
 * A command line for a host's POSIX shell, as a plan carries it. The brand says it was made by the one command
 * builder (src-main/ssh/shell.ts), which quotes every value it was given: a plain string does not typecheck where
 * a plan, a step or the engine takes a command.
 */
export const ShellCommandSchema = z.string().brand<'ShellCommand'>();
export type ShellCommand = z.infer<typeof ShellCommandSchema>;
