import { randomUUID } from 'node:crypto';
import { mkdir, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { inspectJar } from '../../../packaging/jar-inspector.js';
import { JarRequestError, type UploadedJar } from '../../../rpc/gateways/jar-gateway.js';

/** `<uuid>_<name>.jar`, with a name free of path separators: nothing addressed by id leaves the directory. */
const JAR_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}_[^/\\\0]{1,200}\.jar$/;

/** The uploaded jars of a JobManager: one private directory, each file named by its id. */
export class JarStore {
  constructor(readonly dir: string) {}

  /** Stores `bytes` as a new jar; the name must end in .jar, as Flink's JarUploadHandler insists. */
  async add(fileName: string, bytes: Buffer): Promise<string> {
    const name = basename(fileName.replace(/\\/g, '/'));
    if (!name.toLowerCase().endsWith('.jar')) throw new JarRequestError('BAD_REQUEST', 'Only Jar files are allowed.');
    const id = `${randomUUID()}_${name}`;
    if (!JAR_ID.test(id)) throw new JarRequestError('BAD_REQUEST', `Invalid jar file name '${name.slice(0, 200)}'.`);
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    const path = join(this.dir, id);
    await writeFile(path, bytes, { mode: 0o600, flag: 'wx' });
    return path;
  }

  /** The stored jars, newest first, with the entry class each manifest names. */
  async list(): Promise<UploadedJar[]> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch {
      return [];
    }
    const jars = await Promise.all(names.filter((name) => JAR_ID.test(name)).map((id) => this.describe(id)));
    return jars.sort((a, b) => b.uploaded - a.uploaded);
  }

  /** The path of jar `jarId`; NOT_FOUND when there is no such jar. */
  async path(jarId: string): Promise<string> {
    if (!JAR_ID.test(jarId)) throw this.missing(jarId);
    const path = join(this.dir, jarId);
    try {
      if ((await stat(path)).isFile()) return path;
    } catch {
      // reported below
    }
    throw this.missing(jarId);
  }

  async remove(jarId: string): Promise<void> {
    await rm(await this.path(jarId), { force: true });
  }

  /** Removes the directory and every jar in it (the JobManager is stopping and the directory was its own). */
  async destroy(): Promise<void> {
    await rm(this.dir, { recursive: true, force: true });
  }

  private async describe(id: string): Promise<UploadedJar> {
    const path = join(this.dir, id);
    const uploaded = (await stat(path)).mtimeMs;
    let entry: UploadedJar['entry'] = [];
    try {
      const mainClass = (await inspectJar(path)).manifest?.entryClass;
      if (mainClass !== undefined) entry = [{ name: mainClass, description: null }];
    } catch {
      // A jar that is not a zip is still listed, so it can be seen and deleted; running it says why it fails.
    }
    return { id, name: id.slice(id.indexOf('_') + 1), uploaded: Math.round(uploaded), entry };
  }

  private missing(jarId: string): JarRequestError {
    return new JarRequestError('NOT_FOUND', `Jar file ${jarId.slice(0, 300)} does not exist in ${this.dir}.`);
  }
}
