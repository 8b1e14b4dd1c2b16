// Unknown-field check for rendered manifests (as `kubectl apply --validate=strict` refuses them):
// kubernetes-models' validators check types but let unknown keys through, so a misspelt field
// in a template (readOnlyRootFilesytem) would pass silently and be dropped by the API server.
// The field lists come from kubernetes-models' own type declarations (*.d.ts), which follow the
// Kubernetes OpenAPI schemas.
'use strict';

const fs = require('node:fs');
const path = require('node:path');

const MODULES = path.resolve(__dirname, '..', 'node_modules');
const cache = new Map();

function resolveImport(fromFile, spec) {
  const base = spec.startsWith('.') ? path.join(path.dirname(fromFile), spec) : path.join(MODULES, spec);
  return `${base}.d.ts`;
}

// The members of a TypeScript object type body: [name, type text] pairs (types may span lines
// and hold nested object types).
function members(body) {
  const out = [];
  let i = 0;
  while (i < body.length) {
    const open = body.indexOf('"', i);
    if (open < 0) break;
    const close = body.indexOf('"', open + 1);
    const name = body.slice(open + 1, close);
    let j = close + 1;
    if (body[j] === '?') j++;
    if (body[j] !== ':') { i = close + 1; continue; }
    let depth = 0;
    let k = j + 1;
    for (; k < body.length; k++) {
      const c = body[k];
      if (c === '{' || c === '<' || c === '(') depth++;
      else if (c === '}' || c === '>' || c === ')') depth--;
      else if (c === ';' && depth === 0) break;
    }
    out.push([name, body.slice(j + 1, k).trim()]);
    i = k + 1;
  }
  return out;
}

// The fields of the interface declared in a .d.ts file: name -> {ref, map} where ref is the
// file of the field's object type (null for scalars, type aliases such as IntOrString, and
// inline object types, whose contents are not checked).
function interfaceOf(file) {
  if (cache.has(file)) return cache.get(file);
  let result = null;
  if (fs.existsSync(file)) {
    const text = fs.readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '');
    const imports = new Map();
    for (const m of text.matchAll(/^import \{ (\w+) \} from "([^"]+)";$/gm)) imports.set(m[1], resolveImport(file, m[2]));
    const head = /^export interface \w+(?: extends [\w, ]+)? \{/m.exec(text);
    if (head) {
      let depth = 0;
      let end = head.index + head[0].length - 1;
      for (; end < text.length; end++) {
        if (text[end] === '{') depth++;
        else if (text[end] === '}' && --depth === 0) break;
      }
      result = new Map();
      for (const [name, type] of members(text.slice(head.index + head[0].length, end))) {
        const map = /^\{\s*\[key: string\]:\s*(I\w+)\s*;\s*\}$/.exec(type);
        const plain = /^(?:Array<)?(I\w+)>?$/.exec(type);
        const named = map ? map[1] : plain ? plain[1] : null;
        let ref = named && imports.has(named) ? imports.get(named) : null;
        // StatefulSet volumeClaimTemplates are declared inline; they are PersistentVolumeClaims.
        if (name === 'volumeClaimTemplates') ref = path.join(MODULES, 'kubernetes-models', 'v1', 'PersistentVolumeClaim.d.ts');
        result.set(name, { ref, map: type.startsWith('{') });
      }
    }
  }
  cache.set(file, result);
  return result;
}

function walk(value, file, where, problems) {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return;
  const fields = interfaceOf(file);
  if (!fields) return;
  for (const [key, child] of Object.entries(value)) {
    const field = fields.get(key);
    if (!field) {
      problems.push(`${where}.${key} is not a field of ${path.basename(file, '.d.ts')}`);
      continue;
    }
    if (!field.ref || child === null) continue;
    if (Array.isArray(child)) child.forEach((item, i) => walk(item, field.ref, `${where}.${key}[${i}]`, problems));
    else if (field.map) for (const [k, v] of Object.entries(child)) walk(v, field.ref, `${where}.${key}.${k}`, problems);
    else walk(child, field.ref, `${where}.${key}`, problems);
  }
}

// Unknown fields of a Kubernetes object, as "path is not a field of Type" strings; null when
// kubernetes-models has no declaration for its kind (custom resources).
function unknownFields(object) {
  const [group, version] = object.apiVersion.includes('/') ? object.apiVersion.split('/') : ['', object.apiVersion];
  const file = path.join(MODULES, 'kubernetes-models', ...(group ? [group] : []), version, `${object.kind}.d.ts`);
  if (!interfaceOf(file)) return null;
  const problems = [];
  walk(object, file, object.kind, problems);
  return problems;
}

module.exports = { unknownFields };
