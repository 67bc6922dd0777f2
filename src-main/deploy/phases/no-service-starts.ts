import { raw, sh, shJoin, type Shell } from '../../ssh/shell';

/** Where Debian's and Ubuntu's service helpers look for the local start policy. */
export const POLICY_RC_D = '/usr/sbin/policy-rc.d';
/** The second line of the policy this step writes: how a later run knows the file as its own. */
export const POLICY_MARK = '# kubesmith: no service starts while its package step runs';

/**
 * systemctl without PID 1 and without its chroot notes (see withoutServiceStarts): the prefix of one command, or the
 * operand of `export` for several.
 */
export const SYSTEMCTL_OFFLINE = raw('SYSTEMD_OFFLINE=1 SYSTEMD_LOG_LEVEL=warning');

/**
 * Runs `install` (dpkg or apt-get) with the services the packages bring left unstarted and the manager not reloaded:
 * nginx's package would start nginx.service (and reload it for its stream module) only for the step to stop and
 * disable it again (distro-nginx.ts), each start and stop a few hundred milliseconds of the host's CPU, on every host
 * at once.
 *
 * The interface is Debian's policy layer (init-system-helpers, doc/README.policy-rc.d): invoke-rc.d and
 * deb-systemd-invoke, which maintainer scripts call to start, restart or reload a service, first ask
 * /usr/sbin/policy-rc.d; exit status 101 means "action forbidden by policy", 0 "action allowed". Chroot and image
 * builders use a one-line `exit 101`. This one is narrower:
 * - written only where the host has no policy of its own (a file or a link there is the admin's, left as it is);
 * - it forbids only while the step's shell lives (its pid and start time, /proc/PID/stat field 22), so a copy left by a
 *   step that was killed allows everything, as if absent; a later packages step removes such a copy by its mark;
 * - removed by the step when the install ends, whether it succeeded or not.
 *
 * Nor does the install reload the manager: each package that ships a unit runs `systemctl daemon-reload` in its
 * postinst (debhelper's dh_installsystemd snippet), three on a fresh node, each about 0.3 s of PID 1's CPU with every
 * generator run again. The install runs with SYSTEMD_OFFLINE=1, with which systemctl "will refrain from talking to
 * PID 1; this has the same effect as the historical detection of chroot()" (systemd docs/ENVIRONMENT.md, since
 * systemd 237; the variable package build systems use): verbs that need PID 1 (daemon-reload, start) are skipped,
 * enable and disable still make their symlinks. SYSTEMD_LOG_LEVEL=warning keeps its "Running in chroot, ignoring
 * command" notes out of the step's log. Units new to the host need no reload (systemd loads a unit from disk when
 * it is first asked for it); where the install changed a package that was installed before (another version), the
 * files of units systemd may have loaded changed, so the step reloads once after it. The installed packages and
 * versions are listed before and after (dpkg-query), whichever packages dpkg or apt brought.
 */
export function withoutServiceStarts(install: Shell, policy = POLICY_RC_D): Shell {
  const installedList = raw(`dpkg-query -W -f='\${Package}=\${Version}=\${Status}\\n' 2>/dev/null`);
  const script = raw(`'#!/bin/sh\\n%s\\n[ "$(cut -d" " -f22 /proc/%s/stat 2>/dev/null)" = "%s" ] && exit 101\\nexit 0\\n'`);
  const steps = shJoin(
    [
      sh`ks_prc=${policy}; ks_own=`,
      sh`{ ! grep -qxF ${POLICY_MARK} "$ks_prc" 2>/dev/null || rm -f "$ks_prc"; }`,
      sh`if [ ! -e "$ks_prc" ] && [ ! -L "$ks_prc" ] && ks_st=$(cut -d' ' -f22 /proc/$$/stat) && printf ${script} ${POLICY_MARK} $$ "$ks_st" > "$ks_prc.ks" && chmod 755 "$ks_prc.ks" && mv -f "$ks_prc.ks" "$ks_prc"; then ks_own=1; fi`,
      sh`ks_pk=$(mktemp) && ${installedList} > "$ks_pk" || { rm -f "$ks_pk"; ks_pk=; }`,
      sh`{ export ${SYSTEMCTL_OFFLINE}; ${install}; }; ks_rc=$?`,
      sh`[ -z "$ks_own" ] || rm -f "$ks_prc"`,
      raw('unset SYSTEMD_OFFLINE SYSTEMD_LOG_LEVEL'),
      // A line of the list before that is not in the list after: a package installed before, now another version.
      sh`if [ "$ks_rc" = 0 ] && { [ -z "$ks_pk" ] || ${installedList} | grep -vxFf - "$ks_pk" | grep -q '=install ok installed$'; }; then systemctl daemon-reload || ks_rc=$?; fi`,
      raw('[ -z "$ks_pk" ] || rm -f "$ks_pk"'),
      raw('exit $ks_rc'),
    ],
    '; ',
  );
  // In a subshell: its variables and its exit stay inside the step's command.
  return sh`( ${steps} )`;
}
