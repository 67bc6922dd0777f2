import { describe, expect, it } from 'vitest';
import type { Prompt } from '../../src-shared/contract/prompts';
import { EventHub } from '../events/event-hub';
import { PromptBroker } from './prompt-broker';

function brokerWithEvents(timeoutMs?: number) {
  const events = new EventHub();
  const seen: { event: string; payload: unknown }[] = [];
  events.subscribe((event, payload) => seen.push({ event, payload }));
  return { broker: new PromptBroker(events, timeoutMs), seen };
}

describe('PromptBroker', () => {
  it('asks about a host key and resolves with the user answer', async () => {
    const { broker, seen } = brokerWithEvents();
    const answer = broker.confirmHostKey({ host: '10.0.0.1', port: 22, keyType: 'ssh-ed25519', fingerprint: 'SHA256:abc' });
    const prompt = seen[0]!.payload as Prompt;
    expect(prompt).toMatchObject({ kind: 'hostKey', host: '10.0.0.1', fingerprint: 'SHA256:abc' });
    expect(broker.pending()).toHaveLength(1);
    expect(broker.answer({ kind: 'hostKey', promptId: prompt.promptId, accept: true })).toBe(true);
    expect(await answer).toBe(true);
    expect(seen[1]).toEqual({ event: 'prompt.closed', payload: { promptId: prompt.promptId } });
    expect(broker.pending()).toEqual([]);
  });

  it('takes the first answer only and refuses an answer of the wrong kind', async () => {
    const { broker, seen } = brokerWithEvents();
    const answer = broker.askSecret({ host: 'h', secretKind: 'sudo' });
    const { promptId } = seen[0]!.payload as Prompt;
    expect(broker.answer({ kind: 'hostKey', promptId, accept: true })).toBe(false);
    expect(broker.answer({ kind: 'secret', promptId, value: 's3cret' })).toBe(true);
    expect(broker.answer({ kind: 'secret', promptId, value: 'again' })).toBe(false);
    expect(await answer).toBe('s3cret');
  });

  it('treats silence as no', async () => {
    const { broker } = brokerWithEvents(20);
    expect(await broker.confirmHostKey({ host: 'h', port: 22, keyType: 'ssh-rsa', fingerprint: 'SHA256:x' })).toBe(false);
    expect(await broker.askSecret({ host: 'h', secretKind: 'password' })).toBeUndefined();
  });
});
