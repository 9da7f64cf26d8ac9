import type { Taint } from '../schemas/node.js';
import type { Toleration } from '../schemas/pod.js';
import { formatValue, type FieldErrors } from './field-errors.js';
import { isQualifiedName, isValidLabelValue } from './identifiers.js';

// Node taints and Pod tolerations share their vocabulary (keys are label
// names, values label values, three effects), so they are checked together.

export const TAINT_EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'] as const;

export function validateTaintEffect(errors: FieldErrors, path: string, effect: string | undefined, allowEmpty: boolean): void {
  if (!allowEmpty && !effect) {
    errors.required(path);
    return;
  }
  if (!(TAINT_EFFECTS as readonly string[]).includes(effect ?? '')) errors.notSupported(path, effect ?? '', TAINT_EFFECTS);
}

export function validateTolerations(tolerations: readonly Toleration[] | undefined, path: string, errors: FieldErrors): void {
  (tolerations ?? []).forEach((toleration, i) => {
    const at = `${path}[${i}]`;
    const key = toleration.key ?? '';
    const operator = toleration.operator ?? '';
    const value = toleration.value ?? '';
    if (key) errors.invalidEach(`${at}.key`, key, isQualifiedName(key));
    if (!key && operator !== 'Exists') {
      errors.invalid(`${at}.operator`, operator, 'operator must be Exists when `key` is empty, which means "match all values and all keys"');
    }
    if (toleration.tolerationSeconds !== undefined && toleration.effect !== 'NoExecute') {
      errors.invalid(`${at}.effect`, toleration.effect ?? '', "effect must be 'NoExecute' when `tolerationSeconds` is set");
    }
    if (operator === 'Equal' || operator === '') {
      const problems = isValidLabelValue(value);
      if (problems.length > 0) errors.invalid(`${at}.operator`, value, problems.join(';'));
    } else if (operator === 'Exists') {
      if (value) errors.invalid(`${at}.operator`, value, "value must be empty when `operator` is 'Exists'");
    } else {
      errors.notSupported(`${at}.operator`, operator, ['Equal', 'Exists']);
    }
    if (toleration.effect) validateTaintEffect(errors, `${at}.effect`, toleration.effect, true);
  });
}

export function validateTaints(taints: readonly Taint[] | undefined, path: string, errors: FieldErrors): void {
  const seen = new Map<string, Set<string>>();
  (taints ?? []).forEach((taint, i) => {
    const at = `${path}[${i}]`;
    const key = taint.key ?? '';
    errors.invalidEach(`${at}.key`, key, isQualifiedName(key));
    const problems = isValidLabelValue(taint.value ?? '');
    if (problems.length > 0) errors.invalid(`${at}.value`, taint.value ?? '', problems.join(';'));
    validateTaintEffect(errors, `${at}.effect`, taint.effect, false);
    const effect = taint.effect ?? '';
    const keys = seen.get(effect) ?? new Set<string>();
    if (keys.has(key)) {
      errors.causes.push({
        reason: 'FieldValueDuplicate',
        field: at,
        message: `Duplicate value: ${formatValue(taint)}: taints must be unique by key and effect pair`,
      });
      return;
    }
    keys.add(key);
    seen.set(effect, keys);
  });
}
