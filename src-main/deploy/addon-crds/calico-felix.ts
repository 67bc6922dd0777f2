import { arr, bool, duration, int, int64, intOrString, map, obj, oneOf, str, type JSONSchemaProps } from './schema';

/*
 * FelixConfiguration (projectcalico/calico FelixConfigurationSpec): the union of the fields of the two stored copies
 * that could be read, which between them span calico's releases up to one newer than any other stored copy:
 * - api/pkg/apis/projectcalico/v3/felixconfig.go at 00157c19 (2017-2022 header, already with nftables: a 2024 copy);
 * - api/config/crd/projectcalico.org_felixconfigurations.yaml at 02b2dd4c (controller-gen v0.18.0), the newest read:
 *   it has settings none of the other copies has (nodeSelector, localSubnetL2Reachability, bpfOverlayHostSourceIP,
 *   bpfIPFragTimeout, liveMigrationRouteConvergenceTime, the Maglev map sizes, prometheusMetrics TLS files), and the
 *   crd.projectcalico.org/v1 CRD calico.yaml ships is generated from the same Go type.
 * The three fields only the older copy has (iptablesLockFilePath, iptablesLockTimeout,
 * bpfKubeProxyEndpointSlicesEnabled) are kept: a removed field is harmless, a missing one would be pruned.
 * The stored libcalico-go/config/crd/crd.projectcalico.org_felixconfigurations.yaml has 540 versions of which one is
 * readable; it was not read. calico's v3.32 release notes (tigera/docs
 * calico_versioned_docs/version-3.32/release-notes/index.mdx, 3.32.0 and 3.32.1) name these Felix settings as new:
 * nodeSelector (#11977, #12497), logActionRateLimit and logActionRateLimitBurst (#11514), istioAmbientMode and
 * istioDSCPMark (#11880), bpfJITHardening (#11024), bpfKubeProxyHealthzPort (#11011), the Prometheus metrics TLS files
 * (#10495); all are in 02b2dd4c. They also remove iptablesLockTimeout (#11326, kept here: harmless) and deprecate
 * bpfRedirectToPeer's L2Only (#11279). A setting added after 02b2dd4c that the notes do not name is the remaining risk.
 * Types: metav1.Duration is a string; numorstring.Port is an int or a string ("20000:29999"); markers' enums are
 * kept (the union of values where copies differ); the case-insensitive `(?i)` patterns (log levels, actions, modes)
 * are written as plain strings: they are RE2 syntax, and an older copy accepted values a newer one refuses.
 */

const booleans = [
  'allowIPIPPacketsFromWorkloads',
  'allowVXLANPacketsFromWorkloads',
  'bpfConnectTimeLoadBalancingEnabled',
  'bpfDisableUnprivileged',
  'bpfEnabled',
  'bpfHostConntrackBypass',
  'bpfIPFragmentReassemblyEnabled',
  'bpfKubeProxyEndpointSlicesEnabled',
  'bpfKubeProxyIptablesCleanupEnabled',
  'bpfPolicyDebugEnabled',
  'debugDisableLogDropping',
  'disableConntrackInvalidCheck',
  'endpointReportingEnabled',
  'flowLogsCollectorDebugTrace',
  'genericXDPEnabled',
  'healthEnabled',
  'ipipEnabled',
  'ipv6Support',
  'prometheusGoMetricsEnabled',
  'prometheusMetricsEnabled',
  'prometheusProcessMetricsEnabled',
  'prometheusWireGuardMetricsEnabled',
  'removeExternalRoutes',
  'requireMTUFile',
  'routeSyncDisabled',
  'sidecarAccelerationEnabled',
  'usageReportingEnabled',
  'useInternalDataplaneDriver',
  'vxlanEnabled',
  'wireguardEnabled',
  'wireguardEnabledV6',
  'wireguardHostEncryptionEnabled',
  'wireguardThreadingEnabled',
  'xdpEnabled',
];

const strings = [
  'bpfCTLBLogFilter',
  'bpfDataIfacePattern',
  'bpfDisableGROForIfaces',
  'bpfEnforceRPF',
  'bpfExternalServiceMode',
  'bpfL3IfacePattern',
  'bpfLogLevel',
  'bpfMapSizeConntrackScaling',
  'cgroupV2Path',
  'chainInsertMode',
  'dataplaneDriver',
  'debugHost',
  'debugMemoryProfilePath',
  'defaultEndpointToHostAction',
  'deviceRouteSourceAddress',
  'deviceRouteSourceAddressIPv6',
  'endpointStatusPathPrefix',
  'flowLogsGoldmaneServer',
  'healthHost',
  'interfaceExclude',
  'interfacePrefix',
  'iptablesBackend',
  'iptablesFilterAllowAction',
  'iptablesFilterDenyAction',
  'iptablesLockFilePath',
  'iptablesMangleAllowAction',
  'iptablesNATOutgoingInterfaceFilter',
  'logDebugFilenameRegex',
  'logFilePath',
  'logPrefix',
  'logSeverityFile',
  'logSeverityScreen',
  'logSeveritySys',
  'metadataAddr',
  'mtuIfacePattern',
  'natOutgoingAddress',
  'nftablesFilterAllowAction',
  'nftablesFilterDenyAction',
  'nftablesMangleAllowAction',
  'openstackRegion',
  'policySyncPathPrefix',
  'prometheusMetricsCAFile',
  'prometheusMetricsCertFile',
  'prometheusMetricsClientAuth',
  'prometheusMetricsHost',
  'prometheusMetricsKeyFile',
  'routeSource',
  'serviceLoopPrevention',
  'wireguardInterfaceName',
  'wireguardInterfaceNameV6',
  'workloadSourceSpoofing',
];

/** metav1.Duration fields (Go duration text such as `90s`). */
const durations = [
  'bpfIPFragTimeout',
  'bpfKubeProxyMinSyncPeriod',
  'dataplaneWatchdogTimeout',
  'debugSimulateCalcGraphHangAfter',
  'debugSimulateDataplaneApplyDelay',
  'debugSimulateDataplaneHangAfter',
  'endpointReportingDelay',
  'flowLogsFlushInterval',
  'interfaceRefreshInterval',
  'ipsetsRefreshInterval',
  'iptablesLockProbeInterval',
  'iptablesLockTimeout',
  'iptablesPostWriteCheckInterval',
  'iptablesRefreshInterval',
  'liveMigrationRouteConvergenceTime',
  'localSubnetL2ReachabilityRefreshInterval',
  'netlinkTimeout',
  'nftablesRefreshInterval',
  'reportingInterval',
  'reportingTTL',
  'routeRefreshInterval',
  'usageReportingInitialDelay',
  'usageReportingInterval',
  'wireguardKeepAlive',
  'xdpRefreshInterval',
];

const integers = [
  'bpfExportBufferSizeMB',
  'bpfExtToServiceConnmark',
  'bpfKubeProxyHealthzPort',
  'bpfMaglevMaxEndpointsPerService',
  'bpfMaglevMaxServices',
  'bpfMapSizeConntrack',
  'bpfMapSizeIPSets',
  'bpfMapSizeIfState',
  'bpfMapSizeNATAffinity',
  'bpfMapSizeNATBackend',
  'bpfMapSizeNATFrontend',
  'bpfMapSizePerCpuConntrack',
  'bpfMapSizeRoute',
  'debugPort',
  'deviceRouteProtocol',
  'goGCThreshold',
  'goMaxProcs',
  'goMemoryLimitMB',
  'healthPort',
  'ipipMTU',
  'ipv4ElevatedRoutePriority',
  'ipv4NormalRoutePriority',
  'ipv6ElevatedRoutePriority',
  'ipv6NormalRoutePriority',
  'maxIpsetSize',
  'metadataPort',
  'prometheusMetricsPort',
  'vxlanMTU',
  'vxlanMTUV6',
  'vxlanPort',
  'vxlanVNI',
  'wireguardListeningPort',
  'wireguardListeningPortV6',
  'wireguardMTU',
  'wireguardMTUV6',
  'wireguardRoutingRulePriority',
];

const stringLists = ['bpfDSROptoutCIDRs', 'bpfExcludeCIDRsFromNAT', 'bpfForceTrackPacketsFromIfaces', 'externalNodesList'];

const each = (names: string[], schema: () => JSONSchemaProps) => Object.fromEntries(names.map((n) => [n, schema()]));
const enabledDisabled = () => oneOf('Enabled', 'Disabled');

/** ProtoPort: protocol, port (required) and an optional CIDR; calico writes `net` even when empty. */
const protoPort = obj({ protocol: str(), port: int({ minimum: 0, maximum: 65535 }), net: str() }, ['port']);
const tableRange = () => obj({ min: int(), max: int() }, ['min', 'max']);
/** BPFConntrackTimeouts: each timer a duration or `Auto` (the marker's pattern). */
const conntrackTimer = () => str({ pattern: '^(([0-9]*(\\.[0-9]*)?(ms|s|h|m|us)+)+|Auto)$' });
const conntrackTimers = [
  'creationGracePeriod',
  'tcpSynSent',
  'tcpEstablished',
  'tcpFinsSeen',
  'tcpResetSeen',
  'udpTimeout',
  'genericTimeout',
  'icmpTimeout',
];

export const felixConfigurationSpec: JSONSchemaProps = obj({
  ...each(booleans, bool),
  ...each(strings, str),
  ...each(durations, duration),
  ...each(integers, int),
  ...each(stringLists, () => arr(str())),
  // the two markers both copies carry: comma-separated key=value lists
  featureDetectOverride: str({ pattern: '^([a-zA-Z0-9-_]+=(true|false|),)*([a-zA-Z0-9-_]+=(true|false|))?$' }),
  featureGates: str({ pattern: '^([a-zA-Z0-9-_]+=([^=]+),)*([a-zA-Z0-9-_]+=([^=]+))?$' }),
  logActionRateLimit: str({ pattern: '^[1-9]\\d{0,3}/(?:second|minute|hour|day)$' }),
  logActionRateLimitBurst: int({ minimum: 0, maximum: 9999 }),
  bpfMapSizeConntrackCleanupQueue: int({ minimum: 1 }),
  iptablesMarkMask: int64({ minimum: 0, maximum: 4294967295 }),
  nftablesMarkMask: int64({ minimum: 0, maximum: 4294967295 }),
  nodeSelector: str({ maxLength: 1024 }),
  natPortRange: intOrString(),
  bpfPSNATPorts: intOrString(),
  istioDSCPMark: intOrString(),
  kubeNodePortRanges: arr(intOrString()),
  bpfLogFilters: map(str()),
  bpfConntrackTimeouts: obj(each(conntrackTimers, conntrackTimer)),
  failsafeInboundHostPorts: arr(protoPort),
  failsafeOutboundHostPorts: arr(protoPort),
  healthTimeoutOverrides: arr(obj({ name: str(), timeout: duration() }, ['name', 'timeout'])),
  routeTableRange: tableRange(),
  routeTableRanges: arr(tableRange()),
  // Enum markers
  awsSrcDstCheck: oneOf('DoNothing', 'Enable', 'Disable'),
  bpfAttachType: oneOf('TC', 'TCX'),
  bpfConnectTimeLoadBalancing: oneOf('TCP', 'Enabled', 'Disabled'),
  bpfConntrackLogLevel: oneOf('Off', 'Debug'),
  bpfConntrackMode: oneOf('Auto', 'Userspace', 'BPFProgram'),
  bpfHostNetworkedNATWithoutCTLB: enabledDisabled(),
  bpfJITHardening: oneOf('Auto', 'Strict'),
  bpfOverlayHostSourceIP: oneOf('TunnelAddress', 'HostAddress'),
  bpfProfiling: enabledDisabled(),
  // the 2024 copy had no enum and documented L2Only (its default then); the newest treats L2Only as Enabled
  bpfRedirectToPeer: oneOf('Enabled', 'Disabled', 'L2Only'),
  floatingIPs: enabledDisabled(),
  flowLogsLocalReporter: enabledDisabled(),
  flowLogsPolicyEvaluationMode: oneOf('None', 'Continuous'),
  ipForwarding: enabledDisabled(),
  istioAmbientMode: enabledDisabled(),
  localSubnetL2Reachability: oneOf('Disabled', 'PodsAndLoadBalancers'),
  natOutgoingExclusions: oneOf('IPPoolsOnly', 'IPPoolsAndHostIPs'),
  nftablesMode: oneOf('Disabled', 'Enabled', 'Auto'),
  programClusterRoutes: enabledDisabled(),
  windowsManageFirewallRules: enabledDisabled(),
});

/** The plain lists above, for the test that checks no field is named twice (a later entry would silently win). */
export const FELIX_FIELD_LISTS = { booleans, strings, durations, integers, stringLists };
