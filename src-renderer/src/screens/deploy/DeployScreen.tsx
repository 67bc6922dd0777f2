import { ScreenFrame } from '../../app/ScreenFrame';

export function DeployScreen() {
  return <ScreenFrame title="nav.deploy" intro="screen.deploy.intro" />;
}
