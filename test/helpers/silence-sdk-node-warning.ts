// Imported first by each test file that builds AWS SDK clients in its own process (as an oracle against the
// emulator): the SDK's Node 20 support warning is not swrole's. Only that process is silenced, never through the
// environment: the swrole processes the tests spawn keep their own silencing, which tests assert.
// test/unit/sdk-warning-silenced.test.ts checks that every such file imports this.
import { state } from '@aws-sdk/core/client';

state.warningEmitted = true;
