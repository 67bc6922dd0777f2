/** What the SSH layer needs from the person at the keyboard. The UI implements these. */

export type SecretKind = 'passphrase' | 'password' | 'sudo';

export interface SecretRequest {
  hostId: string;
  kind: SecretKind;
  /** A sentence to show, e.g. "Passphrase for ~/.ssh/id_ed25519". */
  prompt: string;
}

/** Resolves to the secret, or undefined when the user cancels. May consult the secret store first. */
export type AskSecret = (request: SecretRequest) => Promise<string | undefined>;

export interface HostKeyQuestion {
  host: string;
  port: number;
  /** e.g. "ssh-ed25519" */
  keyType: string;
  /** "SHA256:" + unpadded base64, exactly as `ssh-keygen -lf` prints it. */
  fingerprintSha256: string;
}

/** Asked the first time Kubesmith meets a host key; true trusts it and records it in the workspace known_hosts. */
export type ConfirmHostKey = (question: HostKeyQuestion) => Promise<boolean>;
