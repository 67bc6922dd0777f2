import { raw, sh, type Shell } from './shell';

/**
 * Which tool hashes on a host. coreutils' sha256sum, as Debian and Ubuntu build it, has its own portable C SHA-256;
 * OpenSSL's uses the CPU's SHA instructions (x86 SHA-NI, ARMv8 crypto extensions) or at least vector code, but
 * starting openssl costs more. Measured on this project's CI machine (x86 with SHA-NI): 100 MiB takes 0.95 s of CPU
 * with sha256sum and 0.17 s with `openssl dgst -sha256`; a tiny input about 2 ms with sha256sum and 9.5 ms with
 * openssl (library and provider start-up). So artifacts (binaries, archives: a deploy puts about 140 MB on every
 * host) go through openssl where the host has it (every host once the prepare phase installed ca-certificates,
 * which depends on it), and config files, certificates and other small files through sha256sum.
 */
export type HashedSize = 'small' | 'large';

/** From this size on, openssl's faster hashing pays for its start-up (the two cross near 0.9 MiB here). */
export const LARGE_FROM_BYTES = 1024 * 1024;

export const hashedSizeOf = (bytes: number): HashedSize => (bytes >= LARGE_FROM_BYTES ? 'large' : 'small');

const FAST_DIGEST = raw('{ if command -v openssl >/dev/null 2>&1; then openssl dgst -sha256 -r; else sha256sum; fi; }');
const PLAIN_DIGEST = raw('sha256sum');

const digestOfStdin = (size: HashedSize): Shell => (size === 'large' ? FAST_DIGEST : PLAIN_DIGEST);

/** Prints the SHA-256 (64 lowercase hex characters) of the bytes on standard input. Both tools print it first. */
export function sha256OfStdin(size: HashedSize): Shell {
  return sh`${digestOfStdin(size)} | cut -c1-64`;
}

/**
 * Prints the SHA-256 of a file, or nothing (the redirection fails, with a message on stderr) when it cannot be read.
 * `path` is a value (quoted here) or a shell expression made by the builder, such as raw('"$t"').
 */
export function sha256OfFile(path: string | Shell, size: HashedSize): Shell {
  return sh`${digestOfStdin(size)} < ${path} | cut -c1-64`;
}

/**
 * Sets the shell variable `s` to a file's SHA-256 followed by the tool's own words (`${s%% *}` is the sum) in one
 * process (`exec`: a command substitution with a redirection otherwise forks twice), with no `cut` behind it. The
 * assignment fails, with the tool's message on stderr, when the file cannot be read. `path` is a value or a shell
 * expression made by the builder, such as raw('"$t"').
 */
export function sha256OfFileIntoS(path: string | Shell, size: HashedSize): Shell {
  return size === 'large'
    ? sh`if command -v openssl >/dev/null 2>&1; then s=$(exec openssl dgst -sha256 -r < ${path}); else s=$(exec sha256sum < ${path}); fi`
    : sh`s=$(exec sha256sum < ${path})`;
}

/**
 * Sets `s` to one line `<sha256> *<file>` per file (openssl with -r, sha256sum with -b print the same form), in one
 * process for all of them: for 'large' (a batch with an artifact) by the faster tool where the host has it, for
 * 'small' (text files only) by sha256sum. The assignment fails when a file cannot be read. `paths` are values (quoted
 * here).
 */
export function sha256OfFilesIntoS(paths: readonly string[], size: HashedSize = 'large'): Shell {
  const plain = sh`s=$(exec sha256sum -b ${paths})`;
  return size === 'large'
    ? sh`if command -v openssl >/dev/null 2>&1; then s=$(exec openssl dgst -sha256 -r ${paths}); else ${plain}; fi`
    : plain;
}

/**
 * Sets `s` to the first 16 hex digits of the SHA-256 of the files' bytes, one after the other (a unit's marker). One
 * file, the usual case, takes one process (sha256sum reading it, the shell cutting the digits), and leaves `s` empty
 * with sha256sum's status when it cannot be read; several take a `cat` and a `cut` too.
 */
export function sha16OfFilesIntoS(paths: readonly string[]): Shell {
  if (paths.length !== 1) return sh`s=$(cat ${paths} | sha256sum | cut -c1-16)`;
  return sh`s=$(exec sha256sum < ${paths[0] as string}) && s=\${s%"\${s#????????????????}"}`;
}

/** Prints a regular file's SHA-256 and then its mode (octal) on the next line; nothing when there is no such file. */
export function sha256AndModeOf(path: string, size: HashedSize): Shell {
  return sh`if [ -f ${path} ]; then ${sha256OfFile(path, size)}; stat -c %a ${path}; fi`;
}

/** As sha256OfFile, choosing the tool on the host by a size in bytes the script already has (a shell expression). */
export function sha256OfFileSized(path: Shell, bytes: Shell): Shell {
  return sh`{ if [ ${bytes} -ge ${LARGE_FROM_BYTES} ]; then ${FAST_DIGEST}; else ${PLAIN_DIGEST}; fi; } < ${path} | cut -c1-64`;
}
