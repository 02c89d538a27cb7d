/**
 * A serializable description of a record type, Flink's TypeInformation as plain data. Both ends of
 * an edge build the same serializer from it, and `print()` uses it to render values as Java would
 * (a DOUBLE prints `50.0`, a TUPLE prints `(a,b,c)`).
 */
export type TypeDescriptor =
  | { readonly kind: 'INT' }
  | { readonly kind: 'LONG' }
  | { readonly kind: 'DOUBLE' }
  | { readonly kind: 'FLOAT' }
  | { readonly kind: 'BOOLEAN' }
  | { readonly kind: 'STRING' }
  | { readonly kind: 'TUPLE'; readonly fields: readonly TypeDescriptor[] }
  | { readonly kind: 'LIST'; readonly element: TypeDescriptor }
  | { readonly kind: 'MAP'; readonly key: TypeDescriptor; readonly value: TypeDescriptor }
  | { readonly kind: 'ROW'; readonly fields: readonly { readonly name: string; readonly type: TypeDescriptor }[] }
  /** Any JS value the generic codec can carry; printed the JS way. */
  | { readonly kind: 'GENERIC' };

export const GENERIC_TYPE: TypeDescriptor = { kind: 'GENERIC' };
