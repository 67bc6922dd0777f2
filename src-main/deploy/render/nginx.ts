import { KubesmithError } from '../../../src-shared/errors';
import { classifyAddress } from '../../../src-shared/net/host-address';
import { hostPort } from '../net';

/**
 * An upstream address of the load balancer's nginx.conf. Only an IP address or a DNS name is written: nothing that
 * could end a directive (";"), open or close a block ("{", "}"), or start a new line.
 */
export function nginxServer(address: string, port: number): string {
  if (classifyAddress(address) === undefined || !Number.isInteger(port) || port < 1 || port > 65535) {
    throw new KubesmithError(
      'UnsafeValue',
      `${JSON.stringify(address)} is not an IP address or a DNS name; it cannot go into the load balancer's configuration.`,
      'Correct the host address in the inventory.',
      { address },
    );
  }
  return hostPort(address, port);
}
