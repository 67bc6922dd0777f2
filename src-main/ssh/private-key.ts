import { createPrivateKey, randomBytes, type KeyObject } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { utils, type ParsedKey } from 'ssh2';
import { KubesmithError } from '../../src-shared/errors';
import { SshErrorName } from './errors';

export function expandHome(path: string): string {
  if (path === '~') return homedir();
  if (path.startsWith('~/')) return `${homedir()}${path.slice(1)}`;
  return path;
}

const PKCS8 = /-----BEGIN (ENCRYPTED )?PRIVATE KEY-----/;

/** Whether the key file needs a passphrase, judged from the file itself rather than from a failed parse. */
export function isEncryptedKey(text: string): boolean {
  if (text.includes('-----BEGIN ENCRYPTED PRIVATE KEY-----')) return true;
  if (/Proc-Type:\s*4,\s*ENCRYPTED/.test(text)) return true;
  const openssh = /-----BEGIN OPENSSH PRIVATE KEY-----([\s\S]+?)-----END OPENSSH PRIVATE KEY-----/.exec(text);
  if (openssh?.[1] !== undefined) {
    const blob = Buffer.from(openssh[1].replace(/\s+/g, ''), 'base64');
    const magic = 'openssh-key-v1\0';
    if (blob.toString('latin1', 0, magic.length) !== magic || blob.length < magic.length + 4) return false;
    const len = blob.readUInt32BE(magic.length);
    return blob.toString('latin1', magic.length + 4, magic.length + 4 + len) !== 'none';
  }
  return false;
}

function sshString(data: Buffer | string): Buffer {
  const body = typeof data === 'string' ? Buffer.from(data) : data;
  const len = Buffer.alloc(4);
  len.writeUInt32BE(body.length);
  return Buffer.concat([len, body]);
}

function uint32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
}

/** ssh2 cannot read PKCS#8 Ed25519 keys, so rebuild them as an unencrypted OpenSSH key in memory. */
function ed25519ToOpenSsh(key: KeyObject): string {
  const jwk = key.export({ format: 'jwk' });
  if (jwk.d === undefined || jwk.x === undefined) throw new Error('Ed25519 key without private part');
  const seed = Buffer.from(jwk.d, 'base64url');
  const pub = Buffer.from(jwk.x, 'base64url');
  const pubBlob = Buffer.concat([sshString('ssh-ed25519'), sshString(pub)]);
  const check = randomBytes(4).readUInt32BE();
  let priv = Buffer.concat([
    uint32(check),
    uint32(check),
    sshString('ssh-ed25519'),
    sshString(pub),
    sshString(Buffer.concat([seed, pub])),
    sshString(''),
  ]);
  const pad = Buffer.from(Array.from({ length: (8 - (priv.length % 8)) % 8 }, (_, i) => i + 1));
  priv = Buffer.concat([priv, pad]);
  const blob = Buffer.concat([
    Buffer.from('openssh-key-v1\0', 'latin1'),
    sshString('none'),
    sshString('none'),
    sshString(''),
    uint32(1),
    sshString(pubBlob),
    sshString(priv),
  ]);
  const body = blob.toString('base64').replace(/(.{70})/g, '$1\n');
  return `-----BEGIN OPENSSH PRIVATE KEY-----\n${body}\n-----END OPENSSH PRIVATE KEY-----\n`;
}

/** PKCS#8 (what `ssh-keygen -m PKCS8` and openssl write) into a form ssh2 parses. */
function fromPkcs8(text: string, passphrase: string | undefined): string {
  const key = createPrivateKey({ key: text, format: 'pem', ...(passphrase !== undefined ? { passphrase } : {}) });
  switch (key.asymmetricKeyType) {
    case 'rsa':
      return key.export({ type: 'pkcs1', format: 'pem' }).toString();
    case 'ec':
      return key.export({ type: 'sec1', format: 'pem' }).toString();
    case 'ed25519':
      return ed25519ToOpenSsh(key);
    default:
      throw new Error(`unsupported key type ${key.asymmetricKeyType ?? 'unknown'}`);
  }
}

/** Parses OpenSSH, PEM (PKCS#1/SEC1) and PKCS#8 private keys; returns an Error rather than throwing. */
export function parsePrivateKey(text: string, passphrase: string | undefined): ParsedKey | Error {
  let source = text;
  let pass = passphrase;
  if (PKCS8.test(text)) {
    try {
      source = fromPkcs8(text, passphrase);
      pass = undefined;
    } catch (err) {
      return err instanceof Error ? err : new Error(String(err));
    }
  }
  const parsed = utils.parseKey(source, pass);
  if (parsed instanceof Error) return parsed;
  const key = Array.isArray(parsed) ? parsed[0] : parsed;
  if (key === undefined) return new Error('no key found');
  if (!key.isPrivateKey()) return new Error('this is a public key, not a private key');
  return key;
}

export interface PassphraseSource {
  get(): Promise<string>;
  /** Called when the passphrase just given did not decrypt the key. */
  wrong(): void;
}

const PASSPHRASE_TRIES = 3;

/** Reads and decrypts a private key file, asking for the passphrase only when the file is encrypted. */
export async function loadPrivateKey(keyPath: string, passphrase: PassphraseSource): Promise<ParsedKey> {
  const path = expandHome(keyPath);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new KubesmithError(
      SshErrorName.KeyFileUnreadable,
      code === 'ENOENT'
        ? `The key file ${keyPath} does not exist on this computer.`
        : `The key file ${keyPath} cannot be read (${code ?? 'error'}).`,
      'Pick the private key file (not the .pub) in the host settings, and check that your user can read it.',
      { keyPath },
    );
  }
  if (!isEncryptedKey(text)) {
    const key = parsePrivateKey(text, undefined);
    if (key instanceof Error) throw unsupported(keyPath, key);
    return key;
  }
  for (let attempt = 1; attempt <= PASSPHRASE_TRIES; attempt++) {
    const key = parsePrivateKey(text, await passphrase.get());
    if (!(key instanceof Error)) return key;
    passphrase.wrong();
  }
  throw new KubesmithError(
    SshErrorName.KeyPassphraseWrong,
    `The passphrase for ${keyPath} is wrong (tried ${PASSPHRASE_TRIES} times).`,
    'Check the passphrase, e.g. with: ssh-keygen -y -f ' + keyPath,
    { keyPath },
  );
}

function unsupported(keyPath: string, err: Error): KubesmithError {
  return new KubesmithError(
    SshErrorName.KeyFormatUnsupported,
    `Kubesmith cannot use ${keyPath} as a private key: ${err.message}.`,
    'Use an Ed25519, ECDSA or RSA private key in OpenSSH or PEM format (ssh-keygen -t ed25519 creates one).',
    { keyPath },
  );
}

/**
 * Decrypted keys kept in memory for the session, like the passphrases that
 * unlock them: decrypting an OpenSSH key runs bcrypt in JavaScript (about a
 * second, blocking) and must not happen again for every connection.
 */
export class PrivateKeyCache {
  private readonly keys = new Map<string, { version: string; key: Promise<ParsedKey> }>();

  async load(keyPath: string, passphrase: PassphraseSource): Promise<ParsedKey> {
    const path = expandHome(keyPath);
    // A file replaced on disk is read again.
    const version = await stat(path).then(
      (s) => `${s.mtimeMs}:${s.size}:${s.ino}`,
      () => 'missing',
    );
    const cached = this.keys.get(path);
    if (cached !== undefined && cached.version === version) return cached.key;
    const key = loadPrivateKey(keyPath, passphrase);
    this.keys.set(path, { version, key });
    key.catch(() => {
      if (this.keys.get(path)?.key === key) this.keys.delete(path);
    });
    return key;
  }

  clear(): void {
    this.keys.clear();
  }
}
