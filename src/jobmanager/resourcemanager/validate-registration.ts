import { MAX_SLOTS_PER_TASK_MANAGER } from '../../config/options/taskmanager-options.js';

/** Returns what is wrong with a registration that arrived over the wire, or undefined when it is usable. */
export function validateRegistration(value: unknown): string | undefined {
  if (value === null || typeof value !== 'object') return 'registration is not an object';
  const r = value as Record<string, unknown>;
  if (typeof r['resourceId'] !== 'string' || r['resourceId'].length === 0 || r['resourceId'].length > 256)
    return 'resourceId must be a non-empty string of at most 256 characters';
  if (typeof r['dataAddress'] !== 'string' || r['dataAddress'].length > 512) return 'dataAddress must be a string';
  for (const key of ['localDataAddress', 'hostKey'] as const) {
    if (r[key] !== undefined && (typeof r[key] !== 'string' || r[key].length > 512)) return `${key} must be a string when given`;
  }
  const slots = r['numberOfSlots'];
  if (typeof slots !== 'number' || !Number.isInteger(slots) || slots < 1 || slots > MAX_SLOTS_PER_TASK_MANAGER) {
    return `numberOfSlots must be an integer between 1 and ${MAX_SLOTS_PER_TASK_MANAGER}`;
  }
  if (typeof r['pid'] !== 'number' || typeof r['host'] !== 'string') return 'pid and host are required';
  if (r['hardware'] === null || typeof r['hardware'] !== 'object') return 'hardware description is required';
  if (r['memoryConfiguration'] === null || typeof r['memoryConfiguration'] !== 'object') return 'memoryConfiguration is required';
  return undefined;
}
