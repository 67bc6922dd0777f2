import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { configTargets, releaseWorkflowProblems } from '../../scripts/release-workflow.mjs';

const root = join(__dirname, '..', '..');
const workflow = readFileSync(join(root, '.github/workflows/release.yml'), 'utf8');
const config = parse(readFileSync(join(root, 'electron-builder.yml'), 'utf8')) as Record<string, unknown>;

describe('the release workflow', () => {
  it('passes the schema and builds every electron-builder target natively, signed when it can be, into a draft', () => {
    expect(releaseWorkflowProblems(workflow, config)).toEqual([]);
    expect(configTargets(config)).toEqual(
      expect.arrayContaining(['linux AppImage-arm64', 'linux deb-x64', 'win nsis-x64', 'mac zip-arm64']),
    );
  });

  it.each([
    [
      'a misspelt key',
      workflow.replace(
        'runs-on: ubuntu-24.04\n    steps:\n      - name: SHA256SUMS',
        'runs_on: ubuntu-24.04\n    steps:\n      - name: SHA256SUMS',
      ),
      /schema/,
    ],
    ['a target left out', workflow.replace(/^ +- \{ os: macos-15, platform: mac.*\n/m, ''), /builds no mac dmg-arm64/],
    ['arm64 built on an x64 runner', workflow.replace('os: ubuntu-24.04-arm,', 'os: ubuntu-24.04,'), /not a native linux-arm64 runner/],
    [
      'no package:check',
      workflow.replace(/^ +run: npm run package:check\n/m, '        run: npm test\n'),
      /must run `npm run package:check`/,
    ],
    ['silent unsigned builds', workflow.replaceAll('signing SKIPPED', 'skipped'), /say in its log when signing/],
    ['no checksums', workflow.replace(/^ +sha256sum .*\n/m, ''), /SHA256SUMS\.txt/],
    ['two macOS feeds left unmerged', workflow.replace(/^ +node scripts\/merge-mac-feed\.mjs .*\n/m, ''), /merge their latest-mac\.yml/],
  ])('reports %s', (_what, changed, problem) => {
    expect(changed).not.toBe(workflow);
    expect(releaseWorkflowProblems(changed, config).join('\n')).toMatch(problem);
  });

  it('reports a configuration whose updates have no feed', () => {
    expect(releaseWorkflowProblems(workflow, { ...config, publish: null }).join('\n')).toMatch(/publish to GitHub as a draft/);
  });
});
