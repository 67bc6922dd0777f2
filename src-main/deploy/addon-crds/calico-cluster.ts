import { arr, bool, duration, int, intOrString, map, num, nullable, obj, oneOf, port, str, time, type JSONSchemaProps } from './schema';

/*
 * Cluster-level calico resources with closed schemas. Field names and types from calico's Go types (json tags),
 * enums and bounds only where a kubebuilder marker in those files states them.
 */

/** api/pkg/apis/projectcalico/v3/clusterinfo.go (ClusterInformationSpec). */
export const clusterInformationSpec: JSONSchemaProps = obj({
  clusterGUID: str(),
  clusterType: str(),
  calicoVersion: str(),
  datastoreReady: bool(),
  variant: str(),
});

/**
 * api/pkg/apis/projectcalico/v3/tier.go (TierSpec). Two stored versions of the file: `order` in both, the newer
 * adds `defaultAction` with the marker `+kubebuilder:validation:Enum=Pass;Deny`.
 */
export const tierSpec: JSONSchemaProps = obj({ order: nullable(num()), defaultAction: oneOf('Pass', 'Deny') });

/** api/pkg/apis/projectcalico/v3/globalnetworkset.go and networkset.go (both specs are `nets`). */
export const networkSetSpec: JSONSchemaProps = obj({ nets: arr(str()) });

/** api/pkg/apis/projectcalico/v3/hostendpoint.go (HostEndpointSpec, EndpointPort; protocol is numorstring.Protocol). */
export const hostEndpointSpec: JSONSchemaProps = obj({
  node: str(),
  interfaceName: str(),
  expectedIPs: arr(str()),
  profiles: arr(str()),
  ports: arr(obj({ name: str(), protocol: intOrString(), port: port(1) }, ['name', 'port', 'protocol'])),
});

/** api/pkg/apis/projectcalico/v3/nodestatus.go (CalicoNodeStatusSpec; MinItems/MaxItems markers on classes). */
export const calicoNodeStatusSpec: JSONSchemaProps = obj({
  node: str(),
  classes: arr(str(), { minItems: 1, maxItems: 3 }),
  updatePeriodSeconds: int({ minimum: 0, maximum: 86400 }),
});

const bgpDaemonStatus = obj({ state: str(), version: str(), routerID: str(), lastBootTime: str(), lastReconfigurationTime: str() });
const nodePeer = obj({ peerIP: str(), type: str(), state: str(), since: str() });
const nodeRoute = obj({
  type: str(),
  destination: str(),
  gateway: str(),
  interface: str(),
  learnedFrom: obj({ sourceType: str(), peerIP: str() }),
});

/** nodestatus.go (CalicoNodeStatusStatus and its parts): what calico-node reports; plain strings, no enums. */
export const calicoNodeStatusStatus: JSONSchemaProps = obj({
  lastUpdated: nullable(time()),
  agent: obj({ birdV4: bgpDaemonStatus, birdV6: bgpDaemonStatus }),
  bgp: obj({
    numberEstablishedV4: int(),
    numberNotEstablishedV4: int(),
    numberEstablishedV6: int(),
    numberNotEstablishedV6: int(),
    peersV4: arr(nodePeer),
    peersV6: arr(nodePeer),
  }),
  routes: obj({ routesV4: arr(nodeRoute), routesV6: arr(nodeRoute) }),
});

const enabledDisabled = () => oneOf('Enabled', 'Disabled');
const reconciler = () => obj({ reconcilerPeriod: duration() });

/** api/pkg/apis/projectcalico/v3/kubecontrollersconfig.go (KubeControllersConfigurationSpec and the controllers). */
export const kubeControllersSpec: JSONSchemaProps = obj({
  logSeverityScreen: oneOf('None', 'Debug', 'Info', 'Warning', 'Error', 'Fatal', 'Panic'),
  healthChecks: enabledDisabled(),
  etcdV3CompactionPeriod: duration(),
  prometheusMetricsPort: port(),
  controllers: obj({
    node: obj({
      reconcilerPeriod: duration(),
      syncLabels: enabledDisabled(),
      hostEndpoint: obj({
        autoCreate: enabledDisabled(),
        createDefaultHostEndpoint: str(),
        templates: arr(
          obj({
            generateName: str({ maxLength: 253 }),
            interfaceCIDRs: arr(str()),
            interfacePattern: str(),
            labels: map(str()),
            nodeSelector: str(),
          }),
        ),
      }),
      leakGracePeriod: duration(),
    }),
    policy: reconciler(),
    workloadEndpoint: reconciler(),
    serviceAccount: reconciler(),
    namespace: reconciler(),
    loadBalancer: obj({ assignIPs: oneOf('AllServices', 'RequestedServicesOnly') }),
    policyMigration: obj({ enabled: enabledDisabled() }),
  }),
  debugProfilePort: port(),
});

/** kubecontrollersconfig.go (KubeControllersConfigurationStatus): the running config kube-controllers writes back. */
export const kubeControllersStatus: JSONSchemaProps = obj({
  runningConfig: nullable(kubeControllersSpec),
  environmentVars: map(str()),
});
