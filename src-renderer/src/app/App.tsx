import { useEffect, type ReactNode } from 'react';
import { useT } from '../i18n/i18n';
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
import { SCREEN_LABELS, useScreen, type Screen } from './routes';
import { StatusBar } from './StatusBar';

const SCREEN_COMPONENTS: Record<Screen, () => ReactNode> = {
  home: HomeScreen,
  inventory: InventoryScreen,
  topology: TopologyScreen,
  certificates: CertificatesScreen,
  deploy: DeployScreen,
  operations: OperationsScreen,
  terminals: TerminalsScreen,
  settings: SettingsScreen,
};

export function App() {
  const t = useT();
  const screen = useScreen();
  const connected = useConnection((s) => s.state === 'connected');
  const refresh = useClusters((s) => s.refresh);

  useEffect(() => {
    if (connected) void refresh();
  }, [connected, refresh]);

  useEffect(() => subscribeInventoryRefresh(), []);

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
        <ScreenComponent />
      </main>
      <StatusBar />
      <PromptDialog />
    </div>
  );
}
