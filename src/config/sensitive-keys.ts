/** What a sensitive value is shown as, as in Flink's logs and REST API. */
export const HIDDEN_CONTENT = '******';

// Substrings that mark a key as holding a secret (compared in lower case). A bare "key" is not
// among them: too many ordinary keys contain it.
const SENSITIVE_WORDS: readonly string[] = [
  'password',
  'secret',
  'token',
  'apikey',
  'api-key',
  'api_key',
  'access-key',
  'private-key',
  'account.key',
  'service-key',
  'auth-params',
  'basic-auth',
  'jaas.config',
  'http-headers',
  'credential',
];

/** Whether the value of `key` must never be shown. */
export function isSensitiveKey(key: string): boolean {
  const lower = key.toLowerCase();
  return SENSITIVE_WORDS.some((word) => lower.includes(word));
}

/** The value to display for `key`: itself, or `******` for a sensitive key. */
export function maskValue(key: string, value: string): string {
  return isSensitiveKey(key) ? HIDDEN_CONTENT : value;
}
