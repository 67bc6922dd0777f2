import { describe, expect, it } from 'vitest';
import { AGENT, defaultClusterName, defaultLogin, loginChoices } from './new-cluster';

describe('a new cluster’s login', () => {
  it('starts from "Host *"\'s key, then offers the other keys and the agent', () => {
    const setup = {
      aliases: [
        { alias: 'nas', identityFile: '/h/.ssh/nas' },
        { alias: 'pi', identityFile: '/h/.ssh/lab' },
      ],
      defaults: { user: 'root', identityFile: '/h/.ssh/lab' },
      agent: true,
    };
    expect(loginChoices(setup)).toEqual(['/h/.ssh/lab', '/h/.ssh/nas', AGENT]);
    expect(defaultLogin(setup)).toBe('/h/.ssh/lab');
  });

  it('uses the agent when the config names no default key and an agent runs; the agent alone without a config', () => {
    expect(defaultLogin({ aliases: [{ alias: 'nas', identityFile: '/h/.ssh/nas' }], agent: true })).toBe(AGENT);
    expect(defaultLogin({ aliases: [{ alias: 'nas', identityFile: '/h/.ssh/nas' }], agent: false })).toBe('/h/.ssh/nas');
    expect(loginChoices(undefined)).toEqual([AGENT]);
  });

  it('names the cluster homelab, or the next free homelab-N', () => {
    expect(defaultClusterName([])).toBe('homelab');
    expect(defaultClusterName(['homelab', 'homelab-2'])).toBe('homelab-3');
  });
});
