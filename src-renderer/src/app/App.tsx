import { useEffect, type ReactNode } from 'react';
import { onEvent } from '../api/client';
import { useT } from '../i18n/i18n';
import { AboutScreen } from '../screens/about/AboutScreen';
import { BundleScreen } from '../screens/bundle/BundleScreen';
import { CertificatesScreen } from '../screens/certificates/CertificatesScreen';
import { DeployScreen } from '../screens/deploy/DeployScreen';
import { HomeScreen } from '../screens/home/HomeScreen';
import { InventoryScreen } from '../screens/inventory/InventoryScreen';
import { subscribeInventoryRefresh } from '../screens/operations/inventory-refresh';
import { OperationsScreen } from '../screens/operations/OperationsScreen';
import { SettingsScreen } from '../screens/settings/SettingsScreen';
import { TerminalsScreen } from '../screens/terminals/TerminalsScreen';
import { TopologyScreen } from '../screens/topology/TopologyScreen';
import { useClusters } from '../stores/clusters';
import { useConnection } from '../stores/connection';
import { ClusterPicker } from './ClusterPicker';
import { ErrorBanner } from './ErrorBanner';
import { Nav } from './Nav';
import { PromptDialog } from './PromptDialog';
import { RepairCluster } from './RepairCluster';
import { hrefFor, SCREEN_LABELS, useScreen, type Screen } from './routes';
import { StatusBar } from './StatusBar';

const SCREEN_COMPONENTS: Record<Screen, () => ReactNode> = {
  home: HomeScreen,
  inventory: InventoryScreen,
  topology: TopologyScreen,
  certificates: CertificatesScreen,
  deploy: DeployScreen,
  operations: OperationsScreen,
  terminals: TerminalsScreen,
  bundle: BundleScreen,
  settings: SettingsScreen,
  about: AboutScreen,
};

export function App() {
  const t = useT();
  const screen = useScreen();
  const connected = useConnection((s) => s.state === 'connected');
  const refresh = useClusters((s) => s.refresh);
  const broken = useClusters((s) => s.broken);

  useEffect(() => {
    if (connected) void refresh();
  }, [connected, refresh]);

  useEffect(() => subscribeInventoryRefresh(), []);

  // The desktop app's menu (About, Check for Updates…) asks for a screen.
  useEffect(() => onEvent('app.show', ({ screen: wanted }) => void (window.location.hash = hrefFor(wanted))), []);

  useEffect(() => {
    document.title = `${t(SCREEN_LABELS[screen])} · Kubesmith`;
  }, [screen, t]);

  const ScreenComponent = SCREEN_COMPONENTS[screen];
  return (
    <div className="app">
      <header className="app-header">
        <h1 className="app-title">{t('app.title')}</h1>
        <ClusterPicker />
      </header>
      <Nav current={screen} />
      <main className="app-main" id="main" tabIndex={-1}>
        <ErrorBanner />
        {broken ? <RepairCluster broken={broken} /> : <ScreenComponent />}
      </main>
      <StatusBar />
      <PromptDialog />
    </div>
  );
}
