// `--param name=value`: override any of a scenario's parameters from the command line. Names
// must be the scenario's own and values of the same type as its default, so a typo is an error
// that lists the parameters there are, never a silently ignored flag.
import { BadInputError } from './target-spec.ts';

export type ParamValue = number | string | boolean;

/** Parse `name=value` strings into typed overrides for a scenario with these default params. */
export function parseParamFlags(flags: readonly string[], defaults: Record<string, unknown>, scenario: string): Record<string, ParamValue> {
  const out: Record<string, ParamValue> = {};
  const known = () =>
    Object.entries(defaults)
      .filter(([, v]) => ['number', 'string', 'boolean'].includes(typeof v))
      .map(([k, v]) => `${k}=${String(v)}`)
      .join(', ');
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
