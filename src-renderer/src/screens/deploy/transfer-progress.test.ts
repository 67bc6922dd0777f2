import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { DeployRun, HostRun } from '../../../../src-shared/model/deploy-run';
import { translate, type Translate } from '../../i18n/i18n';
import { RunView } from './RunView';
import { transferText } from './TransferProgress';

const host = (over: Partial<HostRun>): HostRun => ({
  hostId: 'h1',
  hostName: 'node1',
  state: 'running',
  phase: 'binaries',
  stepTitle: 'Install kubelet',
  done: 3,
  total: 40,
  ...over,
});

const run = (hosts: HostRun[]): DeployRun => ({
  runId: 'r1',
  cluster: 'lab',
  mode: 'fresh',
  planHash: 'p',
  state: 'running',
  startedAt: new Date(0).toISOString(),
  hosts,
  counts: { changed: 0, unchanged: 0, journaled: 0, failed: 0 },
  bytesUploaded: 0,
});

const MiB = 1024 * 1024;
const sending = host({
  transfer: { path: '/usr/local/bin/kubelet', doneBytes: 30 * MiB, totalBytes: 120 * MiB, bytesPerSecond: 6 * MiB, secondsLeft: 15 },
});
const render = (hosts: HostRun[]): string =>
  renderToStaticMarkup(createElement(RunView, { run: run(hosts), selectedHost: undefined, logs: {}, onSelect: () => undefined }));

describe("a host row's upload progress", () => {
  it('shows bytes done of the total, speed and time left as a labelled progress bar', () => {
    const html = render([sending, host({ hostId: 'h2', hostName: 'node2' })]);
    const text = 'Sending kubelet: 30 MiB of 120 MiB at 6.0 MiB/s, 0:15 left';
    expect(html).toContain(`<progress max="${120 * MiB}" value="${30 * MiB}" aria-label="Upload to node1" aria-valuetext="${text}">`);
    expect(html).toContain(`<span class="muted">${text}</span>`);
    // Only the host receiving bytes has one.
    expect(html.match(/Upload to/g)).toHaveLength(1);
  });

  it('says the speed is being measured before it is known', () => {
    const html = render([host({ transfer: { path: '/opt/cni/bin/bridge', doneBytes: 0, totalBytes: 4 * MiB, bytesPerSecond: 0 } })]);
    expect(html).toContain('Sending bridge: 0 B of 4.0 MiB, measuring the speed…');
  });

  it('is in Chinese when the app is', () => {
    // The server renderer reads the store's initial locale only, so the Chinese texts are checked through the same function.
    const zh: Translate = (key, params) => translate('zh-CN', key, params);
    expect(transferText(zh, sending.transfer!)).toBe('正在发送 kubelet：30 MiB / 120 MiB，速度 6.0 MiB/s，剩余 0:15');
    expect(translate('zh-CN', 'deploy.transfer.label', { host: 'node1' })).toBe('发送到 node1 的上传');
  });

  it('is gone once the host stopped running', () => {
    expect(render([{ ...sending, state: 'failed' }])).not.toContain('<progress max="125829120"');
  });
});
