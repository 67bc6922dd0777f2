import { describe, expect, it } from 'vitest';
import { judgeProbe, parseOsRelease, parseProbeOutput } from './probe';

const OUTPUT = `time=1767225600123456789
hostname=node1
arch=x86_64
kernel=6.1.0-28-amd64
cpus=4
cgroupfs=cgroup2fs
diskfree=52613349376
--- meminfo
MemTotal:        8123456 kB
MemFree:         1234567 kB
SwapTotal:       1048572 kB
--- os-release
PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"
NAME="Debian GNU/Linux"
VERSION_ID="12"
ID=debian
--- end
`;

describe('parseProbeOutput', () => {
  it('reads every fact', () => {
    expect(parseProbeOutput(OUTPUT)).toEqual({
      remoteTimeNs: 1767225600123456789n,
      hostname: 'node1',
      arch: 'x86_64',
      kernel: '6.1.0-28-amd64',
      cpus: 4,
      cgroupV2: true,
      diskFreeBytes: 52613349376,
      memoryBytes: 8123456 * 1024,
      swapBytes: 1048572 * 1024,
      os: { id: 'debian', version: '12', pretty: 'Debian GNU/Linux 12 (bookworm)' },
    });
  });

  it('leaves out what the host did not say', () => {
    const parsed = parseProbeOutput('hostname=x\ncpus=\ncgroupfs=tmpfs\n--- meminfo\n--- os-release\n--- end\n');
    expect(parsed).toEqual({ hostname: 'x', cgroupV2: false });
  });
});

describe('parseOsRelease', () => {
  it('handles quotes and escapes', () => {
    expect(parseOsRelease(`ID=ubuntu\nVERSION_ID="24.04"\nPRETTY_NAME='Ubuntu 24.04 LTS'\nX="a \\"b\\""\n# c\n`)).toEqual({
      ID: 'ubuntu',
      VERSION_ID: '24.04',
      PRETTY_NAME: 'Ubuntu 24.04 LTS',
      X: 'a "b"',
    });
  });
});

describe('judgeProbe', () => {
  it('accepts the supported releases', () => {
    for (const [id, version] of [
      ['debian', '12'],
      ['debian', '13'],
      ['ubuntu', '22.04'],
      ['ubuntu', '24.04'],
    ] as const) {
      expect(judgeProbe({ os: { id, version, pretty: '' }, arch: 'x86_64' })).toEqual({ ok: true });
    }
  });

  it('refuses others with a reason, and odd architectures', () => {
    expect(judgeProbe({ os: { id: 'centos', version: '9', pretty: 'CentOS Stream 9' } })).toMatchObject({
      ok: false,
      error: { name: 'UnsupportedOs', message: expect.stringContaining('CentOS Stream 9') },
    });
    expect(judgeProbe({ os: { id: 'debian', version: '11', pretty: 'Debian 11' } }).ok).toBe(false);
    expect(judgeProbe({ os: { id: 'debian', version: '12', pretty: '' }, arch: 'armv7l' })).toMatchObject({
      error: { name: 'UnsupportedArch' },
    });
  });
});
