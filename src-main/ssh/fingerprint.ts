import { createHash } from 'node:crypto';

/** 'SHA256:' + unpadded base64 of the key blob's SHA-256, exactly as `ssh-keygen -lf` prints it. */
export function sha256Fingerprint(keyBlob: Uint8Array): string {
  return `SHA256:${createHash('sha256').update(keyBlob).digest('base64').replace(/=+$/, '')}`;
}

/** The algorithm name at the start of an SSH wire-format public key ("ssh-ed25519", "ssh-rsa", ...). */
export function keyTypeOfBlob(keyBlob: Uint8Array): string {
  if (keyBlob.length < 4) throw new Error('Public key blob is too short');
  const view = Buffer.from(keyBlob.buffer, keyBlob.byteOffset, keyBlob.byteLength);
  const length = view.readUInt32BE(0);
  if (length === 0 || length > 64 || 4 + length > view.length) throw new Error('Public key blob has no valid type');
  return view.toString('latin1', 4, 4 + length);
}
