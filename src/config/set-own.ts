/**
 * Sets an own property even for the name `__proto__` (a valid profile or key name in botocore);
 * plain assignment would change the object's prototype instead. Other keys use plain assignment,
 * which keeps objects fast (defineProperty on every key made loading 5,000 profiles several times slower).
 */
export function setOwn<T>(target: Record<string, T>, key: string, value: T): void {
  if (key === '__proto__') {
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    target[key] = value;
  }
}
