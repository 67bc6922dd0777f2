import type { KeyObject } from 'node:crypto';
import { availableParallelism } from 'node:os';
import type { KeyPairGenerator, KeyPairPem, KeyType } from './keys';
import { readPrivateKey } from './keys';
import { certificatePurpose, type CaEntry, type CaId, type LeafEntry } from './layout';
import { createLimiter, yieldToEventLoop } from './scheduling';
import { CLOCK_SKEW_BACKDATE_MS, issueCertificate, parseCertificate, type ParsedCertificate } from './x509';

const DAY_MS = 24 * 60 * 60 * 1000;

/** A CA ready to sign: loaded from disk or just created. */
export interface SigningCa {
  cert: ParsedCertificate;
  privateKey: KeyObject;
}

export interface IssuedPair {
  certPem: string;
  privateKeyPem: string;
  cert: ParsedCertificate;
}

export interface ProductionRequest {
  newCas: CaEntry[];
  existingCas: Map<CaId, SigningCa>;
  leaves: LeafEntry[];
  serviceAccountKey: boolean;
  keyType: KeyType;
  caValidityDays: number;
  leafValidityDays: number;
  now: Date;
  generateKeyPair: KeyPairGenerator;
  /** Called as each key pair is done, with what it is for. */
  onItemDone: (label: string) => void;
}

export interface Production {
  cas: Map<CaId, IssuedPair>;
  leaves: Map<string, IssuedPair>;
  serviceAccountKey: KeyPairPem | undefined;
}

/**
 * Two key generations at a time on a 2-core machine, at most three anywhere: libuv's pool has
 * four threads and the rest of the app needs one for its file I/O.
 */
export function keygenConcurrency(): number {
  return Math.max(1, Math.min(availableParallelism(), 3));
}

/**
 * Keys are generated concurrently; each leaf is signed as soon as its own key and its CA are
 * ready. Nothing here touches the disk.
 */
export async function produce(request: ProductionRequest): Promise<Production> {
  const limited = createLimiter(keygenConcurrency());
  const newKeyPair = (): Promise<KeyPairPem> => limited(() => request.generateKeyPair(request.keyType));
  const inOwnTurn = oneTurnEach();
  const notBefore = new Date(request.now.getTime() - CLOCK_SKEW_BACKDATE_MS);

  const cas = new Map<CaId, IssuedPair>();
  const signingCas = new Map<CaId, Promise<SigningCa>>();
  for (const [id, ca] of request.existingCas) signingCas.set(id, Promise.resolve(ca));
  for (const entry of request.newCas) {
    const issueCa = (keys: KeyPairPem): SigningCa => {
      const privateKey = toKeyObject(keys.privateKeyPem);
      const notAfter = new Date(request.now.getTime() + request.caValidityDays * DAY_MS);
      const certPem = normalizePem(
        issueCertificate(
          { subject: entry.subject, sans: { dns: [], ip: [] }, profile: 'ca', publicKeyPem: keys.publicKeyPem, notBefore, notAfter },
          { privateKey },
        ),
      );
      const cert = parseCertificate(certPem);
      cas.set(entry.id, { certPem, privateKeyPem: keys.privateKeyPem, cert });
      request.onItemDone(certificatePurpose(entry.id) ?? entry.id);
      return { cert, privateKey };
    };
    signingCas.set(
      entry.id,
      newKeyPair().then((keys) => inOwnTurn(() => issueCa(keys))),
    );
  }
  // Settled promises only: a failed CA must not surface as an unhandled rejection while leaves still wait.
  for (const promise of signingCas.values()) promise.catch(() => undefined);

  const leaves = new Map<string, IssuedPair>();
  const leafJobs = request.leaves.map(async (entry) => {
    const keys = await newKeyPair();
    const ca = await signingCas.get(entry.caId);
    if (ca === undefined) throw new Error(`No CA ${entry.caId} to sign ${entry.id}`);
    const wanted = request.now.getTime() + request.leafValidityDays * DAY_MS;
    // A certificate cannot usefully outlive the CA that vouches for it.
    const notAfter = new Date(Math.min(wanted, ca.cert.notAfter.getTime()));
    await inOwnTurn(() => {
      const certPem = normalizePem(
        issueCertificate(
          { subject: entry.subject, sans: entry.sans, profile: entry.profile, publicKeyPem: keys.publicKeyPem, notBefore, notAfter },
          { privateKey: ca.privateKey, caCertPem: ca.cert.pem },
        ),
      );
      leaves.set(entry.id, { certPem, privateKeyPem: keys.privateKeyPem, cert: parseCertificate(certPem) });
      request.onItemDone(certificatePurpose(entry.id) ?? entry.id);
    });
  });
  const serviceAccountJob = request.serviceAccountKey
    ? newKeyPair().then((keys) => {
        request.onItemDone('Service-account signing key');
        return keys;
      })
    : Promise.resolve(undefined);

  const [serviceAccountKey] = await Promise.all([serviceAccountJob, ...leafJobs, ...signingCas.values()]);
  return { cas, leaves, serviceAccountKey };
}

/**
 * Runs synchronous pieces of work one per event-loop turn. Issuing and parsing a certificate takes
 * 2-3 ms; when keys come ready-made (from the key pool) all of them would otherwise run in one
 * stretch, ~75 ms for the seed cluster, since setImmediate callbacks queued together run together.
 */
function oneTurnEach(): <T>(work: () => T) => Promise<T> {
  const oneAtATime = createLimiter(1);
  return (work) =>
    oneAtATime(async () => {
      await yieldToEventLoop();
      return work();
    });
}

function toKeyObject(pem: string): KeyObject {
  const key = readPrivateKey(pem);
  if (key === undefined) throw new Error('Generated key cannot be read back');
  return key;
}

/** forge writes CRLF line ends; the files go to Linux machines, where every other PEM uses LF. */
export function normalizePem(pem: string): string {
  return pem.replace(/\r\n/g, '\n');
}
