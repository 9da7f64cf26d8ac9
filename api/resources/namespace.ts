import type { Namespace } from '../schemas/namespace.js';
import { FieldErrors } from '../validation/field-errors.js';
import { isQualifiedName } from '../validation/identifiers.js';
import { semanticEqual } from './semantic-equal.js';
import type { ResourceStrategy } from './strategy.js';

// The Namespace strategy (pkg/registry/core/namespace/strategy.go and
// SetDefaults_Namespace). A namespace is born Active with the "kubernetes"
// finalizer in spec.finalizers, which only the namespace lifecycle (deleting
// its contents, then /finalize) removes; ordinary updates cannot touch it.

/** The label every namespace carries with its own name, so selectors can pick namespaces by name. */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';
export const KUBERNETES_FINALIZER = 'kubernetes';

const STANDARD_FINALIZERS = new Set(['kubernetes', 'orphan', 'foregroundDeletion']);

export function applyNamespaceDefaults(ns: Namespace): void {
  if (ns.metadata.name) ns.metadata.labels = { ...ns.metadata.labels, [NAMESPACE_NAME_LABEL]: ns.metadata.name };
  const status = (ns.status ??= {});
  if (!status.phase) status.phase = 'Active';
}

function validateSpecFinalizers(ns: Namespace, errors: FieldErrors): void {
  // Upstream reports both checks at the list, not the element.
  for (const finalizer of ns.spec?.finalizers ?? []) {
    errors.invalidEach('spec.finalizers', finalizer, isQualifiedName(finalizer));
    if (!finalizer.includes('/') && !STANDARD_FINALIZERS.has(finalizer)) {
      errors.invalid('spec.finalizers', finalizer, 'name is neither a standard finalizer name nor is it fully qualified');
    }
  }
}

export const namespaceStrategy: ResourceStrategy<Namespace> = {
  applyDefaults: applyNamespaceDefaults,

  prepareForCreate(ns) {
    ns.status = { phase: 'Active' };
    const spec = (ns.spec ??= {});
    const finalizers = spec.finalizers ?? [];
    if (!finalizers.includes(KUBERNETES_FINALIZER)) spec.finalizers = [...finalizers, KUBERNETES_FINALIZER];
  },

  prepareForUpdate(ns, old) {
    const spec = (ns.spec ??= {});
    spec.finalizers = structuredClone(old.spec?.finalizers);
    ns.status = structuredClone(old.status);
  },

  validate(ns) {
    const errors = new FieldErrors();
    validateSpecFinalizers(ns, errors);
    return errors;
  },

  validateUpdate() {
    // ValidateNamespaceUpdate checks metadata only; spec and status are carried over.
    return new FieldErrors();
  },

  specChanged(ns, old) {
    return !semanticEqual(ns.spec, old.spec);
  },
};
