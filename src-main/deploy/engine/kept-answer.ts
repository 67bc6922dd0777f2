import type { FileAction } from '../../../src-shared/model/plan';
import type { ShellCommand } from '../../../src-shared/model/shell-command';
import { ANSWERS_DIR } from '../layout';
import { sh, type Shell } from '../../ssh/shell';
import { answerIntoKsO } from './job-probe';

/**
 * The command that asks a variant file's chooseBy on the host: the action's own, or, where the answer depends on
 * one file alone (`chooseByReads`), that answer as the host kept it.
 */
export function chooseByCommand(action: FileAction): ShellCommand | undefined {
  if (action.chooseBy === undefined) return undefined;
  return action.chooseByReads === undefined ? action.chooseBy : keptAnswer(action.chooseByReads, action.chooseBy).command;
}

/**
 * What `command` prints (stdout and stderr together), kept on the host beside the identity of the one file it
 * depends on: size, inode and ctime (stat -L, the file a link points to). The kernel sets ctime on every write,
 * rename or chmod and nobody can set it back, so a binary replaced or rewritten in place asks again. A kept answer
 * costs one stat; asking costs the program's start (a Go binary's `--version`: 50–70 ms of a small host's CPU, on
 * every run). Only an answer of a command that succeeded is kept; an unreadable file keeps nothing.
 */
export function keptAnswer(file: string, command: ShellCommand): Shell {
  const kept = `${ANSWERS_DIR}/${file.split('/').join('%')}`;
  return sh`ks_id=$(stat -L -c '%s:%i:%.9Z' -- ${file} 2>/dev/null) || ks_id=
if [ -n "$ks_id" ] && { IFS= read -r ks_h && [ "$ks_h" = "$ks_id" ]; } 2>/dev/null < ${kept}; then
{ IFS= read -r ks_h; while IFS= read -r ks_l; do printf '%s\\n' "$ks_l"; done; } < ${kept}
else
${answerIntoKsO(command)}; ks_c=$?
[ $ks_c != 0 ] || [ -z "$ks_id" ] || { { [ -d ${ANSWERS_DIR} ] || mkdir -p ${ANSWERS_DIR}; } && printf '%s\\n%s\\n' "$ks_id" "$ks_o" > ${`${kept}.tmp`} && mv -f ${`${kept}.tmp`} ${kept}; } 2>/dev/null
printf '%s\\n' "$ks_o"; [ $ks_c = 0 ]
fi`;
}
