import type { AnyAuthMethod, AuthenticationType, AuthHandlerMiddleware, KeyboardInteractiveCallback, NextAuthHandler, Prompt } from 'ssh2';
import type { HostAuth } from '../../src-shared/model/cluster';
import type { AskSecret } from './callbacks';
import { KubesmithError } from '../../src-shared/errors';
import { SshErrorName, type AuthAttempt } from './errors';
import { expandHome, type PrivateKeyCache } from './private-key';
import type { SecretCache } from './secret-cache';

export interface AuthTarget {
  hostId: string;
  /** For prompts: "bob@10.231.0.5". */
  label: string;
  user: string;
  auth: HostAuth;
}

export interface AuthDeps {
  secrets: SecretCache;
  keys: PrivateKeyCache;
  /** Unremembered questions (one-time codes a keyboard-interactive server asks for). */
  askSecret: AskSecret;
  agentSocket: string | undefined;
  whileAskingUser: <T>(ask: () => Promise<T>) => Promise<T>;
}

/** The ssh2 authHandler for one connection attempt, plus what it tried, for the error message. */
export interface AuthPlan {
  handler: AuthHandlerMiddleware;
  tried(): AuthAttempt[];
  /** Methods the server said it accepts, once it has said so. */
  serverMethods(): string[] | undefined;
  /** Set when the user cancelled a question mid-login. */
  cancelled(): KubesmithError | undefined;
  /** Forget passwords that may have been the reason the login failed. */
  forgetSecrets(): void;
}

export function passwordCacheKey(hostId: string): string {
  return `password:${hostId}`;
}

export function passphraseCacheKey(keyPath: string): string {
  return `passphrase:${expandHome(keyPath)}`;
}

/** Whether a keyboard-interactive prompt is the ordinary password question PAM asks. */
function isPasswordPrompt(p: Prompt): boolean {
  return p.echo !== true && /password|passcode|passwort|mot de passe|contraseña/i.test(p.prompt);
}

/**
 * Builds the login plan for a host. Key files are read and decrypted before
 * connecting (so a wrong passphrase never costs a server login attempt);
 * passwords are asked only once the server has said it accepts them.
 */
export async function prepareAuth(target: AuthTarget, deps: AuthDeps): Promise<AuthPlan> {
  const tried: AuthAttempt[] = [];
  let serverMethods: string[] | undefined;
  let cancelled: KubesmithError | undefined;
  const username = target.user;

  type Step = { method: AuthAttempt['method']; detail?: string; build: () => Promise<AnyAuthMethod> };
  const steps: Step[] = [];
  const auth = target.auth;

  if (auth.kind === 'key') {
    const key = await deps.keys.load(auth.keyPath, {
      get: () =>
        deps.whileAskingUser(() =>
          deps.secrets.get(passphraseCacheKey(auth.keyPath), {
            hostId: target.hostId,
            kind: 'passphrase',
            prompt: `Passphrase for the key ${auth.keyPath}`,
          }),
        ),
      wrong: () => deps.secrets.forget(passphraseCacheKey(auth.keyPath)),
    });
    steps.push({ method: 'publickey', detail: auth.keyPath, build: async () => ({ type: 'publickey', username, key }) });
  } else if (auth.kind === 'agent') {
    const agent = deps.agentSocket;
    if (agent === undefined || agent === '') {
      throw new KubesmithError(
        SshErrorName.AgentUnavailable,
        `Host ${target.label} is set to log in with ssh-agent, but no agent is running (SSH_AUTH_SOCK is not set).`,
        'Start ssh-agent and add your key (ssh-add), then start Kubesmith from that session, or pick a key file in the host settings.',
        { hostId: target.hostId },
      );
    }
    steps.push({ method: 'agent', build: async () => ({ type: 'agent', username, agent }) });
  } else {
    const password = (): Promise<string> =>
      deps.whileAskingUser(() =>
        deps.secrets.get(passwordCacheKey(target.hostId), {
          hostId: target.hostId,
          kind: 'password',
          prompt: `Password for ${target.label}`,
        }),
      );
    steps.push({ method: 'password', build: async () => ({ type: 'password', username, password: await password() }) });
    steps.push({
      method: 'keyboard-interactive',
      build: async () => ({
        type: 'keyboard-interactive',
        username,
        prompt: (_name: string, instructions: string, _lang: string, prompts: Prompt[], finish: KeyboardInteractiveCallback) => {
          Promise.all(
            prompts.map((p) =>
              isPasswordPrompt(p)
                ? password()
                : deps
                    .whileAskingUser(() =>
                      deps.askSecret({
                        hostId: target.hostId,
                        kind: 'password',
                        prompt: [instructions, p.prompt].filter((s) => s.trim() !== '').join('\n'),
                      }),
                    )
                    .then((a) => a ?? ''),
            ),
          ).then(finish, () => finish([]));
        },
      }),
    });
  }

  let askedServer = false;
  const handler: AuthHandlerMiddleware = (methodsLeft: AuthenticationType[] | null, _partial: boolean | null, next: NextAuthHandler) => {
    if (methodsLeft !== null) serverMethods = [...methodsLeft];
    if (!askedServer) {
      // "none" never logs anyone in; it makes the server list the methods it accepts.
      askedServer = true;
      next({ type: 'none', username });
      return;
    }
    const allowed = (m: AuthAttempt['method']): boolean =>
      serverMethods === undefined || serverMethods.includes(m === 'agent' ? 'publickey' : m);
    // Password and keyboard-interactive are the same secret: offer it once, by whichever door is open.
    const usesPassword = tried.some((t) => t.method === 'password' || t.method === 'keyboard-interactive');
    const step = steps.find(
      (s) =>
        !tried.some((t) => t.method === s.method) &&
        allowed(s.method) &&
        !(usesPassword && (s.method === 'password' || s.method === 'keyboard-interactive')),
    );
    if (step === undefined) {
      next(false as unknown as AnyAuthMethod);
      return;
    }
    tried.push({ method: step.method, ...(step.detail !== undefined ? { detail: step.detail } : {}) });
    step.build().then(next, (err: unknown) => {
      cancelled =
        err instanceof KubesmithError ? err : new KubesmithError(SshErrorName.AuthCancelled, `Login to ${target.label} was cancelled.`);
      next(false as unknown as AnyAuthMethod);
    });
  };

  return {
    handler,
    tried: () => [...tried],
    serverMethods: () => serverMethods,
    cancelled: () => cancelled,
    forgetSecrets: () => {
      if (tried.some((t) => t.method === 'password' || t.method === 'keyboard-interactive')) {
        deps.secrets.forget(passwordCacheKey(target.hostId));
      }
    },
  };
}
