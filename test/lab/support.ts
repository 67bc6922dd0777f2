import { connect } from 'node:net';
import { Client } from 'ssh2';
import { run, type RunResult } from './exec';
import { labUnsupportedReason } from './preflight';
import { sshArgs } from './ssh';
import type { LabHost, LabUser } from './types';

/** Why lab tests skip here (undefined: they run). Printed so a skipped run says why. */
export const labSkipReason = labUnsupportedReason();
if (labSkipReason) console.warn(`[lab] skipping lab tests: ${labSkipReason}`);

export const suiteName = (name: string): string => (labSkipReason ? `${name} (skipped: ${labSkipReason})` : name);

/** The OpenSSH client with the lab key, as a user of the app would connect. */
export function sshAs(host: LabHost, user: LabUser, command: string): Promise<RunResult> {
  return run(
    'ssh',
    [...sshArgs(user.privateKeyPath ?? host.rootKeyPath), '-p', String(host.port), `${user.username}@${host.address}`, command],
    {
      timeoutMs: 60_000,
    },
  );
}

/** Password-only login through ssh2 (what the app uses); resolves with exit code and output. */
export function sshPassword(host: LabHost, user: LabUser, command: string): Promise<{ code: number; stdout: string }> {
  return new Promise((resolve, reject) => {
    const client = new Client();
    client
      .on('ready', () => {
        client.exec(command, (err, stream) => {
          if (err) return reject(err);
          let stdout = '';
          stream.on('data', (d: Buffer) => (stdout += d.toString()));
          stream.stderr.on('data', () => undefined);
          stream.on('close', (code: number | null) => {
            client.end();
            resolve({ code: code ?? -1, stdout });
          });
        });
      })
      .on('error', reject)
      .connect({ host: host.address, port: host.port, username: user.username, password: user.password, readyTimeout: 15_000 });
  });
}

/** Whether a TCP connection to address:port is accepted within timeoutMs. */
export function tcpOpen(address: string, port: number, timeoutMs = 2_000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: address, port, timeout: timeoutMs });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.on('connect', () => done(true));
    socket.on('timeout', () => done(false));
    socket.on('error', () => done(false));
  });
}
