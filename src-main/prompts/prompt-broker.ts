import { randomUUID } from 'node:crypto';
import type { Prompt, PromptAnswer } from '../../src-shared/contract/prompts';
import type { EventHub } from '../events/event-hub';

type Waiter = { prompt: Prompt; resolve: (answer: PromptAnswer | undefined) => void; timer: NodeJS.Timeout };

export interface HostKeyPrompt {
  host: string;
  port: number;
  keyType: string;
  fingerprint: string;
}

export interface SecretPrompt {
  host: string;
  secretKind: 'passphrase' | 'password' | 'sudo';
}

/**
 * Asks the user a question from the middle of backend work and waits for the answer.
 * Every open window sees the question; the first answer wins, and the others are told it is closed.
 * Unanswered questions time out as "no", so a forgotten dialog never holds a connection forever.
 */
export class PromptBroker {
  private readonly waiting = new Map<string, Waiter>();

  constructor(
    private readonly events: EventHub,
    private readonly timeoutMs = 5 * 60_000,
  ) {}

  async confirmHostKey(question: HostKeyPrompt): Promise<boolean> {
    const answer = await this.ask({ kind: 'hostKey', promptId: randomUUID(), ...question });
    return answer?.kind === 'hostKey' && answer.accept;
  }

  async askSecret(question: SecretPrompt): Promise<string | undefined> {
    const answer = await this.ask({ kind: 'secret', promptId: randomUUID(), ...question });
    return answer?.kind === 'secret' ? answer.value : undefined;
  }

  /** Takes the user's answer; false when the question is gone (answered elsewhere, timed out) or of another kind. */
  answer(answer: PromptAnswer): boolean {
    const waiter = this.waiting.get(answer.promptId);
    if (!waiter || waiter.prompt.kind !== answer.kind) return false;
    this.settle(answer.promptId, answer);
    return true;
  }

  pending(): Prompt[] {
    return [...this.waiting.values()].map((w) => w.prompt);
  }

  /** Declines every open question, for shutdown. */
  cancelAll(): void {
    for (const id of [...this.waiting.keys()]) this.settle(id, undefined);
  }

  private ask(prompt: Prompt): Promise<PromptAnswer | undefined> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.settle(prompt.promptId, undefined), this.timeoutMs);
      timer.unref();
      this.waiting.set(prompt.promptId, { prompt, resolve, timer });
      this.events.emit('prompt', prompt);
    });
  }

  private settle(promptId: string, answer: PromptAnswer | undefined): void {
    const waiter = this.waiting.get(promptId);
    if (!waiter) return;
    this.waiting.delete(promptId);
    clearTimeout(waiter.timer);
    this.events.emit('prompt.closed', { promptId });
    waiter.resolve(answer);
  }
}
