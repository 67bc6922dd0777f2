import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { SERVICE_NODE_PORTS } from '../net';
import {
  fetchFromRelayCommand,
  installStagedCommand,
  randomRelayPort,
  RELAY_PORTS,
  relayNginxConf,
  startRelayCommand,
  stopRelayCommand,
} from './relay-commands';

const SHA = 'a'.repeat(64);
const SECRET = 'b'.repeat(64);

describe('relay commands and config', () => {
  const commands = {
    start: startRelayCommand(41234),
    stop: stopRelayCommand(),
    fetch: fetchFromRelayCommand({ relayAddress: 'fd00::1', port: 41234, sha256: SHA, path: "/usr/local/bin/it's here", mode: '0755' }),
    local: installStagedCommand({ sha256: SHA, path: '/usr/local/bin/kubelet', mode: '0755' }),
  };
  for (const [name, command] of Object.entries(commands)) {
    it.each(['dash', 'bash'])(`${name} parses with %s -n`, (shell) => {
      const r = spawnSync(shell, ['-n'], { input: command.command });
      expect(r.status, r.stderr.toString()).toBe(0);
    });
  }

  it('the fetch reads the secret header from stdin (never on a command line) and installs through the checked temp file', () => {
    const c = commands.fetch.command;
    expect(c).toContain('-H @-');
    expect(c).toContain('http://[fd00::1]:41234/files/' + SHA);
    expect(c).toContain("'/usr/local/bin/it'\\''s here'");
    expect(c).toMatch(/SHA-256 differs/);
  });

  it('binds to the relay address, allows only the listed hosts, needs the secret, serves only SHA-256 names', () => {
    const conf = relayNginxConf({ address: '10.231.0.11', port: 41234, allow: ['10.231.0.12', '10.231.0.13'], secret: SECRET });
    expect(conf).toContain('listen 10.231.0.11:41234;');
    expect(conf).toMatch(/allow 10\.231\.0\.12;\n\s+allow 10\.231\.0\.13;\n\s+deny all;/);
    expect(conf).toContain(`"${SECRET}" 1;`);
    expect(conf).toContain('location ~ "^/files/[0-9a-f]{64}$"');
  });

  it('refuses anything but IP literals, a hex secret, a sane port and a SHA-256', () => {
    const ok = { address: '10.0.0.1', port: 41234, allow: ['10.0.0.2'], secret: SECRET };
    expect(() => relayNginxConf({ ...ok, address: 'node1.lan' })).toThrow(/not an IP address/);
    expect(() => relayNginxConf({ ...ok, allow: ['10.0.0.2; allow all'] })).toThrow(/not an IP address/);
    expect(() => relayNginxConf({ ...ok, secret: 'x"; }' })).toThrow(/hex/);
    expect(() => relayNginxConf({ ...ok, port: 80 })).toThrow(/out of range/);
    expect(() => installStagedCommand({ sha256: '../etc/shadow', path: '/x', mode: '0644' })).toThrow(/not a SHA-256/);
  });

  it('picks its port below the NodePort range and below the ephemeral range the host connects from', () => {
    const linuxEphemeralFirst = 32_768;
    expect(RELAY_PORTS.last).toBeLessThan(Math.min(SERVICE_NODE_PORTS.first, linuxEphemeralFirst));
    const drawn = Array.from({ length: 2000 }, randomRelayPort);
    expect(drawn.every((p) => Number.isInteger(p) && p >= RELAY_PORTS.first && p <= RELAY_PORTS.last)).toBe(true);
    expect(new Set(drawn).size).toBeGreaterThan(1000);
  });
});
