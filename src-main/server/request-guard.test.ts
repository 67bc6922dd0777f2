import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { hostPolicy, requestUrl, sameOriginPath } from './request-guard';

describe('hostPolicy', () => {
  it('bound to 127.0.0.1: that address and localhost, on the bound port only', () => {
    const policy = hostPolicy('127.0.0.1', 4000);
    for (const host of ['127.0.0.1:4000', 'localhost:4000', 'LocalHost:4000']) expect(policy.allowsHost(host), host).toBe(true);
    for (const host of [
      undefined,
      '',
      '127.0.0.1',
      '127.0.0.1:4001',
      '127.0.0.2:4000',
      '[::1]:4000',
      'rebind.example:4000',
      '127.0.0.1:4000:1',
      '127.0.0.1:04000x',
    ]) {
      expect(policy.allowsHost(host), String(host)).toBe(false);
    }
  });

  it('bound to ::1: the bracketed address and localhost', () => {
    const policy = hostPolicy('::1', 4000);
    expect(policy.allowsHost('[::1]:4000')).toBe(true);
    expect(policy.allowsHost('localhost:4000')).toBe(true);
    expect(policy.allowsHost('127.0.0.1:4000')).toBe(false);
    expect(policy.allowsHost('::1:4000')).toBe(false);
  });

  it('bound to a LAN address: that address only, no localhost', () => {
    const policy = hostPolicy('192.168.1.5', 4000);
    expect(policy.allowsHost('192.168.1.5:4000')).toBe(true);
    expect(policy.allowsHost('localhost:4000')).toBe(false);
    expect(policy.allowsHost('192.168.1.6:4000')).toBe(false);
  });

  it('bound to every address: any IP literal and localhost on the port, never a name that could be rebound', () => {
    const policy = hostPolicy('0.0.0.0', 4000);
    for (const host of ['192.168.1.5:4000', '10.0.0.1:4000', '[fe80::1]:4000', 'localhost:4000'])
      expect(policy.allowsHost(host), host).toBe(true);
    for (const host of ['jumpbox.lan:4000', 'rebind.example:4000', '192.168.1.5:4001']) expect(policy.allowsHost(host), host).toBe(false);
  });

  it('takes a missing port as 80', () => {
    const policy = hostPolicy('127.0.0.1', 80);
    expect(policy.allowsHost('127.0.0.1')).toBe(true);
    expect(policy.allowsOrigin('http://127.0.0.1')).toBe(true);
  });

  it('allows an Origin only as http://<allowed host>, exactly', () => {
    const policy = hostPolicy('127.0.0.1', 4000);
    expect(policy.allowsOrigin('http://127.0.0.1:4000')).toBe(true);
    expect(policy.allowsOrigin('http://localhost:4000')).toBe(true);
    for (const origin of [
      'null',
      '',
      'https://127.0.0.1:4000',
      'http://127.0.0.1:4001',
      'http://rebind.example:4000',
      'http://127.0.0.1:4000/path',
      'http://user@127.0.0.1:4000',
      'file://',
    ]) {
      expect(policy.allowsOrigin(origin), origin).toBe(false);
    }
  });
});

describe('requestUrl and sameOriginPath', () => {
  const req = (url: string) => ({ url }) as IncomingMessage;

  it('reads "//name/x" as a path on this server, and refuses targets that are not paths', () => {
    expect(requestUrl(req('//evil.example/x?token=t'))?.pathname).toBe('//evil.example/x');
    expect(requestUrl(req('http://evil.example/x'))).toBeUndefined();
    expect(requestUrl(req('*'))).toBeUndefined();
  });

  it('makes every Location a path with one leading slash', () => {
    expect(sameOriginPath('//evil.example/x')).toBe('/evil.example/x');
    expect(sameOriginPath('/\\evil.example')).toBe('/evil.example');
    expect(sameOriginPath('/\\/\\x')).toBe('/x');
    expect(sameOriginPath('')).toBe('/');
    expect(sameOriginPath('/assets/app.js')).toBe('/assets/app.js');
  });
});
