import { FLAGS_1_34, type FlagList } from './common';

export const flags: FlagList = FLAGS_1_34;
