import { derive, type FlagList } from './common';
import { flags as previous } from './1.35';

/** 1.36 added no flag Kubesmith uses and removed none of the ones listed for 1.35. */
export const flags: FlagList = derive(previous, {}, {});
