/**
 * Source patches to mermaid 11.17.2 that make validation 3-4x cheaper
 * without changing what `parse` decides. A plain `mermaid.parse` spends about
 * two thirds of its time deep-copying mermaid's configuration (~900 keys):
 * `getConfig()` returns a fresh copy on every call (FlowDB calls it once per
 * labelled vertex) and every configuration change copies it again.
 *
 * 1. `getConfig` asks a hook (installed by `validate.ts`, in the validation
 *    worker only) for the configuration. Without the hook it copies exactly
 *    as before. The hook hands out ONE read-only snapshot per configuration
 *    state; any write to it is recorded and the diagram is parsed again with
 *    the hook off, so the verdict is always that of an unpatched parse (see
 *    `validate.ts`). Asked for a fresh copy (`getConfig("__fresh")`), it
 *    returns a writable copy made from the state's snapshot.
 * 2. `Diagram.fromText` passes its config to the diagram's `init`, which
 *    writes to it (flowchart does): it asks for a fresh copy.
 * 3. `assignWithDepth` (the copy itself), rewritten with identical semantics
 *    and about 3x faster.
 * 4. `updateCurrentConfig` asks a memo (installed by `validate.ts`) for a
 *    state it computed before from the same base object and the same sum of
 *    directives, so a parse's resets and its diagram's own setting no longer
 *    copy the configuration three times, and the snapshots of (1) recur
 *    (corpus, 2156 diagrams in one worker: 5.3 -> 3.8 s; with fresh copies
 *    made from the snapshot, 3.3 s).
 * 5. A change of the site configuration empties that memo.
 * 6. Each Jison lexer (flowchart, sequence, class, state, ...; one per
 *    diagram module) tries only the rules that can match at the next
 *    character (`lex-filter.ts`, installed as a hook by `validate.ts`;
 *    without it the lexer tries every rule as before). The tokens are the
 *    same: a rule is skipped only when its pattern cannot match there
 *    (corpus, 2156 diagrams in one worker: 3.3 -> 2.7 s).
 * 7. With that hook installed, each Jison parser pops its stacks in place
 *    and calls its actions without building an argument array on every
 *    reduction (2.7 -> 2.3 s).
 * 8. While `Diagram.fromText` loads a diagram's module, `getConfig` hands out
 *    real copies: a module that keeps what it reads at load time (journey's
 *    renderer keeps `getConfig().journey` and `init` writes into it) would
 *    otherwise keep a read-only snapshot forever, and every one of its
 *    diagrams would fail, the unpatched re-parse included.
 *
 * Applied at build time by `mermaidPatchPlugin` (esbuild, the worker bundle)
 * and at load time by `loaderHookSource` (`module.register`, when running
 * from source under tsx). Each patch sets a bit in
 * `globalThis.__patternAtlasMermaidPatched`; the validator uses the snapshot
 * hook only when every bit is set, and the build fails when a patch finds
 * nothing to patch (another mermaid version).
 */
import { readFile } from 'node:fs/promises';
import type { Plugin } from 'esbuild';

export const PATCH_MARK = '__patternAtlasMermaidPatched';
export const CONFIG_HOOK = '__patternAtlasMermaidConfig';
export const MEMO_HOOK = '__patternAtlasMermaidMemo';
export const LEX_HOOK = '__patternAtlasMermaidLex';
/** Above 0 while a diagram module loads (patch 8): the configuration hook then hands out real copies. */
export const LOADING_MARK = '__patternAtlasMermaidLoading';
/** Patch 6's bit: it marks nothing at run time (a diagram's lexer loads with its diagram), and the configuration hooks do not depend on it. */
export const LEX_PATCH_BIT = 32;
/** Patch 7's bit (like patch 6, no run-time mark). */
export const STACK_PATCH_BIT = 64;

export interface SourcePatch {
  name: string;
  bit: number;
  find: string;
  replace: string;
}

export const MERMAID_PATCHES: SourcePatch[] = [
  {
    name: 'getConfig hook (src/config.ts)',
    bit: 1,
    find: 'var getConfig = /* @__PURE__ */ __name(() => {\n  return assignWithDepth_default({}, currentConfig);\n}, "getConfig");',
    replace:
      'var getConfig = /* @__PURE__ */ __name((fresh) => {\n' +
      `  const hook = globalThis.${CONFIG_HOOK};\n` +
      '  return hook ? hook(currentConfig, assignWithDepth_default, fresh === "__fresh") : assignWithDepth_default({}, currentConfig);\n' +
      '}, "getConfig");\n' +
      `globalThis.${PATCH_MARK} = (globalThis.${PATCH_MARK} || 0) | 1;`,
  },
  {
    name: 'fresh config for Diagram.fromText (src/Diagram.ts)',
    bit: 2,
    find: 'static async fromText(text, metadata = {}) {\n    const config = getConfig();',
    replace:
      'static async fromText(text, metadata = {}) {\n    const config = getConfig("__fresh");\n' +
      `    globalThis.${PATCH_MARK} = (globalThis.${PATCH_MARK} || 0) | 2;`,
  },
  {
    name: 'faster assignWithDepth (src/assignWithDepth.ts)',
    bit: 4,
    // Same semantics, about 3x faster: on a plain object (prototype
    // Object.prototype) a new key is created by assignment instead of
    // Object.defineProperty (the same own, writable, enumerable, configurable
    // data property for every key but "__proto__", which keeps
    // defineProperty), and the entries are walked with a for loop.
    find: `var assignWithDepth = /* @__PURE__ */ __name((dst, src, { depth = 2 } = {}) => {
  const config2 = { depth };
  if (Array.isArray(src) && !Array.isArray(dst)) {
    src.forEach((s) => assignWithDepth(dst, s, config2));
    return dst;
  } else if (Array.isArray(src) && Array.isArray(dst)) {
    src.forEach((s) => {
      if (!dst.includes(s)) {
        dst.push(s);
      }
    });
    return dst;
  }
  if (dst === void 0 || dst === null || depth <= 0) {
    if (dst !== void 0 && dst !== null && typeof dst === "object" && typeof src === "object") {
      return Object.assign(dst, src);
    } else {
      return src;
    }
  }
  if (src !== void 0 && src !== null && typeof dst === "object" && typeof src === "object") {
    const dstWithKeys = dst;
    Object.entries(src).forEach(([key, srcValue]) => {
      if (typeof srcValue === "object") {
        if (srcValue === null) {
          return;
        }
        if (!Object.hasOwn(dst, key)) {
          Object.defineProperty(dst, key, {
            value: void 0,
            writable: true,
            enumerable: true,
            configurable: true
          });
        }
        if (dstWithKeys[key] === void 0) {
          dstWithKeys[key] = Array.isArray(srcValue) ? [] : {};
        }
        if (typeof dstWithKeys[key] === "object") {
          dstWithKeys[key] = assignWithDepth(dstWithKeys[key], srcValue, { depth: depth - 1 });
        }
      } else if (typeof dstWithKeys[key] !== "object") {
        if (Object.hasOwn(dst, key)) {
          dstWithKeys[key] = srcValue;
        } else {
          Object.defineProperty(dst, key, {
            value: srcValue,
            writable: true,
            enumerable: true,
            configurable: true
          });
        }
      }
    });
  }
  return dst;
}, "assignWithDepth");`,
    replace: `var assignWithDepth = /* @__PURE__ */ __name((dst, src, { depth = 2 } = {}) => {
  const config2 = { depth };
  if (Array.isArray(src) && !Array.isArray(dst)) {
    src.forEach((s) => assignWithDepth(dst, s, config2));
    return dst;
  } else if (Array.isArray(src) && Array.isArray(dst)) {
    src.forEach((s) => {
      if (!dst.includes(s)) {
        dst.push(s);
      }
    });
    return dst;
  }
  if (dst === void 0 || dst === null || depth <= 0) {
    if (dst !== void 0 && dst !== null && typeof dst === "object" && typeof src === "object") {
      return Object.assign(dst, src);
    } else {
      return src;
    }
  }
  if (src !== void 0 && src !== null && typeof dst === "object" && typeof src === "object") {
    const plain = Object.getPrototypeOf(dst) === Object.prototype;
    const entries = Object.entries(src);
    for (let i = 0; i < entries.length; i++) {
      const key = entries[i][0];
      const srcValue = entries[i][1];
      if (typeof srcValue === "object") {
        if (srcValue === null) {
          continue;
        }
        if (!Object.hasOwn(dst, key)) {
          if (plain && key !== "__proto__") {
            dst[key] = void 0;
          } else {
            Object.defineProperty(dst, key, { value: void 0, writable: true, enumerable: true, configurable: true });
          }
        }
        if (dst[key] === void 0) {
          dst[key] = Array.isArray(srcValue) ? [] : {};
        }
        if (typeof dst[key] === "object") {
          dst[key] = assignWithDepth(dst[key], srcValue, { depth: depth - 1 });
        }
      } else if (typeof dst[key] !== "object") {
        if (Object.hasOwn(dst, key) || plain && key !== "__proto__") {
          dst[key] = srcValue;
        } else {
          Object.defineProperty(dst, key, { value: srcValue, writable: true, enumerable: true, configurable: true });
        }
      }
    }
  }
  return dst;
}, "assignWithDepth");
globalThis.${PATCH_MARK} = (globalThis.${PATCH_MARK} || 0) | 4;`,
  },
  {
    name: 'memoized configuration states (src/config.ts)',
    bit: 8,
    // Every parse resets the configuration and applies the diagram's
    // directives (usually none) and its diagram's own setting (flowchart sets
    // `layout`): each state change deep-copied the whole configuration again,
    // three times per flowchart. With the memo hook (validation worker only)
    // a state computed before, from the same base object and the same sum of
    // directives, is that same object again: states are never written to
    // (`getConfig` hands out read-only snapshots or copies), and a change of
    // the site configuration (`updateSiteConfig` writes to it in place,
    // `saveConfigFromInitialize` replaces what themes read) empties the memo.
    // The directives are sanitized and summed first, as before; only the
    // order of that and the base copy (which do not touch each other) changed.
    find: `var updateCurrentConfig = /* @__PURE__ */ __name((siteCfg, _directives) => {
  let cfg = assignWithDepth_default({}, siteCfg);
  let sumOfDirectives = {};
  for (const d of _directives) {
    sanitize(d);
    sumOfDirectives = assignWithDepth_default(sumOfDirectives, d);
  }
  cfg = assignWithDepth_default(cfg, sumOfDirectives);`,
    replace: `globalThis.${PATCH_MARK} = (globalThis.${PATCH_MARK} || 0) | 8;
var updateCurrentConfig = /* @__PURE__ */ __name((siteCfg, _directives) => {
  let sumOfDirectives = {};
  for (const d of _directives) {
    sanitize(d);
    sumOfDirectives = assignWithDepth_default(sumOfDirectives, d);
  }
  const memo = globalThis.${MEMO_HOOK};
  const known = memo ? memo.get(siteCfg, sumOfDirectives) : void 0;
  if (known) {
    currentConfig = known;
    checkConfig(currentConfig);
    return currentConfig;
  }
  let cfg = assignWithDepth_default({}, siteCfg);
  cfg = assignWithDepth_default(cfg, sumOfDirectives);
  if (memo) memo.set(siteCfg, sumOfDirectives, cfg);`,
  },
  {
    name: 'memo emptied when the site configuration changes (src/config.ts)',
    bit: 16,
    find: `var saveConfigFromInitialize = /* @__PURE__ */ __name((conf) => {
  configFromInitialize = assignWithDepth_default({}, conf);
}, "saveConfigFromInitialize");
var updateSiteConfig = /* @__PURE__ */ __name((conf) => {
  siteConfig = assignWithDepth_default(siteConfig, conf);`,
    replace: `globalThis.${PATCH_MARK} = (globalThis.${PATCH_MARK} || 0) | 16;
var saveConfigFromInitialize = /* @__PURE__ */ __name((conf) => {
  globalThis.${MEMO_HOOK}?.clear();
  configFromInitialize = assignWithDepth_default({}, conf);
}, "saveConfigFromInitialize");
var updateSiteConfig = /* @__PURE__ */ __name((conf) => {
  globalThis.${MEMO_HOOK}?.clear();
  siteConfig = assignWithDepth_default(siteConfig, conf);`,
  },
  {
    name: 'first-character filter for Jison lexers (every diagram module with a Jison grammar)',
    bit: LEX_PATCH_BIT,
    find: `        var rules = this._currentRules();
        for (var i = 0; i < rules.length; i++) {`,
    replace: `        var rules = this._currentRules();
        var lexHook = globalThis.${LEX_HOOK};
        if (lexHook) rules = lexHook(this, rules);
        for (var i = 0; i < rules.length; i++) {`,
  },
  {
    name: 'Jison parsers reduce without copying their stacks (every diagram module with a Jison grammar)',
    bit: STACK_PATCH_BIT,
    // Each reduction copied the three stacks (slice) and built an argument
    // array (concat) for the action: a third of a flowchart parse's own time.
    // The stacks are popped in place (the old arrays are referenced by nothing
    // else: the actions read `$$` and `_$` during the call only, and the error
    // recovery pops in place already) and the action is called directly when
    // parse() had no extra arguments (never, in mermaid). The same values
    // reach the same action in the same order. Like patch 6, only with the
    // lexer hook installed: without it the parser runs as written (tests
    // compare both).
    find: `            r = this.performAction.apply(yyval, [
              yytext,
              yyleng,
              yylineno,
              sharedState.yy,
              action[1],
              vstack,
              lstack
            ].concat(args));
            if (typeof r !== "undefined") {
              return r;
            }
            if (len) {
              stack = stack.slice(0, -1 * len * 2);
              vstack = vstack.slice(0, -1 * len);
              lstack = lstack.slice(0, -1 * len);
            }`,
    replace: `            var plain = !globalThis.${LEX_HOOK};
            r = plain || args.length ? this.performAction.apply(yyval, [
              yytext,
              yyleng,
              yylineno,
              sharedState.yy,
              action[1],
              vstack,
              lstack
            ].concat(args)) : this.performAction.call(yyval, yytext, yyleng, yylineno, sharedState.yy, action[1], vstack, lstack);
            if (typeof r !== "undefined") {
              return r;
            }
            if (len && plain) {
              stack = stack.slice(0, -1 * len * 2);
              vstack = vstack.slice(0, -1 * len);
              lstack = lstack.slice(0, -1 * len);
            } else if (len) {
              stack.length = Math.max(0, stack.length - len * 2);
              vstack.length = Math.max(0, vstack.length - len);
              lstack.length = Math.max(0, lstack.length - len);
            }`,
  },
  {
    name: 'diagram modules load with real configuration copies (src/Diagram.ts)',
    bit: 128,
    find: `      const { id: id39, diagram: diagram2 } = await loader39();
      registerDiagram(id39, diagram2);
    }`,
    replace: `      globalThis.${LOADING_MARK} = (globalThis.${LOADING_MARK} || 0) + 1;
      let loaded39;
      try {
        loaded39 = await loader39();
      } finally {
        globalThis.${LOADING_MARK}--;
      }
      const { id: id39, diagram: diagram2 } = loaded39;
      registerDiagram(id39, diagram2);
      globalThis.${PATCH_MARK} = (globalThis.${PATCH_MARK} || 0) | 128;
    }`,
  },
];

/** Every patch's bit: the build fails without all of them. */
export const ALL_PATCH_BITS = MERMAID_PATCHES.reduce((a, p) => a | p.bit, 0);
/** The bits the patched modules mark at run time, all required before the configuration hooks are installed. */
export const CONFIG_PATCH_BITS = ALL_PATCH_BITS & ~LEX_PATCH_BIT & ~STACK_PATCH_BIT;

/** Files the patches may touch. */
export const MERMAID_DIST_RE = /[\\/]node_modules[\\/]mermaid[\\/]dist[\\/].*\.mjs$/;

/** Apply every patch whose `find` occurs in `source`; returns the new text and the bits applied. */
export function applyMermaidPatches(source: string): { code: string; bits: number } {
  let bits = 0;
  for (const p of MERMAID_PATCHES) {
    const at = source.indexOf(p.find);
    if (at < 0) continue;
    source = source.slice(0, at) + p.replace + source.slice(at + p.find.length);
    bits |= p.bit;
  }
  return { code: source, bits };
}

/**
 * esbuild plugin for the worker bundle. Fails the build when a patch found
 * nothing to patch (a different mermaid version): the validator would still
 * be correct, only slow, so this is better caught at build time.
 */
export function mermaidPatchPlugin(): Plugin {
  return {
    name: 'pattern-atlas-mermaid-patch',
    setup(build) {
      let bits = 0;
      build.onStart(() => {
        bits = 0;
      });
      build.onLoad({ filter: MERMAID_DIST_RE }, async (args) => {
        const source = await readFile(args.path, 'utf8');
        if (!MERMAID_PATCHES.some((p) => source.includes(p.find))) return undefined;
        const r = applyMermaidPatches(source);
        bits |= r.bits;
        return { contents: r.code, loader: 'js' };
      });
      build.onEnd((result) => {
        if (result.errors.length === 0 && bits !== ALL_PATCH_BITS) {
          const missing = MERMAID_PATCHES.filter((p) => !(bits & p.bit)).map((p) => p.name);
          result.errors.push({
            id: 'mermaid-patch',
            pluginName: 'pattern-atlas-mermaid-patch',
            text: `mermaid source patch did not apply (${missing.join(', ')}): is mermaid still 11.17.2?`,
            location: null,
            notes: [],
            detail: undefined,
          });
        }
      });
    },
  };
}

/**
 * Source of an ESM loader-hooks module (for `module.register` as a data: URL)
 * applying the same patches when mermaid is imported from node_modules.
 */
export function loaderHookSource(): string {
  const patches = JSON.stringify(MERMAID_PATCHES.map((p) => ({ find: p.find, replace: p.replace })));
  return `
const patches = ${patches};
const dist = ${MERMAID_DIST_RE.toString()};
export async function load(url, context, nextLoad) {
  const result = await nextLoad(url, context);
  if (!url.startsWith('file:') || !dist.test(decodeURIComponent(new URL(url).pathname))) return result;
  let source = typeof result.source === 'string' ? result.source : new TextDecoder().decode(result.source);
  let changed = false;
  for (const p of patches) {
    const at = source.indexOf(p.find);
    if (at >= 0) { source = source.slice(0, at) + p.replace + source.slice(at + p.find.length); changed = true; }
  }
  return changed ? { ...result, source } : result;
}
`;
}
