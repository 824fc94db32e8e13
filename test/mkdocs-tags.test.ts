/**
 * mkdocs.yml is parsed once when its custom tags can be read off the text
 * (`scanUnknownTags` in server/src/site/mkdocs.ts), twice otherwise (a first
 * parse finds the tags it cannot resolve). Both ways must give the same
 * configuration, problems and ranges: compared on the example's and the
 * corpus's mkdocs.yml and on generated files full of tags (in values, keys,
 * flow and block collections, strings and comments, escaped, verbatim,
 * with %TAG directives).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { parseMkdocsConfig, scanUnknownTags } from '../server/src/site/mkdocs.ts';
import { mixRng } from './helpers/random.ts';

const REPO = path.resolve(import.meta.dirname, '..');
const CORPUS = path.resolve(REPO, '../shared/corpus/dstudio-2025-07');

function same(text: string, name: string): void {
  assert.deepStrictEqual(parseMkdocsConfig(text), parseMkdocsConfig(text, { twoPassTags: true }), name);
}

test('one parse and two give the same configuration for the example and the corpus', () => {
  for (const f of [path.join(REPO, 'examples/compendium/mkdocs.yml'), path.join(CORPUS, 'mkdocs.yml')]) {
    if (!fs.existsSync(f)) continue;
    const text = fs.readFileSync(f, 'utf8');
    same(text, f);
  }
  // The corpus uses !!python/name tags: read off the text, without a second parse.
  if (fs.existsSync(path.join(CORPUS, 'mkdocs.yml'))) {
    const tags = scanUnknownTags(fs.readFileSync(path.join(CORPUS, 'mkdocs.yml'), 'utf8'));
    assert.ok(tags && [...tags].some((t) => t.startsWith('tag:yaml.org,2002:python/name:')), 'the corpus tags are read off the text');
  }
});

/** Values read in one parse (unknown tags, in every place), then values that need two (tags of the schema, verbatim, named handles, bad escapes). */
const COMMON = [
  '!!python/name:material.extensions.emoji.twemoji', '!!python/name:pymdownx.slugs.uslugify', '!!python/name:a%2Fb', '!!python/object/apply:os.getcwd []',
  '!ENV [SITE, "default"]', '!ENV SITE', '!relative $config_dir/x', '!custom {a: 1}', '!custom [1, 2]', '!custom x', '! x',
  '"a string with !bang inside"', "'!!python/name:in.a.string'", 'plain !notatag', 'yes', 'off', '1:30', '[!ENV A, !custom b]', '{k: !custom v}',
];
const RARE = ['!!python/name:%ZZ', '!!str 1', '!!int "3"', '!!bool yes', '!!binary aGk=', '!!set {a, b}', '!!omap [a: 1]', '!!timestamp 2024-01-01', '!<tag:x.org,1:y> z', '!e!x y', '!!map {a: 1}', '!!seq [1]', '!!null ""', '!!float 1'];

test('one parse and two give the same configuration for generated files with tags', () => {
  const r = mixRng(99);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
  const value = () => (r() < 0.05 ? pick(RARE) : pick(COMMON));
  let scanned = 0;
  for (let i = 0; i < 400; i++) {
    const lines = ['site_name: Site ' + i];
    if (r() < 0.05) lines.unshift('%TAG !e! tag:example.com,2000:', '---');
    for (let k = 0; k < 1 + Math.floor(r() * 5); k++) {
      const shape = r();
      if (shape < 0.3) lines.push(`key${k}: ${value()}${r() < 0.2 ? ' # note !!python/name:in.comment' : ''}`);
      else if (shape < 0.5) lines.push('markdown_extensions:', `  - toc:`, `      slugify: ${value()}`, `  - pymdownx.emoji:`, `      emoji_index: ${value()}`);
      else if (shape < 0.7) lines.push(`list${k}:`, `  - ${value()}`, `  - ${value()}`);
      else if (shape < 0.8) lines.push(`${pick(['!!str', '!custom'])} tagged_key${k}: v`);
      else lines.push(`nav:`, `  - Home: index.md`, `  - ${value().replace(/[[\]{}]/g, '')}: x.md`);
    }
    const text = lines.join('\n') + '\n';
    if (scanUnknownTags(text)) scanned++;
    same(text, text);
  }
  assert.ok(scanned > 100 && scanned < 390, `both ways are compared: ${scanned} of 400 generated files read in one parse`);
});
