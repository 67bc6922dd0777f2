import { ScreenFrame } from '../../app/ScreenFrame';

export function TopologyScreen() {
  return <ScreenFrame title="nav.topology" intro="screen.topology.intro" />;
}
