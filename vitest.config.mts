import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['src-main/**/*.test.ts', 'src-shared/**/*.test.ts', 'src-renderer/**/*.test.ts'],
          environment: 'node',
          // A guard against hangs, not a speed goal: key generation under a loaded 2-core CI machine took past 5 s.
          testTimeout: 60_000,
        },
      },
      {
        // Tests against real servers (sshd, etcd, lab hosts): slower, run one file at a time.
        test: {
          name: 'integration',
          include: ['test/**/*.test.ts'],
          environment: 'node',
          // Hang guards, not speed goals: the CA rotation took past 3 min on a CI machine busy with other work.
          testTimeout: 600_000,
          hookTimeout: 900_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
