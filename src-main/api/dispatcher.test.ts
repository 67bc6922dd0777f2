import { describe, expect, it, vi } from 'vitest';
import { KubesmithError } from '../../src-shared/errors';
import { ClusterSchema } from '../../src-shared/model/cluster';
import { createDispatcher, type Handlers } from './dispatcher';

function handlersWith(overrides: Partial<Handlers>): { handlers: Handlers; spies: Record<string, ReturnType<typeof vi.fn>> } {
  const spies: Record<string, ReturnType<typeof vi.fn>> = {};
  const make = (name: string, impl: (...a: never[]) => unknown) => {
    spies[name] = vi.fn(impl);
    return spies[name];
  };
  const handlers = {
    'app.info': make('app.info', async () => ({
      name: 'Kubesmith',
      version: '1',
      mode: 'browser',
      dataDir: '/d',
      secretProtection: 'x',
      secretsEncryptedAtRest: false,
    })),
    'clusters.list': make('clusters.list', async () => []),
    'clusters.create': make('clusters.create', async ({ name }: { name: string }) => ClusterSchema.parse({ name })),
    'clusters.get': make('clusters.get', async ({ name }: { name: string }) => ClusterSchema.parse({ name })),
    'clusters.save': make('clusters.save', async ({ cluster }: { cluster: unknown }) => cluster),
    'clusters.remove': make('clusters.remove', async () => ({ removed: true })),
    ...overrides,
  } as unknown as Handlers;
  return { handlers, spies };
}

describe('createDispatcher', () => {
  it('rejects an invalid payload with a clear error and never calls the handler', async () => {
    const { handlers, spies } = handlersWith({});
    const dispatch = createDispatcher(handlers);
    const result = await dispatch('clusters.create', { name: 'Not A Valid Name!' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.name).toBe('InvalidRequest');
    expect(result.error.message).toContain('clusters.create');
    expect(result.error.message).toContain('name');
    expect(result.error.hint).toBeTruthy();
    expect(spies['clusters.create']).not.toHaveBeenCalled();
  });

  it('rejects extra fields and wrong types before acting', async () => {
    const { handlers, spies } = handlersWith({});
    const dispatch = createDispatcher(handlers);
    expect((await dispatch('clusters.get', { name: 'ok', extra: 1 })).ok).toBe(false);
    expect((await dispatch('clusters.get', { name: 42 })).ok).toBe(false);
    expect((await dispatch('clusters.get', 'homelab')).ok).toBe(false);
    expect(spies['clusters.get']).not.toHaveBeenCalled();
  });

  it('refuses a method the contract does not have', async () => {
    const dispatch = createDispatcher(handlersWith({}).handlers);
    for (const name of ['shell.exec', '__proto__', 'constructor', 42]) {
      const result = await dispatch(name, {});
      expect(result).toMatchObject({ ok: false, error: { name: 'UnknownMethod' } });
    }
  });

  it('passes a valid payload through and returns the handler value', async () => {
    const { handlers, spies } = handlersWith({});
    const result = await createDispatcher(handlers)('clusters.create', { name: 'homelab' });
    expect(spies['clusters.create']).toHaveBeenCalledWith({ name: 'homelab' });
    expect(result).toMatchObject({ ok: true, value: { name: 'homelab', hosts: [] } });
  });

  it('carries a KubesmithError across intact: name, message, hint', async () => {
    const { handlers } = handlersWith({
      'clusters.get': async () => {
        throw new KubesmithError('ClusterNotFound', 'There is no cluster named "x".', 'Create it first.');
      },
    });
    const result = await createDispatcher(handlers)('clusters.get', { name: 'x' });
    expect(result).toEqual({
      ok: false,
      error: { name: 'ClusterNotFound', message: 'There is no cluster named "x".', hint: 'Create it first.' },
    });
  });

  it('turns an unexpected exception into an InternalError without a stack trace, and logs it', async () => {
    const log = vi.fn();
    const { handlers } = handlersWith({
      'clusters.list': async () => {
        throw new Error('boom');
      },
    });
    const result = await createDispatcher(handlers, log)('clusters.list', {});
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.name).toBe('InternalError');
    expect(result.error.message).toBe('boom');
    expect(JSON.stringify(result.error)).not.toContain('dispatcher.test');
    expect(log.mock.calls[0]![0]).toContain('boom');
  });
});
