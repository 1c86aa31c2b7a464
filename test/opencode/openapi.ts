// A small JSON-schema checker for the real server's OpenAPI spec (the subset it uses: $ref, anyOf,
// type, enum, const, pattern, required, additionalProperties, items, minimum): mock responses are
// checked against the recorded spec, not only against our own idea of the shapes.
// real-openapi.json is the part of `opencode serve` 1.18.33's own spec (GET /doc) that these tests
// check: the responses of the operations the contract tests call and the `Event` union, with every
// schema they reference; real-routes.txt lists every route of the full spec.
import { readFileSync } from 'node:fs';

type Schema = Record<string, any>;

const spec = JSON.parse(readFileSync(new URL('./real-openapi.json', import.meta.url), 'utf8')) as {
  paths: Record<
    string,
    Record<string, { operationId: string; responses: Record<string, { content?: Record<string, { schema: Schema }> }> }>
  >;
  components: { schemas: Record<string, Schema> };
};

export function schemaOf(name: string): Schema {
  const schema = spec.components.schemas[name];
  if (!schema) throw new Error(`no schema ${name}`);
  return schema;
}

/** The response schema of an operation (by operationId) for a status. */
export function responseSchema(operationId: string, status = 200): Schema {
  for (const methods of Object.values(spec.paths)) {
    for (const op of Object.values(methods)) {
      if (op.operationId !== operationId) continue;
      const content = op.responses[String(status)]?.content;
      const schema = content?.['application/json']?.schema ?? content?.['text/event-stream']?.schema;
      if (!schema) throw new Error(`${operationId} has no ${status} schema`);
      return schema;
    }
  }
  throw new Error(`no operation ${operationId} in real-openapi.json (only the operations these tests check were kept)`);
}

/** All METHOD path -> operationId lines of routes.txt. */
export function realRoutes(): Map<string, string> {
  const routes = new Map<string, string>();
  for (const line of readFileSync(new URL('./real-routes.txt', import.meta.url), 'utf8').split('\n')) {
    const [method, path, id] = line.trim().split(/\s+/);
    if (method && path && id) routes.set(`${method} ${path}`, id);
  }
  return routes;
}

function typeOk(type: string, value: unknown): boolean {
  switch (type) {
    case 'null':
      return value === null;
    case 'string':
      return typeof value === 'string';
    case 'boolean':
      return typeof value === 'boolean';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'integer':
      return Number.isInteger(value);
    case 'array':
      return Array.isArray(value);
    case 'object':
      return typeof value === 'object' && value !== null && !Array.isArray(value);
    default:
      return true;
  }
}

/** Problems of `value` against `schema` ([] when it conforms). */
export function check(schema: Schema, value: unknown, path = '$'): string[] {
  if (schema.$ref) return check(schemaOf(String(schema.$ref).replace('#/components/schemas/', '')), value, path);
  const errors: string[] = [];
  if (schema.anyOf || schema.oneOf) {
    const branches: Schema[] = schema.anyOf ?? schema.oneOf;
    let best: string[] | undefined;
    for (const branch of branches) {
      const e = check(branch, value, path);
      if (e.length === 0) return [];
      if (!best || e.length < best.length) best = e;
    }
    return [`${path}: matches no anyOf branch; closest: ${best?.slice(0, 3).join('; ')}`];
  }
  if (schema.allOf) for (const part of schema.allOf as Schema[]) errors.push(...check(part, value, path));
  if (schema.enum && !(schema.enum as unknown[]).includes(value))
    errors.push(`${path}: ${JSON.stringify(value)} not in ${JSON.stringify(schema.enum)}`);
  if ('const' in schema && schema.const !== value) errors.push(`${path}: expected const ${JSON.stringify(schema.const)}`);
  if (schema.type) {
    const types: string[] = Array.isArray(schema.type) ? schema.type : [schema.type];
    if (!types.some((t) => typeOk(t, value)))
      return [...errors, `${path}: expected ${types.join('|')}, got ${JSON.stringify(value)?.slice(0, 60)}`];
  }
  if (typeof value === 'string' && schema.pattern && !new RegExp(schema.pattern).test(value))
    errors.push(`${path}: ${value} !~ /${schema.pattern}/`);
  if (typeof value === 'number') {
    if (schema.minimum !== undefined && value < schema.minimum) errors.push(`${path}: ${value} < ${schema.minimum}`);
    if (schema.exclusiveMinimum !== undefined && value <= schema.exclusiveMinimum)
      errors.push(`${path}: ${value} <= ${schema.exclusiveMinimum}`);
  }
  if (Array.isArray(value) && schema.items) value.forEach((item, i) => errors.push(...check(schema.items, item, `${path}[${i}]`)));
  if (typeOk('object', value) && (schema.properties || schema.required || schema.additionalProperties !== undefined)) {
    const object = value as Record<string, unknown>;
    const props: Record<string, Schema> = schema.properties ?? {};
    for (const key of (schema.required as string[] | undefined) ?? []) if (!(key in object)) errors.push(`${path}.${key}: required`);
    for (const [key, v] of Object.entries(object)) {
      if (v === undefined) continue;
      if (props[key]) errors.push(...check(props[key], v, `${path}.${key}`));
      else if (schema.additionalProperties === false) errors.push(`${path}.${key}: not allowed by the spec`);
      else if (typeof schema.additionalProperties === 'object') errors.push(...check(schema.additionalProperties, v, `${path}.${key}`));
    }
  }
  return errors;
}
