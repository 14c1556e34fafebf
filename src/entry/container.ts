// The container image's entry point (Dockerfile CMD): serve until SIGTERM, then drain and exit.
import { runContainer } from './server.js';

await runContainer();
