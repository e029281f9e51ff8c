// Writer for the atomicity test: rewrites one session file many times with large content (a torn write
// would be visible to the racing reader). argv: dir key writerId rounds
import { writeFileAtomic } from '../../src/platform/atomic-write.js';
import { renderStoredSession } from '../../src/cache/session-file.js';

const [dir, key, id, rounds] = process.argv.slice(2);
if (dir === undefined || key === undefined) throw new Error('usage: dir key id rounds');
for (let i = 0; i < Number(rounds ?? 100); i++) {
  const text = renderStoredSession({
    version: 1,
    kind: 'role',
    profile: `writer-${id}`,
    credentials: { accessKeyId: 'ASIA', secretAccessKey: `s-${id}-${i}`, expiration: '2099-01-01T00:00:00Z' },
    meta: { padding: String(id).repeat(256 * 1024), round: i },
  });
  writeFileAtomic(dir, `${key}.json`, text, process.platform);
}
