export type SudoMode = 'nopasswd' | 'password' | 'none';

export interface LabUser {
  username: string;
  /** Set for users that log in with the lab key. */
  privateKeyPath?: string;
  /** Set for users that have a password (for SSH password login and/or sudo). */
  password?: string;
  sudo: SudoMode;
}

export interface LabHost {
  name: string;
  /** 1-based; node1 is index 1. */
  index: number;
  address: string;
  port: 22;
  rootKeyPath: string;
  users: {
    root: LabUser;
    /** sudo without a password, key login. */
    deployer: LabUser;
    /** sudo needs the password, key login (password login works too). */
    sudoer: LabUser;
    /** Password login only, no sudo. */
    pwuser: LabUser;
  };
}

export interface LabHostStatus {
  name: string;
  address: string;
  running: boolean;
  sshReachable: boolean;
}
