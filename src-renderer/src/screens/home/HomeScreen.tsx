import './home.css';
import { ScreenFrame } from '../../app/ScreenFrame';
import { useClusters } from '../../stores/clusters';
import { ClusterHome } from './ClusterHome';
import { Welcome } from './Welcome';

/** Welcome when there is no cluster yet; otherwise the open cluster as a whole. */
export function HomeScreen() {
  const cluster = useClusters((s) => s.current);
  return (
    <ScreenFrame title="nav.home" intro={cluster ? 'screen.home.intro' : 'welcome.intro'}>
      {cluster ? <ClusterHome cluster={cluster} /> : <Welcome />}
    </ScreenFrame>
  );
}
