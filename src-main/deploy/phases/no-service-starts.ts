import { raw, sh, shJoin, type Shell } from '../../ssh/shell';

/** Where Debian's and Ubuntu's service helpers look for the local start policy. */
export const POLICY_RC_D = '/usr/sbin/policy-rc.d';
/** The second line of the policy this step writes: how a later run knows the file as its own. */
export const POLICY_MARK = '# kubesmith: no service starts while its package step runs';

/**
 * Runs `install` (dpkg or apt-get) with the services the packages bring left unstarted: nginx's package would start
 * nginx.service (and reload it for its stream module) only for the step to stop and disable it again (distro-nginx.ts),
 * each start and stop a few hundred milliseconds of the host's CPU, on every host at once.
 *
 * The interface is Debian's policy layer (init-system-helpers, doc/README.policy-rc.d): invoke-rc.d and
 * deb-systemd-invoke, which maintainer scripts call to start, restart or reload a service, first ask
 * /usr/sbin/policy-rc.d; exit status 101 means "action forbidden by policy", 0 "action allowed". Chroot and image
 * builders use a one-line `exit 101`. This one is narrower:
 * - written only where the host has no policy of its own (a file or a link there is the admin's, left as it is);
 * - it forbids only while the step's shell lives (its pid and start time, /proc/PID/stat field 22), so a copy left by a
 *   step that was killed allows everything, as if absent; a later packages step removes such a copy by its mark;
 * - removed by the step when the install ends, whether it succeeded or not.
 * Package state (enabling units, daemon-reloads) is untouched: only starts, restarts and reloads are skipped.
 */
export function withoutServiceStarts(install: Shell, policy = POLICY_RC_D): Shell {
  const script = raw(`'#!/bin/sh\\n%s\\n[ "$(cut -d" " -f22 /proc/%s/stat 2>/dev/null)" = "%s" ] && exit 101\\nexit 0\\n'`);
  const steps = shJoin(
    [
      sh`ks_prc=${policy}; ks_own=`,
      sh`{ ! grep -qxF ${POLICY_MARK} "$ks_prc" 2>/dev/null || rm -f "$ks_prc"; }`,
      sh`if [ ! -e "$ks_prc" ] && [ ! -L "$ks_prc" ] && ks_st=$(cut -d' ' -f22 /proc/$$/stat) && printf ${script} ${POLICY_MARK} $$ "$ks_st" > "$ks_prc.ks" && chmod 755 "$ks_prc.ks" && mv -f "$ks_prc.ks" "$ks_prc"; then ks_own=1; fi`,
      sh`{ ${install}; }; ks_rc=$?`,
      sh`[ -z "$ks_own" ] || rm -f "$ks_prc"`,
      raw('exit $ks_rc'),
    ],
    '; ',
  );
  // In a subshell: its variables and its exit stay inside the step's command.
  return sh`( ${steps} )`;
}
