/**
 * Imported first by every entry point, before any library loads. A process started without HOME
 * under a user id that has no passwd entry (Kubernetes runAsUser, OpenShift's random uids) makes
 * os.homedir() throw, and cosmiconfig's env-paths calls it as it loads, so every bin/ script would
 * crash before it could say anything. Such a process has no home to read settings from anyway.
 */
import { homedir, tmpdir } from 'node:os';

try {
  homedir();
} catch {
  process.env['HOME'] = tmpdir();
}
