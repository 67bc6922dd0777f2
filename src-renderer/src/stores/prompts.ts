import { create } from 'zustand';
import type { Prompt } from '../../../src-shared/contract/prompts';
import { call, onEvent, transport } from '../api/client';

interface PromptsStore {
  queue: Prompt[];
}

/** Questions the backend is waiting on, oldest first. */
export const usePrompts = create<PromptsStore>(() => ({ queue: [] }));

const remove = (promptId: string) => usePrompts.setState((s) => ({ queue: s.queue.filter((p) => p.promptId !== promptId) }));

onEvent('prompt', (prompt) => usePrompts.setState((s) => ({ queue: [...s.queue.filter((p) => p.promptId !== prompt.promptId), prompt] })));
onEvent('prompt.closed', ({ promptId }) => remove(promptId));

transport().onState((state) => {
  if (state === 'connected') {
    call('prompts.pending', {})
      .then((queue) => usePrompts.setState({ queue }))
      .catch(() => undefined);
  }
});

export async function answerHostKey(promptId: string, accept: boolean): Promise<void> {
  remove(promptId);
  await call('prompts.answer', { kind: 'hostKey', promptId, accept }).catch(() => undefined);
}

export async function answerSecret(promptId: string, value: string | undefined): Promise<void> {
  remove(promptId);
  await call('prompts.answer', { kind: 'secret', promptId, ...(value !== undefined ? { value } : {}) }).catch(() => undefined);
}
