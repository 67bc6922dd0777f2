import { stat } from 'node:fs/promises';

/** Whether anything is at `path` (a file, a folder); false for what cannot be read as well. */
export async function pathExists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}
