import type { promptMethods } from '../../src-shared/contract/prompts';
import type { BackendContext } from './context';
import type { Handlers } from './dispatcher';

export function promptHandlers({ prompts }: BackendContext): Pick<Handlers, keyof typeof promptMethods> {
  return {
    'prompts.answer': async (answer) => ({ accepted: prompts.answer(answer) }),
    'prompts.pending': async () => prompts.pending(),
  };
}
