// The start of the `api-atlas` command (bundled to dist/cli.js): runs the CLI's own bundle, dist/cli-main.js, through the V8 code cache, so a run does not compile the CLI again.
import * as path from 'node:path';
import { loadWithCodeCache } from '../core/boot';

loadWithCodeCache(path.join(__dirname, 'cli-main.js'));
