import { raw, sh, type Shell } from './shell';

/**
 * Why hashing on a host prefers openssl: coreutils' sha256sum, as Debian and Ubuntu build it, has its own portable C
 * SHA-256, while OpenSSL's uses the CPU's SHA instructions (x86 SHA-NI, ARMv8 crypto extensions) or at least
 * vector code. Measured on this project's CI machine (x86 with SHA-NI), 100 MiB: sha256sum 0.95 s of CPU,
 * `openssl dgst -sha256` 0.17 s. A deploy hashes every artifact it puts on a host (about 140 MB), so on a small
 * machine this is the largest single cost after starting the services. A host without openssl (a minimal install
 * before the prepare phase, which installs ca-certificates and with it openssl) uses sha256sum. Both read the
 * bytes from standard input and print the digest first; the 64 hex characters are kept.
 */
const DIGEST_OF_STDIN = raw('{ if command -v openssl >/dev/null 2>&1; then openssl dgst -sha256 -r; else sha256sum; fi; }');

/** Prints the SHA-256 (64 lowercase hex characters) of the bytes on standard input. */
export const SHA256_OF_STDIN: Shell = sh`${DIGEST_OF_STDIN} | cut -c1-64`;

/**
 * Prints the SHA-256 of a file, or nothing (the redirection fails, with a message on stderr) when it cannot be read.
 * `path` is a value (quoted here) or a shell expression made by the builder, such as raw('"$t"').
 */
export function sha256OfFile(path: string | Shell): Shell {
  return sh`${DIGEST_OF_STDIN} < ${path} | cut -c1-64`;
}
