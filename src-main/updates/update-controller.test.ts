import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LoopbackUpdater, serveFeed, sha512, type FeedRelease } from '../../test/updates/loopback-feed';
import { electronUpdaterEngine } from './electron-updater-engine';
import { UpdateController } from './update-controller';
import type { UpdateChannel } from './versions';

// electron-updater's real check, download and SHA-512 verification against a release feed served on loopback.
const installer = (version: string) => Buffer.from(`Kubesmith ${version} AppImage `.repeat(2000));

describe('UpdateController against a loopback release feed', () => {
  let dir: string;
  let feed: Awaited<ReturnType<typeof serveFeed>> | undefined;
  let running: string[];

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ks-updates-'));
    running = [];
  });
  afterEach(async () => {
    await feed?.close();
    feed = undefined;
    await rm(dir, { recursive: true, force: true });
  });

  async function controllerFor(releases: Partial<Record<UpdateChannel, FeedRelease>>, current: string, channel: UpdateChannel) {
    feed = await serveFeed(releases);
    const updater = await LoopbackUpdater.create(dir, feed.url, current);
    const controller = new UpdateController({
      engine: electronUpdaterEngine(updater, channel),
      currentVersion: current,
      channel,
      activeRuns: () => running,
    });
    const phases: string[] = [];
    controller.subscribe((s) => {
      if (phases.at(-1) !== s.phase) phases.push(s.phase);
    });
    return { controller, updater, phases };
  }

  it('downloads a newer verified release, shows its notes, and installs it only once nothing is running', async () => {
    const body = installer('0.2.0');
    const { controller, updater, phases } = await controllerFor(
      { latest: { version: '0.2.0', body, releaseNotes: '<p>Faster <b>deploys</b> &amp; upgrades.</p>' } },
      '0.1.0',
      'latest',
    );
    const status = await controller.check();
    expect(status).toMatchObject({
      phase: 'ready',
      version: '0.2.0',
      releaseNotes: 'Faster deploys & upgrades.',
      verificationFailed: false,
    });
    expect(phases).toEqual(['checking', 'downloading', 'ready']);

    running = ['homelab'];
    expect(controller.status().waitingFor).toEqual(['homelab']);
    expect(() => controller.restartToUpdate()).toThrow(/running on homelab/);
    expect(updater.installed).toEqual([]);

    running = [];
    expect(controller.restartToUpdate()).toEqual({ restarting: true });
    expect(updater.installed).toHaveLength(1);
    expect(await readFile(updater.installed[0]!)).toEqual(body);
  });

  it('reports a download that does not match the published SHA-512 and never installs it', async () => {
    const { controller, updater } = await controllerFor(
      { latest: { version: '0.2.0', body: installer('0.2.0'), sha512: sha512(installer('tampered')) } },
      '0.1.0',
      'latest',
    );
    const status = await controller.check();
    expect(status).toMatchObject({ phase: 'failed', version: '0.2.0', verificationFailed: true });
    expect(status.message).toMatch(/did not match the checksum .* will not be installed/);
    expect(feed!.requests).toContain('/Kubesmith-0.2.0.AppImage');
    expect(() => controller.restartToUpdate()).toThrow(/No update has been downloaded and verified/);
    expect(updater.installed).toEqual([]);
  });

  it('is up to date when the feed offers the running version, and downloads nothing', async () => {
    const { controller } = await controllerFor({ latest: { version: '0.1.0', body: installer('0.1.0') } }, '0.1.0', 'latest');
    expect(await controller.check()).toMatchObject({ phase: 'up-to-date' });
    expect(feed!.requests.some((p) => p.endsWith('.AppImage'))).toBe(false);
  });

  it('follows the chosen channel: releases on latest, betas on beta, never an alpha', async () => {
    const releases = {
      latest: { version: '0.1.5', body: installer('0.1.5') },
      beta: { version: '0.2.0-beta.1', body: installer('0.2.0-beta.1') },
    };
    const onLatest = await controllerFor(releases, '0.1.0', 'latest');
    expect(await onLatest.controller.check()).toMatchObject({ phase: 'ready', version: '0.1.5' });
    await feed!.close();

    const onBeta = await controllerFor(releases, '0.1.0', 'beta');
    expect(await onBeta.controller.check()).toMatchObject({ phase: 'ready', version: '0.2.0-beta.1' });
    await feed!.close();

    const alpha = await controllerFor({ beta: { version: '0.3.0-alpha.1', body: installer('a') } }, '0.1.0', 'beta');
    expect(await alpha.controller.check()).toMatchObject({ phase: 'up-to-date' });
    expect(feed!.requests.some((p) => p.endsWith('.AppImage'))).toBe(false);
  });

  it('says the check failed when the feed cannot be reached', async () => {
    const { controller } = await controllerFor({}, '0.1.0', 'latest');
    await feed!.close();
    const status = await controller.check();
    expect(status.phase).toBe('failed');
    expect(status.message).toMatch(/^Could not check for updates: /);
  });
});
