import { RegExpParser, type AST } from '@eslint-community/regexpp';

/**
 * The brand's order and booking reference patterns (settings.guardrails.referencePatterns) are
 * regular expressions an admin types, and they run on every keystroke in the composer and on
 * every public message the server sends. A pattern that can backtrack for ever would freeze
 * both, so a pattern is accepted only when it compiles, cannot match an empty text, does not
 * match ordinary sentences, and has none of the shapes that make a backtracking engine take
 * exponential or high polynomial time: a repeat inside a repeat (`(a+)+`), alternatives that
 * overlap under a repeat (`(a|ab)*`), two repeats of the same characters in a row (`\d+\d+`),
 * or a backreference. Then it is timed on growing adversarial texts, as a last net.
 */

/** Patterns are compiled case-insensitive, Unicode-aware, and global (every match is reported). */
export const REFERENCE_PATTERN_FLAGS = 'giu';
export const MAX_REFERENCE_PATTERN_LENGTH = 200;

/** Characters the analysis tries a character class or set with (no engine gives the set itself). */
const SAMPLE_CHARACTERS = [
  ...' !"#$%&\'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~',
  ...'éèàçñüößÉÀÑ€£¿¡«»–—’\n\t',
  'ا',
  '中',
];

/** Sentences no order reference pattern may match: a pattern matching them would block every reply. */
const ORDINARY_SENTENCES = [
  'Thank you for your message, we are looking into it right now and will get back to you soon.',
  'Gracias por tu mensaje, lo estamos revisando y te respondemos enseguida.',
  'Merci pour votre message, nous regardons cela et revenons vers vous très vite.',
];

const parser = new RegExpParser({ ecmaVersion: 2024 });

type Quantifiable = AST.QuantifiableElement;

function charactersOf(node: AST.Node, cache: Map<AST.Node, Set<string>>): Set<string> {
  const known = cache.get(node);
  if (known) return known;
  let result: Set<string>;
  switch (node.type) {
    case 'Character':
    case 'CharacterClass':
    case 'CharacterSet':
    case 'ExpressionCharacterClass': {
      const single = new RegExp(`^(?:${node.raw})$`, 'iu');
      result = new Set(SAMPLE_CHARACTERS.filter((character) => single.test(character)));
      break;
    }
    default:
      result = new Set();
  }
  cache.set(node, result);
  return result;
}

/** Whether an element can match without consuming anything. */
function nullable(node: AST.Node): boolean {
  switch (node.type) {
    case 'Assertion':
      return true;
    case 'Quantifier':
      return node.min === 0 || nullable(node.element);
    case 'Group':
    case 'CapturingGroup':
    case 'Pattern':
      return node.alternatives.some((alternative) => alternative.elements.every(nullable));
    case 'Backreference':
      return true;
    default:
      return false;
  }
}

/** The sample characters a match of the element can start with. */
function firstCharacters(node: AST.Node, cache: Map<AST.Node, Set<string>>): Set<string> {
  switch (node.type) {
    case 'Quantifier':
      return firstCharacters(node.element, cache);
    case 'Group':
    case 'CapturingGroup': {
      const all = new Set<string>();
      for (const alternative of node.alternatives) for (const character of firstOfSequence(alternative.elements, cache)) all.add(character);
      return all;
    }
    case 'Assertion':
    case 'Backreference':
      return new Set();
    default:
      return charactersOf(node, cache);
  }
}

function firstOfSequence(elements: readonly AST.Element[], cache: Map<AST.Node, Set<string>>): Set<string> {
  const all = new Set<string>();
  for (const element of elements) {
    for (const character of firstCharacters(element, cache)) all.add(character);
    if (!nullable(element)) break;
  }
  return all;
}

const overlap = (a: Set<string>, b: Set<string>) => [...a].some((character) => b.has(character));

function descendants(node: AST.Node): AST.Node[] {
  const children: AST.Node[] = [];
  const walk = (current: AST.Node) => {
    const next: AST.Node[] =
      current.type === 'Quantifier'
        ? [current.element]
        : current.type === 'Group' || current.type === 'CapturingGroup' || current.type === 'Pattern' || (current.type === 'Assertion' && (current.kind === 'lookahead' || current.kind === 'lookbehind'))
          ? current.alternatives
          : current.type === 'Alternative'
            ? current.elements
            : [];
    for (const child of next) {
      children.push(child);
      walk(child);
    }
  };
  walk(node);
  return children;
}

const repeats = (quantifier: AST.Quantifier) => quantifier.max > 1;
const unbounded = (quantifier: AST.Quantifier) => quantifier.max > 16;

/** The first shape that can make the engine backtrack for ever, in words an admin understands. */
function dangerousShape(pattern: AST.Pattern): string | null {
  const cache = new Map<AST.Node, Set<string>>();
  const nodes = [pattern, ...descendants(pattern)];
  if (nodes.some((node) => node.type === 'Backreference')) return 'uses a backreference (\\1), which is not allowed here';
  for (const node of nodes) {
    if (node.type === 'Quantifier' && repeats(node)) {
      const inner = descendants(node.element).find((child): child is AST.Quantifier => child.type === 'Quantifier' && unbounded(child) && child.min !== child.max);
      if (inner) return `repeats a repeat (${inner.raw} inside ${node.raw}), which can take forever on some texts`;
      const element: Quantifiable = node.element;
      if (element.type === 'Group' || element.type === 'CapturingGroup') {
        const starts = element.alternatives.map((alternative) => firstOfSequence(alternative.elements, cache));
        for (let i = 0; i < starts.length; i++) {
          for (let j = i + 1; j < starts.length; j++) {
            if (overlap(starts[i] ?? new Set(), starts[j] ?? new Set())) return `repeats alternatives that can match the same text (${node.raw}), which can take forever on some texts`;
          }
        }
      }
    }
    if (node.type === 'Alternative') {
      const elements = node.elements;
      for (let i = 0; i < elements.length; i++) {
        const first = elements[i];
        if (first?.type !== 'Quantifier' || !unbounded(first)) continue;
        for (let j = i + 1; j < elements.length; j++) {
          const second = elements[j];
          if (!second) break;
          if (second.type === 'Quantifier' && unbounded(second) && overlap(firstCharacters(first.element, cache), firstCharacters(second.element, cache))) {
            return `has two repeats of the same characters in a row (${first.raw} then ${second.raw}), which can take forever on some texts`;
          }
          if (!nullable(second)) break;
        }
      }
    }
  }
  return null;
}

/**
 * Whether matching takes far too long on growing texts made of what the pattern likes. The
 * shapes above already catch exponential patterns; this catches cubic and worse ones the
 * analysis missed. Texts stop at 1,024 characters and the budget is generous, so the
 * quadratic cost any scanning regex can have on a long run of digits (`\d+X`) passes even on
 * a busy machine, while cubic growth (a billion steps there) cannot.
 */
function tooSlow(regex: RegExp): boolean {
  const alphabets = ['a', '1', ' ', 'a1', 'A-1 ', '1.', 'aé', 'x@'];
  for (let length = 64; length <= 1_024; length *= 4) {
    for (const alphabet of alphabets) {
      const text = `${alphabet.repeat(Math.ceil(length / alphabet.length)).slice(0, length)}!`;
      const started = Date.now();
      regex.lastIndex = 0;
      for (let matches = 0; regex.exec(text) && matches < 10_000; matches++) {
        // Counting the matches is all the probe does; the time is what it measures.
      }
      if (Date.now() - started > 250) return true;
    }
  }
  return false;
}

/**
 * Why a reference pattern cannot be used, or null when it can. The message completes a
 * sentence starting with the field's name ("settings.guardrails.referencePatterns.1 …").
 */
export function referencePatternProblem(source: string): string | null {
  if (problems.has(source)) return problems.get(source) ?? null;
  const problem = findProblem(source);
  if (problems.size > 500) problems.clear();
  problems.set(source, problem);
  return problem;
}

const problems = new Map<string, string | null>();

function findProblem(source: string): string | null {
  if (source.trim() === '') return 'must not be empty';
  if (source.length > MAX_REFERENCE_PATTERN_LENGTH) return `must be at most ${MAX_REFERENCE_PATTERN_LENGTH} characters`;
  let regex: RegExp;
  try {
    regex = new RegExp(source, REFERENCE_PATTERN_FLAGS);
  } catch (error) {
    return `is not a valid regular expression (${error instanceof Error ? error.message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /s, '') : String(error)})`;
  }
  let ast: AST.Pattern;
  try {
    ast = parser.parsePattern(source, 0, source.length, { unicode: true });
  } catch (error) {
    return `is not a valid regular expression (${error instanceof Error ? error.message : String(error)})`;
  }
  if (nullable(ast)) return 'can match an empty text: every reply would be blocked';
  const shape = dangerousShape(ast);
  if (shape) return shape;
  for (const sentence of ORDINARY_SENTENCES) {
    regex.lastIndex = 0;
    const match = regex.exec(sentence);
    if (match) return `is too broad: it matches "${match[0]}" in an ordinary sentence`;
  }
  if (tooSlow(regex)) return 'takes too long to run on long texts';
  return null;
}

const compiled = new Map<string, RegExp | null>();

/** The pattern compiled, or null when it is unusable (a setting stored before validation, say). Cached: the composer runs it on every keystroke. */
export function compileReferencePattern(source: string): RegExp | null {
  if (compiled.has(source)) return compiled.get(source) ?? null;
  const regex = referencePatternProblem(source) === null ? new RegExp(source, REFERENCE_PATTERN_FLAGS) : null;
  if (compiled.size > 200) compiled.clear();
  compiled.set(source, regex);
  return regex;
}
