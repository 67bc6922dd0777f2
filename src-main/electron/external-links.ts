/**
 * Only plain https links may leave the app for the user's browser, and only after they confirm; and the app's own
 * loopback tunnels (Operations → Open Headlamp), which are plain http on 127.0.0.1 with an explicit port.
 */
export function isSafeExternalUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    if (parsed.username !== '' || parsed.password !== '') return false;
    if (parsed.protocol === 'http:') return parsed.hostname === '127.0.0.1' && parsed.port !== '';
    return parsed.protocol === 'https:' && parsed.hostname !== '';
  } catch {
    return false;
  }
}
