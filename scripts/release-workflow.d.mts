export const NATIVE_RUNNERS: Record<string, string[]>;
export function configTargets(config: Record<string, unknown>): string[];
export function releaseWorkflowProblems(text: string, config: Record<string, unknown>): string[];
