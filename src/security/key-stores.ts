import { readFileSync } from 'node:fs';
import { createSecureContext } from 'node:tls';
import forge from 'node-forge';
import { TsFlinkError } from '../core/errors.js';

/** A keystore or truststore as the configuration names it. */
export interface StoreSpec {
  /** The option that named the file, for messages. */
  readonly option: string;
  readonly path: string;
  /** The declared format; the file's own bytes decide between PKCS12 and PEM. */
  readonly type: 'PKCS12' | 'PEM' | 'JKS';
  readonly password: string | undefined;
  /** Password of the private key, for a PEM keystore whose key is encrypted. */
  readonly keyPassword?: string | undefined;
}

/** What Node's TLS needs from a keystore: a PKCS12 bundle with its passphrase, or PEM key and chain. */
export type KeyMaterial =
  { readonly pfx: Buffer; readonly passphrase: string } | { readonly key: string; readonly cert: string; readonly passphrase?: string };

const JKS_MAGIC = 0xfeedfeed;

function invalid(spec: StoreSpec, problem: string, suggestion?: string): TsFlinkError {
  return new TsFlinkError('CONFIG_INVALID', `${spec.option} ${spec.path}: ${problem}`, suggestion === undefined ? {} : { suggestion });
}

function readStore(spec: StoreSpec): Buffer {
  let bytes: Buffer;
  try {
    bytes = readFileSync(spec.path);
  } catch (error) {
    throw invalid(spec, `cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)}).`);
  }
  if (spec.type === 'JKS' || (bytes.length >= 4 && bytes.readUInt32BE(0) === JKS_MAGIC)) {
    const target = spec.path.replace(/\.(jks|keystore|truststore)$/i, '') + '.p12';
    throw invalid(
      spec,
      'is a JKS store, which Node cannot read; PKCS12 and PEM are accepted.',
      `Convert it: keytool -importkeystore -srckeystore ${spec.path} -srcstoretype JKS -destkeystore ${target} -deststoretype PKCS12, then point ${spec.option} at ${target}.`,
    );
  }
  return bytes;
}

function isPem(bytes: Buffer): boolean {
  return bytes.subarray(0, 4096).toString('latin1').includes('-----BEGIN ');
}

/** Reads a keystore and proves it opens with its password, so a mistake shows at start-up, not at the first peer. */
export function loadKeyStore(spec: StoreSpec): KeyMaterial {
  const bytes = readStore(spec);
  let material: KeyMaterial;
  if (isPem(bytes)) {
    const text = bytes.toString('utf8');
    const passphrase = spec.keyPassword ?? spec.password;
    material = { key: text, cert: text, ...(passphrase === undefined ? {} : { passphrase }) };
  } else {
    material = { pfx: bytes, passphrase: spec.password ?? '' };
  }
  try {
    createSecureContext(material);
  } catch (error) {
    throw invalid(
      spec,
      `cannot be opened (${(error as Error).message}); expected a PKCS12 keystore or PEM key and certificate, with the password given by ${spec.option}-password.`,
    );
  }
  return material;
}

/** Reads the certificates of a truststore as PEM; Node takes a certificate-only PKCS12 only through this. */
export function loadTrustStore(spec: StoreSpec): string[] {
  const bytes = readStore(spec);
  if (isPem(bytes)) {
    const certificates = bytes.toString('utf8').match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
    if (certificates.length === 0) throw invalid(spec, 'holds no PEM certificate.');
    return certificates;
  }
  let certificates: string[];
  try {
    const p12 = forge.pkcs12.pkcs12FromAsn1(forge.asn1.fromDer(bytes.toString('binary')), spec.password ?? '');
    const certBag = forge.pki.oids['certBag'] as string;
    const bags: forge.pkcs12.Bag[] = p12.getBags({ bagType: certBag })[certBag] ?? [];
    certificates = bags.flatMap((bag) => (bag.cert === undefined ? [] : [forge.pki.certificateToPem(bag.cert)]));
  } catch (error) {
    throw invalid(
      spec,
      `cannot be opened (${(error as Error).message}); expected a PKCS12 truststore or PEM certificates, with the password given by ${spec.option}-password.`,
    );
  }
  if (certificates.length === 0) throw invalid(spec, 'holds no certificate.');
  return certificates;
}
