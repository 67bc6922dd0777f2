import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { RUN_DIR, STATE_FILE } from './config';
import type { LabImage } from './image';

/** What the lab needs to find a host's processes and files again from another process (CLI, another test file). */
export interface HostRecord {
  name: string;
  index: number;
  address: string;
  /** PID of systemd-nspawn (the container's PID 1 is its child). */
  pid: number;
  dir: string;
  merged: string;
  log: string;
}

export interface LabState {
  image: LabImage;
  hosts: HostRecord[];
}

export function readState(): LabState | undefined {
  if (!existsSync(STATE_FILE)) return undefined;
  return JSON.parse(readFileSync(STATE_FILE, 'utf8')) as LabState;
}

export function writeState(state: LabState): void {
  mkdirSync(RUN_DIR, { recursive: true });
  writeFileSync(STATE_FILE, `${JSON.stringify(state, null, 2)}\n`);
}

export function clearState(): void {
  rmSync(STATE_FILE, { force: true });
}
