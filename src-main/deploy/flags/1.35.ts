import { derive, type FlagList } from './common';
import { flags as previous } from './1.34';

/** 1.35 added no flag Kubesmith uses and removed none of the ones listed for 1.34. */
export const flags: FlagList = derive(previous, {}, {});
