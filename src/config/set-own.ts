/**
 * Sets an own property even for names like `__proto__` (a valid profile or key name in botocore);
 * plain assignment would change the object's prototype instead.
 */
export function setOwn<T>(target: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}
