// Loaded into each test process by scripts/test.mjs: the tests use the AWS SDK themselves as an oracle (SDK clients
// against the emulator), and its Node 20 support warning is not swrole's. Only this process is silenced, never
// through the environment: the swrole processes the tests spawn keep their own silencing, which tests assert.
import { state } from '@aws-sdk/core/client';

state.warningEmitted = true;
