import { ScreenFrame } from '../../app/ScreenFrame';

export function InventoryScreen() {
  return <ScreenFrame title="nav.inventory" intro="screen.inventory.intro" />;
}
