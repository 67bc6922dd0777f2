import { ScreenFrame } from '../../app/ScreenFrame';

export function TerminalsScreen() {
  return <ScreenFrame title="nav.terminals" intro="screen.terminals.intro" />;
}
