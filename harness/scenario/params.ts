// `--param name=value`: override any of a scenario's parameters from the command line. Names
// must be the scenario's own and values of the same type as its default, so a typo is an error
// that lists the parameters there are, never a silently ignored flag.
import { BadInputError } from './target-spec.ts';

export type ParamValue = number | string | boolean;

/** The parameters a user may set, as `name=default`, for error messages. */
function settable(defaults: Record<string, unknown>): string {
  return Object.entries(defaults)
    .filter(([, v]) => ['number', 'string', 'boolean'].includes(typeof v))
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(', ');
}

/**
 * Check typed overrides (a gate entry's `params`) against a scenario's defaults: known names,
 * values of the default's type. `where` names the entry in the message.
 */
export function checkParams(
  params: unknown,
  defaults: Record<string, unknown>,
  scenario: string,
  where: string,
): Record<string, ParamValue> {
  if (params === null || typeof params !== 'object' || Array.isArray(params)) {
    throw new BadInputError(`${where}: params must be an object of name: value (parameters of ${scenario}: ${settable(defaults)})`);
  }
  for (const [name, value] of Object.entries(params)) {
    if (!(name in defaults))
      throw new BadInputError(`${where}: ${scenario} has no parameter "${name}". Its parameters: ${settable(defaults)}`);
    const def = defaults[name];
    const ok = typeof def === typeof value && (typeof value !== 'number' || Number.isFinite(value));
    if (!ok || !['number', 'string', 'boolean'].includes(typeof def)) {
      throw new BadInputError(
        `${where}: params.${name} is ${JSON.stringify(value)}; expected a ${typeof def} like its default ${JSON.stringify(def)}`,
      );
    }
  }
  return params as Record<string, ParamValue>;
}

/** Parse `name=value` strings into typed overrides for a scenario with these default params. */
export function parseParamFlags(flags: readonly string[], defaults: Record<string, unknown>, scenario: string): Record<string, ParamValue> {
  const out: Record<string, ParamValue> = {};
  const known = () => settable(defaults);
  for (const flag of flags) {
    const eq = flag.indexOf('=');
    if (eq <= 0) throw new BadInputError(`--param ${flag}: expected name=value (parameters of ${scenario}: ${known()})`);
    const name = flag.slice(0, eq);
    const text = flag.slice(eq + 1);
    if (!(name in defaults)) throw new BadInputError(`--param ${name}: ${scenario} has no parameter "${name}". Its parameters: ${known()}`);
    const def = defaults[name];
    if (typeof def === 'number') {
      const n = Number(text);
      if (text.trim() === '' || !Number.isFinite(n)) throw new BadInputError(`--param ${name}=${text}: expected a number (default ${def})`);
      out[name] = n;
    } else if (typeof def === 'boolean') {
      if (text !== 'true' && text !== 'false') throw new BadInputError(`--param ${name}=${text}: expected true or false (default ${def})`);
      out[name] = text === 'true';
    } else if (typeof def === 'string') {
      out[name] = text;
    } else {
      throw new BadInputError(`--param ${name}: this parameter is not a number, string or boolean and cannot be set from the command line`);
    }
  }
  return out;
}
