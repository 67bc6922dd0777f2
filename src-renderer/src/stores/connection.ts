import { create } from 'zustand';
import type { AppInfo } from '../../../src-shared/contract/api';
import { call, transport } from '../api/client';
import type { ConnectionState } from '../api/transport';

interface ConnectionStore {
  state: ConnectionState;
  info: AppInfo | undefined;
}

export const useConnection = create<ConnectionStore>(() => ({ state: 'connecting', info: undefined }));

transport().onState((state) => {
  useConnection.setState({ state });
  if (state === 'connected') {
    call('app.info', {})
      .then((info) => useConnection.setState({ info }))
      .catch(() => useConnection.setState({ info: undefined }));
  }
});
