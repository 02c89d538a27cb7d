import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, it } from 'node:test';
import { ConfigMap, PersistentVolumeClaim, Secret, Service } from 'kubernetes-models/v1';
import { Deployment } from 'kubernetes-models/apps/v1';
import { Job } from 'kubernetes-models/batch/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { parseAllDocuments } from 'yaml';
import {
  CHECKPOINTS_DIRECTORY,
  HIGH_AVAILABILITY_STORAGE_DIR,
  JOB_MANAGER_RPC_ADDRESS,
  JOB_MANAGER_RPC_PORT,
  REST_ADDRESS,
  REST_PORT,
  SAVEPOINT_DIRECTORY,
  SCHEDULER_MODE,
  SECURITY_CLUSTER_SECRET_FILE,
  TASK_MANAGER_DATA_PORT,
  loadConfiguration,
  unknownKeys,
  type Configuration,
} from '../../../src/config/index.js';
import { checkClusterKind } from '../../../src/entrypoint/cluster-kind-check.js';
import { parseEntrypointArguments, type EntrypointKind } from '../../../src/entrypoint/entrypoint-arguments.js';

// Compiled to dist/test/unit/deploy/, so the project root is four levels up.
const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const KUBERNETES = join(ROOT, 'deploy', 'kubernetes');

/** A manifest document as parsed from YAML. */
type Manifest = Record<string, unknown> & { apiVersion: string; kind: string; metadata: { name: string; labels?: Record<string, string> } };

/** Runs `data` through a model's JSON-schema validator; throws on the first violation. */
type Validate = (data: unknown) => void;

/** The API schemas these manifests use, by apiVersion and kind. */
const SCHEMAS: Record<string, Validate> = Object.fromEntries(
  [ConfigMap, Secret, Service, PersistentVolumeClaim, Deployment, Job, HorizontalPodAutoscaler].map((model) => [
    `${model.apiVersion}/${model.kind}`,
    (data: unknown) => model.prototype.validate.call(data),
  ]),
);

/**
 * Validates one document against its Kubernetes API schema and returns every problem: a schema
 * violation, or a field the schema does not know. The schemas allow unknown fields, which the API
 * server's strict field validation (kubectl's default) refuses, so the validator is run on a proxy
 * that records which fields the schema looked at: a field of a fixed-shape object it never read is
 * unknown. Objects whose keys it enumerates are free-form maps (labels, ConfigMap data).
 */
function manifestProblems(document: Manifest): string[] {
  const validate = SCHEMAS[`${document.apiVersion}/${document.kind}`];
  if (validate === undefined) return [`no schema for ${document.apiVersion} ${document.kind}`];
  const read = new Set<string>();
  const maps = new Set<string>();
  const track = (value: unknown, path: string): unknown => {
    if (value === null || typeof value !== 'object') return value;
    return new Proxy(value, {
      get(target, key, receiver) {
        const child: unknown = Reflect.get(target, key, receiver);
        if (typeof key !== 'string' || !Object.hasOwn(target, key)) return child;
        read.add(`${path}/${key}`);
        return track(child, `${path}/${key}`);
      },
      ownKeys(target) {
        maps.add(path);
        return Reflect.ownKeys(target);
      },
    });
  };
  try {
    validate(track(document, ''));
  } catch (error) {
    return [(error as Error).message];
  }
  const unknown: string[] = [];
  const walk = (value: unknown, path: string): void => {
    if (value === null || typeof value !== 'object') return;
    for (const [key, child] of Object.entries(value)) {
      const childPath = `${path}/${key}`;
      if (!Array.isArray(value) && !maps.has(path) && !read.has(childPath)) unknown.push(`unknown field ${childPath}`);
      walk(child, childPath);
    }
  };
  walk(document, '');
  return unknown;
}

/** Every YAML file under deploy/kubernetes, relative to it. */
function manifestFiles(dir = KUBERNETES): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return manifestFiles(path);
    return name.endsWith('.yaml') ? [relative(KUBERNETES, path)] : [];
  });
}

function loadFile(file: string): Manifest[] {
  // kubectl reads YAML as YAML 1.1 does (sigs.k8s.io/yaml): 0440 is octal there, 440 in YAML 1.2.
  const documents = parseAllDocuments(readFileSync(join(KUBERNETES, file), 'utf8'), { version: '1.1' });
  if (!Array.isArray(documents)) throw new Error(`${file} is empty`);
  return documents.map((document) => {
    assert.deepEqual(document.errors, [], `${file} is valid YAML`);
    return document.toJS() as Manifest;
  });
}

interface Container {
  name: string;
  image?: string;
  args?: string[];
  env?: Array<{ name: string }>;
  ports?: Array<{ containerPort: number; name?: string }>;
  volumeMounts?: Array<{ name: string; mountPath: string }>;
  readinessProbe?: Probe;
  livenessProbe?: Probe;
}

interface Probe {
  httpGet?: { path: string; port: number | string };
  tcpSocket?: { port: number | string };
}

interface PodSpec {
  initContainers?: Container[];
  containers: Container[];
  volumes?: Array<{
    name: string;
    configMap?: { name: string; items?: Array<{ key: string; path: string }> };
    secret?: { secretName: string; defaultMode?: number; items?: Array<{ key: string; path: string }> };
    persistentVolumeClaim?: { claimName: string };
  }>;
}

/** A layout: the application cluster (deploy/kubernetes) or the session cluster (session/ plus the shared secret and volume). */
interface Layout {
  readonly name: string;
  readonly kind: EntrypointKind;
  readonly documents: Manifest[];
}

function layouts(): Layout[] {
  const files = manifestFiles();
  const shared = ['cluster-secret.yaml', 'checkpoint-storage.yaml'];
  return [
    { name: 'application', kind: 'application', documents: files.filter((f) => !f.startsWith('session/')).flatMap(loadFile) },
    { name: 'session', kind: 'session', documents: [...files.filter((f) => f.startsWith('session/')), ...shared].flatMap(loadFile) },
  ];
}

function find(layout: Layout, kind: string, name?: string): Manifest {
  const found = layout.documents.find((d) => d.kind === kind && (name === undefined || d.metadata.name === name));
  assert.ok(found !== undefined, `the ${layout.name} layout has a ${kind}${name === undefined ? '' : ` ${name}`}`);
  return found;
}

function podOf(manifest: Manifest): { labels: Record<string, string>; spec: PodSpec } {
  const template = (manifest['spec'] as { template: { metadata: { labels: Record<string, string> }; spec: PodSpec } }).template;
  return { labels: template.metadata.labels, spec: template.spec };
}

async function loadConfigMap(layout: Layout, dir: string): Promise<Configuration> {
  const configMap = find(layout, 'ConfigMap', 'flink-config');
  const confDir = mkdtempSync(join(dir, `${layout.name}-`));
  writeFileSync(join(confDir, 'config.yaml'), (configMap['data'] as Record<string, string>)['config.yaml']!);
  const { configuration, warnings } = await loadConfiguration({ confDir });
  assert.deepEqual(warnings, [], `the ${layout.name} config loads without warnings`);
  assert.deepEqual(unknownKeys(configuration), [], `the ${layout.name} config has no unknown keys`);
  return configuration;
}

/** The modes docker-entrypoint.sh names in its usage line. */
function entrypointModes(): string[] {
  const help = spawnSync('sh', [join(ROOT, 'docker-entrypoint.sh'), 'help'], { encoding: 'utf8' });
  assert.equal(help.status, 0, help.stderr);
  const modes = /^Usage: docker-entrypoint\.sh \(([^)]+)\)$/m.exec(help.stdout)?.[1];
  assert.ok(modes !== undefined, help.stdout);
  return modes.split('|');
}

const MODE_KINDS: Record<string, EntrypointKind> = { jobmanager: 'session', 'standalone-job': 'application', taskmanager: 'taskmanager' };

describe('deploy/kubernetes', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tsf-k8s-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('has the application and session layouts, every document valid against the Kubernetes API schemas with no unknown field', () => {
    const files = manifestFiles().sort();
    assert.deepEqual(files, [
      'checkpoint-storage.yaml',
      'cluster-secret.yaml',
      'flink-configuration-configmap.yaml',
      'jobmanager-application.yaml',
      'jobmanager-service.yaml',
      'session/flink-configuration-configmap.yaml',
      'session/jobmanager-service.yaml',
      'session/jobmanager-session-deployment.yaml',
      'session/taskmanager-session-deployment.yaml',
      'taskmanager-deployment.yaml',
      'taskmanager-hpa.yaml',
    ]);
    for (const file of files) {
      for (const document of loadFile(file)) assert.deepEqual(manifestProblems(document), [], `${file}: ${document.kind}`);
    }
  });

  it('fails a broken copy: a wrong type, a missing required field, a misspelt field, a field of another API version', () => {
    const deployment = loadFile('taskmanager-deployment.yaml')[0]!;
    const hpa = loadFile('taskmanager-hpa.yaml')[0]!;
    const broken = (base: Manifest, change: (copy: Manifest & Record<string, any>) => void): Manifest => {
      const copy = structuredClone(base) as Manifest & Record<string, any>;
      change(copy);
      return copy;
    };
    assert.match(manifestProblems(broken(deployment, (d) => (d['spec'].replicas = 'two')))[0] ?? '', /spec\/replicas must be integer/);
    assert.match(
      manifestProblems(broken(deployment, (d) => delete d['spec'].template.spec.containers[0].name))[0] ?? '',
      /containers\/0 must have required property name/,
    );
    assert.deepEqual(
      manifestProblems(broken(deployment, (d) => (d['spec'].template.spec.containers[0].livenessProbe.httpGet.paht = '/'))),
      ['unknown field /spec/template/spec/containers/0/livenessProbe/httpGet/paht'],
    );
    // autoscaling/v2beta1's form of the CPU target, alone and beside v2's.
    assert.deepEqual(
      manifestProblems(broken(hpa, (h) => (h['spec'].metrics[0].resource = { name: 'cpu', targetAverageUtilization: 70 }))),
      ['data/spec/metrics/0/resource must have required property target'],
    );
    assert.deepEqual(manifestProblems(broken(hpa, (h) => (h['spec'].metrics[0].resource.targetAverageUtilization = 70))), [
      'unknown field /spec/metrics/0/resource/targetAverageUtilization',
    ]);
    assert.deepEqual(manifestProblems({ ...deployment, apiVersion: 'extensions/v1beta1' }), [
      'no schema for extensions/v1beta1 Deployment',
    ]);
  });

  it("loads each ConfigMap's config.yaml with tsflink's own loader: no unknown key, no bad value, the right cluster kind", async () => {
    for (const layout of layouts()) {
      const configuration = await loadConfigMap(layout, dir);
      checkClusterKind(layout.kind, configuration);
      assert.equal(configuration.getOptional(SCHEDULER_MODE), layout.kind === 'application' ? 'REACTIVE' : undefined);
    }
  });

  it('gives every tsflink container arguments docker-entrypoint.sh accepts, with every $(VAR) defined', () => {
    const modes = entrypointModes();
    const image = `tsflink:${(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version}`;
    let checked = 0;
    for (const layout of layouts()) {
      for (const workload of layout.documents.filter((d) => d.kind === 'Deployment' || d.kind === 'Job')) {
        const pod = podOf(workload);
        for (const container of [...(pod.spec.initContainers ?? []), ...pod.spec.containers]) {
          const where = `${layout.name} ${workload.kind} ${workload.metadata.name}, container ${container.name}`;
          assert.equal(container.image, image, `${where} runs this version's image`);
          const defined = new Set((container.env ?? []).map((e) => e.name));
          const args = (container.args ?? []).map((arg) =>
            arg.replace(/\$\((\w+)\)/g, (_, name: string) => {
              assert.ok(defined.has(name), `${where}: $(${name}) is defined in env, or Kubernetes passes it on literally`);
              return '10.0.0.7';
            }),
          );
          const [mode, ...rest] = args;
          assert.ok(mode !== undefined, `${where} names a mode`);
          const kind = MODE_KINDS[mode];
          if (kind === undefined) {
            // Not a mode: the entry point execs it as a command, which must exist.
            assert.ok(!modes.includes(mode), `${where}: ${mode}`);
            assert.equal(spawnSync('sh', ['-c', `command -v ${mode}`]).status, 0, `${where}: the command ${mode} exists`);
          } else {
            assert.ok(modes.includes(mode), `${where}: docker-entrypoint.sh has the mode ${mode}`);
            const parsed = parseEntrypointArguments(rest, kind);
            if (kind === 'application') assert.ok(parsed.jobClassName !== undefined, `${where} names the job class`);
            const expected = workload.metadata.name === 'flink-taskmanager' ? 'taskmanager' : layout.kind;
            assert.equal(kind, expected, `${where} runs the ${expected} entry point`);
          }
          checked++;
        }
      }
    }
    assert.equal(checked, 5, 'init container and JobManager of the Job, TaskManagers, session JobManager and TaskManagers');
  });

  it('fits together: Service, ports, probes, volumes and the paths in the config agree with each other', async () => {
    for (const layout of layouts()) {
      const configuration = await loadConfigMap(layout, dir);
      const service = find(layout, 'Service', configuration.get(JOB_MANAGER_RPC_ADDRESS));
      assert.equal(configuration.get(REST_ADDRESS), service.metadata.name);
      const jobManager = podOf(find(layout, layout.kind === 'application' ? 'Job' : 'Deployment', 'flink-jobmanager'));
      const taskManager = podOf(find(layout, 'Deployment', 'flink-taskmanager'));
      const serviceSpec = service['spec'] as {
        selector: Record<string, string>;
        ports: Array<{ name: string; port: number; targetPort: string }>;
      };
      for (const [key, value] of Object.entries(serviceSpec.selector))
        assert.equal(jobManager.labels[key], value, `the Service selects the JobManager (${key})`);
      for (const [key, value] of Object.entries(serviceSpec.selector)) {
        if (key === 'component') assert.notEqual(taskManager.labels[key], value, 'and not the TaskManagers');
      }
      const portOf = (container: Container, name: string): number => {
        const port = container.ports?.find((p) => p.name === name)?.containerPort;
        assert.ok(port !== undefined, `${container.name} has a port named ${name}`);
        return port;
      };
      const jm = jobManager.spec.containers[0]!;
      const tm = taskManager.spec.containers[0]!;
      const servicePort = (name: string): number => serviceSpec.ports.find((p) => p.targetPort === name)!.port;
      assert.equal(servicePort('rpc'), configuration.get(JOB_MANAGER_RPC_PORT));
      assert.equal(portOf(jm, 'rpc'), configuration.get(JOB_MANAGER_RPC_PORT));
      assert.equal(servicePort('rest'), configuration.get(REST_PORT));
      assert.equal(portOf(jm, 'rest'), configuration.get(REST_PORT));
      assert.equal(portOf(tm, 'data'), configuration.get(TASK_MANAGER_DATA_PORT));
      const prometheusPort = Number(configuration.entries().find((e) => e.key === 'metrics.reporter.prom.port')?.value);
      for (const container of [jm, tm]) {
        assert.equal(portOf(container, 'metrics'), prometheusPort);
        for (const probe of [container.readinessProbe, container.livenessProbe]) {
          assert.ok(probe !== undefined, `${container.name} has readiness and liveness probes`);
          const port = probe.httpGet?.port ?? probe.tcpSocket?.port;
          assert.equal(typeof port, 'string', 'probes name their port');
          portOf(container, port as string);
        }
      }
      assert.deepEqual(
        [jm.readinessProbe!.httpGet?.path, jm.livenessProbe!.httpGet?.path],
        ['/config', '/overview'],
        'the JobManager is probed through REST',
      );
      // The secret file and the shared volume the config names are mounted where it says.
      for (const pod of [jobManager, taskManager]) {
        const container = pod.spec.containers[0]!;
        const mountOf = (volume: string): string => container.volumeMounts!.find((m) => m.name === volume)!.mountPath;
        const volume = (name: string) => pod.spec.volumes!.find((v) => v.name === name)!;
        assert.equal(mountOf('flink-config'), '/opt/flink/conf');
        assert.equal(volume('flink-config').configMap!.name, 'flink-config');
        const secretItem = volume('cluster-secret').secret!.items![0]!;
        assert.equal(volume('cluster-secret').secret!.defaultMode, 0o440, 'the secret file is readable through fsGroup, by no one else');
        assert.equal(`${mountOf('cluster-secret')}/${secretItem.path}`, configuration.get(SECURITY_CLUSTER_SECRET_FILE));
        find(layout, 'Secret', volume('cluster-secret').secret!.secretName);
        find(layout, 'PersistentVolumeClaim', volume('flink-data').persistentVolumeClaim!.claimName);
        for (const dirOption of [CHECKPOINTS_DIRECTORY, SAVEPOINT_DIRECTORY, HIGH_AVAILABILITY_STORAGE_DIR]) {
          const value = configuration.getOptional(dirOption);
          if (value !== undefined)
            assert.ok(value.startsWith(`file://${mountOf('flink-data')}/`), `${dirOption.key} is on the shared volume`);
        }
      }
    }
    const application = layouts()[0]!;
    const placeholder = (find(application, 'Secret', 'flink-cluster-secret')['stringData'] as Record<string, string>)['cluster-secret']!;
    assert.ok(
      placeholder.length < 16,
      'the example secret is shorter than the 16 characters a cluster secret needs, so it cannot be used as it is',
    );
    const hpa = find(application, 'HorizontalPodAutoscaler')['spec'] as { scaleTargetRef: { kind: string; name: string } };
    assert.deepEqual([hpa.scaleTargetRef.kind, hpa.scaleTargetRef.name], ['Deployment', 'flink-taskmanager']);
    const requests = (
      podOf(find(application, 'Deployment', 'flink-taskmanager')).spec.containers[0] as { resources?: { requests?: { cpu?: string } } }
    ).resources?.requests?.cpu;
    assert.ok(requests !== undefined, 'the TaskManagers request CPU, which the HorizontalPodAutoscaler measures against');
  });
});
