/** Reading Block Kit JSON that came from the bot: every field checked before use, nothing assumed. */

export type Obj = Record<string, unknown>;

export function isObj(value: unknown): value is Obj {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function str(o: Obj, key: string): string | undefined {
  const value = o[key];
  return typeof value === 'string' ? value : undefined;
}

export function obj(o: Obj, key: string): Obj | undefined {
  const value = o[key];
  return isObj(value) ? value : undefined;
}

export function objs(o: Obj, key: string): Obj[] {
  const value = o[key];
  return Array.isArray(value) ? value.filter(isObj) : [];
}

/** A text object's text, or ''. */
export function textOf(o: Obj | undefined): string {
  return o === undefined ? '' : (str(o, 'text') ?? '');
}

/** The options of a select, overflow, radio or checkbox element, option groups flattened. */
export function optionsOf(element: Obj): Obj[] {
  return [...objs(element, 'options'), ...objs(element, 'option_groups').flatMap((g) => objs(g, 'options'))];
}
